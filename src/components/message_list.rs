//! The message list, virtualized: only the rows near the viewport are in the
//! DOM, between two spacers sized from measured (or estimated) row heights,
//! so the DOM stays the same size with 100,000 messages loaded. It sticks to
//! the bottom unless the reader scrolled up (rows that grow later, an image
//! loading, are measured again and keep it there), keeps the reader's place
//! when older pages arrive above, loads them when scrolled near the top, and
//! offers a way down to the newest whenever it is not at the bottom.

use std::cell::RefCell;
use std::rc::Rc;

use chat_core::Row;
use chat_protocol::{Content, MessageId, ParticipantId, Seq};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::icons;
use super::message_item::{MessageItem, RowData};
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_resize::use_on_resize;
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;
use crate::virtual_list::{ListLayout, ListRows};

const OVERSCAN: f64 = 600.0;
const STICK_THRESHOLD: f64 = 48.0;
const LOAD_OLDER_THRESHOLD: f64 = 300.0;
/// How many of the newest messages are searched for one's own to show its read receipt.
const RECEIPT_WITHIN: usize = 500;

/// A rendered row: its position, key, what it shows, and the row before it
/// (sender, time) for grouping and day separators.
type VisibleRow = (usize, String, RowData, Option<(ParticipantId, i64)>);

/// With read receipts on: this participant's newest message in the
/// conversation shown, and how many others have read it.
fn receipt(state: &chat_core::ChatState, conversation: Option<&ParticipantId>) -> Option<(MessageId, u32)> {
    let me = &state.me()?.id;
    if !state.settings().read_receipts {
        return None;
    }
    // Only among the newest messages: a receipt further back tells nobody anything.
    let mine = state.timeline().iter().rev().take(RECEIPT_WITHIN).find(|m| {
        &m.sender.id == me
            && m.content != Content::Deleted
            && conversation.is_none_or(|peer| m.in_conversation_with(peer))
    })?;
    Some((mine.id.clone(), state.seen_by(mine)))
}

