//! Reports in PostgreSQL: one row per reporter and message while open, each
//! report and dismissal with its event, under the meeting's lock.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, ParticipantId, Report};

use super::rows::require_live_message;
use super::writes::{lock_meeting, message_event, record_event};
use super::PostgresStore;
use crate::store::events::{EventKind, EventRecord};
use crate::store::reports::Reported;
use crate::store::{Reports, StoreError, StoredEvent};

#[async_trait]
impl Reports for PostgresStore {
    async fn open_reports(&self, meeting: &MeetingId) -> Result<Vec<Report>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT r.message_id, r.reporter_id, r.reporter_name, r.reason, r.time FROM reports r \
                 JOIN messages m ON m.id = r.message_id \
                 WHERE r.meeting_id = $1 AND NOT m.deleted ORDER BY r.time, r.message_id, r.reporter_id",
                &[&meeting.0],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Report {
                    message_id: MessageId(row.try_get("message_id")?),
                    by: ParticipantId(row.try_get("reporter_id")?),
                    by_name: row.try_get("reporter_name")?,
                    reason: row.try_get("reason")?,
                    time: row.try_get("time")?,
                })
            })
            .collect()
    }

    async fn report(&self, meeting: &MeetingId, report: Report) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        require_live_message(&tx, meeting, &report.message_id).await?;
        let stored = tx
            .execute(
                "INSERT INTO reports (meeting_id, message_id, reporter_id, reporter_name, reason, time) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id, reporter_id) DO NOTHING",
                &[&meeting.0, &report.message_id.0, &report.by.0, &report.by_name, &report.reason, &report.time],
            )
            .await?;
        if stored == 0 {
            return Ok(None);
        }
        let payload = Reported::of(&report)?;
        let Report { message_id, by, time, .. } = report;
        let seq = record_event(&tx, meeting, EventKind::Reported, Some(&message_id), &by, time, Some(&payload)).await?;
        let record = EventRecord { seq, time, kind: EventKind::Reported, actor: by, payload: Some(payload) };
        let event = message_event(&tx, meeting, &message_id, record).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    async fn dismiss_reports(
        &self,
        meeting: &MeetingId,
        message: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let closed = tx
            .execute("DELETE FROM reports WHERE meeting_id = $1 AND message_id = $2", &[&meeting.0, &message.0])
            .await?;
        if closed == 0 {
            return Ok(None);
        }
        let seq = record_event(&tx, meeting, EventKind::Dismissed, Some(message), by, at, None).await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Dismissed, actor: by.clone(), payload: None };
        let event = message_event(&tx, meeting, message, record).await?;
        tx.commit().await?;
        Ok(Some(event))
    }
}
