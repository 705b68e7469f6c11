//! What the reducer asks its caller to do or announce.

use chat_protocol::{ClientFrame, Message, MessageId, Participant, ParticipantId, RateBucket, RuleViolation};

use crate::rows::MessageKey;

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

/// What changed, in a form a face applies without recomputing: each row
/// change names the row's lasting key and its position in the list of rows
/// ([`crate::ChatState::row`]: confirmed messages, then echoes), as it is
/// right after the change. Applied in order, they keep a copy of the list in
/// step; what happened (an edit, a delete, a pin) is told apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A message from the server entered the list at `index`.
    MessageAdded {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// The server's copy replaced the one held (same message, nothing edited).
    MessageUpdated {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A message was edited.
    MessageEdited {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A message was deleted for everyone: its row stays, as a tombstone.
    MessageDeleted {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A message left this participant's view (deleted for them).
    MessageRemoved {
        /// The row's key.
        key: MessageKey,
        /// The row it had.
        index: usize,
        /// The message's id.
        id: MessageId,
    },
    /// Someone added or took off a reaction to a message.
    Reacted {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
        /// The emoji.
        emoji: String,
        /// Who.
        by: ParticipantId,
        /// Added, or taken off.
        added: bool,
    },
    /// A message was pinned.
    Pinned {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A message was unpinned.
    Unpinned {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A local echo appeared at `index`.
    EchoAdded {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A local echo's status changed.
    EchoUpdated {
        /// The row's key.
        key: MessageKey,
        /// Its row.
        index: usize,
    },
    /// A local echo was confirmed: the row with `key` moved from `from` to
    /// `index` (often the same place) and is now the server message `id`.
    EchoConfirmed {
        /// The row's key, the same before and after.
        key: MessageKey,
        /// The echo's row before.
        from: usize,
        /// The message's row now.
        index: usize,
        /// The server's id.
        id: MessageId,
    },
    /// A local echo was discarded.
    EchoDiscarded {
        /// The row's key.
        key: MessageKey,
        /// The row it had.
        index: usize,
    },
    /// Older messages were loaded: new rows are at these positions,
    /// ascending, so inserting each in turn rebuilds the list.
    PageLoaded {
        /// Where the new rows are now.
        inserted: Vec<usize>,
        /// Whether still older ones exist.
        has_more: bool,
    },
    /// The timeline was dropped; the newest page is being loaded again.
    TimelineReset,
    /// The oldest `count` rows were let go of ([`crate::Intent::Forget`]);
    /// every other row moved up by `count`.
    Forgotten {
        /// How many.
        count: usize,
    },
    /// The current conversation changed.
    Conversation,
    /// The connection state changed.
    Connection,
    /// Participants came or went.
    Participants,
    /// The meeting's settings changed.
    Settings,
    /// Who is muted changed (see `ChatState::mutes`).
    Mutes,
    /// The open reports changed (see `ChatState::reports`).
    Reports,
    /// The polls changed (see `ChatState::polls`): `new` names a poll just created.
    Polls {
        /// The poll created, if that is the change.
        new: Option<chat_protocol::PollId>,
    },
    /// A rate-limit bucket refused a send until the given time.
    RateLimited {
        /// The bucket.
        bucket: RateBucket,
        /// Until when, ms since the epoch.
        until: i64,
    },
    /// A bucket accepts sends again.
    RateLimitReset(RateBucket),
    /// Who is typing changed (see `ChatState::typing`).
    Typing,
    /// Read positions or unread counts changed (see `ChatState::reads`).
    Reads,
}

impl Change {
    /// Whether the list of rows changed (and not only what is around it).
    pub fn touches_rows(&self) -> bool {
        !matches!(
            self,
            Self::Conversation
                | Self::Connection
                | Self::Participants
                | Self::Settings
                | Self::RateLimited { .. }
                | Self::RateLimitReset(_)
                | Self::Typing
                | Self::Reads
        )
    }
}

/// The result of a successful operation.
#[derive(Clone, Debug, PartialEq)]
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
    /// A page of search hits, newest first; they are not added to the timeline.
    Hits {
        /// The messages found.
        messages: Vec<Message>,
        /// Whether older hits exist.
        has_more: bool,
    },
    /// A page of the participants connected now.
    Participants {
        /// The page, by name.
        participants: Vec<Participant>,
        /// Where the next page starts, if there is one.
        next: Option<String>,
        /// How many are connected.
        count: u32,
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
    /// What lay under a general code, when known: for `upload_failed`, the
    /// server's reason (`unsupported_media_type`, `too_large`, ...).
    pub cause: Option<String>,
}

impl OpError {
    /// An error with a code and message.
    pub fn new(code: &str, message: impl Into<String>, retryable: bool) -> Self {
        Self { code: code.to_owned(), message: message.into(), retryable, retry_after_ms: None, cause: None }
    }
}

impl From<RuleViolation> for OpError {
    fn from(violation: RuleViolation) -> Self {
        let code = violation.code();
        let mut error = Self::new(&code.to_string(), violation.to_string(), code.is_retryable());
        error.retry_after_ms = violation.retry_after_ms();
        error
    }
}
