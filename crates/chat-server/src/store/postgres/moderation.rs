//! Mutes in PostgreSQL: who is muted until when, each change with its event,
//! under the meeting's lock like every other write.

use async_trait::async_trait;
use chat_protocol::{MeetingId, Mute, ParticipantId};

use super::writes::{lock_meeting, record_event};
use super::PostgresStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::mute_payload;
use crate::store::{Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for PostgresStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT participant_id, until FROM mutes WHERE meeting_id = $1 ORDER BY participant_id",
                &[&meeting.0],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Mute { participant_id: ParticipantId(row.try_get("participant_id")?), until: row.try_get("until")? })
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
        let payload = mute_payload(&mute)?;
        let seq = record_event(&tx, meeting, EventKind::Muted, None, by, at, Some(&payload)).await?;
        tx.execute(
            "INSERT INTO mutes (meeting_id, participant_id, until) VALUES ($1, $2, $3) \
             ON CONFLICT (meeting_id, participant_id) DO UPDATE SET until = excluded.until",
            &[&meeting.0, &mute.participant_id.0, &mute.until],
        )
        .await?;
        tx.commit().await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Muted, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new())
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
        let payload = mute_payload(&Mute { participant_id: participant.clone(), until: None })?;
        let seq = record_event(&tx, meeting, EventKind::Unmuted, None, by, at, Some(&payload)).await?;
        tx.commit().await?;
        let record = EventRecord { seq, time: at, kind: EventKind::Unmuted, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new()).map(Some)
    }
}
