//! Mutes and removals in PostgreSQL: who is muted until when or removed, each
//! change with its event, under the meeting's lock like every other write.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, Mute, ParticipantId, Seq};
use tokio_postgres::Transaction;

use super::writes::{erase, lock_meeting, orphans, record_event};
use super::PostgresStore;
use crate::store::audit::{audit_query, read_audit_row, AuditEntry};
use crate::store::columns::corrupt;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::{payload, Removal};
use crate::store::{Deleted, Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for PostgresStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT participant_id, until, removed FROM mutes WHERE meeting_id = $1 ORDER BY participant_id",
                &[&meeting.0],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Mute {
                    participant_id: ParticipantId(row.try_get("participant_id")?),
                    until: row.try_get("until")?,
                    removed: row.try_get("removed")?,
                })
            })
            .collect()
    }

    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let payload = payload(&mute)?;
        let seq = record_event(&tx, meeting, EventKind::Muted, None, by, at, Some(&payload)).await?;
        keep_mute(&tx, meeting, &mute).await?;
        tx.commit().await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Muted, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new())
    }

    async fn remove(
        &self,
        meeting: &MeetingId,
        removal: Removal,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let payload = payload(&removal)?;
        let seq = record_event(&tx, meeting, EventKind::Removed, None, by, at, Some(&payload)).await?;
        keep_mute(&tx, meeting, &removal.mute()).await?;
        let mut files = Vec::new();
        if removal.messages_deleted {
            let sent = tx
                .query(
                    "SELECT id FROM messages WHERE meeting_id = $1 AND sender_id = $2 AND NOT deleted",
                    &[&meeting.0, &removal.participant_id.0],
                )
                .await?;
            for row in sent {
                files.extend(erase(&tx, meeting, &MessageId(row.try_get("id")?)).await?);
            }
        }
        let orphaned_files = orphans(&tx, files).await?;
        tx.commit().await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Removed, actor: by.clone(), payload: Some(payload) };
        Ok(Deleted { event: build_event(record, None, Vec::new())?, orphaned_files })
    }

    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let lifted = tx
            .execute("DELETE FROM mutes WHERE meeting_id = $1 AND participant_id = $2", &[&meeting.0, &participant.0])
            .await?;
        if lifted == 0 {
            return Ok(None);
        }
        let payload = payload(&Mute { participant_id: participant.clone(), until: None, removed: false })?;
        let seq = record_event(&tx, meeting, EventKind::Unmuted, None, by, at, Some(&payload)).await?;
        tx.commit().await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Unmuted, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new()).map(Some)
    }

    async fn audit_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let client = self.client().await?;
        let (after, limit) = (i64::try_from(after).map_err(corrupt)?, i64::from(limit));
        let rows = client.query(&audit_query(["$1", "$2", "$3"]), &[&meeting.0, &after, &limit]).await?;
        rows.iter().map(read_audit_row).collect()
    }
}

/// Keeps `mute` as the participant's one mute in `meeting`, replacing any.
async fn keep_mute(tx: &Transaction<'_>, meeting: &MeetingId, mute: &Mute) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO mutes (meeting_id, participant_id, until, removed) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (meeting_id, participant_id) DO UPDATE SET until = excluded.until, removed = excluded.removed",
        &[&meeting.0, &mute.participant_id.0, &mute.until, &mute.removed],
    )
    .await?;
    Ok(())
}
