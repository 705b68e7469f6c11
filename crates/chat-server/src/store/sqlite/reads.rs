//! The SQLite engine's longer reads: the events a viewer may receive after
//! a `seq`, and a page of history, both filtered for privacy and hiding.

use chat_protocol::{EventEnvelope, MeetingId, MessageId, ParticipantId, Seq};
use rusqlite::{params, Connection};

use super::rows::{corrupt, load_message, read_message, with_attachments, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{DumpedMessage, HistoryPage, StoreError};

/// Events after `after`, at most `limit`, that `viewer` may receive, oldest first.
pub fn events_after(
    conn: &Connection,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    after: Seq,
    limit: u64,
) -> Result<Vec<EventEnvelope>, StoreError> {
    let after = i64::try_from(after).map_err(corrupt)?;
    let limit = i64::try_from(limit).map_err(corrupt)?;
    // Events about a message the viewer hid are skipped, except the hiding itself.
    let mut stmt = conn.prepare_cached(
        "SELECT e.seq, e.time, e.kind, e.message_id, e.actor_id, e.payload FROM events e \
         WHERE e.meeting_id = ?1 AND e.seq > ?2 \
         AND (e.kind = 'hidden' OR e.message_id IS NULL OR NOT EXISTS \
              (SELECT 1 FROM hidden h WHERE h.message_id = e.message_id AND h.participant_id = ?3)) \
         ORDER BY e.seq LIMIT ?4",
    )?;
    let rows = stmt
        .query_map(params![meeting.0, after, viewer.0, limit], |r| {
            Ok((
                r.get::<_, i64>("seq")?,
                r.get::<_, i64>("time")?,
                r.get::<_, String>("kind")?,
                r.get::<_, Option<String>>("message_id")?,
                r.get::<_, String>("actor_id")?,
                r.get::<_, Option<String>>("payload")?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut events = Vec::with_capacity(rows.len());
    for (seq, time, kind, message_id, actor, payload) in rows {
        let message = match message_id {
            Some(id) => load_message(conn, meeting, &MessageId(id))?,
            None => None,
        };
        // Hidden messages were filtered out in SQL already.
        let seq = seq.try_into().map_err(corrupt)?;
        let record = EventRecord { seq, time, kind: EventKind::parse(&kind)?, actor: ParticipantId(actor), payload };
        let stored = build_event(record, message, Vec::new())?;
        if stored.audience.includes(viewer) {
            events.push(stored.envelope);
        }
    }
    Ok(events)
}

/// Messages visible to `viewer` with `seq` below `before`, newest `limit` of
/// them; with `with`, only those of the private conversation with that participant.
pub fn history(
    conn: &Connection,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    before: Option<Seq>,
    limit: u32,
    with: Option<&ParticipantId>,
) -> Result<HistoryPage, StoreError> {
    let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} \
         WHERE m.meeting_id = ?1 AND m.seq < ?2 \
         AND (m.targets = '[]' OR m.sender_id = ?3 OR EXISTS \
              (SELECT 1 FROM message_targets t WHERE t.message_id = m.id AND t.participant_id = ?3)) \
         AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.message_id = m.id AND h.participant_id = ?3) \
         AND (?5 IS NULL OR (m.targets != '[]' AND (m.sender_id = ?5 OR EXISTS \
              (SELECT 1 FROM message_targets p WHERE p.message_id = m.id AND p.participant_id = ?5)))) \
         ORDER BY m.seq DESC LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows =
        stmt.query(params![meeting.0, before, viewer.0, i64::from(limit) + 1, with.map(|p| p.0.as_str())])?;
    let mut messages = Vec::new();
    while let Some(row) = rows.next()? {
        messages.push(read_message(row)?);
    }
    drop(rows);
    let mut complete = Vec::with_capacity(messages.len());
    for message in messages {
        complete.push(with_attachments(conn, message)?);
    }
    let mut messages = complete;
    let has_more = messages.len() > limit as usize;
    messages.truncate(limit as usize);
    messages.reverse();
    Ok(HistoryPage { messages, has_more })
}

/// Every message of a meeting after `after`, oldest first, with its session.
pub fn dump_page(
    conn: &Connection,
    meeting: &MeetingId,
    after: Seq,
    limit: u32,
) -> Result<Vec<DumpedMessage>, StoreError> {
    let after = i64::try_from(after).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS}, m.session_id FROM {MESSAGE_FROM} WHERE m.meeting_id = ?1 AND m.seq > ?2 \
         ORDER BY m.seq LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![meeting.0, after, limit])?;
    let mut page = Vec::new();
    while let Some(row) = rows.next()? {
        page.push((read_message(row)?, row.get::<_, String>("session_id")?));
    }
    drop(rows);
    page.into_iter()
        .map(|(message, session_id)| Ok(DumpedMessage { message: with_attachments(conn, message)?, session_id }))
        .collect()
}
