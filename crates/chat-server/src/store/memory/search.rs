//! Reading pages in memory: the newest messages a viewer may see below a
//! `seq`, for history and for search, whose matching imitates SQLite's
//! (every query word starts a word of the text, case-insensitively).

use async_trait::async_trait;
use chat_protocol::rules::search_words;
use chat_protocol::Content;
use chat_protocol::{MeetingId, Message, ParticipantId};

use super::state::State;
use super::MemoryStore;
use crate::store::{MessagePage, PageQuery};
use crate::store::{MessageSearch, StoreError};

/// Where a page is read from, and for whom.
pub(super) struct PageOf<'a> {
    pub(super) meeting: &'a MeetingId,
    pub(super) viewer: &'a ParticipantId,
    pub(super) page: &'a PageQuery,
}

impl State {
    /// The newest `limit` messages `keep` accepts, newest first.
    pub(super) fn newest_visible(&self, of: &PageOf<'_>, keep: impl Fn(&Message) -> bool) -> MessagePage {
        let PageOf { meeting, viewer, page } = *of;
        let mut visible: Vec<&Message> = self
            .messages
            .values()
            .filter(|m| self.message_in(meeting, &m.id).is_some() && page.before.is_none_or(|b| m.seq < b))
            .filter(|m| m.visible_to(viewer) && !self.hidden.contains(&(m.id.clone(), viewer.clone())))
            .filter(|m| page.with.as_ref().is_none_or(|peer| m.in_conversation_with(peer)))
            .filter(|m| keep(m))
            .collect();
        visible.sort_by_key(|m| std::cmp::Reverse(m.seq));
        let has_more = visible.len() > page.limit as usize;
        let mut messages: Vec<Message> = visible.into_iter().take(page.limit as usize).cloned().collect();
        for message in messages.iter_mut().filter(|m| !m.reactions.is_empty()) {
            message.reactions = self.reactions_of(&message.id, Some(viewer));
        }
        MessagePage { messages, has_more }
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Whether every word of `query` starts a word of `text` (is one, when
/// shorter than a prefix may be).
pub(super) fn matches(text: &str, query: &str) -> bool {
    let text: Vec<String> = words(text).collect();
    let mut wanted = search_words(query).peekable();
    wanted.peek().is_some()
        && wanted.all(|word| {
            let want = word.text.to_lowercase();
            text.iter().any(|have| if word.prefix { have.starts_with(&want) } else { *have == want })
        })
}

#[async_trait]
impl MessageSearch for MemoryStore {
    async fn search(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let page = PageOf { meeting, viewer, page };
        self.with(|s| {
            Ok(s.newest_visible(&page, |m| match &m.content {
                Content::Text { text } => matches(text, query),
                _ => false,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn every_word_must_start_a_word_of_the_text() {
        assert!(matches("Deploying on Friday!", "deploy fri"));
        assert!(!matches("Deploying on Friday!", "ploy"));
        assert!(!matches("Deploying on Friday!", "deploy monday"));
        assert!(!matches("anything", "  "));
        assert!(matches("a plan B", "b"), "one letter is a whole word");
        assert!(!matches("a Bplan", "b"));
    }
}
