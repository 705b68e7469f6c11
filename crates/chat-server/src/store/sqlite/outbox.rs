//! The webhook outbox in SQLite: rows that the `events` trigger and the
//! domain add, read in `id` order, with a cursor per endpoint.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, ParticipantId};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::rows::{corrupt, hidden_by, load_message};
use super::SqliteStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::outbox::{Outbox, OutboxBody, OutboxItem};
use crate::store::StoreError;

/// An outbox row as stored.
struct Row {
    id: i64,
    meeting: String,
    seq: Option<i64>,
    kind: String,
    body: Option<String>,
    created_at: i64,
}

fn read_items(conn: &Connection, after: i64, limit: u32) -> Result<Vec<OutboxItem>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, meeting_id, seq, kind, body, created_at FROM webhook_outbox WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after, limit], |r| {
            Ok(Row {
                id: r.get("id")?,
                meeting: r.get("meeting_id")?,
                seq: r.get("seq")?,
                kind: r.get("kind")?,
                body: r.get("body")?,
                created_at: r.get("created_at")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|row| item(conn, row)).collect()
}

fn item(conn: &Connection, row: Row) -> Result<OutboxItem, StoreError> {
    let meeting = MeetingId(row.meeting);
    let body = match (row.seq, row.body) {
        (Some(seq), _) => OutboxBody::Event(Box::new(event_at(conn, &meeting, seq)?)),
        (None, Some(body)) => {
            OutboxBody::Notice { kind: row.kind, payload: serde_json::from_str::<Value>(&body).map_err(corrupt)? }
        }
        (None, None) => return Err(StoreError::Corrupt(format!("outbox item {} says nothing", row.id))),
    };
    Ok(OutboxItem { id: row.id, meeting, created_at: row.created_at, body })
}

/// The event at `seq`, built from its message's current state.
fn event_at(conn: &Connection, meeting: &MeetingId, seq: i64) -> Result<crate::store::StoredEvent, StoreError> {
    let (time, kind, message_id, actor, payload): (i64, String, Option<String>, String, Option<String>) = conn
        .query_row(
            "SELECT time, kind, message_id, actor_id, payload FROM events WHERE meeting_id = ?1 AND seq = ?2",
            params![meeting.0, seq],
            |r| Ok((r.get("time")?, r.get("kind")?, r.get("message_id")?, r.get("actor_id")?, r.get("payload")?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("outbox names event {seq} of {meeting:?}, which is missing")))?;
    let (message, hidden) = match message_id.map(MessageId) {
        Some(id) => (load_message(conn, meeting, &id)?, hidden_by(conn, &id)?),
        None => (None, Vec::new()),
    };
    let seq = seq.try_into().map_err(corrupt)?;
    let record = EventRecord { seq, time, kind: EventKind::parse(&kind)?, actor: ParticipantId(actor), payload };
    build_event(record, message, hidden)
}

#[async_trait]
impl Outbox for SqliteStore {
    async fn cursor(&self, endpoint: &str) -> Result<i64, StoreError> {
        let endpoint = endpoint.to_owned();
        self.run(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO webhook_cursors (endpoint, delivered) \
                 SELECT ?1, COALESCE(MAX(id), 0) FROM webhook_outbox",
                params![endpoint],
            )?;
            Ok(conn.query_row("SELECT delivered FROM webhook_cursors WHERE endpoint = ?1", params![endpoint], |r| {
                r.get("delivered")
            })?)
        })
        .await
    }

    async fn items_after(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>, StoreError> {
        self.run(move |conn| read_items(conn, after, limit)).await
    }

    async fn backlog(&self, after: i64) -> Result<u64, StoreError> {
        self.run(move |conn| {
            let count: i64 =
                conn.query_row("SELECT COUNT(*) FROM webhook_outbox WHERE id > ?1", params![after], |r| r.get(0))?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
        .await
    }

    async fn advance(&self, endpoint: &str, id: i64, dead: Option<&str>) -> Result<(), StoreError> {
        let (endpoint, dead) = (endpoint.to_owned(), dead.map(str::to_owned));
        self.run(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("UPDATE webhook_cursors SET delivered = ?2 WHERE endpoint = ?1", params![endpoint, id])?;
            if let Some(reason) = dead {
                let at = crate::now_ms();
                tx.execute(
                    "INSERT OR REPLACE INTO webhook_dead (endpoint, item_id, at, reason) VALUES (?1, ?2, ?3, ?4)",
                    params![endpoint, id, at, reason],
                )?;
            }
            Ok(tx.commit()?)
        })
        .await
    }

    async fn add_notice(&self, meeting: &MeetingId, kind: &str, payload: &Value, at: i64) -> Result<(), StoreError> {
        let (meeting, kind, body) = (meeting.clone(), kind.to_owned(), payload.to_string());
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO webhook_outbox (meeting_id, kind, body, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![meeting.0, kind, body, at],
            )?;
            Ok(())
        })
        .await
    }

    async fn prune(&self, endpoints: &[String]) -> Result<u64, StoreError> {
        let endpoints = endpoints.to_vec();
        self.run(move |conn| {
            let mut everyone_has = i64::MAX;
            for endpoint in &endpoints {
                let cursor: Option<i64> = conn
                    .query_row("SELECT delivered FROM webhook_cursors WHERE endpoint = ?1", params![endpoint], |r| {
                        r.get("delivered")
                    })
                    .optional()?;
                // An endpoint that has not started yet will start after the newest.
                everyone_has = everyone_has.min(cursor.unwrap_or(i64::MAX));
            }
            let pruned = conn.execute("DELETE FROM webhook_outbox WHERE id <= ?1", params![everyone_has])?;
            Ok(u64::try_from(pruned).unwrap_or(0))
        })
        .await
    }
}
