//! The composer: write, reply, edit, attach, paste or drop files.
//! Enter sends, Shift+Enter adds a line, Up edits your last message, Esc cancels.

use std::rc::Rc;

use chat_core::{Draft, DraftContent, Intent};
use chat_protocol::{Content, MessageId, MessageKind, NewContent, RateBucket};
use web_sys::{FileList, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::icons;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_now::use_now;
use crate::js_api::Handle;
use crate::store::{Ui, UiAction};

/// How close to the length limit the counter appears.
const COUNTER_MARGIN: usize = 500;

fn kind_for(file: &web_sys::File) -> MessageKind {
    match file.type_().as_str() {
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" => MessageKind::Image,
        t if t.starts_with("audio/") => MessageKind::Audio,
        _ => MessageKind::File,
    }
}

/// Sends every file in `files` to the current conversation, replying if a reply is set.
pub fn send_files(handle: &Rc<Handle>, ui: &Ui, files: Option<FileList>) {
    let Some(files) = files else { return };
    for index in 0..files.length() {
        let Some(file) = files.get(index) else { continue };
        let kind = kind_for(&file);
        let targets = ui.conversation.clone().into_iter().collect();
        handle.send_file(file.clone().into(), file.name(), kind, ui.reply_to.clone(), targets);
    }
    ui.dispatch(UiAction::CancelCompose);
}

/// The message composer.
#[function_component(Composer)]
pub fn composer() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let text = use_state(String::new);
    let textarea = use_node_ref();
    let file_input = use_node_ref();

    let state = chat.handle.session.state();
    let max_chars = state.limits().max_text_chars;
    let limited_until = state.rate_limited_until(RateBucket::Text);
    let connected = state.connection() == chat_core::ConnectionState::Connected;
    let reply_name =
        ui.reply_to.as_ref().and_then(|id| state.timeline().get(id)).map(|m| m.sender.display_name.clone());
    let editing_text = ui.editing.as_ref().and_then(|id| state.timeline().get(id)).and_then(|m| match &m.content {
        Content::Text { text } => Some(text.clone()),
        _ => None,
    });
    let recipient = ui.conversation.as_ref().map(|peer| {
        state.participants().iter().find(|p| &p.id == peer).map_or_else(|| peer.0.clone(), |p| p.display_name.clone())
    });
    drop(state);
    let now = use_now(limited_until.is_some());
    let rate_limited = limited_until.is_some_and(|until| until > now);

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
        let (handle, ui, text) = (Rc::clone(&chat.handle), ui.clone(), text.clone());
        Rc::new(move || {
            let body = (*text).clone();
            if body.trim().is_empty() {
                return;
            }
            if let Some(id) = ui.editing.clone() {
                let _ = handle.op(|op| Intent::Edit { op, id, content: NewContent::Text { text: body } });
            } else {
                let draft = Draft {
                    content: DraftContent::Text { text: body },
                    reply_to: ui.reply_to.clone(),
                    forwarded_from: None,
                    targets: ui.conversation.clone().into_iter().collect(),
                    metadata: Default::default(),
                };
                let _ = handle.send_tracked(draft, None);
            }
            text.set(String::new());
            ui.dispatch(UiAction::CancelCompose);
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| text.set(event.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onkeydown = {
        let (submit, ui, text, handle) = (Rc::clone(&submit), ui.clone(), text.clone(), Rc::clone(&chat.handle));
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
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
                if let Some(id) = last_own_text(&handle) {
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
        let (handle, ui) = (Rc::clone(&chat.handle), ui.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            send_files(&handle, &ui, input.files());
            input.set_value("");
        })
    };
    let onpaste = {
        let (handle, ui) = (Rc::clone(&chat.handle), ui.clone());
        Callback::from(move |event: Event| {
            let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(&event) else { return };
            let files = event.clipboard_data().and_then(|data| data.files());
            if files.as_ref().is_some_and(|f| f.length() > 0) {
                event.prevent_default();
                send_files(&handle, &ui, files);
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
            <div class="mc-recipient">{ format!("{}: {}", t("recipients"), recipient.unwrap_or_else(|| t("everyone"))) }</div>
            <div class="mc-compose-row">
                <button type="button" class="mc-icon-button" onclick={open_files} aria-label={t("attach")} disabled={!connected || editing}>{ icons::attach() }</button>
                <input ref={file_input} type="file" multiple=true class="mc-visually-hidden" tabindex="-1" aria-hidden="true" onchange={on_files} />
                <textarea ref={textarea} class="mc-input" rows="1" value={(*text).clone()} placeholder={t("placeholder")}
                    aria-label={t("composer")} {oninput} {onkeydown} {onpaste} aria-invalid={over.to_string()} />
                <button type="submit" class="mc-send" disabled={rate_limited || over || text.trim().is_empty()}
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

/// The newest text message this participant may edit. Searched only when
/// asked (Up in an empty composer), so a render never walks the timeline.
fn last_own_text(handle: &Handle) -> Option<MessageId> {
    let state = handle.session.state();
    let id = state
        .timeline()
        .iter()
        .rev()
        .find(|m| state.can_edit(m) && matches!(m.content, Content::Text { .. }))
        .map(|m| m.id.clone());
    id
}
