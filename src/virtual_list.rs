//! The virtualized message list's geometry, apart from the DOM: which rows
//! exist, how tall each is (measured or estimated), and which of them a
//! viewport needs. New messages at the end are added in O(log n) each; only a
//! reshuffle (an older page, a removal) rebuilds positions, and then from the
//! measured rows alone. A render costs O(log n) per row shown, whatever the
//! number loaded.

pub mod row_heights;
pub mod rows;
#[cfg(test)]
mod test_messages;

use std::collections::HashMap;

use chat_core::{ChatState, LocalEcho, MessageKey};
use chat_protocol::{ClientId, ParticipantId};

use row_heights::RowHeights;
use rows::conversation_positions;
pub use rows::ListRows;

/// The height assumed for a row not measured yet.
pub const ESTIMATED_ROW: f64 = 64.0;

/// What decides the rows' positions besides appends: when it changes,
/// positions are rebuilt.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shape {
    revision: u64,
    conversation: Option<ParticipantId>,
}

/// The echoes shown with every message or in one private chat.
fn shown_echoes<'a>(
    state: &'a ChatState,
    conversation: Option<&'a ParticipantId>,
) -> impl Iterator<Item = &'a LocalEcho> + 'a {
    state.echoes().iter().filter(move |e| conversation.is_none_or(|peer| e.targets.contains(peer)))
}

/// The rows to render for a viewport, and the space above and below them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// The first row rendered.
    pub start: usize,
    /// One past the last row rendered.
    pub end: usize,
    /// The height of the rows above `start`.
    pub above: f64,
    /// The height of the rows from `end` on.
    pub below: f64,
}

/// Row heights and positions, kept across renders.
#[derive(Debug, Default)]
pub struct ListLayout {
    measured: HashMap<String, f64>,
    heights: RowHeights,
    shape: Option<Shape>,
    /// The timeline's length at the last sync.
    timeline_len: usize,
    /// The echoes shown at the last sync.
    echoes: Vec<ClientId>,
    conversation_rows: Vec<usize>,
}

impl ListLayout {
    /// Brings positions up to date with `state`, showing every message or
    /// one private chat's. Returns whether the rows changed.
    pub fn sync(&mut self, state: &ChatState, conversation: Option<&ParticipantId>) -> bool {
        let timeline = state.timeline();
        let shape = Shape { revision: timeline.revision(), conversation: conversation.cloned() };
        let echoes: Vec<ClientId> = shown_echoes(state, conversation).map(|e| e.client_id.clone()).collect();
        if self.shape.as_ref() != Some(&shape) {
            self.rebuild(state, shape, echoes);
            return true;
        }
        if timeline.len() == self.timeline_len && echoes == self.echoes {
            return false;
        }
        // Only appends and echo changes: the confirmed rows before stay where they were.
        let sent_before = self.heights.len() - self.echoes.len();
        self.heights.truncate(sent_before);
        for position in self.timeline_len..timeline.len() {
            let Some(message) = timeline.at(position) else { continue };
            if let Some(peer) = conversation {
                if !rows::in_conversation(message, peer) {
                    continue;
                }
                self.conversation_rows.push(position);
            }
            // A confirmed echo keeps its key, and so the height measured while it was local.
            let key = state.message_key(message).to_string();
            self.heights.push(self.measured.get(&key).copied().unwrap_or(ESTIMATED_ROW));
        }
        self.timeline_len = timeline.len();
        for echo in &echoes {
            let height =
                self.measured.get(&MessageKey::Local(echo.clone()).to_string()).copied().unwrap_or(ESTIMATED_ROW);
            self.heights.push(height);
        }
        self.echoes = echoes;
        true
    }

    /// Recomputes every position, from the measured rows.
    fn rebuild(&mut self, state: &ChatState, shape: Shape, echoes: Vec<ClientId>) {
        self.conversation_rows = match &shape.conversation {
            Some(peer) => conversation_positions(state.timeline(), peer),
            None => Vec::new(),
        };
        self.shape = Some(shape);
        self.timeline_len = state.timeline().len();
        self.echoes = echoes;
        let mut measured = std::mem::take(&mut self.measured);
        let rows = self.rows(state);
        let mut heights = RowHeights::uniform(rows.len(), ESTIMATED_ROW);
        // A row that left the timeline is gone for good; a row of another
        // chat keeps its height for when that chat is shown again.
        measured.retain(|key, height| match rows.position(key) {
            Some(index) => {
                heights.set(index, *height);
                true
            }
            None => state.timeline_position(&MessageKey::parse(key)).is_some(),
        });
        self.measured = measured;
        self.heights = heights;
    }

    /// The rows as of the last [`sync`](Self::sync).
    pub fn rows<'a>(&'a self, state: &'a ChatState) -> ListRows<'a> {
        let conversation = self.shape.as_ref().and_then(|s| s.conversation.as_ref());
        let echoes = shown_echoes(state, conversation).collect();
        ListRows::new(state, conversation.map(|_| self.conversation_rows.as_slice()), echoes)
    }

    /// The rows a viewport from `top`, `height` tall, needs, with `overscan`
    /// pixels more on each side.
    pub fn window(&self, top: f64, height: f64, overscan: f64) -> Window {
        let len = self.heights.len();
        if len == 0 {
            return Window { start: 0, end: 0, above: 0.0, below: 0.0 };
        }
        let start = self.heights.row_at((top - overscan).max(0.0));
        let end = (self.heights.row_at(top + height + overscan) + 1).min(len);
        let above = self.heights.offset(start);
        Window { start, end, above, below: (self.heights.total() - self.heights.offset(end)).max(0.0) }
    }

