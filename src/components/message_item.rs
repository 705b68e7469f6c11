//! One message: day separator, author (unless grouped with the previous
//! one), the content, its marks, a quoted reply, and the actions menu.

use std::rc::Rc;

use chat_core::{DraftContent, EchoStatus, LocalEcho};
use chat_protocol::{Content, DeleteScope, Message, ParticipantId};
use yew::prelude::*;

use super::action_menu::{ActionMenu, FocusAfter, MenuItem};
use super::attachments::{attachments_view, file_name, file_row, uploading_view};
use super::blurhash_image::BlurhashImage;
use super::icons;
use super::reactions::reactions_view;
use super::rich_text::rich_text;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::{use_intent, Intents};
use crate::hooks::use_selector::use_selector;
use crate::store::{ChatContext, UiAction};
use crate::text_format::{clock_time, file_size, local_day, snippet};

/// What a row shows.
#[derive(Clone, PartialEq)]
pub enum RowData {
    /// A confirmed message.
    Sent(Rc<Message>),
    /// A local message not confirmed yet.
    Local(Rc<LocalEcho>),
}

/// Properties of [`MessageItem`].
#[derive(Properties, PartialEq)]
pub struct MessageItemProps {
    /// The list key, also written to `data-row` for measuring.
    pub row_key: AttrValue,
    /// The message.
    pub row: RowData,
    /// The previous row's sender and time, for grouping and day separators.
    pub previous: Option<(ParticipantId, i64)>,
    /// Whether this is the first message that was unread when the conversation was opened.
    #[prop_or_default]
    pub first_unread: bool,
    /// With read receipts on, on this participant's newest message: how many others have read it.
    #[prop_or_default]
    pub seen_by: Option<u32>,
}

const GROUP_WINDOW_MS: i64 = 5 * 60 * 1000;

pub(super) fn timezone_offset_minutes() -> i64 {
    -(js_sys::Date::new_0().get_timezone_offset() as i64)
}

fn day_label(chat: &ChatContext, time: i64) -> String {
    let offset = timezone_offset_minutes();
    let today = local_day(chat.client.now(), offset);
    match today - local_day(time, offset) {
        0 => chat.locale.t("today"),
        1 => chat.locale.t("yesterday"),
        _ => String::from(
            js_sys::Date::new(&(time as f64).into()).to_locale_date_string(chat.locale.lang(), &Default::default()),
        ),
    }
}

fn content_view(chat: &ChatContext, content: &Content) -> Html {
    let link = |url: &str| chat.client.link(url);
    match content {
        Content::Text { text } => rich_text(text),
        Content::Image { file } => html! {
            <BlurhashImage link={link(&file.url)} thumbnail={file.thumbnail_url.as_ref().map(|t| AttrValue::from(link(t)))}
                blurhash={file.blurhash.clone().map(AttrValue::from)} width={file.width.unwrap_or(240)} height={file.height.unwrap_or(160)}
                alt={file.name.clone()} open_label={format!("{}: {}", chat.locale.t("openImage"), file.name)} />
        },
        Content::File { file } => file_row(chat, file),
        Content::Audio { file } => html! {
            <audio class="mc-audio" controls=true preload="metadata" src={link(&file.url)} aria-label={file.name.clone()} />
        },
        Content::Deleted => html! { <p class="mc-deleted">{ chat.locale.t("deleted") }</p> },
    }
}

fn local_content_view(chat: &ChatContext, echo: &LocalEcho) -> Html {
    match &echo.content {
        DraftContent::Text { text } => rich_text(text),
        DraftContent::File { name, size, .. } => html! {
            <div class="mc-file">
                <span class="mc-file-icon">{ icons::attach() }</span>
                { file_name(name) }
                <span class="mc-file-size">{ file_size(*size) }</span>
                if let EchoStatus::Uploading { loaded, total } = &echo.status {
                    <progress class="mc-progress" max={total.to_string()} value={loaded.to_string()}
                        aria-label={format!("{} {name}", chat.locale.t("uploading"))} />
                }
            </div>
        },
    }
}

