//! Where the client meets yew: a context with the client and the strings
//! (components read the chat through `use_selector` and act through
//! `use_intent`), and the panel's own UI state (reply target, edit, open menu,
//! open dialogs, a notice; the conversation shown is the client's) as a reducer.

use std::rc::Rc;

use chat_protocol::{MessageId, Seq};
use yew::prelude::*;

use crate::client::ChatClient;
use crate::locale::Locale;

/// What every panel component has: the client and the strings.
#[derive(Clone, PartialEq)]
pub struct ChatContext {
    /// The client.
    pub client: ChatClient,
    /// The strings.
    pub locale: Rc<Locale>,
}

/// The panel's own state, apart from the chat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiState {
    /// The message the composer replies to.
    pub reply_to: Option<MessageId>,
    /// The message the composer edits.
    pub editing: Option<MessageId>,
    /// Whether the list of all pins is open.
    pub pins_open: bool,
    /// The message whose action menu is open (its list key).
    pub menu: Option<String>,
    /// The message whose reaction picker is open (its list key).
    pub picker: Option<String>,
    /// The image shown full size.
    pub viewing: Option<ViewedImage>,
    /// The message whose forwarding destination is being chosen.
    pub forwarding: Option<MessageId>,
    /// The message being reported to the hosts.
    pub reporting: Option<MessageId>,
    /// Whether the search box is open.
    pub searching: bool,
    /// Whether the polls dialog is open.
    pub polls_open: bool,
    /// The message (by `seq`) the list should scroll to and focus: a search hit.
    pub reveal: Option<Seq>,
    /// Why the last thing asked for did not work, worded for a person.
    pub notice: Option<String>,
    /// Files picked, dropped or pasted, to go with the next message.
    pub pending: Vec<PendingFile>,
    next_pending: u32,
}

/// A file waiting in the composer.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingFile {
    /// Its id in the composer's tray.
    pub id: u32,
    /// The file.
    pub file: web_sys::File,
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
    /// Open or close the list of pins.
    TogglePins,
    /// Open a message's menu, or close menus.
    Menu(Option<String>),
    /// Open a message's reaction picker, or close it.
    Picker(Option<String>),
    /// Show an image full size, or close the view.
    View(Option<ViewedImage>),
    /// Choose where to forward a message, or stop choosing.
    Forward(Option<MessageId>),
    /// Report a message to the hosts, or stop.
    Report(Option<MessageId>),
    /// Show a notice, or dismiss it.
    Notice(Option<String>),
    /// Open or close the search box.
    ToggleSearch,
    /// Open or close the polls dialog.
    TogglePolls,
    /// Scroll to the message created at this `seq` (the search closes), or stop.
    Reveal(Option<Seq>),
    /// Put files in the composer's tray, up to `max` in all.
    AddFiles {
        /// The files.
        files: Vec<web_sys::File>,
        /// Most files a message carries.
        max: usize,
        /// The notice when some did not fit.
        too_many: String,
    },
    /// Take one file out of the tray.
    RemoveFile(u32),
    /// Empty the tray (the message went).
    ClearFiles,
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
            UiAction::TogglePins => next.pins_open = !next.pins_open,
            UiAction::Menu(key) => next.menu = key,
            UiAction::Picker(key) => next.picker = key,
            UiAction::View(image) => next.viewing = image,
            UiAction::Forward(id) => next.forwarding = id,
            UiAction::Report(id) => next.reporting = id,
            UiAction::Notice(notice) => next.notice = notice,
            UiAction::ToggleSearch => next.searching = !next.searching,
            UiAction::TogglePolls => next.polls_open = !next.polls_open,
            UiAction::Reveal(seq) => {
                next.reveal = seq;
                next.searching &= seq.is_none();
            }
            UiAction::AddFiles { files, max, too_many } => {
                let room = max.saturating_sub(next.pending.len());
                if files.len() > room {
                    next.notice = Some(too_many);
                }
                for file in files.into_iter().take(room) {
                    next.next_pending += 1;
                    next.pending.push(PendingFile { id: next.next_pending, file });
                }
            }
            UiAction::RemoveFile(id) => next.pending.retain(|p| p.id != id),
            UiAction::ClearFiles => next.pending.clear(),
        }
        Rc::new(next)
    }
}

/// The UI state handle components dispatch to.
pub type Ui = UseReducerHandle<UiState>;
