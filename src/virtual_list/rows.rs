//! Which rows the list shows, by position: every confirmed message or only
//! one private chat's, then the local echoes, with the core's lasting keys.
//! Reading row `i` or finding a row's position never walks the whole timeline.

use chat_core::{ChatState, LocalEcho, MessageKey, Row, Timeline};
use chat_protocol::{Message, ParticipantId};

/// Whether a message belongs in the view of a private chat with `peer`.
pub fn in_conversation(message: &Message, peer: &ParticipantId) -> bool {
    !message.targets.is_empty() && (&message.sender.id == peer || message.targets.contains(peer))
}

/// The timeline positions of one private chat's messages, ascending; read
/// from the private index, so it costs O(p log n) for p private messages.
pub fn conversation_positions(timeline: &Timeline, peer: &ParticipantId) -> Vec<usize> {
    timeline.private().filter(|m| in_conversation(m, peer)).filter_map(|m| timeline.position_of_seq(m.seq)).collect()
}

/// The rows of the list as it is now.
pub struct ListRows<'a> {
    state: &'a ChatState,
    timeline: &'a Timeline,
    /// Timeline positions shown, when a private chat is selected.
    only: Option<&'a [usize]>,
    echoes: Vec<&'a LocalEcho>,
}

impl<'a> ListRows<'a> {
    /// All messages (`only` = `None`) or those at the given timeline
    /// positions, followed by `echoes`.
    pub fn new(state: &'a ChatState, only: Option<&'a [usize]>, echoes: Vec<&'a LocalEcho>) -> Self {
        Self { state, timeline: state.timeline(), only, echoes }
    }

    /// The lasting key of a row, as a string (for yew keys and measurements).
    pub fn key(&self, row: Row<'_>) -> String {
        self.state.row_key(row).to_string()
    }

    fn sent_len(&self) -> usize {
        self.only.map_or(self.timeline.len(), <[usize]>::len)
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.sent_len() + self.echoes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `index`.
    pub fn get(&self, index: usize) -> Option<Row<'a>> {
        let sent = self.sent_len();
        if index < sent {
            let position = self.only.map_or(Some(index), |only| only.get(index).copied())?;
            self.timeline.at(position).map(Row::Sent)
        } else {
            self.echoes.get(index - sent).map(|e| Row::Local(e))
        }
    }

    /// The position of the row with `key`, if it is shown.
    pub fn position(&self, key: &str) -> Option<usize> {
        let key = MessageKey::parse(key);
        if let MessageKey::Local(client_id) = &key {
            if let Some(index) = self.echoes.iter().position(|e| &e.client_id == client_id) {
                return Some(self.sent_len() + index);
            }
        }
        let position = self.state.timeline_position(&key)?;
        match self.only {
            None => Some(position),
            Some(only) => only.binary_search(&position).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chat_core::{Draft, Input, Intent};

    use super::*;
    use crate::virtual_list::test_messages::{deliver, message};

    fn state() -> ChatState {
        let mut state = ChatState::new();
        for (seq, from, targets) in
            [(1, "ann", &[][..]), (2, "bob", &["ann"][..]), (3, "ann", &["cy"][..]), (4, "cy", &[][..])]
        {
            deliver(&mut state, message(seq, from, targets));
        }
        state.apply(Input::Intent(Intent::Send { op: 1, draft: Draft::text("pending"), client_id: "x1".into() }), 0);
        state
    }

    #[test]
    fn every_message_then_the_echoes() {
        let state = state();
        let rows = ListRows::new(&state, None, state.echoes().iter().collect());
        assert_eq!(rows.len(), 5);
        let keys: Vec<String> = (0..rows.len()).filter_map(|i| rows.get(i)).map(|r| rows.key(r)).collect();
        assert_eq!(keys, ["m1", "m2", "m3", "m4", "local-x1"]);
        for (index, key) in keys.iter().enumerate() {
            assert_eq!(rows.position(key), Some(index));
        }
        assert!(rows.get(5).is_none());
        assert_eq!(rows.position("m9"), None);
    }

    #[test]
    fn a_private_chat_shows_only_its_messages() {
        let state = state();
        let only = conversation_positions(state.timeline(), &"cy".into());
        let rows = ListRows::new(&state, Some(&only), Vec::new());
        let keys: Vec<String> = (0..rows.len()).filter_map(|i| rows.get(i)).map(|r| rows.key(r)).collect();
        assert_eq!(keys, ["m3"]);
        assert_eq!(rows.position("m3"), Some(0));
        assert_eq!(rows.position("m2"), None, "another chat's message is not shown");
    }
}
