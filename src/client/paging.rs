//! Pages of one conversation for callers that page (`getMessages`): served
//! from what is loaded, loading older messages from the server (already
//! filtered, for a private conversation) until the page is full or there are
//! none; newer pages are always loaded already.

use chat_core::ConversationPage;
use chat_protocol::{ParticipantId, Seq};
use futures::FutureExt;

use super::{ChatClient, OpResult};

/// Where a page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageFrom {
    /// The messages before this `seq` (the newest with `None`).
    Before(Option<Seq>),
    /// The messages after this `seq`.
    After(Seq),
}

/// Messages asked of the server per round trip while filling a page.
const LOAD_STEP: u32 = 100;

impl ChatClient {
    /// Up to `size` messages of the conversation with `with` (the meeting's
    /// with `None`) from `from`, oldest first.
    pub fn page(&self, with: Option<ParticipantId>, from: PageFrom, size: usize) -> OpResult<ConversationPage> {
        let client = self.clone();
        async move {
            let before = match from {
                PageFrom::After(after) => return Ok(client.state().conversation_after(with.as_ref(), after, size)),
                PageFrom::Before(before) => before,
            };
            loop {
                let page = client.state().conversation_before(with.as_ref(), before, size);
                if page.rows.len() >= size || !client.state().has_more_in(with.as_ref()) {
                    return Ok(page);
                }
                client.load_older(LOAD_STEP, with.clone()).await?;
            }
        }
        .boxed_local()
    }
}
