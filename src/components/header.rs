//! The header: title, how many are here, the private chat selector, finding
//! someone to chat with in a meeting of any size, the search and pins toggles.

use chat_protocol::ParticipantId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::host_settings::HostSettings;
use super::icons;
use super::lazy::Lazy;
use super::participant_picker::{self, ParticipantPickerProps};
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_modal::{use_modal, Modal};
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The panel's title.
    pub title: AttrValue,
}

/// Everyone online the client knows of (all of a small meeting), anyone with
/// a private conversation even if gone now, and the one being viewed.
fn peers(state: &chat_core::ChatState) -> Vec<(ParticipantId, String)> {
    let me = state.me().map(|p| p.id.clone());
    let mut ids: Vec<ParticipantId> = state.participants().iter().map(|p| p.id.clone()).collect();
    ids.extend(state.private_conversations().into_iter().flat_map(|c| c.peers));
    ids.extend(state.current_conversation().cloned());
    let mut peers: Vec<(ParticipantId, String)> = Vec::new();
    for id in ids {
        if Some(&id) != me.as_ref() && !peers.iter().any(|(known, _)| known == &id) {
            let name = state.name_of(&id).map_or_else(|| id.0.clone(), str::to_owned);
            peers.push((id, name));
        }
    }
    peers
}

/// The polls button: shown once there is a poll, or to hosts, who ask them.
#[derive(Clone, Copy, PartialEq)]
struct PollsButton {
    shown: bool,
    /// How many polls are open.
    open: usize,
}

impl PollsButton {
    fn of(state: &chat_core::ChatState) -> Self {
        let hosting = state.me().is_some_and(|me| chat_protocol::rules::may_moderate(me).is_ok());
        let open = state.polls().iter().filter(|poll| !poll.closed).count();
        Self { shown: hosting || !state.polls().is_empty(), open }
    }
}

/// The panel header.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let (peers, pins, online, current, reads, polls) = use_selector(|client| {
        let state = client.state();
        let reads = state.reads().to_vec();
        let polls = PollsButton::of(&state);
        (
            peers(&state),
            state.pinned().count(),
            state.participant_count(),
            state.current_conversation().cloned(),
            reads,
            polls,
        )
    });
    // Unread messages per conversation, as a suffix for its name: " (3)", " (3 @)" with mentions among them.
    let unread_in = |with: Option<&ParticipantId>| {
        reads.iter().find(|r| r.with.as_ref() == with).map_or_else(String::new, |r| match (r.unread, r.mentions) {
            (0, _) => String::new(),
            (n, 0) => format!(" ({n})"),
            (n, _) => format!(" ({n} @)"),
        })
    };
    let elsewhere: u32 = reads.iter().filter(|r| r.with != current).map(|r| r.unread).sum();
    let finding = use_state(|| false);
    let Modal { dialog, close, onclose } = use_modal(*finding, {
        let finding = finding.clone();
        Callback::from(move |()| finding.set(false))
    });
    let open_finder = {
        let finding = finding.clone();
        Callback::from(move |_| finding.set(true))
    };
    let on_pick = {
        let (client, finding) = (chat.client.clone(), finding.clone());
        Callback::from(move |participant: chat_protocol::Participant| {
            finding.set(false);
            client.join(Some(participant.id));
        })
    };
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
    let toggle_search = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::ToggleSearch))
    };
    let toggle_polls = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::TogglePolls))
    };
    let selected = current.map(|p| p.0).unwrap_or_default();
    html! {
        <header class="mc-header">
            <h2 class="mc-title">{ props.title.clone() }</h2>
            <span class="mc-online" aria-label={chat.locale.t_with("here", "n", &online.to_string())}>{ format!("● {online}") }</span>
            <label class="mc-conversation">
                <span class="mc-visually-hidden">{ t("chatWith") }</span>
                <select onchange={on_select} aria-label={t("chatWith")}>
                    <option value="" selected={selected.is_empty()}>{ format!("{}{}", t("everyone"), unread_in(None)) }</option>
                    { for peers.into_iter().map(|(id, name)| html! {
                        <option value={id.0.clone()} selected={selected == id.0}>
                            { format!("{} {name}{}", t("privateWith"), unread_in(Some(&id))) }
                        </option>
                    }) }
                </select>
            </label>
            if elsewhere > 0 {
                <span class="mc-unread-badge" role="status" aria-label={chat.locale.t_with("unreadElsewhere", "n", &elsewhere.to_string())}>
                    { elsewhere }
                </span>
            }
            <button type="button" class="mc-icon-button mc-find" onclick={open_finder} aria-label={t("findPeople")}>{ icons::person_add() }</button>
            <button type="button" class="mc-icon-button mc-search-toggle" onclick={toggle_search}
                aria-expanded={ui.searching.to_string()} aria-label={t("searchMessages")}>{ icons::search() }</button>
            if polls.shown {
                <button type="button" class="mc-icon-button mc-polls-toggle" onclick={toggle_polls}
                    aria-expanded={ui.polls_open.to_string()}
                    aria-label={chat.locale.t_with("pollsOpen", "n", &polls.open.to_string())}>
                    { icons::poll() }
                    if polls.open > 0 {
                        { format!(" {}", polls.open) }
                    }
                </button>
            }
            <HostSettings />
            if *finding {
                <dialog ref={dialog} class="mc-dialog" aria-labelledby="mc-find-title" {onclose}>
                    <div class="mc-dialog-bar">
                        <h2 id="mc-find-title" class="mc-dialog-title">{ t("findPeople") }</h2>
                        <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
                    </div>
                    <Lazy<ParticipantPickerProps> part={&participant_picker::PART} wanted=true props={ParticipantPickerProps { on_pick, label: t("privateWith").into() }} />
                </dialog>
            }
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
