//! The message list, virtualized: only the rows near the viewport are in the
//! DOM, between two spacers sized from measured (or estimated) row heights,
//! so the DOM stays the same size with 100,000 messages loaded. It sticks to
//! the bottom unless the reader scrolled up, keeps the reader's place when
//! older pages arrive above, and loads them when scrolled near the top.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chat_core::{Intent, LocalEcho};
use chat_protocol::{Message, ParticipantId};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::icons;
use super::message_item::{MessageItem, RowData};
use crate::hooks::use_chat::{use_chat, use_ui};

const ESTIMATED_ROW: f64 = 64.0;
const OVERSCAN: f64 = 600.0;
const STICK_THRESHOLD: f64 = 48.0;
const LOAD_OLDER_THRESHOLD: f64 = 300.0;

/// One row to show.
enum Row<'a> {
    Sent(&'a Message),
    Local(&'a LocalEcho),
}

impl Row<'_> {
    fn key(&self) -> String {
        match self {
            Row::Sent(m) => m.id.0.clone(),
            Row::Local(e) => format!("local-{}", e.client_id.0),
        }
    }

    /// Whether this row has `key`, without building its key.
    fn has_key(&self, key: &str) -> bool {
        match self {
            Row::Sent(m) => m.id.as_str() == key,
            Row::Local(e) => key.strip_prefix("local-") == Some(e.client_id.as_str()),
        }
    }
}

/// Whether a message belongs in the view of a private chat with `peer`.
fn in_conversation(message: &Message, peer: &ParticipantId) -> bool {
    !message.targets.is_empty() && (&message.sender.id == peer || message.targets.contains(peer))
}

/// A rendered row: its key, what it shows, and the row before it (sender, time).
type VisibleRow = (String, RowData, Option<(ParticipantId, i64)>);

#[derive(Default)]
struct Layout {
    heights: HashMap<String, f64>,
    stick: bool,
    /// The first visible row and its offset at the last render, to keep the
    /// reader's place when rows above change.
    anchor: Option<(String, f64)>,
    last_key: Option<String>,
}

