//! Mutes in memory, each change with its event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, Mute, ParticipantId};

use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::moderation::mute_payload;
use crate::store::{Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for MemoryStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        self.with(|s| Ok(s.meetings.get(meeting).map(|m| m.mutes.values().cloned().collect()).unwrap_or_default()))
    }

    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        self.with(|s| {
            let payload = mute_payload(&mute)?;
            s.meeting(meeting).mutes.insert(mute.participant_id.clone(), mute);
            s.record(meeting, EventKind::Muted, None, by, at, Some(payload));
            s.last_event(meeting)
        })
    }

    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            if s.meeting(meeting).mutes.remove(participant).is_none() {
                return Ok(None);
            }
            let payload = mute_payload(&Mute { participant_id: participant.clone(), until: None })?;
            s.record(meeting, EventKind::Unmuted, None, by, at, Some(payload));
            s.last_event(meeting).map(Some)
        })
    }
}
