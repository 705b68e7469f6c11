//! Reports in SQLite: one row per reporter and message while open, each
//! report and dismissal with its event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, ParticipantId, Report};
use rusqlite::{params, TransactionBehavior};

use super::events::{message_event, record_event};
use super::rows::require_live_message;
use super::SqliteStore;
use crate::store::events::{EventKind, EventRecord};
use crate::store::reports::Reported;
use crate::store::{Reports, StoreError, StoredEvent};

#[async_trait]
impl Reports for SqliteStore {
    async fn open_reports(&self, meeting: &MeetingId) -> Result<Vec<Report>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.message_id, r.reporter_id, r.reporter_name, r.reason, r.time FROM reports r \
                 JOIN messages m ON m.id = r.message_id \
                 WHERE r.meeting_id = ?1 AND NOT m.deleted ORDER BY r.time, r.message_id, r.reporter_id",
            )?;
            let rows = stmt.query_map(params![meeting.0], |r| {
                Ok(Report {
                    message_id: MessageId(r.get("message_id")?),
                    by: ParticipantId(r.get("reporter_id")?),
                    by_name: r.get("reporter_name")?,
                    reason: r.get("reason")?,
                    time: r.get("time")?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn report(&self, meeting: &MeetingId, report: Report) -> Result<Option<StoredEvent>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            require_live_message(&tx, &meeting, &report.message_id)?;
            let stored = tx.execute(
                "INSERT OR IGNORE INTO reports (meeting_id, message_id, reporter_id, reporter_name, reason, time) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![meeting.0, report.message_id.0, report.by.0, report.by_name, report.reason, report.time],
            )?;
            if stored == 0 {
                return Ok(None);
            }
            let payload = Reported::of(&report)?;
            let Report { message_id, by, time, .. } = report;
            let seq = record_event(&tx, &meeting, EventKind::Reported, Some(&message_id), &by, time, Some(&payload))?;
            let record = EventRecord { seq, time, kind: EventKind::Reported, actor: by, payload: Some(payload) };
            let event = message_event(&tx, &meeting, &message_id, record)?;
            tx.commit()?;
            Ok(Some(event))
        })
        .await
    }

    async fn dismiss_reports(
        &self,
        meeting: &MeetingId,
        message: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, message, by) = (meeting.clone(), message.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let closed = tx.execute(
                "DELETE FROM reports WHERE meeting_id = ?1 AND message_id = ?2",
                params![meeting.0, message.0],
            )?;
            if closed == 0 {
                return Ok(None);
            }
            let seq = record_event(&tx, &meeting, EventKind::Dismissed, Some(&message), &by, at, None)?;
            let record = EventRecord { seq, time: at, kind: EventKind::Dismissed, actor: by, payload: None };
            let event = message_event(&tx, &meeting, &message, record)?;
            tx.commit()?;
            Ok(Some(event))
        })
        .await
    }
}
