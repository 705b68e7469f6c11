//! The root component: provides the chat and UI contexts, and lays out
//! header, banners, pins, the message list and the composer.

use std::rc::Rc;

use yew::prelude::*;

use crate::client::ChatClient;
use crate::components::banner::Banner;
use crate::components::composer::Composer;
use crate::components::drop_zone::DropZone;
use crate::components::header::Header;
use crate::components::lazy::{Lazy, Prefetch};
use crate::components::message_list::MessageList;
use crate::components::pinned_bar::PinnedBar;
use crate::components::{
    forward_dialog, host_settings, image_viewer, participant_picker, polls, report_dialog, search_box,
};
use crate::lazy_part::Request;
use crate::locale::Locale;
use crate::store::{ChatContext, UiState};

/// The parts the panel fetches after its first messages.
static PARTS: [&dyn Request; 7] = [
    &search_box::PART,
    &image_viewer::PART,
    &forward_dialog::PART,
    &report_dialog::PART,
    &host_settings::PART,
    &participant_picker::PART,
    &polls::PART,
];

/// The panel's properties.
#[derive(Properties, Clone, PartialEq)]
pub struct ChatPanelProps {
    /// The chat to show.
    pub client: ChatClient,
    /// Its strings.
    pub locale: Rc<Locale>,
    /// The panel's title.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

/// The whole chat panel.
#[function_component(ChatPanel)]
pub fn chat_panel(props: &ChatPanelProps) -> Html {
    let ui = use_reducer(UiState::default);
    let context = ChatContext { client: props.client.clone(), locale: Rc::clone(&props.locale) };
    let title = props.title.clone().unwrap_or_else(|| props.locale.t("title").into());
    html! {
        <ContextProvider<ChatContext> context={context}>
            <ContextProvider<crate::store::Ui> context={ui.clone()}>
                <section class="mc-panel" lang={props.locale.lang().to_owned()} dir={props.locale.t("dir")} aria-label={title.clone()}>
                    <Header title={title} />
                    <Lazy<()> part={&search_box::PART} wanted={ui.searching} props={()} />
                    <Banner />
                    <PinnedBar />
                    <DropZone>
                        <MessageList />
                        <Composer />
                    </DropZone>
                    <Lazy<()> part={&image_viewer::PART} wanted={ui.viewing.is_some()} props={()} />
                    <Lazy<()> part={&forward_dialog::PART} wanted={ui.forwarding.is_some()} props={()} />
                    <Lazy<()> part={&report_dialog::PART} wanted={ui.reporting.is_some()} props={()} />
                    <Lazy<()> part={&polls::PART} wanted={ui.polls_open} props={()} />
                    <Prefetch parts={&PARTS[..]} />
                </section>
            </ContextProvider<crate::store::Ui>>
        </ContextProvider<ChatContext>>
    }
}
