//! Reactions on messages, whatever the engine.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId};

use super::{ReactionChange, StoreError, StoredEvent};

/// Reactions.
#[async_trait]
pub trait Reactions: Send + Sync + 'static {
    /// Adds (or takes off) `participant`'s reaction with `emoji`; `None`
    /// when it already was (or was not) there. The domain checked the emoji
    /// and the limit of different emoji.
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
}
