//! A meeting's chat settings, whatever the engine.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MeetingSettings, ParticipantId, PrivateChatPolicy, SendPolicy};

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

/// Reads the stored names of a meeting's send and private chat policies
/// (every engine keeps them as their wire names).
pub fn read_policies(who_can_send: &str, private_chat: &str) -> Result<(SendPolicy, PrivateChatPolicy), StoreError> {
    let send = SendPolicy::from_name(who_can_send)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown send policy {who_can_send:?}")))?;
    let private = PrivateChatPolicy::from_name(private_chat)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown private chat policy {private_chat:?}")))?;
    Ok((send, private))
}