/// The scrolling list of messages.
#[function_component(MessageList)]
pub fn message_list() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let container = use_node_ref();
    let layout = use_mut_ref(|| Layout { stick: true, ..Layout::default() });
    let scroll = use_state(|| (0.0_f64, 600.0_f64));
    let unseen = use_state(|| 0_u32);
    let force = use_force_update();

    let state = chat.handle.session.state();
    let conversation = ui.conversation.clone();
    let rows: Vec<Row<'_>> = state
        .timeline()
        .iter()
        .filter(|m| conversation.as_ref().is_none_or(|peer| in_conversation(m, peer)))
        .map(Row::Sent)
        .chain(
            state
                .echoes()
                .iter()
                .filter(|e| conversation.as_ref().is_none_or(|peer| e.targets.contains(peer)))
                .map(Row::Local),
        )
        .collect();
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    offsets.push(0.0);
    {
        let layout = layout.borrow();
        let mut total = 0.0;
        for row in &rows {
            let height = match row {
                Row::Sent(m) => layout.heights.get(m.id.as_str()),
                Row::Local(e) => layout.heights.get(&format!("local-{}", e.client_id.0)),
            };
            total += height.copied().unwrap_or(ESTIMATED_ROW);
            offsets.push(total);
        }
    }
    let total = offsets.last().copied().unwrap_or(0.0);
    let (scroll_top, viewport) = *scroll;
    let start = offsets.partition_point(|&o| o < scroll_top - OVERSCAN).saturating_sub(1).min(rows.len());
    let end = offsets.partition_point(|&o| o < scroll_top + viewport + OVERSCAN).min(rows.len());
    let visible: Vec<VisibleRow> = (start..end)
        .map(|i| {
            let previous = i.checked_sub(1).and_then(|p| match &rows[p] {
                Row::Sent(m) => Some((m.sender.id.clone(), m.time)),
                Row::Local(e) => state.me().map(|me| (me.id.clone(), e.created_at)),
            });
            let data = match &rows[i] {
                Row::Sent(m) => RowData::Sent(Rc::new((*m).clone())),
                Row::Local(e) => RowData::Local(Rc::new((*e).clone())),
            };
            (rows[i].key(), data, previous)
        })
        .collect();
    let first_visible =
        offsets.partition_point(|&o| o <= scroll_top).saturating_sub(1).min(rows.len().saturating_sub(1));
    let anchor_now = rows.get(first_visible).map(|r| (r.key(), offsets[first_visible]));
    let anchor_offset: Option<f64> = layout
        .borrow()
        .anchor
        .as_ref()
        .and_then(|(key, _)| rows.iter().position(|r| r.has_key(key)))
        .map(|i| offsets[i]);
    let last_key = rows.last().map(Row::key);
    let has_more = state.has_more();
    let loading = state.is_loading_page();
    let empty = rows.is_empty() && !has_more;
    drop(rows);
    drop(state);

    // After each render: measure rows, keep the anchor or the bottom, count unseen.
    {
        let (container, layout, force, unseen, scroll) =
            (container.clone(), Rc::clone(&layout), force.clone(), unseen.clone(), scroll.clone());
        use_effect(move || {
            let Some(element) = container.cast::<HtmlElement>() else { return };
            let changed = measure(&element, &layout);
            let mut layout_ref = layout.borrow_mut();
            if layout_ref.stick {
                element.set_scroll_top(element.scroll_height());
            } else if let Some((_, old_offset)) = layout_ref.anchor.clone() {
                if let Some(new_offset) = anchor_offset {
                    let delta = new_offset - old_offset;
                    if delta.abs() > 0.5 {
                        element.set_scroll_top(element.scroll_top() + delta.round() as i32);
                    }
                }
            }
            if last_key != layout_ref.last_key {
                if !layout_ref.stick && layout_ref.last_key.is_some() {
                    unseen.set(*unseen + 1);
                }
                layout_ref.last_key = last_key;
            }
            layout_ref.anchor = anchor_now;
            let viewport = visible_height(&element);
            if (scroll.1 - viewport).abs() > 1.0 && viewport > 0.0 {
                scroll.set((f64::from(element.scroll_top()), viewport));
            }
            drop(layout_ref);
            if changed {
                force.force_update();
            }
        });
    }

    let onscroll = {
        let (layout, scroll, unseen, handle) =
            (Rc::clone(&layout), scroll.clone(), unseen.clone(), Rc::clone(&chat.handle));
        Callback::from(move |event: Event| {
            let element: Element = event.target_unchecked_into();
            let top = f64::from(element.scroll_top());
            let viewport = visible_height(&element);
            let at_bottom = f64::from(element.scroll_height() - element.client_height()) - top < STICK_THRESHOLD;
            layout.borrow_mut().stick = at_bottom;
            if at_bottom && *unseen != 0 {
                unseen.set(0);
            }
            scroll.set((top, viewport));
            if top < LOAD_OLDER_THRESHOLD && has_more && !loading {
                let _ = handle.op(|op| Intent::LoadOlder { op, limit: 50 });
            }
        })
    };
    let jump_to_bottom = {
        let (layout, container, unseen) = (Rc::clone(&layout), container.clone(), unseen.clone());
        Callback::from(move |_| {
            layout.borrow_mut().stick = true;
            unseen.set(0);
            if let Some(element) = container.cast::<Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        })
    };
    let top_spacer = offsets[start];
    let bottom_spacer = (total - offsets[end]).max(0.0);
    html! {
        <div class="mc-list-wrap">
            <div class="mc-list" ref={container} {onscroll} role="log" aria-live="polite" aria-relevant="additions"
                aria-label={chat.locale.t("messages")} tabindex="0">
                if loading {
                    <p class="mc-loading-older" role="status">{ chat.locale.t("loadingOlder") }</p>
                }
                if empty {
                    <p class="mc-empty">{ chat.locale.t("noMessages") }</p>
                }
                <div class="mc-spacer" style={format!("height:{top_spacer}px")} aria-hidden="true" />
                { for visible.into_iter().map(|(key, row, previous)| {
                    let row_key = AttrValue::from(key.clone());
                    html! { <MessageItem {key} {row_key} {row} {previous} /> }
                }) }
                <div class="mc-spacer" style={format!("height:{bottom_spacer}px")} aria-hidden="true" />
            </div>
            if *unseen > 0 {
                <button type="button" class="mc-new-messages" onclick={jump_to_bottom}>
                    { icons::arrow_down() }{ format!(" {} ({})", chat.locale.t("newMessages"), *unseen) }
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

/// Reads the rendered rows' heights into the cache; returns whether any changed.
fn measure(container: &HtmlElement, layout: &Rc<RefCell<Layout>>) -> bool {
    let Ok(nodes) = container.query_selector_all("[data-row]") else { return false };
    let mut layout = layout.borrow_mut();
    let mut changed = false;
    for i in 0..nodes.length() {
        let Some(element) = nodes.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        let Some(key) = element.get_attribute("data-row") else { continue };
        let height = f64::from(element.offset_height());
        if height > 0.0 && layout.heights.get(&key).is_none_or(|h| (h - height).abs() > 0.5) {
            layout.heights.insert(key, height);
            changed = true;
        }
    }
    changed
}
