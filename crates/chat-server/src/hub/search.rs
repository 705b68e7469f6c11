//! The domain's search: a participant's searches are rate limited like
//! sends and wait their turn on connections of their own (bounded, one at a
//! time per participant), so a flood of costly queries never holds up sends.

use std::sync::Arc;

use chat_protocol::{rules, MeetingId, ParticipantId, RateBucket};

use super::bounded::{Bounded, Bounds};
use super::send_limits::SendLimits;
use crate::error::DomainError;
use crate::store::{MessagePage, PageQuery, Store};

/// Searches waiting for the store.
pub(crate) struct Search {
    store: Arc<dyn Store>,
    queue: Bounded,
}

impl Search {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        Self { store, queue: Bounded::new(Bounds::searching()) }
    }

    /// The `page` of `who`'s hits for `query` in `meeting`, newest first;
    /// file links are not signed yet.
    pub(crate) async fn run(
        &self,
        limits: &SendLimits,
        meeting: &MeetingId,
        who: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, DomainError> {
        rules::check_search_query(query)?;
        let limited = |retry_after| DomainError::RateLimited { bucket: RateBucket::Search, retry_after };
        limits.take(RateBucket::Search, meeting, who).await.map_err(limited)?;
        let search = self.store.search(meeting, who, query, page);
        let found = self.queue.run(meeting, who, search).await;
        Ok(found.map_err(|busy| limited(busy.retry_after))??)
    }
}