/// The quoted message's author and a snippet (`None` for the snippet of a deleted one).
type Quote = Option<(String, Option<String>)>;

fn quote_view(chat: &ChatContext, quote: &Quote) -> Html {
    let Some((name, snippet)) = quote else { return html! {} };
    let snippet = snippet.clone().unwrap_or_else(|| chat.locale.t("deleted"));
    html! {
        // Each part in its own direction: an English quote in an Arabic panel keeps its question mark at its end.
        <blockquote class="mc-quote"><strong dir="auto">{ name.clone() }</strong>{ " " }<span dir="auto">{ snippet }</span></blockquote>
    }
}

/// What this participant may do to a confirmed message.
#[derive(Clone, Copy, Default, PartialEq)]
struct Rights {
    edit: bool,
    delete_for_everyone: bool,
    pin: bool,
    /// A host may mute the sender (a participant) from here.
    mute_sender: bool,
    /// A participant may report it to the hosts.
    report: bool,
}

/// One message row.
#[function_component(MessageItem)]
pub fn message_item(props: &MessageItemProps) -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let me = use_selector(|client| client.state().me().cloned());
    let reply_to = match &props.row {
        RowData::Sent(m) => m.reply_to.clone(),
        RowData::Local(e) => e.reply_to.clone(),
    };
    let quote: Quote = use_selector(move |client| {
        let state = client.state();
        let original = state.timeline().get(reply_to.as_ref()?)?;
        Some((original.sender.display_name.clone(), snippet(&original.content, 80)))
    });
    let sent = match &props.row {
        RowData::Sent(m) => Some(Rc::clone(m)),
        RowData::Local(_) => None,
    };
    let rights = use_selector(move |client| {
        let state = client.state();
        sent.as_ref().map_or_else(Rights::default, |m| Rights {
            edit: state.can_edit(m) && matches!(m.content, Content::Text { .. }),
            delete_for_everyone: state.can_delete_for_everyone(m),
            pin: state.can_pin() && m.content != Content::Deleted,
            mute_sender: !m.sender.bot && state.can_mute(&m.sender.id),
            report: state.can_report(m),
        })
    });
    let (sender_id, sender_name, time) = match &props.row {
        RowData::Sent(m) => (m.sender.id.clone(), m.sender.display_name.clone(), m.time),
        RowData::Local(e) => (
            me.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
            me.as_ref().map(|p| p.display_name.clone()).unwrap_or_default(),
            e.created_at,
        ),
    };
    let offset = timezone_offset_minutes();
    let new_day = props.previous.as_ref().is_none_or(|(_, t)| local_day(*t, offset) != local_day(time, offset));
    let grouped = !new_day
        && !props.first_unread
        && props.previous.as_ref().is_some_and(|(s, t)| s == &sender_id && time - t < GROUP_WINDOW_MS);
    let own = me.as_ref().is_some_and(|me| me.id == sender_id);
    let menu_open = ui.menu.as_deref() == Some(props.row_key.as_str());

    let body = match &props.row {
        RowData::Sent(message) => {
            let actions = Actions { chat: &chat, ui: &ui, intents: &intents, rights };
            sent_body(&actions, message, &quote, menu_open, &props.row_key)
        }
        RowData::Local(echo) => local_body(&chat, &intents, echo, &quote),
    };
    let private = match &props.row {
        RowData::Sent(m) => !m.targets.is_empty(),
        RowData::Local(e) => !e.targets.is_empty(),
    };
    let mentions_me = match &props.row {
        RowData::Sent(m) => me.as_ref().is_some_and(|me| m.mentions.contains(&me.id)),
        RowData::Local(_) => false,
    };
    html! {
        <div class="mc-row" data-row={props.row_key.clone()}>
            if new_day {
                <div class="mc-day" role="separator"><span>{ day_label(&chat, time) }</span></div>
            }
            if props.first_unread {
                <div class="mc-unread-divider" role="separator"><span>{ chat.locale.t("newMessages") }</span></div>
            }
            <article class={classes!("mc-message", own.then_some("mc-own"), grouped.then_some("mc-grouped"), private.then_some("mc-private"), mentions_me.then_some("mc-mentions-me"))}
                aria-label={format!("{sender_name}, {}", clock_time(time, offset))}>
                if !grouped {
                    <header class="mc-meta">
                        <span class="mc-author">{ sender_name.clone() }</span>
                        <time class="mc-time">{ clock_time(time, offset) }</time>
                    </header>
                }
                { body }
                if let Some(n) = props.seen_by.filter(|n| *n > 0) {
                    <p class="mc-seen">{ chat.locale.t_with("seenBy", "n", &n.to_string()) }</p>
                }
            </article>
        </div>
    }
}

