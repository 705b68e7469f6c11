//! Who hosts muted or removed in each meeting's chat, whatever the engine:
//! each mute, removal and unmute is kept with its event (the audit trail: who,
//! whom, when, until when, with or without their messages).

use async_trait::async_trait;
use chat_protocol::{MeetingId, Mute, ParticipantId, Seq};
use serde::{Deserialize, Serialize};

use super::audit::AuditEntry;
use super::{Deleted, StoreError, StoredEvent};

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
    /// Removes `removal.participant_id` from the chat (muted until let back,
    /// replacing any mute of theirs), with its event; with
    /// `removal.messages_deleted`, every message they sent is deleted for
    /// everyone in the same step, under that one event.
    async fn remove(
        &self,
        meeting: &MeetingId,
        removal: Removal,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError>;
    /// Lifts `participant`'s mute or removal with its event; `None` when there was none.
    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
    /// The audit trail's entries after `after`, oldest first, at most
    /// `limit`: the moderation dump, read a page at a time.
    async fn audit_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
}

/// A removal from the chat, as its event's payload keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// Who.
    pub participant_id: ParticipantId,
    /// Whether every message they sent was deleted for everyone with it.
    #[serde(default)]
    pub messages_deleted: bool,
}

impl Removal {
    /// The mute it stands for: until a host lets them back.
    pub fn mute(&self) -> Mute {
        Mute { participant_id: self.participant_id.clone(), until: None, removed: true }
    }
}

/// An event's payload, for a mute, unmute or removal.
pub fn payload(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}
