//! Read positions in memory, counted as the SQL engines count them.

use async_trait::async_trait;
use chat_protocol::{Content, MeetingId, ParticipantId, ReadState, Seen, Seq};

use super::state::State;
use super::MemoryStore;
use crate::store::read_states::{self, assemble};
use crate::store::{ReadMarks, StoreError};

impl State {
    /// Moves the position forward; whether it moved.
    pub(super) fn mark_read(
        &mut self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        with: Option<&ParticipantId>,
        seq: Seq,
    ) -> bool {
        let key = (meeting.clone(), reader.clone(), with.map_or_else(String::new, |p| p.0.clone()));
        let mark = self.read_marks.entry(key).or_insert(0);
        let moved = seq > *mark;
        *mark = (*mark).max(seq);
        moved
    }

    /// How far the others have read the reader's conversations.
    pub(super) fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Vec<Seen> {
        let mut rows: Vec<(String, String, Seq)> = self
            .read_marks
            .iter()
            .filter(|((m, by, peer), _)| m == meeting && by != reader && (peer.is_empty() || *peer == reader.0))
            .map(|((_, by, peer), seq)| (by.0.clone(), peer.clone(), *seq))
            .collect();
        rows.sort();
        read_states::seen(rows)
    }

    /// The reader's positions and unread counts.
    pub(super) fn read_states(
        &mut self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Vec<ReadState> {
        let joined = *self.readers.entry((meeting.clone(), reader.clone())).or_insert(joined_at);
        let marks: Vec<(String, Seq)> = self
            .read_marks
            .iter()
            .filter(|((m, p, _), _)| m == meeting && p == reader)
            .map(|((_, _, peer), seq)| (peer.clone(), *seq))
            .collect();
        let mark_of = |peer: &str| marks.iter().find(|(p, _)| p == peer).map_or(joined, |(_, seq)| (*seq).max(joined));
        let mut unread: Vec<(String, u32, u32)> = Vec::new();
        for message in self.messages.values().filter(|m| self.message_in(meeting, &m.id).is_some()) {
            let peer = message.read_in(reader).map_or_else(String::new, |p| p.0);
            let counts = message.sender.id != *reader
                && !matches!(message.content, Content::Deleted)
                && message.visible_to(reader)
                && !self.hidden.contains(&(message.id.clone(), reader.clone()))
                && message.seq > mark_of(&peer);
            if !counts {
                continue;
            }
            let mentioned = u32::from(message.mentions.contains(reader));
            match unread.iter_mut().find(|(p, _, _)| *p == peer) {
                Some((_, count, mentions)) => {
                    *count += 1;
                    *mentions += mentioned;
                }
                None => unread.push((peer, 1, mentioned)),
            }
        }
        assemble(joined, marks, unread)
    }
}

#[async_trait]
impl ReadMarks for MemoryStore {
    async fn mark_read(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        with: Option<&ParticipantId>,
        seq: Seq,
    ) -> Result<bool, StoreError> {
        self.with(|s| Ok(s.mark_read(meeting, reader, with, seq)))
    }

    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError> {
        self.with(|s| Ok(s.read_states(meeting, reader, joined_at)))
    }

    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
        self.with(|s| Ok(s.seen_by_others(meeting, reader)))
    }
}
