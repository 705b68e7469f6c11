//! Reads of stored messages: a page of history and a page of search hits,
//! each only what this participant may see, with file links signed.

use chat_protocol::{rules, AckResult, Message, RateBucket};

use super::Session;
use crate::clock::unix_secs;
use crate::error::DomainError;
use crate::store::{MessagePage, PageQuery};
use crate::validation;

impl Session {
    /// The `page` of history, oldest first.
    pub(super) async fn history(&self, page: PageQuery) -> Result<AckResult, DomainError> {
        self.check_page(&page)?;
        let page = self.hub.store.history(&self.room.meeting, &self.me.id, &page).await?;
        Ok(AckResult::History { messages: self.signed(page.messages), has_more: page.has_more })
    }

    /// The `page` of hits for `query`, newest first.
    pub(super) async fn search(&self, query: &str, page: PageQuery) -> Result<AckResult, DomainError> {
        rules::check_search_query(query)?;
        self.check_page(&page)?;
        let (hub, meeting) = (&self.hub, &self.room.meeting);
        let limited = |retry_after| DomainError::RateLimited { bucket: RateBucket::Search, retry_after };
        hub.take_send(RateBucket::Search, meeting, &self.me.id).await.map_err(limited)?;
        // Searches wait their turn on their own connections, so they never hold up sends.
        let search = hub.store.search(meeting, &self.me.id, query, &page);
        let found = hub.searching.run(meeting, &self.me.id, search).await;
        let MessagePage { messages, has_more } = found.map_err(|busy| limited(busy.retry_after))??;
        Ok(AckResult::Search { messages: self.signed(messages), has_more })
    }

    fn check_page(&self, page: &PageQuery) -> Result<(), DomainError> {
        validation::check_page_size(page.limit, &self.hub.config.limits)?;
        if let Some(peer) = &page.with {
            validation::check_id("with", peer.as_str())?;
        }
        Ok(())
    }

    fn signed(&self, mut messages: Vec<Message>) -> Vec<Message> {
        let now = unix_secs();
        for message in &mut messages {
            self.hub.signer.sign_message(message, now);
        }
        messages
    }
}
