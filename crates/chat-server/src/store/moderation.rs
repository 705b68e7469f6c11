//! Who hosts muted in each meeting's chat, whatever the engine: each mute and
//! unmute is kept with its event (the audit trail: who, whom, when, until when).

use async_trait::async_trait;
use chat_protocol::{MeetingId, Mute, ParticipantId};

use super::{StoreError, StoredEvent};

/// A meeting's mutes.
#[async_trait]
pub trait Moderation: Send + Sync + 'static {
    /// Who is muted in `meeting`, mutes for a time that ended included (the
    /// caller holds them against its clock).
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError>;
    /// Mutes `mute.participant_id` until `mute.until` (`None`: until
    /// unmuted), replacing any mute of theirs, with its event.
    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError>;
    /// Lifts `participant`'s mute with its event; `None` when there was none.
    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
}

/// A mute or unmute event's payload: whom, and until when.
pub fn mute_payload(mute: &Mute) -> Result<String, StoreError> {
    serde_json::to_string(mute).map_err(|e| StoreError::Corrupt(e.to_string()))
}
