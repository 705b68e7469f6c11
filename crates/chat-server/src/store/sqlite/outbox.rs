//! The webhook outbox in SQLite: rows that the `events` trigger and the
//! domain add, read in `id` order, with a cursor per endpoint.

use async_trait::async_trait;
use chat_protocol::MeetingId;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::reads::{read_events, stored_event};
use super::SqliteStore;
use crate::store::columns::{read_outbox_row, EVENT_COLUMNS, OUTBOX_COLUMNS};
use crate::store::outbox::{Outbox, OutboxItem};
use crate::store::StoreError;

fn read_items(conn: &Connection, after: i64, limit: u32) -> Result<Vec<OutboxItem>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {OUTBOX_COLUMNS} FROM webhook_outbox WHERE id > ?1 ORDER BY id LIMIT ?2"))?;
    let mut rows = stmt.query(params![after, limit])?;
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        read.push(read_outbox_row(row)?);
    }
    read.into_iter()
        .map(|row| {
            let event = row.event_seq.map(|seq| event_at(conn, &row.meeting, seq)).transpose()?;
            row.into_item(event)
        })
        .collect()
}

/// The event at `seq`, built from its message's current state.
fn event_at(conn: &Connection, meeting: &MeetingId, seq: i64) -> Result<crate::store::StoredEvent, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.meeting_id = ?1 AND e.seq = ?2"))?;
    let row = read_events(&mut stmt, params![meeting.0, seq])?
        .pop()
        .ok_or_else(|| StoreError::Corrupt(format!("outbox names event {seq} of {meeting:?}, which is missing")))?;
    stored_event(conn, meeting, row, None)
}

#[async_trait]
impl Outbox for SqliteStore {
    async fn claim(&self, endpoint: &str, owner: &str, now: i64, lease_ms: i64) -> Result<Option<i64>, StoreError> {
        let (endpoint, owner) = (endpoint.to_owned(), owner.to_owned());
        self.run(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO webhook_cursors (endpoint, delivered) \
                 SELECT ?1, COALESCE(MAX(id), 0) FROM webhook_outbox",
                params![endpoint],
            )?;
            Ok(conn
                .query_row(
                    "UPDATE webhook_cursors SET owner = ?2, lease_until = ?3 + ?4 \
                     WHERE endpoint = ?1 AND (owner IS NULL OR owner = ?2 OR lease_until < ?3) RETURNING delivered",
                    params![endpoint, owner, now, lease_ms],
                    |r| r.get("delivered"),
                )
                .optional()?)
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

    async fn advance(&self, endpoint: &str, owner: &str, id: i64, dead: Option<&str>) -> Result<bool, StoreError> {
        let (endpoint, owner, dead) = (endpoint.to_owned(), owner.to_owned(), dead.map(str::to_owned));
        self.run(move |conn| {
            let tx = conn.transaction()?;
            let moved = tx.execute(
                "UPDATE webhook_cursors SET delivered = ?3 WHERE endpoint = ?1 AND owner = ?2",
                params![endpoint, owner, id],
            )?;
            if moved == 0 {
                return Ok(false);
            }
            if let Some(reason) = dead {
                let at = crate::clock::now_ms();
                tx.execute(
                    "INSERT OR REPLACE INTO webhook_dead (endpoint, item_id, at, reason) VALUES (?1, ?2, ?3, ?4)",
                    params![endpoint, id, at, reason],
                )?;
            }
            tx.commit()?;
            Ok(true)
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
