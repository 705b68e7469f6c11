//! The header: title, who is here, the private chat selector and the pins toggle.

use chat_protocol::ParticipantId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::icons;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The panel's title.
    pub title: AttrValue,
}

/// Everyone online, plus anyone with a private conversation even if gone now.
fn peers(state: &chat_core::ChatState) -> Vec<(ParticipantId, String)> {
    let me = state.me().map(|p| p.id.clone());
    let mut peers: Vec<(ParticipantId, String)> = state
        .participants()
        .iter()
        .filter(|p| Some(&p.id) != me.as_ref())
        .map(|p| (p.id.clone(), p.display_name.clone()))
        .collect();
    for conversation in state.private_conversations() {
        for peer in conversation.peers {
            if !peers.iter().any(|(id, _)| id == &peer) {
                let name = state
                    .timeline()
                    .private()
                    .find(|m| m.sender.id == peer)
                    .map_or_else(|| peer.0.clone(), |m| m.sender.display_name.clone());
                peers.push((peer, name));
            }
        }
    }
    peers
}

/// The panel header.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let (peers, pins, online, current) = use_selector(|client| {
        let state = client.state();
        (peers(&state), state.pinned().count(), state.participants().len(), state.current_conversation().cloned())
    });
    let t = |key: &str| chat.locale.t(key);
    let on_select = {
        let (ui, client) = (ui.clone(), chat.client.clone());
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            ui.dispatch(UiAction::Menu(None));
            client.join((!value.is_empty()).then_some(ParticipantId(value)));
        })
    };
    let toggle_pins = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::TogglePins))
    };
    let selected = current.map(|p| p.0).unwrap_or_default();
    html! {
        <header class="mc-header">
            <h2 class="mc-title">{ props.title.clone() }</h2>
            <span class="mc-online">{ format!("● {online}") }</span>
            <label class="mc-conversation">
                <span class="mc-visually-hidden">{ t("chatWith") }</span>
                <select onchange={on_select} aria-label={t("chatWith")}>
                    <option value="" selected={selected.is_empty()}>{ t("everyone") }</option>
                    { for peers.into_iter().map(|(id, name)| html! {
                        <option value={id.0.clone()} selected={selected == id.0}>{ format!("{} {name}", t("privateWith")) }</option>
                    }) }
                </select>
            </label>
            if pins > 0 {
                <button type="button" class="mc-icon-button" onclick={toggle_pins}
                    aria-expanded={ui.pins_open.to_string()}
                    aria-label={format!("{pins} {}", if ui.pins_open { t("hidePins") } else { t("showAllPins") })}>
                    { icons::pin() }{ format!(" {pins}") }
                </button>
            }
        </header>
    }
}
