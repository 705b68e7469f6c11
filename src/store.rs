//! Where chat-core meets yew. The chat state itself stays in the core
//! (behind the shared handle); yew holds a context that compares by identity
//! and version, so a change re-renders the panel, plus the panel's own UI
//! state (reply target, edit, selected private chat, open menu, open dialogs)
//! as a reducer.

use std::rc::Rc;

use chat_protocol::{MessageId, ParticipantId};
use yew::prelude::*;

use crate::js_api::Handle;
use crate::locale::Locale;

/// What every panel component reads: the chat, the strings, and a version
/// that changes with every chat change.
#[derive(Clone)]
pub struct ChatContext {
    /// The shared client.
    pub handle: Rc<Handle>,
    /// The strings.
    pub locale: Rc<Locale>,
    /// Bumped on every change, so consumers re-render.
    pub version: u64,
}

impl PartialEq for ChatContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.handle, &other.handle) && self.version == other.version && self.locale == other.locale
    }
}

/// The panel's own state, apart from the chat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiState {
    /// The message the composer replies to.
    pub reply_to: Option<MessageId>,
    /// The message the composer edits.
    pub editing: Option<MessageId>,
    /// The private chat shown, or everyone.
    pub conversation: Option<ParticipantId>,
    /// Whether the list of all pins is open.
    pub pins_open: bool,
    /// The message whose action menu is open (its list key).
    pub menu: Option<String>,
    /// The image shown full size.
    pub viewing: Option<ViewedImage>,
    /// The message whose forwarding destination is being chosen.
    pub forwarding: Option<MessageId>,
}

/// An image opened in the full view.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewedImage {
    /// The full image.
    pub url: AttrValue,
    /// Its description.
    pub alt: AttrValue,
}

/// Changes to [`UiState`].
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// Reply to a message.
    Reply(MessageId),
    /// Edit a message.
    Edit(MessageId),
    /// Leave reply or edit mode.
    CancelCompose,
    /// Show a private chat, or everyone.
    SelectConversation(Option<ParticipantId>),
    /// Open or close the list of pins.
    TogglePins,
    /// Open a message's menu, or close menus.
    Menu(Option<String>),
    /// Show an image full size, or close the view.
    View(Option<ViewedImage>),
    /// Choose where to forward a message, or stop choosing.
    Forward(Option<MessageId>),
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UiAction::Reply(id) => {
                next.reply_to = Some(id);
                next.editing = None;
                next.menu = None;
            }
            UiAction::Edit(id) => {
                next.editing = Some(id);
                next.reply_to = None;
                next.menu = None;
            }
            UiAction::CancelCompose => {
                next.reply_to = None;
                next.editing = None;
            }
            UiAction::SelectConversation(peer) => {
                next.conversation = peer;
                next.menu = None;
            }
            UiAction::TogglePins => next.pins_open = !next.pins_open,
            UiAction::Menu(key) => next.menu = key,
            UiAction::View(image) => next.viewing = image,
            UiAction::Forward(id) => next.forwarding = id,
        }
        Rc::new(next)
    }
}

/// The UI state handle components dispatch to.
pub type Ui = UseReducerHandle<UiState>;
