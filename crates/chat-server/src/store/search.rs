//! Searching a meeting's messages by their words, whatever the engine.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId};

use super::{MessagePage, PageQuery, StoreError};

/// Search.
#[async_trait]
pub trait MessageSearch: Send + Sync + 'static {
    /// The `page` of the messages visible to `viewer` whose text has every
    /// word of `query` (checked by [`chat_protocol::rules::check_search_query`])
    /// starting one of its words, case-insensitively, newest first.
    async fn search(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError>;
}
