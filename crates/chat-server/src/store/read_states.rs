//! Read positions: the store's trait for them, and how every engine answers
//! them: the reader's marks and the unread counts its SQL (or the memory
//! store) found, put together per conversation, the meeting's first.

use chat_protocol::{MeetingId, ParticipantId, ReadState, Seen, Seq};

use super::StoreError;

/// The conversation a stored `peer` names: `''` is the meeting's.
fn conversation(peer: String) -> Option<ParticipantId> {
    (!peer.is_empty()).then_some(ParticipantId(peer))
}

/// The state of `peer`'s conversation, added (starting where the reader joined) when new.
fn state_of(states: &mut Vec<ReadState>, peer: String, joined: Seq) -> &mut ReadState {
    let with = conversation(peer);
    let index = match states.iter().position(|s| s.with == with) {
        Some(index) => index,
        None => {
            states.push(ReadState { with, seq: joined, unread: 0, mentions: 0 });
            states.len() - 1
        }
    };
    &mut states[index]
}

/// One state per conversation with a mark or unread messages, and the
/// meeting's always; a position is never before `joined`.
pub fn assemble(joined: Seq, marks: Vec<(String, Seq)>, unread: Vec<(String, u32, u32)>) -> Vec<ReadState> {
    let mut states = vec![ReadState { with: None, seq: joined, unread: 0, mentions: 0 }];
    for (peer, seq) in marks {
        state_of(&mut states, peer, joined).seq = seq.max(joined);
    }
    for (peer, count, mentions) in unread {
        let state = state_of(&mut states, peer, joined);
        state.unread = count;
        state.mentions = mentions;
    }
    states[1..].sort_by(|a, b| a.with.cmp(&b.with));
    states
}

/// Others' positions as stored (`peer` `''` for the meeting's conversation,
/// else the reader's id: their private one with the reader), as receipts.
pub fn seen(rows: Vec<(String, String, Seq)>) -> Vec<Seen> {
    rows.into_iter().map(|(by, peer, seq)| Seen { by: ParticipantId(by), private: !peer.is_empty(), seq }).collect()
}

/// Selects [`seen`]'s rows for the meeting (`meeting`) and reader (`reader`) bound there.
pub fn seen_sql(meeting: &str, reader: &str) -> String {
    format!(
        "SELECT participant_id, peer, seq FROM read_marks WHERE meeting_id = {meeting} \
         AND participant_id != {reader} AND (peer = '' OR peer = {reader}) ORDER BY participant_id, peer"
    )
}

/// Read positions, and what others have read (read receipts).
#[async_trait::async_trait]
pub trait ReadMarks: Send + Sync + 'static {
    /// Moves `reader`'s read position in a conversation (the private one
    /// with `with`, or the meeting's) forward to `seq`; whether it moved.
    async fn mark_read(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        with: Option<&ParticipantId>,
        seq: Seq,
    ) -> Result<bool, StoreError>;
    /// `reader`'s read position and unread messages per conversation: the
    /// meeting's always, private ones with a position or unread messages. A
    /// reader met for the first time starts at `joined_at` (the head when
    /// they join: what came before is history, not news).
    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError>;
    /// How far everyone else has read the conversations `reader` is in (the
    /// meeting's, and each one's private one with `reader`), for read receipts.
    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meeting_comes_first_and_no_position_is_before_joining() {
        let states = assemble(10, vec![("bob".into(), 4), ("".into(), 15)], vec![("cat".into(), 2, 1)]);
        assert_eq!(
            states,
            [
                ReadState { with: None, seq: 15, unread: 0, mentions: 0 },
                ReadState { with: Some("bob".into()), seq: 10, unread: 0, mentions: 0 },
                ReadState { with: Some("cat".into()), seq: 10, unread: 2, mentions: 1 },
            ]
        );
    }
}
