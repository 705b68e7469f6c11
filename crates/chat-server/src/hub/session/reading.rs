//! Reads of stored messages: a page of history and a page of search hits,
//! each only what this participant may see, with file links signed.

use chat_protocol::{AckResult, Message};

use super::Session;
use crate::clock::unix_secs;
use crate::error::DomainError;
use crate::store::PageQuery;
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
        self.check_page(&page)?;
        let hub = &self.hub;
        let found = hub.search.run(&hub.send_limits, &self.room.meeting, &self.me.id, query, &page).await?;
        Ok(AckResult::Search { messages: self.signed(found.messages), has_more: found.has_more })
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