/// The row of the first message from someone else created after `seq`.
fn first_after(rows: &ListRows<'_>, seq: Seq, me: Option<&ParticipantId>) -> Option<usize> {
    let sent_after = |i: usize| match rows.get(i) {
        Some(Row::Sent(m)) => m.seq > seq,
        _ => true,
    };
    // Rows are in `seq` order, echoes last: find the first after `seq`, then skip one's own.
    let (mut low, mut high) = (0, rows.len());
    while low < high {
        let mid = (low + high) / 2;
        if sent_after(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    (low..rows.len())
        .map_while(|i| match rows.get(i) {
            Some(Row::Sent(m)) => Some((i, m)),
            _ => None,
        })
        .find(|(_, m)| Some(&m.sender.id) != me)
        .map(|(i, _)| i)
}

/// What the list keeps between renders.
struct ListMemory {
    layout: ListLayout,
    stick: bool,
    /// The first visible row and its offset at the last render, to keep the
    /// reader's place when rows above change.
    anchor: Option<(String, f64)>,
    last_key: Option<String>,
    /// The conversation shown and where its reader had read to when it
    /// opened: the "new messages" divider stays there while it is shown.
    divider: Option<(Option<ParticipantId>, Seq)>,
    /// Renders spent scrolling to a search hit, so a row that never shows
    /// cannot keep the list re-rendering.
    reveal_tries: u8,
    /// The rows rendered last (position, key), measured again when they resize.
    rendered: Vec<(usize, String)>,
    /// Where the list was scrolled to last: only the reader scrolling up
    /// unsticks it, never rows growing under it.
    last_top: f64,
}

/// Renders a search hit may take to come into the DOM before the list stops trying.
const REVEAL_TRIES: u8 = 8;

/// The scrolling list of messages.
#[function_component(MessageList)]
pub fn message_list() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let container = use_node_ref();
    let memory = use_mut_ref(|| ListMemory {
        layout: ListLayout::default(),
        stick: true,
        anchor: None,
        last_key: None,
        divider: None,
        reveal_tries: 0,
        rendered: Vec::new(),
        last_top: 0.0,
    });
    let rows_container = use_node_ref();
    // Whether the list is away from its bottom, for the way down.
    let away = use_state(|| false);
    let scroll = use_state(|| (0.0_f64, 600.0_f64));
    let unseen = use_state(|| 0_u32);
    let force = use_force_update();
    let intents = use_intent();
    // Re-render when the rows or the paging state change; the rows themselves
    // are read from the client below, by position, never copied whole.
    let (_, conversation, has_more, loading, unread, receipt) = use_selector(|client| {
        let state = client.state();
        let conversation = state.current_conversation().cloned();
        let has_more = state.has_more_in(conversation.as_ref());
        // Read only while connected: offline, marking would only fail.
        let connected = state.connection() == chat_core::ConnectionState::Connected;
        let unread = if connected { state.unread(conversation.as_ref()).0 } else { 0 };
        let receipt = receipt(&state, conversation.as_ref());
        (client.rows_version(), conversation, has_more, state.is_loading_page(), unread, receipt)
    });

    let state = chat.client.state();
    {
        let mut memory = memory.borrow_mut();
        memory.layout.sync(&state, conversation.as_ref());
        let opened = memory.divider.as_ref().is_some_and(|(shown, _)| *shown == conversation);
        if !opened && state.me().is_some() {
            memory.divider = Some((conversation.clone(), state.read_position(conversation.as_ref())));
        }
    }
    let memory_ref = memory.borrow();
    let layout = &memory_ref.layout;
    let rows = layout.rows(&state);
    let (scroll_top, viewport) = *scroll;
    let window = layout.window(scroll_top, viewport, OVERSCAN);
    let me = state.me().map(|me| me.id.clone());
    let first_unread = memory_ref.divider.as_ref().and_then(|(_, read_to)| first_after(&rows, *read_to, me.as_ref()));
    let visible: Vec<VisibleRow> = (window.start..window.end)
        .filter_map(|i| {
            let previous = i.checked_sub(1).and_then(|p| rows.get(p)).and_then(|row| match row {
                Row::Sent(m) => Some((m.sender.id.clone(), m.time)),
                Row::Local(e) => me.clone().map(|me| (me, e.created_at)),
            });
            let row = rows.get(i)?;
            let data = match row {
                Row::Sent(m) => RowData::Sent(Rc::new(m.clone())),
                Row::Local(e) => RowData::Local(Rc::new(e.clone())),
            };
            Some((i, rows.key(row), data, previous))
        })
        .collect();
    let anchor_now = layout.row_at(scroll_top).and_then(|i| rows.get(i).map(|row| (rows.key(row), layout.offset(i))));
    let anchor_offset: Option<f64> =
        memory_ref.anchor.as_ref().and_then(|(key, _)| rows.position(key)).map(|i| layout.offset(i));
    // A search hit to show: its key and where its row starts (none when it
    // is not in this list, and then the request is dropped).
    let reveal_asked = ui.reveal.is_some();
    let reveal = ui.reveal.and_then(|seq| {
        let message = state.timeline().at(state.timeline().position_of_seq(seq)?)?;
        let key = rows.key(Row::Sent(message));
        rows.position(&key).map(|index| (key, layout.offset(index)))
    });
    let last_key = rows.len().checked_sub(1).and_then(|i| rows.get(i)).map(|row| rows.key(row));
    let empty = rows.is_empty() && !has_more;
    drop(rows);
    drop(memory_ref);
    drop(state);
    let measured_rows: Vec<(usize, String)> = visible.iter().map(|(i, key, _, _)| (*i, key.clone())).collect();

    // After each render: measure rows, keep the anchor or the bottom, count unseen.
    {
        let (container, memory, force, unseen, scroll, ui) =
            (container.clone(), Rc::clone(&memory), force.clone(), unseen.clone(), scroll.clone(), ui.clone());
        let (read_intents, read_client, read_conversation) =
            (intents.clone(), chat.client.clone(), conversation.clone());
        use_effect(move || {
            let Some(element) = container.cast::<HtmlElement>() else { return };
            let changed = measure(&element, &memory, &measured_rows);
            let mut memory = memory.borrow_mut();
            memory.rendered = measured_rows;
            if reveal.is_none() && reveal_asked {
                ui.dispatch(UiAction::Reveal(None));
            }
            if let Some((key, offset)) = reveal {
                memory.stick = false;
                memory.anchor = None;
                memory.reveal_tries += 1;
                if let Some(row) = rendered_row(&element, &key) {
                    show_found(&element, &row);
                    memory.reveal_tries = 0;
                    ui.dispatch(UiAction::Reveal(None));
                } else if memory.reveal_tries > REVEAL_TRIES {
                    memory.reveal_tries = 0;
                    ui.dispatch(UiAction::Reveal(None));
                } else {
                    // Scroll there; the next render puts the row in the DOM.
                    let viewport = visible_height(&element);
                    let top = (offset - viewport / 3.0).max(0.0);
                    element.set_scroll_top(top.round() as i32);
                    scroll.set((f64::from(element.scroll_top()), viewport));
                }
                return;
            }
            if memory.stick {
                element.set_scroll_top(element.scroll_height());
            } else if let (Some((_, old_offset)), Some(new_offset)) = (memory.anchor.as_ref(), anchor_offset) {
                let delta = new_offset - old_offset;
                if delta.abs() > 0.5 {
                    element.set_scroll_top(element.scroll_top() + delta.round() as i32);
                }
            }
            if last_key != memory.last_key {
                if !memory.stick && memory.last_key.is_some() {
                    unseen.set(*unseen + 1);
                }
                memory.last_key = last_key;
            }
            memory.anchor = anchor_now;
            let page_hidden = web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.hidden());
            if memory.stick && unread > 0 && !page_hidden {
                read_intents.run(read_client.mark_read(read_conversation));
            }
            let viewport = visible_height(&element);
            if (scroll.1 - viewport).abs() > 1.0 && viewport > 0.0 {
                scroll.set((f64::from(element.scroll_top()), viewport));
            }
            drop(memory);
            if changed {
                force.force_update();
            }
        });
    }

    // Rows that change height after they were measured (an image or a font
    // arriving late) are measured again, and a list at its bottom stays there.
    use_on_resize(rows_container.clone(), {
        let (container, memory, force) = (container.clone(), Rc::clone(&memory), force.clone());
        Rc::new(move || {
            let Some(element) = container.cast::<HtmlElement>() else { return };
            let rendered = memory.borrow().rendered.clone();
            let changed = measure(&element, &memory, &rendered);
            if memory.borrow().stick {
                element.set_scroll_top(element.scroll_height());
            }
            if changed {
                force.force_update();
            }
        })
    });

    let onscroll = {
        let (memory, scroll, unseen, client, away) =
            (Rc::clone(&memory), scroll.clone(), unseen.clone(), chat.client.clone(), away.clone());
        Callback::from(move |event: Event| {
            let element: Element = event.target_unchecked_into();
            let top = f64::from(element.scroll_top());
            let viewport = visible_height(&element);
            let at_bottom = f64::from(element.scroll_height() - element.client_height()) - top < STICK_THRESHOLD;
            let stick = {
                let mut memory = memory.borrow_mut();
                let scrolled_up = top < memory.last_top - 1.0;
                memory.stick = at_bottom || (memory.stick && !scrolled_up);
                memory.last_top = top;
                memory.stick
            };
            if *away == stick {
                away.set(!stick);
            }
            if at_bottom && *unseen != 0 {
                unseen.set(0);
            }
            scroll.set((top, viewport));
            if top < LOAD_OLDER_THRESHOLD && has_more && !loading {
                intents.run(client.load_older(chat_core::DEFAULT_PAGE_SIZE, conversation.clone()));
            }
        })
    };
    let jump_to_bottom = {
        let (memory, container, unseen, away) = (Rc::clone(&memory), container.clone(), unseen.clone(), away.clone());
        Callback::from(move |_| {
            memory.borrow_mut().stick = true;
            unseen.set(0);
            away.set(false);
            if let Some(element) = container.cast::<Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        })
    };
    let (top_spacer, bottom_spacer) = (window.above.round() as i64, window.below.round() as i64);
    html! {
        <div class="mc-list-wrap">
            <div class="mc-list" ref={container} {onscroll} role="log" aria-live="polite" aria-relevant="additions"
                aria-label={chat.locale.t("messages")} tabindex="0">
                <div class="mc-spacer" style={format!("height:{top_spacer}px")} aria-hidden="true" />
                // Only keyed rows in here, so yew diffs them by key: a row
                // entering the window never makes it re-create (and unfocus)
                // the others.
                <div class="mc-rows" ref={rows_container}>
                    { for visible.into_iter().map(|(index, key, row, previous)| {
                        let row_key = AttrValue::from(key.clone());
                        let first_unread = first_unread == Some(index);
                        let seen_by = match (&row, &receipt) {
                            (RowData::Sent(m), Some((id, seen))) if &m.id == id => Some(*seen),
                            _ => None,
                        };
                        html! { <MessageItem {key} {row_key} {row} {previous} {first_unread} {seen_by} /> }
                    }) }
                </div>
                <div class="mc-spacer" style={format!("height:{bottom_spacer}px")} aria-hidden="true" />
            </div>
            // Outside the scrolling list: inside it, their coming and going
            // would shift the rows (losing the reader's place) and make yew
            // re-create them (losing focus and any open menu).
            if loading {
                <p class="mc-loading-older" role="status">{ chat.locale.t("loadingOlder") }</p>
            }
            if empty {
                <p class="mc-empty">{ chat.locale.t("noMessages") }</p>
            }
            if *unseen > 0 {
                <button type="button" class="mc-new-messages" onclick={jump_to_bottom}>
                    { icons::arrow_down() }{ format!(" {} ({})", chat.locale.t("newMessages"), *unseen) }
                </button>
            } else if *away {
                <button type="button" class="mc-new-messages" onclick={jump_to_bottom}>
                    { icons::arrow_down() }{ format!(" {}", chat.locale.t("latestMessages")) }
                </button>
            }
        </div>
    }
}

