//! A host's mutes, in the chat settings dialog: who is muted in the chat and
//! until when, or removed from it, each with an Unmute (or Let back) button,
//! and muting someone found with the participant finder for a chosen time.
//! It belongs to the settings form's
//! lazily loaded part (a hook and a view the form calls, not a component of
//! its own, whose machinery would weigh more than the list); the finder is a
//! part of its own.

use chat_protocol::{Participant, ParticipantId};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::lazy::Lazy;
use super::participant_picker::{self, ParticipantPickerProps};
use crate::hooks::use_intent::Intents;
use crate::hooks::use_selector::use_selector;
use crate::store::ChatContext;
use crate::text_format::clock_time;

/// The times a host mutes for, in minutes (`None`: until unmuted), each
/// named by the key `muteFor.{minutes}` (`muteFor.always`).
const MUTE_CHOICES: [Option<u32>; 4] = [Some(10), Some(60), Some(1_440), None];

fn choice_key(minutes: Option<u32>) -> String {
    minutes.map_or_else(|| "muteFor.always".to_owned(), |m| format!("muteFor.{m}"))
}

/// Who is muted now (id, name, until when, whether removed), and the time the next mute lasts.
pub(super) struct Mutes {
    muted: Vec<(ParticipantId, String, Option<i64>, bool)>,
    minutes: UseStateHandle<Option<u32>>,
}

/// What the mute list shows and keeps, for the settings form to draw with [`mute_list`].
#[hook]
pub(super) fn use_mutes() -> Mutes {
    let minutes = use_state(|| MUTE_CHOICES[0]);
    let muted = use_selector(|client| {
        let (state, now) = (client.state(), client.now());
        let holding = state.mutes().iter().filter(|mute| mute.holds_at(now));
        holding
            .map(|mute| {
                let id = &mute.participant_id;
                (id.clone(), state.name_of(id).unwrap_or(id.as_str()).to_owned(), mute.until, mute.removed)
            })
            .collect()
    });
    Mutes { muted, minutes }
}

/// Who is muted now, and muting someone else.
pub(super) fn mute_list(chat: &ChatContext, intents: &Intents, mutes: Mutes) -> Html {
    let Mutes { muted, minutes } = mutes;
    let t = |key: &str| chat.locale.t(key);
    let on_minutes = {
        let minutes = minutes.clone();
        Callback::from(move |event: Event| {
            let picked = event.target_unchecked_into::<HtmlSelectElement>().value();
            minutes.set(MUTE_CHOICES.into_iter().find(|choice| choice_key(*choice) == picked).flatten());
        })
    };
    let on_pick = {
        let (client, intents, minutes) = (chat.client.clone(), intents.clone(), *minutes);
        Callback::from(move |participant: Participant| intents.run(client.mute(participant.id, minutes)))
    };
    let offset = super::message_item::timezone_offset_minutes();
    html! {
        <section class="mc-mutes" aria-labelledby="mc-mutes-title">
            <h3 id="mc-mutes-title" class="mc-setting-heading">{ t("mutedInChat") }</h3>
            if muted.is_empty() {
                <p class="mc-setting-note">{ t("nobodyMuted") }</p>
            } else {
                <ul class="mc-muted-list">
                    { for muted.into_iter().map(|(id, name, until, removed)| {
                        let (client, intents) = (chat.client.clone(), intents.clone());
                        let onclick = Callback::from(move |_: MouseEvent| intents.run(client.unmute(id.clone())));
                        let until = match (removed, until) {
                            (true, _) => t("removedFromChat"),
                            (false, None) => t("muteFor.always"),
                            (false, Some(until)) => chat.locale.t_with("untilTime", "time", &clock_time(until, offset)),
                        };
                        let (action, label) = if removed { ("letBack", "letBackName") } else { ("unmute", "unmuteName") };
                        html! {
                            <li>
                                <span>{ format!("{name} · {until}") }</span>
                                <button type="button" class="mc-link-button" {onclick}
                                    aria-label={chat.locale.t_with(label, "name", &name)}>{ t(action) }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <label class="mc-setting">{ t("muteFor") }
                <select onchange={on_minutes}>
                    { for MUTE_CHOICES.into_iter().map(|choice| html! {
                        <option value={choice_key(choice)} selected={choice == *minutes}>{ t(&choice_key(choice)) }</option>
                    }) }
                </select>
            </label>
            <Lazy<ParticipantPickerProps> part={&participant_picker::PART} wanted=true
                props={ParticipantPickerProps { on_pick, label: t("mute").into() }} />
        </section>
    }
}
