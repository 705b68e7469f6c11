//! The root component: subscribes to the chat, provides the contexts, and
//! lays out header, banners, pins, the message list and the composer.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::banner::Banner;
use crate::components::composer::Composer;
use crate::components::header::Header;
use crate::components::message_list::MessageList;
use crate::components::pinned_bar::PinnedBar;
use crate::js_api::Handle;
use crate::locale::Locale;
use crate::store::{ChatContext, UiState};

/// The panel's properties.
#[derive(Properties, Clone)]
pub struct ChatPanelProps {
    /// The chat to show.
    pub handle: Rc<Handle>,
    /// Its strings.
    pub locale: Rc<Locale>,
    /// The panel's title.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

impl PartialEq for ChatPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.handle, &other.handle) && self.locale == other.locale && self.title == other.title
    }
}

/// The whole chat panel.
#[function_component(ChatPanel)]
pub fn chat_panel(props: &ChatPanelProps) -> Html {
    let version = use_state(|| 0_u64);
    {
        let (handle, version) = (Rc::clone(&props.handle), version.clone());
        use_effect_with(Rc::as_ptr(&props.handle) as usize, move |_| {
            let counter = Rc::new(std::cell::Cell::new(0_u64));
            let id = handle.watch(Rc::new(move || {
                counter.set(counter.get() + 1);
                version.set(counter.get());
            }));
            move || handle.unwatch(id)
        });
    }
    let ui = use_reducer(UiState::default);
    let context = ChatContext { handle: Rc::clone(&props.handle), locale: Rc::clone(&props.locale), version: *version };
    let title = props.title.clone().unwrap_or_else(|| props.locale.t("title").into());
    html! {
        <ContextProvider<ChatContext> context={context}>
            <ContextProvider<crate::store::Ui> context={ui}>
                <section class="mc-panel" lang={props.locale.lang().to_owned()} aria-label={title.clone()}>
                    <Header title={title} />
                    <Banner />
                    <PinnedBar />
                    <MessageList />
                    <Composer />
                </section>
            </ContextProvider<crate::store::Ui>>
        </ContextProvider<ChatContext>>
    }
}
