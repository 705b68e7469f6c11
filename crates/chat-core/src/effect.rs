//! What the reducer asks its caller to do or announce.

use chat_protocol::{ClientFrame, ClientId, MessageId, RateBucket};

/// A caller-chosen id for an operation, so a promise can be settled later.
pub type OpId = u64;

/// Something to do after an input was applied.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send this frame on the socket.
    Send(ClientFrame),
    /// Tell listeners about a change.
    Changed(Change),
    /// An operation succeeded.
    Resolve {
        /// The operation.
        op: OpId,
        /// Its result.
        outcome: Outcome,
    },
    /// An operation failed.
    Reject {
        /// The operation.
        op: OpId,
        /// Why.
        error: OpError,
    },
    /// The outbox changed; save [`crate::ChatState::outbox`] to storage.
    SaveOutbox,
}

/// A change listeners may want to know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A server message was added to the timeline.
    MessageAdded(MessageId),
    /// A server message changed (edited, deleted for everyone, pinned, unpinned).
    MessageUpdated(MessageId),
    /// A message left this participant's view (deleted for them).
    MessageRemoved(MessageId),
    /// A local echo appeared.
    EchoAdded(ClientId),
    /// A local echo's status changed.
    EchoUpdated(ClientId),
    /// A local echo was confirmed and is now the server message `id`.
    EchoConfirmed {
        /// The echo's id.
        client_id: ClientId,
        /// The server's id.
        id: MessageId,
    },
    /// A local echo was discarded.
    EchoDiscarded(ClientId),
    /// A message was pinned.
    Pinned(MessageId),
    /// A message was unpinned.
    Unpinned(MessageId),
    /// Older messages were loaded.
    PageLoaded {
        /// How many new messages the page added.
        added: usize,
        /// Whether still older ones exist.
        has_more: bool,
    },
    /// The timeline was dropped; the newest page is being loaded again.
    TimelineReset,
    /// The connection state changed.
    Connection,
    /// Participants came or went.
    Participants,
    /// The meeting's settings changed.
    Settings,
    /// A rate-limit bucket refused a send until the given time.
    RateLimited {
        /// The bucket.
        bucket: RateBucket,
        /// Until when, ms since the epoch.
        until: i64,
    },
    /// A bucket accepts sends again.
    RateLimitReset(RateBucket),
}

/// The result of a successful operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A message was stored under this id.
    Sent(MessageId),
    /// A change was made (or nothing needed to change).
    Done,
    /// A page of history arrived.
    Page {
        /// Messages it added.
        added: usize,
        /// Whether older ones exist.
        has_more: bool,
    },
}

/// Why an operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpError {
    /// A stable code: the server's error codes, plus `not_connected`,
    /// `disconnected`, `upload_failed`, `not_found` and `invalid_request`.
    pub code: String,
    /// For people.
    pub message: String,
    /// Whether retrying can succeed.
    pub retryable: bool,
    /// For rate limits: when to retry.
    pub retry_after_ms: Option<u64>,
}

impl OpError {
    /// An error with a code and message.
    pub fn new(code: &str, message: impl Into<String>, retryable: bool) -> Self {
        Self { code: code.to_owned(), message: message.into(), retryable, retry_after_ms: None }
    }
}
