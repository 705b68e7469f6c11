//! A host's chat settings: who may send (everyone, hosts only for a webinar,
//! or nobody: the chat off), whom participants may message privately, slow
//! mode, whether everyone may pin, read receipts, who is muted in the chat
//! (`mute_list.rs`) and the open reports (`report_list.rs`: their count shows
//! on the button). Shown to hosts only;
//! each change goes to the server and its outcome to the panel. The form
//! itself is a lazily loaded part; the button is there from the first paint.

use chat_core::SettingsChange;
use chat_protocol::{rules, MeetingSettings, PrivateChatPolicy, SendPolicy};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::icons;
use super::lazy::{Draw, Lazy};
use super::mute_list::{mute_list, use_mutes};
use super::report_list::{report_list, use_reports};
use crate::hooks::use_chat::use_chat;
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_modal::{use_modal, Modal};
use crate::hooks::use_selector::use_selector;
use crate::lazy_part::lazy_part;

/// The slow modes offered, in seconds (0 is off).
const SLOW_MODES: [u32; 5] = [0, 10, 30, 60, 300];

/// One setting changed, the others kept.
#[derive(Clone, Copy)]
enum Change {
    WhoCanSend(SendPolicy),
    PrivateChat(PrivateChatPolicy),
    SlowMode(u32),
    AnyoneCanPin(bool),
    ReadReceipts(bool),
}

lazy_part!(
    /// The settings form, loaded when first opened.
    pub PART in host_settings: Draw<()> = |()| html! { <SettingsForm /> }
);

/// The settings button and its dialog, for hosts.
#[function_component(HostSettings)]
pub fn host_settings() -> Html {
    let chat = use_chat();
    let may_change =
        use_selector(|client| client.state().me().is_some_and(|me| rules::may_update_settings(me).is_ok()));
    // Messages reported, each once (a few at most: no sort for it in the first load).
    let reported = use_selector(|client| {
        let state = client.state();
        let reports = state.reports();
        let first_of_its_message = |(at, report): &(usize, &chat_protocol::Report)| {
            !reports[..*at].iter().any(|earlier| earlier.message_id == report.message_id)
        };
        reports.iter().enumerate().filter(first_of_its_message).count()
    });
    let open = use_state(|| false);
    let Modal { dialog, close, onclose } = use_modal(*open, {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    });
    if !may_change {
        return html! {};
    }
    let t = |key: &str| chat.locale.t(key);
    let open_dialog = {
        let open = open.clone();
        Callback::from(move |_| open.set(true))
    };
    html! {
        <>
        <button type="button" class="mc-icon-button" onclick={open_dialog} aria-label={match reported {
            0 => t("chatSettings"),
            count => chat.locale.t_with("chatSettingsReports", "n", &count.to_string()),
        }}>
            { icons::sliders() }
            if reported > 0 { <span class="mc-badge" aria-hidden="true">{ reported }</span> }
        </button>
        if *open {
            <dialog ref={dialog} class="mc-dialog" aria-labelledby="mc-settings-title" {onclose}>
                <div class="mc-dialog-bar">
                    <h2 id="mc-settings-title" class="mc-dialog-title">{ t("chatSettings") }</h2>
                    <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
                </div>
                <Lazy<()> part={&PART} wanted=true props={()} />
            </dialog>
        }
        </>
    }
}

/// The settings themselves, each change sent as it is made.
#[function_component(SettingsForm)]
fn settings_form() -> Html {
    let chat = use_chat();
    let intents = use_intent();
    let settings = use_selector(|client| client.state().settings().clone());
    let mutes = use_mutes();
    let reported = use_reports(&chat);
    let change = {
        let (client, intents) = (chat.client.clone(), intents.clone());
        move |change: Change| {
            let change = match change {
                Change::WhoCanSend(policy) => SettingsChange { who_can_send: Some(policy), ..Default::default() },
                Change::PrivateChat(policy) => SettingsChange { private_chat: Some(policy), ..Default::default() },
                Change::SlowMode(secs) => SettingsChange { slow_mode_secs: Some(secs), ..Default::default() },
                Change::AnyoneCanPin(on) => SettingsChange { anyone_can_pin: Some(on), ..Default::default() },
                Change::ReadReceipts(on) => SettingsChange { read_receipts: Some(on), ..Default::default() },
            };
            intents.run(client.update_settings(change));
        }
    };
    let checkbox = |label: String, checked: bool, to_change: fn(bool) -> Change| {
        let change = change.clone();
        let onchange = Callback::from(move |event: Event| {
            change(to_change(event.target_unchecked_into::<HtmlInputElement>().checked()));
        });
        html! { <label class="mc-setting"><input type="checkbox" {checked} {onchange} />{ label }</label> }
    };
    let on_slow_mode = {
        let change = change.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            change(Change::SlowMode(value.parse().unwrap_or(0)));
        })
    };
    let t = |key: &str| chat.locale.t(key);
    // A choice of three policies, each option named by the key `{label}.{policy}`.
    let choice = |label: &str, options: [&'static str; 3], chosen: &str, to_change: fn(&str) -> Option<Change>| {
        let change = change.clone();
        let onchange = Callback::from(move |event: Event| {
            if let Some(picked) = to_change(&event.target_unchecked_into::<HtmlSelectElement>().value()) {
                change(picked);
            }
        });
        html! {
            <label class="mc-setting">{ t(label) }
                <select {onchange}>
                    { for options.iter().map(|name| html! {
                        <option value={*name} selected={*name == chosen}>{ t(&format!("{label}.{name}")) }</option>
                    }) }
                </select>
            </label>
        }
    };
    let MeetingSettings { anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat } = settings;
    html! {
        <>
        { choice("whoCanSend", SendPolicy::ALL.map(SendPolicy::as_str), who_can_send.as_str(),
            |name| SendPolicy::from_name(name).map(Change::WhoCanSend)) }
        { choice("privateChat", PrivateChatPolicy::ALL.map(PrivateChatPolicy::as_str), private_chat.as_str(),
            |name| PrivateChatPolicy::from_name(name).map(Change::PrivateChat)) }
        <label class="mc-setting">{ t("slowMode") }
            <select onchange={on_slow_mode}>
                { for SLOW_MODES.iter().map(|secs| html! {
                    <option value={secs.to_string()} selected={*secs == slow_mode_secs}>
                        { if *secs == 0 { t("off") } else { chat.locale.t_with("everyNSeconds", "s", &secs.to_string()) } }
                    </option>
                }) }
            </select>
        </label>
        { checkbox(t("everyoneMayPin"), anyone_can_pin, Change::AnyoneCanPin) }
        { checkbox(t("readReceipts"), read_receipts, Change::ReadReceipts) }
        { report_list(&chat, &intents, reported) }
        { mute_list(&chat, &intents, mutes) }
        </>
    }
}
