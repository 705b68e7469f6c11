//! The SQLite engine's longer reads: the events after a `seq` (for one
//! viewer, or with their audiences), a page of history and the chat dump, both filtered for privacy and hiding.

use chat_protocol::{EventEnvelope, MeetingId, MessageId, Participant, ParticipantId, Seq};
use rusqlite::{params, Connection, Params, Statement};

use super::rows::{complete, corrupt, hidden_by, load_message_for, read_message, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::columns::{read_event, visible, EVENT_COLUMNS};
use crate::store::events::{build_event, EventRecord};
use crate::store::{DumpedMessage, MessagePage, PageQuery, StoreError, StoredEvent};

/// Events after `after`, at most `limit`, that `viewer` may receive, oldest first.
pub fn events_after(
    conn: &Connection,
    meeting: &MeetingId,
    viewer: &Participant,
    after: Seq,
    limit: u64,
) -> Result<Vec<EventEnvelope>, StoreError> {
    let after = i64::try_from(after).map_err(corrupt)?;
    let limit = i64::try_from(limit).map_err(corrupt)?;
    // Events about a message the viewer hid are skipped, except the hiding itself.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e \
         WHERE e.meeting_id = ?1 AND e.seq > ?2 \
         AND (e.kind = 'hidden' OR e.message_id IS NULL OR NOT EXISTS \
              (SELECT 1 FROM hidden h WHERE h.message_id = e.message_id AND h.participant_id = ?3)) \
         ORDER BY e.seq LIMIT ?4"
    ))?;
    let rows = read_events(&mut stmt, params![meeting.0, after, viewer.id.0, limit])?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        // Hidden messages were filtered out in SQL already.
        let stored = stored_event(conn, meeting, row, Some(&viewer.id))?;
        if stored.audience.includes(viewer) {
            events.push(stored.envelope);
        }
    }
    Ok(events)
}

/// The event rows a statement selecting [`EVENT_COLUMNS`] returns.
pub fn read_events(
    stmt: &mut Statement<'_>,
    params: impl Params,
) -> Result<Vec<(EventRecord, Option<MessageId>)>, StoreError> {
    let mut rows = stmt.query(params)?;
    let mut events = Vec::new();
    while let Some(row) = rows.next()? {
        events.push(read_event(row)?);
    }
    Ok(events)
}

/// An event built from its row and its message's current state: read for
/// `viewer` (their reactions marked, hiders already left out), or for
/// everyone (its audience leaving out those who hid the message).
pub fn stored_event(
    conn: &Connection,
    meeting: &MeetingId,
    (record, message_id): (EventRecord, Option<MessageId>),
    viewer: Option<&ParticipantId>,
) -> Result<StoredEvent, StoreError> {
    let (message, hidden) = match message_id {
        Some(id) => {
            let hidden = if viewer.is_none() { hidden_by(conn, &id)? } else { Vec::new() };
            (load_message_for(conn, meeting, &id, viewer)?, hidden)
        }
        None => (None, Vec::new()),
    };
    build_event(record, message, hidden)
}

/// Every event after `after`, at most `limit`, with its audience, oldest first.
pub fn events_since(
    conn: &Connection,
    meeting: &MeetingId,
    after: Seq,
    limit: u64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let after = i64::try_from(after).map_err(corrupt)?;
    let limit = i64::try_from(limit).map_err(corrupt)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.meeting_id = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3"
    ))?;
    let rows = read_events(&mut stmt, params![meeting.0, after, limit])?;
    rows.into_iter().map(|row| stored_event(conn, meeting, row, None)).collect()
}

/// Messages visible to `viewer` with `seq` below `before`, newest `limit` of
/// them; with `with`, only those of the private conversation with that participant.
pub fn history(
    conn: &Connection,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    &PageQuery { before, limit, ref with }: &PageQuery,
) -> Result<MessagePage, StoreError> {
    let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} WHERE m.meeting_id = ?1 AND m.seq < ?2 AND {} \
         ORDER BY m.seq DESC LIMIT ?4",
        visible("?3", "?5")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows =
        stmt.query(params![meeting.0, before, viewer.0, i64::from(limit) + 1, with.as_ref().map(|p| p.0.as_str())])?;
    let mut page = newest_first(conn, rows, viewer, limit)?;
    page.messages.reverse();
    Ok(page)
}

/// At most `limit` of the message rows selected newest first (one more
/// tells whether older ones exist), completed for `viewer`.
pub fn newest_first(
    conn: &Connection,
    mut rows: rusqlite::Rows<'_>,
    viewer: &ParticipantId,
    limit: u32,
) -> Result<MessagePage, StoreError> {
    let mut messages = Vec::new();
    while let Some(row) = rows.next()? {
        messages.push(read_message(row)?);
    }
    drop(rows);
    let has_more = messages.len() > limit as usize;
    messages.truncate(limit as usize);
    let messages =
        messages.into_iter().map(|message| complete(conn, message, Some(viewer))).collect::<Result<_, _>>()?;
    Ok(MessagePage { messages, has_more })
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
        .map(|(message, session_id)| Ok(DumpedMessage { message: complete(conn, message, None)?, session_id }))
        .collect()
}