/// The list's height on screen: its own, but never more than the window's,
/// so a host that forgot to size the panel still gets a small DOM.
fn visible_height(element: &Element) -> f64 {
    let window_height =
        web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(1_000.0);
    f64::from(element.client_height()).min(window_height)
}

/// The rendered row with this key, if it is in the DOM.
fn rendered_row(container: &HtmlElement, key: &str) -> Option<HtmlElement> {
    let nodes = container.query_selector_all("[data-row]").ok()?;
    (0..nodes.length())
        .filter_map(|i| nodes.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()))
        .find(|row| row.get_attribute("data-row").as_deref() == Some(key))
}

/// Marks `row` as the one found (and no other), scrolls it into view and
/// moves focus to it, so a screen reader reads it.
fn show_found(container: &HtmlElement, row: &HtmlElement) {
    if let Ok(old) = container.query_selector_all("[data-found]") {
        for node in (0..old.length()).filter_map(|i| old.item(i)) {
            if let Ok(element) = node.dyn_into::<Element>() {
                let _ = element.remove_attribute("data-found");
            }
        }
    }
    let _ = row.set_attribute("data-found", "");
    let _ = row.set_attribute("tabindex", "-1");
    row.scroll_into_view_with_bool(false);
    let _ = row.focus();
}

/// Reads the rendered rows' heights into the layout; returns whether any changed.
fn measure(container: &HtmlElement, memory: &Rc<RefCell<ListMemory>>, rendered: &[(usize, String)]) -> bool {
    let Ok(nodes) = container.query_selector_all("[data-row]") else { return false };
    let mut memory = memory.borrow_mut();
    let mut changed = false;
    for i in 0..nodes.length() {
        let Some(element) = nodes.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        let Some(key) = element.get_attribute("data-row") else { continue };
        let Some((index, _)) = rendered.iter().find(|(_, k)| *k == key) else { continue };
        changed |= memory.layout.record(*index, &key, f64::from(element.offset_height()));
    }
    changed
}
