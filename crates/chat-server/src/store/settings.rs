//! A meeting's chat settings, whatever the engine.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MeetingSettings, ParticipantId};

use super::{StoreError, StoredEvent};

/// A meeting's settings.
#[async_trait]
pub trait Settings: Send + Sync + 'static {
    /// A meeting's settings.
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError>;
    /// Changes a meeting's settings.
    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError>;
}
