//! The meeting's polls in a dialog: each poll with its options, a ballot
//! (one choice, or several where the poll allows) until you voted, then its
//! counts (unless they show only once it closes); a host asks new ones and
//! closes them. Loaded when first opened, or ahead once the panel is idle.

use chat_core::NewPoll;
use chat_protocol::{rules, ParticipantId, Poll};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::icons;
use super::lazy::Draw;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::{use_intent, Intents};
use crate::hooks::use_modal::{use_modal, Modal};
use crate::hooks::use_selector::use_selector;
use crate::lazy_part::lazy_part;
use crate::store::{ChatContext, UiAction};

lazy_part!(
    /// The polls dialog, loaded when first opened.
    pub PART in polls: Draw<()> = |()| html! { <PollsDialog /> }
);

/// Every poll, newest first; a host's form for a new one above them.
#[function_component(PollsDialog)]
pub fn polls_dialog() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let (polls, hosting, me) = use_selector(|client| {
        let state = client.state();
        let hosting = state.me().is_some_and(|me| rules::may_moderate(me).is_ok());
        (state.polls().to_vec(), hosting, state.me().map(|me| me.id.clone()))
    });
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |()| ui.dispatch(UiAction::TogglePolls))
    };
    let Modal { dialog, close, onclose } = use_modal(ui.polls_open, dismiss);
    let intents = use_intent();
    let draft = use_state(blank_poll);
    if !ui.polls_open {
        return html! {};
    }
    let t = |key: &str| chat.locale.t(key);
    html! {
        <dialog ref={dialog} class="mc-dialog mc-polls" aria-labelledby="mc-polls-title" {onclose}>
            <div class="mc-dialog-bar">
                <h2 id="mc-polls-title" class="mc-dialog-title">{ t("polls") }</h2>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            // The panel's notice sits behind this dialog: a refused vote or poll says so here too.
            if let Some(notice) = ui.notice.clone() {
                <p class="mc-poll-notice" role="alert">{ notice }</p>
            }
            if hosting {
                { new_poll_form(&chat, &intents, draft) }
            }
            if polls.is_empty() {
                <p class="mc-setting-note">{ t("noPolls") }</p>
            }
            <ul class="mc-poll-list">
                { for polls.into_iter().rev().map(|poll| html! {
                    <li key={poll.id.0.clone()}>{ poll_card(&poll, hosting, me.as_ref(), &chat, &intents) }</li>
                }) }
            </ul>
        </dialog>
    }
}

/// One poll: its ballot until the viewer (`me`) voted, then its counts;
/// `hosting` viewers see hidden counts and close polls. Plain functions
/// rather than components: each component costs the part its own plumbing.
fn poll_card(poll: &Poll, hosting: bool, me: Option<&ParticipantId>, chat: &ChatContext, intents: &Intents) -> Html {
    let locale = &chat.locale;
    let t = |key: &str| locale.t(key);
    let voted = me.is_some_and(|me| poll.voted.contains(me));
    let heading = format!("mc-poll-{}", poll.id);
    let mut about = vec![locale.t_with("pollBy", "name", &poll.created_by)];
    if poll.anonymous {
        about.push(t("pollAnonymous"));
    }
    if poll.closed {
        about.push(t("pollClosed"));
    }
    let ballot = (!voted && !poll.closed).then(|| {
        let onsubmit = {
            let (client, intents, id) = (chat.client.clone(), intents.clone(), poll.id.clone());
            Callback::from(move |event: SubmitEvent| {
                event.prevent_default();
                let form = event.target_unchecked_into::<Element>();
                let chosen = inputs(&form, "input:checked").iter().filter_map(|input| input.value().parse().ok()).collect();
                intents.run(client.vote(id.clone(), chosen));
            })
        };
        let kind = if poll.multiple { "checkbox" } else { "radio" };
        html! {
            <form class="mc-poll-ballot" {onsubmit}>
                <fieldset aria-labelledby={heading.clone()}>
                    { for poll.options.iter().enumerate().map(|(index, option)| html! {
                        <label class="mc-setting">
                            <input type={kind} name={heading.clone()} value={index.to_string()} required={!poll.multiple} />
                            { option.text.clone() }
                        </label>
                    }) }
                </fieldset>
                <button type="submit" class="mc-button">{ t("vote") }</button>
            </form>
        }
    });
    let shown = !poll.hide_votes || poll.closed || hosting;
    let total = poll.total_votes().max(1);
    // Hosts follow the counts while they come in, ballot or not.
    let counts = ((ballot.is_none() || hosting) && shown).then(|| html! {
        <ul class="mc-poll-results">
            { for poll.options.iter().zip(0u32..).map(|(option, index)| {
                let share = option.count * 100 / total;
                let mine = poll.chosen.contains(&index);
                html! {
                    <li class={classes!("mc-poll-result", mine.then_some("mc-poll-mine"))}>
                        <span class="mc-poll-option">{ option.text.clone() }{ mine.then(icons::check) }</span>
                        <span class="mc-poll-count">{ locale.t_with("pollVotes", "n", &option.count.to_string()) }</span>
                        <span class="mc-poll-bar" style={format!("width: {share}%")} aria-hidden="true"></span>
                    </li>
                }
            }) }
        </ul>
    });
    let close = (hosting && !poll.closed).then(|| {
        let (client, intents, id) = (chat.client.clone(), intents.clone(), poll.id.clone());
        let onclick = Callback::from(move |_| intents.run(client.close_poll(id.clone())));
        html! { <button type="button" class="mc-link-button" {onclick}>{ t("closePoll") }</button> }
    });
    html! {
        <article class="mc-poll" aria-labelledby={heading.clone()}>
            <h3 id={heading} class="mc-poll-question">{ poll.question.clone() }</h3>
            <p class="mc-setting-note">{ about.join(" · ") }</p>
            { ballot.unwrap_or_default() }
            if voted {
                <p class="mc-setting-note">{ t("youVoted") }</p>
            }
            if ballot_hidden(poll, hosting, voted) {
                <p class="mc-setting-note">{ t("pollHidden") }</p>
            }
            { counts.unwrap_or_default() }
            { close.unwrap_or_default() }
        </article>
    }
}

