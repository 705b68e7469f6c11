//! Mutes in SQLite: who is muted until when, each change with its event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, Mute, ParticipantId};
use rusqlite::{params, TransactionBehavior};

use super::events::record_event;
use super::SqliteStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::mute_payload;
use crate::store::{Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for SqliteStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT participant_id, until FROM mutes WHERE meeting_id = ?1 ORDER BY participant_id",
            )?;
            let rows = stmt.query_map(params![meeting.0], |r| {
                Ok(Mute { participant_id: ParticipantId(r.get("participant_id")?), until: r.get("until")? })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, by) = (meeting.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let payload = mute_payload(&mute)?;
            let seq = record_event(&tx, &meeting, EventKind::Muted, None, &by, at, Some(&payload))?;
            tx.execute(
                "INSERT INTO mutes (meeting_id, participant_id, until) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (meeting_id, participant_id) DO UPDATE SET until = excluded.until",
                params![meeting.0, mute.participant_id.0, mute.until],
            )?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Muted, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new())
        })
        .await
    }

    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, participant, by) = (meeting.clone(), participant.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let lifted = tx.execute(
                "DELETE FROM mutes WHERE meeting_id = ?1 AND participant_id = ?2",
                params![meeting.0, participant.0],
            )?;
            if lifted == 0 {
                return Ok(None);
            }
            let payload = mute_payload(&Mute { participant_id: participant, until: None })?;
            let seq = record_event(&tx, &meeting, EventKind::Unmuted, None, &by, at, Some(&payload))?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Unmuted, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new()).map(Some)
        })
        .await
    }
}
