//! PostgreSQL's longer reads: events after a `seq` (for one viewer, or with
//! their audiences for a node's fan-out), a page of history, and the chat
//! dump, filtered for privacy and hiding as SQLite does.

use chat_protocol::{EventEnvelope, MeetingId, Participant, ParticipantId, Seq};
use tokio_postgres::{GenericClient, Row};

use super::rows::{complete, corrupt, hidden_by, load_message_for, read_message};
use crate::store::columns::{read_event, visible, EVENT_COLUMNS, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::events::build_event;
use crate::store::{DumpedMessage, MessagePage, PageQuery, StoreError, StoredEvent};

fn seq_param(seq: Seq) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(corrupt)
}

/// An event row selected with [`EVENT_COLUMNS`], built from its message's
/// current state: read for `viewer` (their reactions marked, hiders already
/// left out), or for everyone (its audience leaving out those who hid it).
async fn event(
    client: &impl GenericClient,
    meeting: &MeetingId,
    row: &Row,
    viewer: Option<&ParticipantId>,
) -> Result<StoredEvent, StoreError> {
    let (record, message_id) = read_event(row)?;
    let (message, hidden) = match message_id {
        Some(id) => {
            let hidden = if viewer.is_none() { hidden_by(client, &id).await? } else { Vec::new() };
            (load_message_for(client, meeting, &id, viewer).await?, hidden)
        }
        None => (None, Vec::new()),
    };
    build_event(record, message, hidden)
}

/// Events after `after`, at most `limit`, that `viewer` may receive, oldest first.
pub async fn events_after(
    client: &impl GenericClient,
    meeting: &MeetingId,
    viewer: &Participant,
    after: Seq,
    limit: u64,
) -> Result<Vec<EventEnvelope>, StoreError> {
    let limit = i64::try_from(limit).map_err(corrupt)?;
    // Events about a message the viewer hid are skipped, except the hiding itself.
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.meeting_id = $1 AND e.seq > $2 \
         AND (e.kind = 'hidden' OR e.message_id IS NULL OR NOT EXISTS \
              (SELECT 1 FROM hidden h WHERE h.message_id = e.message_id AND h.participant_id = $3)) \
         ORDER BY e.seq LIMIT $4"
    );
    let rows = client.query(&sql, &[&meeting.0, &seq_param(after)?, &viewer.id.0, &limit]).await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        let stored = event(client, meeting, row, Some(&viewer.id)).await?;
        if stored.audience.includes(viewer) {
            events.push(stored.envelope);
        }
    }
    Ok(events)
}

/// Every event after `after`, at most `limit`, with its audience, oldest first.
pub async fn events_since(
    client: &impl GenericClient,
    meeting: &MeetingId,
    after: Seq,
    limit: u64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let limit = i64::try_from(limit).map_err(corrupt)?;
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.meeting_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3");
    let rows = client.query(&sql, &[&meeting.0, &seq_param(after)?, &limit]).await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        events.push(event(client, meeting, row, None).await?);
    }
    Ok(events)
}

/// The event at `seq`, with its audience.
pub async fn event_at(client: &impl GenericClient, meeting: &MeetingId, seq: i64) -> Result<StoredEvent, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.meeting_id = $1 AND e.seq = $2");
    let row = client
        .query_opt(&sql, &[&meeting.0, &seq])
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("outbox names event {seq} of {meeting:?}, which is missing")))?;
    event(client, meeting, &row, None).await
}

/// Messages visible to `viewer` with `seq` below `before`, newest `limit` of
/// them; with `with`, only those of the private conversation with that participant.
pub async fn history(
    client: &impl GenericClient,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    &PageQuery { before, limit, ref with }: &PageQuery,
) -> Result<MessagePage, StoreError> {
    let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} WHERE m.meeting_id = $1 AND m.seq < $2 AND {} \
         ORDER BY m.seq DESC LIMIT $4",
        visible("$3", "$5::TEXT")
    );
    let fetch = i64::from(limit) + 1;
    let with = with.as_ref().map(|p| p.0.as_str());
    let rows = client.query(&sql, &[&meeting.0, &before, &viewer.0, &fetch, &with]).await?;
    let mut page = newest_first(client, &rows, viewer, limit).await?;
    page.messages.reverse();
    Ok(page)
}

/// At most `limit` of the message rows selected newest first (one more
/// tells whether older ones exist), completed for `viewer`.
pub async fn newest_first(
    client: &impl GenericClient,
    rows: &[Row],
    viewer: &ParticipantId,
    limit: u32,
) -> Result<MessagePage, StoreError> {
    let mut messages = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        messages.push(complete(client, read_message(row)?, Some(viewer)).await?);
    }
    Ok(MessagePage { messages, has_more: rows.len() > limit as usize })
}

/// Every message of a meeting after `after`, oldest first, with its session.
pub async fn dump_page(
    client: &impl GenericClient,
    meeting: &MeetingId,
    after: Seq,
    limit: u32,
) -> Result<Vec<DumpedMessage>, StoreError> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS}, m.session_id FROM {MESSAGE_FROM} WHERE m.meeting_id = $1 AND m.seq > $2 \
         ORDER BY m.seq LIMIT $3"
    );
    let rows = client.query(&sql, &[&meeting.0, &seq_param(after)?, &i64::from(limit)]).await?;
    let mut page = Vec::with_capacity(rows.len());
    for row in &rows {
        let message = complete(client, read_message(row)?, None).await?;
        page.push(DumpedMessage { message, session_id: row.try_get("session_id")? });
    }
    Ok(page)
}