fn marks(chat: &ChatContext, message: &Message) -> Html {
    let t = |key: &str| chat.locale.t(key);
    html! {
        <span class="mc-marks">
            if message.sender.bot { <span class="mc-mark mc-mark-bot">{ t("bot") }</span> }
            if message.forwarded_from.is_some() { <span class="mc-mark">{ t("forwarded") }</span> }
            if !message.targets.is_empty() { <span class="mc-mark mc-mark-private">{ icons::lock() }{ t("private") }</span> }
            if message.pinned { <span class="mc-mark">{ icons::pin() }{ t("pinned") }</span> }
            if message.edited { <span class="mc-mark">{ t("edited") }</span> }
        </span>
    }
}

/// How long a host's "mute" in a message's menu lasts (the settings dialog offers other times).
const SENDER_MUTE_MINUTES: u32 = 10;

/// What building a message's menu needs.
struct Actions<'a> {
    chat: &'a ChatContext,
    ui: &'a crate::store::Ui,
    intents: &'a Intents,
    rights: Rights,
}

/// The actions this participant may take on `message`, in menu order.
fn menu_items(actions: &Actions<'_>, message: &Message) -> Vec<MenuItem> {
    let Actions { chat, ui, intents, rights } = actions;
    let id = message.id.clone();
    let item = |label: &str, focus_after: FocusAfter, on_select: Callback<()>| MenuItem {
        label: chat.locale.t(label),
        danger: false,
        on_select,
        focus_after,
    };
    let dispatch = |ui_action: UiAction| {
        let ui = (*ui).clone();
        Callback::from(move |()| ui.dispatch(ui_action.clone()))
    };
    let delete = |scope: DeleteScope| {
        let (client, intents, id) = (chat.client.clone(), (*intents).clone(), id.clone());
        Callback::from(move |()| intents.run(client.delete(id.clone(), scope)))
    };
    let mut items = vec![item("reply", FocusAfter::Elsewhere, dispatch(UiAction::Reply(id.clone())))];
    if rights.edit {
        items.push(item("edit", FocusAfter::Elsewhere, dispatch(UiAction::Edit(id.clone()))));
    }
    if rights.pin {
        let (client, intents, id, pinned) = (chat.client.clone(), (*intents).clone(), id.clone(), !message.pinned);
        let label = if message.pinned { "unpin" } else { "pin" };
        let toggle = Callback::from(move |()| intents.run(client.set_pinned(id.clone(), pinned)));
        items.push(item(label, FocusAfter::Button, toggle));
    }
    // Focus goes back to the button first, so the dialog returns it there.
    items.push(item("forward", FocusAfter::Button, dispatch(UiAction::Forward(Some(id.clone())))));
    if let Content::Text { text } = &message.content {
        let text = text.clone();
        items.push(item("copy", FocusAfter::Button, Callback::from(move |()| copy_to_clipboard(&text))));
    }
    if rights.mute_sender {
        let (client, intents, sender) = (chat.client.clone(), (*intents).clone(), message.sender.id.clone());
        let mute = {
            let (client, intents, sender) = (client.clone(), intents.clone(), sender.clone());
            Callback::from(move |()| intents.run(client.mute(sender.clone(), Some(SENDER_MUTE_MINUTES))))
        };
        items.push(item("muteSender", FocusAfter::Button, mute));
        let remove = Callback::from(move |()| intents.run(client.remove(sender.clone(), true)));
        items.push(MenuItem { danger: true, ..item("removeSender", FocusAfter::List, remove) });
    }
    if rights.report {
        // Focus goes back to the button first, so the dialog returns it there.
        items.push(item("report", FocusAfter::Button, dispatch(UiAction::Report(Some(id.clone())))));
    }
    items.push(item("deleteForMe", FocusAfter::List, delete(DeleteScope::Me)));
    if rights.delete_for_everyone {
        items.push(MenuItem {
            danger: true,
            ..item("deleteForEveryone", FocusAfter::List, delete(DeleteScope::Everyone))
        });
    }
    items
}

