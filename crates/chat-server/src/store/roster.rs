//! Who has joined each meeting (its members), kept so that apps can be told
//! about messages a member missed while away, across restarts.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId};

use super::StoreError;

/// A meeting's members, whatever the engine.
#[async_trait]
pub trait Roster: Send + Sync + 'static {
    /// Records that `participant` joined `meeting` (again, or for the first time).
    async fn add_member(&self, meeting: &MeetingId, participant: &ParticipantId, at: i64) -> Result<(), StoreError>;
    /// Everyone who has joined `meeting`.
    async fn members(&self, meeting: &MeetingId) -> Result<Vec<ParticipantId>, StoreError>;
}