/// Whether the viewer voted and waits for counts shown only once the poll closes.
fn ballot_hidden(poll: &Poll, hosting: bool, voted: bool) -> bool {
    voted && poll.hide_votes && !poll.closed && !hosting
}

/// A host's new poll, `draft` while it is written: a question, 2 to 10
/// options, and how it counts.
fn new_poll_form(chat: &ChatContext, intents: &Intents, draft: UseStateHandle<NewPoll>) -> Html {
    let t = |key: &str| chat.locale.t(key);
    let edit = |change: fn(&mut NewPoll, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            change(&mut next, event.target_unchecked_into::<HtmlInputElement>().value());
            draft.set(next);
        })
    };
    let flag = |change: fn(&mut NewPoll, bool), on: bool, label: String| {
        let draft = draft.clone();
        let onchange = Callback::from(move |event: Event| {
            let mut next = (*draft).clone();
            change(&mut next, event.target_unchecked_into::<HtmlInputElement>().checked());
            draft.set(next);
        });
        html! { <label class="mc-setting"><input type="checkbox" checked={on} {onchange} />{ label }</label> }
    };
    let add_option = {
        let draft = draft.clone();
        Callback::from(move |_| {
            let mut next = (*draft).clone();
            next.options.push(String::new());
            draft.set(next);
        })
    };
    let onsubmit = {
        let (client, intents, draft) = (chat.client.clone(), intents.clone(), draft.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut poll = (*draft).clone();
            poll.options.retain(|option| !option.trim().is_empty());
            let reset = draft.clone();
            intents.run_then(client.create_poll(poll), move |()| {
                reset.set(blank_poll());
            });
        })
    };
    html! {
        <form class="mc-poll-new" {onsubmit} aria-labelledby="mc-poll-new-title">
            <h3 id="mc-poll-new-title" class="mc-setting-heading">{ t("newPoll") }</h3>
            <label class="mc-setting mc-poll-field">{ t("pollQuestion") }
                <input type="text" value={draft.question.clone()} oninput={edit(|poll, value| poll.question = value)}
                    maxlength={rules::MAX_POLL_QUESTION_CHARS.to_string()} required=true />
            </label>
            { for draft.options.iter().enumerate().map(|(index, option)| {
                let oninput = {
                    let draft = draft.clone();
                    Callback::from(move |event: InputEvent| {
                        let mut next = (*draft).clone();
                        next.options[index] = event.target_unchecked_into::<HtmlInputElement>().value();
                        draft.set(next);
                    })
                };
                html! {
                    <label class="mc-setting mc-poll-field">{ chat.locale.t_with("pollOption", "n", &(index + 1).to_string()) }
                        <input type="text" value={option.clone()} {oninput}
                            maxlength={rules::MAX_POLL_OPTION_CHARS.to_string()} required={index < rules::MIN_POLL_OPTIONS} />
                    </label>
                }
            }) }
            if draft.options.len() < rules::MAX_POLL_OPTIONS {
                <button type="button" class="mc-link-button" onclick={add_option}>{ t("addOption") }</button>
            }
            { flag(|poll, on| poll.anonymous = on, draft.anonymous, t("pollAnonymousChoice")) }
            { flag(|poll, on| poll.hide_votes = on, draft.hide_votes, t("pollHideVotes")) }
            { flag(|poll, on| poll.multiple = on, draft.multiple, t("pollMultiple")) }
            <button type="submit" class="mc-button">{ t("askPoll") }</button>
        </form>
    }
}

/// A new poll with nothing written yet.
fn blank_poll() -> NewPoll {
    NewPoll { options: vec![String::new(); rules::MIN_POLL_OPTIONS], ..NewPoll::default() }
}

/// The inputs under `root` that `selector` picks.
fn inputs(root: &Element, selector: &str) -> Vec<HtmlInputElement> {
    let Ok(found) = root.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|index| found.item(index)?.dyn_into().ok()).collect()
}
