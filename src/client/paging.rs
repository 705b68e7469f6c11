//! Pages of history for callers that page by message (`getMessages`):
//! served from what is loaded, loading older messages from the server until
//! the page is full or there are none.

use chat_core::RowRange;
use chat_protocol::MessageId;
use futures::FutureExt;

use super::{ChatClient, OpResult};

/// A page of confirmed messages, by row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Its rows, oldest first.
    pub rows: RowRange,
    /// Whether older messages exist, loaded or on the server.
    pub has_next: bool,
}

/// Messages asked of the server per round trip while filling a page.
const LOAD_STEP: u32 = 100;

impl ChatClient {
    /// The `size` messages before `before` (the newest when `None`).
    pub fn page(&self, before: Option<MessageId>, size: usize) -> OpResult<Page> {
        let client = self.clone();
        async move {
            loop {
                let (rows, has_next) = client.state().page_before(before.as_ref(), size);
                let full = rows.end - rows.start >= size;
                if full || !client.state().has_more() {
                    return Ok(Page { rows, has_next: full && has_next });
                }
                let (added, _) = client.load_older(LOAD_STEP).await?;
                if added == 0 {
                    let (rows, _) = client.state().page_before(before.as_ref(), size);
                    return Ok(Page { rows, has_next: client.state().has_more() });
                }
            }
        }
        .boxed_local()
    }
}
