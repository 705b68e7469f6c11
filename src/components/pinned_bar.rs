//! The pinned bar: the latest pin at a glance, and the list of all pins.

use yew::prelude::*;

use super::icons;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;
use crate::text_format::snippet;

/// Pinned messages.
#[function_component(PinnedBar)]
pub fn pinned_bar() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let pins: Vec<(String, String)> = use_selector(|client| {
        let state = client.state();
        state.pinned().map(|m| (m.sender.display_name.clone(), snippet(&m.content, 120).unwrap_or_default())).collect()
    });
    let Some((latest_name, latest_text)) = pins.last().cloned() else { return html! {} };
    let toggle = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::TogglePins))
    };
    html! {
        <aside class="mc-pins" aria-label={chat.locale.t("pinned")}>
            <button type="button" class="mc-pin-latest" onclick={toggle} aria-expanded={ui.pins_open.to_string()}>
                <span class="mc-pin-label">{ icons::pin() }{ chat.locale.t("pinned") }</span>
                // Its own direction, so the ellipsis cuts its end, whatever the panel's.
                <span class="mc-pin-text" dir="auto"><strong>{ latest_name }</strong>{ ": " }{ latest_text }</span>
            </button>
            if ui.pins_open {
                <ul class="mc-pin-list">
                    { for pins.into_iter().rev().map(|(name, text)| html! {
                        <li dir="auto"><strong>{ name }</strong>{ ": " }{ text }</li>
                    }) }
                </ul>
            }
        </aside>
    }
}
