//! The composer: write, reply, edit, attach, paste or drop files.
//! Enter sends, Shift+Enter adds a line, Up edits your last message, Esc cancels.

use std::rc::Rc;

use chat_core::ConnectionState;
use chat_protocol::{Content, ErrorCode, MessageKind, Mute, ParticipantId, RateBucket};
use web_sys::{FileList, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::attachment_tray::AttachmentTray;
use super::icons;
use crate::client::{ChatClient, FileSource, SendOptions};
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_mentions::use_mentions;
use crate::hooks::use_now::use_now;
use crate::hooks::use_selector::use_selector;
use crate::locale::Locale;
use crate::store::{ChatContext, Ui, UiAction};

/// How close to the length limit the counter appears.
const COUNTER_MARGIN: usize = 500;

/// Where the composer sends: the conversation shown, as a reply if one is
/// set, mentioning whom the text mentions.
fn send_options(client: &ChatClient, ui: &Ui, mentions: Vec<ParticipantId>) -> SendOptions {
    let targets = client.state().current_conversation().cloned().into_iter().collect();
    SendOptions { reply_to: ui.reply_to.clone(), targets, mentions, ..SendOptions::default() }
}

/// Puts picked, dropped or pasted files in the tray, to go with the next message.
pub fn add_files(chat: &ChatContext, ui: &Ui, files: Option<FileList>) {
    let Some(files) = files else { return };
    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|index| files.get(index)).collect();
    let max = chat.client.state().limits().max_attachments;
    ui.dispatch(UiAction::AddFiles { files, max, too_many: chat.locale.t_with("tooManyFiles", "n", &max.to_string()) });
}

/// The tray's files as the client sends them.
fn sources(ui: &Ui) -> Vec<(FileSource, MessageKind)> {
    ui.pending
        .iter()
        .map(|pending| {
            let file = &pending.file;
            let source = FileSource {
                size: file.size() as u64,
                name: file.name(),
                body: Rc::new(web_sys::Blob::from(file.clone())),
            };
            (source, MessageKind::of_content_type(&file.type_()))
        })
        .collect()
}

/// What the composer shows of the chat.
#[derive(Clone, PartialEq)]
struct ComposerView {
    max_chars: usize,
    limited_until: Option<i64>,
    /// Why this user may not write here (only hosts send, the chat is off, or
    /// the private chat policy), as the error's code.
    blocked: Option<ErrorCode>,
    /// This user's mute, if a host muted them (it may have ended).
    mute: Option<Mute>,
    /// When slow mode lets this user send again.
    slow_until: Option<i64>,
    connected: bool,
    reply_name: Option<String>,
    editing_text: Option<String>,
    recipient: Option<String>,
    /// Who is typing in this conversation, by name.
    typists: Vec<String>,
    /// How many are, named or not (a large meeting names only a few).
    typing_count: usize,
}

