//! Why the server ends a connection it holds: the connection could not keep
//! up (it should resume), or a host removed its participant from the chat (it
//! should not come back). Set once, read by the socket when it closes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};

/// A connection's end, as the server decides it.
#[derive(Clone, Default)]
pub struct Kick {
    token: CancellationToken,
    removed: Arc<AtomicBool>,
}

impl Kick {
    /// Resolves once the server ends the connection.
    pub fn cancelled(&self) -> WaitForCancellationFuture<'_> {
        self.token.cancelled()
    }

    /// Whether the server ended the connection.
    pub fn is_kicked(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Whether it ended because a host removed the participant from the chat
    /// (otherwise the connection was too slow to receive).
    pub fn removed(&self) -> bool {
        self.removed.load(Ordering::Acquire)
    }

    /// Ends a connection that could not keep up with its frames.
    pub(super) fn slow_consumer(&self) {
        self.token.cancel();
    }

    /// Ends a connection whose participant a host removed from the chat.
    pub(super) fn removed_by_host(&self) {
        self.removed.store(true, Ordering::Release);
        self.token.cancel();
    }
}