    /// The row at `y`, if there are rows.
    pub fn row_at(&self, y: f64) -> Option<usize> {
        (!self.heights.is_empty()).then(|| self.heights.row_at(y))
    }

    /// The top of row `index`.
    pub fn offset(&self, index: usize) -> f64 {
        self.heights.offset(index)
    }

    /// Records row `index` (with `key`) as `height` tall; returns whether
    /// that changed anything.
    pub fn record(&mut self, index: usize, key: &str, height: f64) -> bool {
        if height <= 0.0 || self.heights.height(index).is_some_and(|h| (h - height).abs() <= 0.5) {
            return false;
        }
        self.heights.set(index, height);
        self.measured.insert(key.to_owned(), height);
        true
    }
}

#[cfg(test)]
mod tests {
    use chat_core::{Draft, Effect, Input, Intent};
    use chat_protocol::{AckResult, ClientFrame, Message, Role, ServerFrame};

    use super::test_messages::{self, message};
    use super::*;

    fn deliver(state: &mut ChatState, seq: u64, targets: &[&str]) {
        test_messages::deliver(state, message(seq, "ann", targets));
    }

    /// Answers the history request among `effects` with `messages`.
    fn answer_page(state: &mut ChatState, effects: &[Effect], messages: Vec<Message>) {
        let req_id = effects
            .iter()
            .find_map(|e| match e {
                Effect::Send(ClientFrame::History { req_id, .. }) => Some(*req_id),
                _ => None,
            })
            .expect("a history request");
        let result = AckResult::History { messages, has_more: true };
        state.apply(Input::Frame(ServerFrame::Ack { req_id, result }), 0);
    }

    #[test]
    fn the_window_covers_the_viewport_plus_overscan() {
        let mut state = ChatState::new();
        for seq in 1..=1_000 {
            deliver(&mut state, seq, &[]);
        }
        let mut layout = ListLayout::default();
        assert!(layout.sync(&state, None));
        assert!(!layout.sync(&state, None), "nothing moved");
        let window = layout.window(6_400.0, 640.0, 128.0);
        assert_eq!((window.start, window.end), (98, 113));
        assert_eq!(window.above, 98.0 * ESTIMATED_ROW);
        assert_eq!(window.below, (1_000.0 - 113.0) * ESTIMATED_ROW);
    }

    #[test]
    fn measured_heights_survive_new_rows_and_follow_their_row() {
        let mut state = ChatState::new();
        let welcome = chat_protocol::testing::welcome("ann", Role::Participant, 20, &[]);
        let effects = state.apply(Input::Frame(welcome), 0);
        answer_page(&mut state, &effects, (10..=20).map(|seq| message(seq, "ann", &[])).collect());
        let mut layout = ListLayout::default();
        layout.sync(&state, None);
        assert!(layout.record(0, "m10", 100.0));
        assert!(!layout.record(0, "m10", 100.2), "sub-pixel noise is ignored");
        // An older page arrives above: m10 is now row 1 and keeps its height.
        let effects = state.apply(Input::Intent(Intent::LoadOlder { op: 1, limit: 1, with: None }), 0);
        answer_page(&mut state, &effects, vec![message(5, "ann", &[])]);
        assert!(layout.sync(&state, None));
        assert_eq!(layout.offset(1), ESTIMATED_ROW);
        assert_eq!(layout.offset(2), ESTIMATED_ROW + 100.0);
    }

    #[test]
    fn a_private_chat_has_its_own_rows() {
        let mut state = ChatState::new();
        for seq in 1..=6 {
            deliver(&mut state, seq, if seq % 2 == 0 { &["bob"] } else { &[] });
        }
        let mut layout = ListLayout::default();
        layout.sync(&state, Some(&"bob".into()));
        let rows = layout.rows(&state);
        let keys: Vec<String> = (0..rows.len()).filter_map(|i| rows.get(i)).map(|r| rows.key(r)).collect();
        assert_eq!(keys, ["m2", "m4", "m6"]);
        assert!(layout.sync(&state, None), "leaving the private chat moves rows");
        assert_eq!(layout.rows(&state).len(), 6);
    }

    /// The rows' keys and tops, for comparing two layouts.
    fn geometry(layout: &ListLayout, state: &ChatState) -> Vec<(String, f64)> {
        let rows = layout.rows(state);
        (0..=rows.len()).map(|i| (rows.get(i).map_or_else(String::new, |r| rows.key(r)), layout.offset(i))).collect()
    }

    #[test]
    fn appending_gives_the_same_layout_as_rebuilding() {
        for conversation in [None, Some(ParticipantId::from("bob"))] {
            let mut state = ChatState::new();
            let mut layout = ListLayout::default();
            for seq in 1..=30 {
                deliver(&mut state, seq, if seq % 3 == 0 { &["bob"] } else { &[] });
                if seq % 4 == 0 {
                    let draft = Draft::text(format!("echo {seq}"));
                    let client_id = format!("x{seq}").into();
                    let send =
                        Intent::Send { op: seq, client_id, draft: Draft { targets: vec!["bob".into()], ..draft } };
                    state.apply(Input::Intent(send), 0);
                }
                layout.sync(&state, conversation.as_ref());
                let rows = layout.rows(&state);
                if let Some((last, key)) = rows.len().checked_sub(1).and_then(|i| Some((i, rows.key(rows.get(i)?)))) {
                    layout.record(last, &key, 40.0 + seq as f64);
                }
                let mut fresh = ListLayout { measured: layout.measured.clone(), ..ListLayout::default() };
                fresh.sync(&state, conversation.as_ref());
                assert_eq!(geometry(&layout, &state), geometry(&fresh, &state), "after {seq} in {conversation:?}");
            }
        }
    }
}
