//! Recording events in SQLite: the meeting's next `seq`, taken in the
//! transaction that stores the change, and the event built right after.

use chat_protocol::{MeetingId, MessageId, ParticipantId, Seq};
use rusqlite::{params, Connection};

use super::rows::{corrupt, hidden_by, load_message};
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{StoreError, StoredEvent};

/// Takes the meeting's next `seq` and records an event with it; call inside a transaction.
pub fn record_event(
    conn: &Connection,
    meeting: &MeetingId,
    kind: EventKind,
    message_id: Option<&MessageId>,
    actor: &ParticipantId,
    at: i64,
    payload: Option<&str>,
) -> Result<Seq, StoreError> {
    conn.execute("INSERT OR IGNORE INTO meetings (id) VALUES (?1)", params![meeting.0])?;
    let seq: i64 = conn.query_row(
        "UPDATE meetings SET head_seq = head_seq + 1 WHERE id = ?1 RETURNING head_seq",
        params![meeting.0],
        |r| r.get("head_seq"),
    )?;
    conn.execute(
        "INSERT INTO events (meeting_id, seq, time, kind, message_id, actor_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![meeting.0, seq, at, kind.as_str(), message_id.map(|m| m.0.as_str()), actor.0, payload],
    )?;
    seq.try_into().map_err(corrupt)
}

/// The event just recorded about message `id`, built from its current state.
pub fn message_event(
    conn: &Connection,
    meeting: &MeetingId,
    id: &MessageId,
    record: EventRecord,
) -> Result<StoredEvent, StoreError> {
    let message = load_message(conn, meeting, id)?;
    build_event(record, message, hidden_by(conn, id)?)
}