fn sent_body(actions: &Actions<'_>, message: &Rc<Message>, quote: &Quote, menu_open: bool, key: &AttrValue) -> Html {
    let chat = actions.chat;
    // Built only for the open menu: a closed one needs none of its callbacks.
    let items = if menu_open { menu_items(actions, message) } else { Vec::new() };
    let on_open = {
        let (ui, key) = (actions.ui.clone(), key.to_string());
        Callback::from(move |open: bool| ui.dispatch(UiAction::Menu(open.then(|| key.clone()))))
    };
    html! {
        <>
            { quote_view(chat, quote) }
            { content_view(chat, &message.content) }
            { attachments_view(chat, &message.attachments) }
            { marks(chat, message) }
            if message.content != Content::Deleted {
                { reactions_view(chat, actions.ui, actions.intents, message, key) }
            }
            if message.content != Content::Deleted {
                <ActionMenu label={chat.locale.t("actions")} open={menu_open} {on_open} {items} />
            }
        </>
    }
}

fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

fn local_body(chat: &ChatContext, intents: &Intents, echo: &Rc<LocalEcho>, quote: &Quote) -> Html {
    let t = |key: &str| chat.locale.t(key);
    let client_id = echo.client_id.clone();
    let status = match &echo.status {
        EchoStatus::Pending => html! { <span class="mc-mark mc-pending">{ t("pending") }</span> },
        EchoStatus::Uploading { .. } => {
            let (client, client_id) = (chat.client.clone(), client_id.clone());
            html! {
                <span class="mc-mark">
                    { t("uploading") }
                    <button type="button" class="mc-link-button" onclick={Callback::from(move |_| client.cancel_upload(&client_id))}>{ t("cancel") }</button>
                </span>
            }
        }
        EchoStatus::Failed { code, cause, retryable, reason } => {
            let (retry_client, retry_id, intents) = (chat.client.clone(), client_id.clone(), intents.clone());
            let (discard_client, discard_id) = (chat.client.clone(), client_id.clone());
            html! {
                <span class="mc-mark mc-failed" role="alert">
                    { format!("{}: {}", t("failed"), chat.locale.error(code, cause.as_deref(), reason)) }
                    if *retryable {
                        <button type="button" class="mc-link-button" onclick={Callback::from(move |_| {
                            intents.run(retry_client.retry(&retry_id));
                        })}>{ t("retry") }</button>
                    }
                    <button type="button" class="mc-link-button" onclick={Callback::from(move |_| discard_client.discard(&discard_id))}>{ t("discard") }</button>
                </span>
            }
        }
    };
    html! {
        <>
            { quote_view(chat, quote) }
            { local_content_view(chat, echo) }
            if !echo.attachments.is_empty() { { uploading_view(chat, &echo.attachments) } }
            <span class="mc-marks">{ status }</span>
        </>
    }
}
