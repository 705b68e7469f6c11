//! Search, and the way to a hit: pages of hits found on the server (not
//! added to the timeline), and loading older history until a hit's message
//! is loaded, so the list can scroll to it however far back it is.

use chat_core::{Intent, Outcome};
use chat_protocol::{Message, ParticipantId, Seq};
use futures::FutureExt;

use super::operations::{answered, unexpected};
use super::{ChatClient, Input, OpResult};

/// A page of search hits.
#[derive(Clone, Debug, PartialEq)]
pub struct Hits {
    /// The messages found, newest first.
    pub messages: Vec<Message>,
    /// Whether older hits exist: search again with the last one's `seq` as `before`.
    pub has_more: bool,
}

impl ChatClient {
    /// The messages this participant may see whose text has every word of
    /// `query` starting one of its words: `limit` of them below `before`, in
    /// the private conversation with `with` only when given.
    pub fn search(
        &self,
        query: String,
        before: Option<Seq>,
        limit: u32,
        with: Option<ParticipantId>,
    ) -> OpResult<Hits> {
        let (op, outcome) = self.inner.operations.open();
        self.apply(Input::Intent(Intent::Search { op, query, before, limit, with }));
        answered(outcome)
            .map(|answer| match answer? {
                Outcome::Hits { messages, has_more } => Ok(Hits { messages, has_more }),
                other => Err(unexpected(&other)),
            })
            .boxed_local()
    }

    /// Loads older pages (of the private conversation with `with` only,
    /// when given; as many messages as the server allows at once) until the
    /// message created at `seq` is loaded; resolves with its row, or `None`
    /// when history ends without it (deleted or hidden since).
    pub fn load_through(&self, seq: Seq, with: Option<ParticipantId>) -> OpResult<Option<usize>> {
        let client = self.clone();
        async move {
            loop {
                let (found, passed, more) = {
                    let state = client.state();
                    let found = state.timeline().position_of_seq(seq);
                    // The meeting's history is loaded without gaps: once past
                    // `seq`, the message is not coming.
                    let passed = with.is_none() && state.timeline().oldest_seq().is_some_and(|oldest| oldest < seq);
                    (found, passed, state.has_more_in(with.as_ref()))
                };
                if found.is_some() || passed || !more {
                    return Ok(found);
                }
                let step = client.state().limits().max_page_size;
                client.load_older(step, with.clone()).await?;
            }
        }
        .boxed_local()
    }
}