/// The message composer.
#[function_component(Composer)]
pub fn composer() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let text = use_state(String::new);
    let mentions = use_mentions();
    let textarea = use_node_ref();
    let file_input = use_node_ref();

    let (reply_to, editing) = (ui.reply_to.clone(), ui.editing.clone());
    let ComposerView {
        max_chars,
        limited_until,
        blocked,
        mute,
        slow_until,
        connected,
        reply_name,
        editing_text,
        recipient,
        typists,
        typing_count,
    } = use_selector(move |client| {
        let state = client.state();
        ComposerView {
            max_chars: state.limits().max_text_chars,
            limited_until: state.rate_limited_until(RateBucket::Text),
            blocked: state.write_blocked_here().map(|violation| violation.code()),
            mute: state.my_mute().cloned(),
            slow_until: state.slow_mode_until(),
            connected: state.connection() == ConnectionState::Connected,
            reply_name: reply_to
                .as_ref()
                .and_then(|id| state.timeline().get(id))
                .map(|m| m.sender.display_name.clone()),
            editing_text: editing.as_ref().and_then(|id| state.timeline().get(id)).and_then(|m| match &m.content {
                Content::Text { text } => Some(text.clone()),
                _ => None,
            }),
            recipient: state
                .current_conversation()
                .map(|peer| state.name_of(peer).map_or_else(|| peer.0.clone(), str::to_owned)),
            typists: state.typing(client.now()).into_iter().map(str::to_owned).collect(),
            typing_count: state.typing_count(client.now()),
        }
    });
    let now =
        use_now(limited_until.is_some() || slow_until.is_some() || mute.as_ref().is_some_and(|m| m.until.is_some()));
    let removed = mute.as_ref().is_some_and(|mute| mute.removed);
    let blocked = blocked.or_else(|| mute.filter(|mute| mute.holds_at(now)).map(|_| ErrorCode::Muted));
    // Held back by the rate limit or slow mode: the send button waits.
    let rate_limited = [limited_until, slow_until].into_iter().flatten().any(|until| until > now);

    // Entering edit mode loads the message's text. Choosing reply or edit
    // (in a menu, or with Up) brings focus here; mounting the panel does not,
    // so a host page keeps its own focus.
    {
        let (text, textarea) = (text.clone(), textarea.clone());
        use_effect_with((ui.editing.clone(), ui.reply_to.clone()), move |(editing, reply_to)| {
            if editing.is_some() {
                text.set(editing_text.unwrap_or_default());
            }
            if editing.is_some() || reply_to.is_some() {
                if let Some(element) = textarea.cast::<HtmlTextAreaElement>() {
                    let _ = element.focus();
                }
            }
        });
    }

    let submit = {
        let (client, intents, ui, text) = (chat.client.clone(), intents.clone(), ui.clone(), text.clone());
        let mentions = mentions.clone();
        Rc::new(move || {
            let body = (*text).clone();
            if body.trim().is_empty() && (ui.pending.is_empty() || ui.editing.is_some()) {
                return;
            }
            match ui.editing.clone() {
                Some(id) => intents.run(client.edit_text(id, body)),
                None => {
                    let options = send_options(&client, &ui, mentions.take(&body));
                    let (_, outcome) = client.send_composed(body, sources(&ui), options);
                    intents.run(outcome);
                    ui.dispatch(UiAction::ClearFiles);
                }
            }
            text.set(String::new());
            ui.dispatch(UiAction::CancelCompose);
        })
    };
    let oninput = {
        let (text, client, editing) = (text.clone(), chat.client.clone(), ui.editing.is_some());
        let mentions = mentions.clone();
        Callback::from(move |event: InputEvent| {
            let textarea = event.target_unchecked_into::<HtmlTextAreaElement>();
            mentions.on_input(&textarea);
            let value = textarea.value();
            // An edit is not a new message on its way; an emptied box is none either.
            if !editing && !value.trim().is_empty() {
                client.typing();
            }
            text.set(value);
        })
    };
    let onkeydown = {
        let (submit, ui, text, client) = (Rc::clone(&submit), ui.clone(), text.clone(), chat.client.clone());
        let mentions = mentions.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            _ if mentions.on_keydown(&event, &event.target_unchecked_into(), &text) => {}
            "Enter" if !event.shift_key() && !event.is_composing() => {
                event.prevent_default();
                if !rate_limited {
                    submit();
                }
            }
            "Escape" if ui.reply_to.is_some() || ui.editing.is_some() => {
                event.prevent_default();
                if ui.editing.is_some() {
                    text.set(String::new());
                }
                ui.dispatch(UiAction::CancelCompose);
            }
            "ArrowUp" if text.is_empty() => {
                // Searched only when asked, so a render never walks the timeline.
                let last = client.state().last_editable_text().map(|m| m.id.clone());
                if let Some(id) = last {
                    event.prevent_default();
                    ui.dispatch(UiAction::Edit(id));
                }
            }
            _ => {}
        })
    };
    let onsubmit = {
        let submit = Rc::clone(&submit);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit();
        })
    };
    let open_files = {
        let file_input = file_input.clone();
        Callback::from(move |_| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_files = {
        let (chat, ui) = (chat.clone(), ui.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            add_files(&chat, &ui, input.files());
            input.set_value("");
        })
    };
    let onpaste = {
        let (chat, ui) = (chat.clone(), ui.clone());
        Callback::from(move |event: Event| {
            let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(&event) else { return };
            let files = event.clipboard_data().and_then(|data| data.files());
            if files.as_ref().is_some_and(|f| f.length() > 0) {
                event.prevent_default();
                add_files(&chat, &ui, files);
            }
        })
    };
    let cancel = {
        let (ui, text) = (ui.clone(), text.clone());
        Callback::from(move |_| {
            if ui.editing.is_some() {
                text.set(String::new());
            }
            ui.dispatch(UiAction::CancelCompose);
        })
    };
    let t = |key: &str| chat.locale.t(key);
    let length = text.chars().count();
    let left = max_chars.saturating_sub(length);
    let over = length > max_chars;
    let editing = ui.editing.is_some();
    html! {
        <form class="mc-composer" {onsubmit} aria-label={t("composer")}>
            if let Some(name) = reply_name {
                <div class="mc-compose-banner">
                    <span>{ format!("{} {name}", t("replyingTo")) }</span>
                    <button type="button" class="mc-link-button" onclick={cancel.clone()}>{ t("cancel") }</button>
                </div>
            }
            if editing {
                <div class="mc-compose-banner">
                    <span>{ t("editing") }</span>
                    <button type="button" class="mc-link-button" onclick={cancel.clone()}>{ t("cancel") }</button>
                </div>
            }
            if !editing { <AttachmentTray /> }
            { mentions.view(&textarea, &text, t("mentionSomeone")) }
            <div class="mc-typing">{ typing_line(&chat.locale, &typists, typing_count) }</div>
            <div class="mc-recipient">{ format!("{}: {}", t("recipients"), recipient.unwrap_or_else(|| t("everyone"))) }</div>
            <div class="mc-compose-row">
                <button type="button" class="mc-icon-button" onclick={open_files} aria-label={t("attach")} disabled={!connected || editing || blocked.is_some()}>{ icons::attach() }</button>
                <input ref={file_input} type="file" multiple=true class="mc-visually-hidden" tabindex="-1" aria-hidden="true" onchange={on_files} />
                <textarea ref={textarea.clone()} class="mc-input" rows="1" value={(*text).clone()} disabled={blocked.is_some() && !editing}
                    aria-autocomplete="list" aria-controls={mentions.list_id()} aria-activedescendant={mentions.active_id()}
                    placeholder={match blocked {
                        _ if removed => t("removed"),
                        Some(code) => t(&format!("error.{code}")),
                        None => t("placeholder"),
                    }}
                    aria-label={t("composer")} {oninput} {onkeydown} {onpaste} aria-invalid={over.to_string()} />
                <button type="submit" class="mc-send" disabled={rate_limited || over || (blocked.is_some() && !editing) || (text.trim().is_empty() && (ui.pending.is_empty() || editing))}
                    aria-label={if editing { t("save") } else { t("send") }}>{ if editing { icons::check() } else { icons::send() } }</button>
            </div>
            if length + COUNTER_MARGIN > max_chars {
                <div class={classes!("mc-counter", over.then_some("mc-over"))} aria-live="polite">
                    { chat.locale.t_with("charactersLeft", "n", &(if over { format!("-{}", length - max_chars) } else { left.to_string() })) }
                </div>
            }
        </form>
    }
}

/// "Ada is typing…", "Ada and Bo are typing…", "3 people are typing…", or
/// nothing; `count` is everyone typing, of whom only some may be named.
fn typing_line(locale: &Locale, typists: &[String], count: usize) -> String {
    match typists {
        [] if count == 0 => String::new(),
        [one] if count == 1 => locale.t_with("typingOne", "name", one),
        [one, two] if count == 2 => locale.t_with_all("typingTwo", &[("a", one), ("b", two)]),
        _ => locale.t_with("typingMany", "n", &count.to_string()),
    }
}
