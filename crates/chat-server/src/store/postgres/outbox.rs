//! The webhook outbox in PostgreSQL. Rows become visible in `id` order (see
//! the schema), and each endpoint's cursor is leased by one node at a time,
//! so every item is delivered by one node of the cluster, in order.

use async_trait::async_trait;
use chat_protocol::MeetingId;
use serde_json::Value;

use super::reads::event_at;
use super::rows::corrupt;
use super::schema::OUTBOX_LOCK;
use super::{raw, PostgresStore};
use crate::store::columns::{read_outbox_row, OUTBOX_COLUMNS};
use crate::store::outbox::{Outbox, OutboxItem};
use crate::store::StoreError;

#[async_trait]
impl Outbox for PostgresStore {
    async fn claim(&self, endpoint: &str, owner: &str, now: i64, lease_ms: i64) -> Result<Option<i64>, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO webhook_cursors (endpoint, delivered) SELECT $1, COALESCE(MAX(id), 0) FROM webhook_outbox \
                 ON CONFLICT (endpoint) DO NOTHING",
                &[&endpoint],
            )
            .await?;
        let row = client
            .query_opt(
                "UPDATE webhook_cursors SET owner = $2, lease_until = $3 + $4 \
                 WHERE endpoint = $1 AND (owner IS NULL OR owner = $2 OR lease_until < $3) RETURNING delivered",
                &[&endpoint, &owner, &now, &lease_ms],
            )
            .await?;
        Ok(row.map(|row| row.try_get("delivered")).transpose()?)
    }

    async fn items_after(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>, StoreError> {
        let client = self.client().await?;
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM webhook_outbox WHERE id > $1 ORDER BY id LIMIT $2");
        let rows = client.query(&sql, &[&after, &i64::from(limit)]).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let row = read_outbox_row(row)?;
            let event = match row.event_seq {
                Some(seq) => Some(event_at(&**client, &row.meeting, seq).await?),
                None => None,
            };
            items.push(row.into_item(event)?);
        }
        Ok(items)
    }

    async fn backlog(&self, after: i64) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let count: i64 =
            client.query_one("SELECT COUNT(*) FROM webhook_outbox WHERE id > $1", &[&after]).await?.try_get(0)?;
        u64::try_from(count).map_err(corrupt)
    }

    async fn advance(&self, endpoint: &str, owner: &str, id: i64, dead: Option<&str>) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = raw(&mut client).transaction().await?;
        let moved = tx
            .execute(
                "UPDATE webhook_cursors SET delivered = $3 WHERE endpoint = $1 AND owner = $2",
                &[&endpoint, &owner, &id],
            )
            .await?;
        if moved == 0 {
            return Ok(false);
        }
        if let Some(reason) = dead {
            tx.execute(
                "INSERT INTO webhook_dead (endpoint, item_id, at, reason) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (endpoint, item_id) DO UPDATE SET at = excluded.at, reason = excluded.reason",
                &[&endpoint, &id, &crate::clock::now_ms(), &reason],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn add_notice(&self, meeting: &MeetingId, kind: &str, payload: &Value, at: i64) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = raw(&mut client).transaction().await?;
        // Under the outbox's lock, so its id is committed before any later one is taken.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&OUTBOX_LOCK]).await?;
        tx.execute(
            "INSERT INTO webhook_outbox (meeting_id, kind, body, created_at) VALUES ($1, $2, $3, $4)",
            &[&meeting.0, &kind, &payload.to_string(), &at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn prune(&self, endpoints: &[String]) -> Result<u64, StoreError> {
        let client = self.client().await?;
        // An endpoint that has not started yet will start after the newest.
        let everyone_has: Option<i64> = client
            .query_one(
                "SELECT MIN(COALESCE(c.delivered, 9223372036854775807)) FROM UNNEST($1::TEXT[]) AS e(endpoint) \
                 LEFT JOIN webhook_cursors c ON c.endpoint = e.endpoint",
                &[&endpoints],
            )
            .await?
            .try_get(0)?;
        let pruned =
            client.execute("DELETE FROM webhook_outbox WHERE id <= $1", &[&everyone_has.unwrap_or(i64::MAX)]).await?;
        Ok(pruned)
    }
}
