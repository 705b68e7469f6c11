//! Typed errors the server answers requests with.

use crate::as_object::AsObject;
use std::fmt;

use serde::Serialize;

use crate::ids::RequestId;
use crate::server::RateBucket;
use crate::wire_name::wire_names;

/// Why a request or frame was refused. The connection stays open for all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The frame was not valid JSON, or not a known frame type, or missed fields.
    BadFrame,
    /// The frame exceeded [`crate::Limits::max_frame_bytes`].
    FrameTooLarge,
    /// The client speaks a protocol version the server does not.
    UnsupportedVersion,
    /// `Auth` was sent on an already authenticated connection.
    AlreadyAuthenticated,
    /// A field's value is not acceptable (empty text, bad page size, ...).
    InvalidRequest,
    /// The text exceeded [`crate::Limits::max_text_chars`].
    TextTooLong,
    /// The metadata exceeded [`crate::Limits::max_metadata_bytes`].
    MetadataTooLarge,
    /// Too many recipients for one private message.
    TooManyTargets,
    /// The referenced file is unknown, not the sender's, or of the wrong kind.
    InvalidAttachment,
    /// More attachments than [`crate::Limits::max_attachments`].
    TooManyAttachments,
    /// No such message, or the requester may not see it.
    NotFound,
    /// The requester may not do this.
    Forbidden,
    /// The message was deleted for everyone and cannot change any more.
    MessageDeleted,
    /// Too many messages; see `retryAfterMs`.
    RateLimited,
    /// Only hosts may send messages in this meeting now.
    HostsOnly,
    /// The chat is off for participants (`whoCanSend: "nobody"`): they
    /// neither send, react nor type.
    ChatOff,
    /// The meeting lets participants message privately only hosts who are
    /// here, or nobody (its `privateChat` setting).
    PrivateChatRestricted,
    /// A host muted this participant in the chat; `until` says until when
    /// (absent: until a host unmutes them).
    Muted,
    /// Slow mode: this participant's next message is accepted after `retryAfterMs`.
    SlowMode,
    /// The meeting's message hook refused the message; the message says why.
    Rejected,
    /// The meeting's message hook could not be asked in time, and the server
    /// refuses messages it cannot check; try again.
    HookUnavailable,
    /// A message already carries [`crate::Limits::max_reactions_per_message`] different emoji.
    TooManyReactions,
    /// A search would take the server too long; fewer or longer words may do.
    SearchTooBroad,
    /// The poll is closed: no more votes.
    PollClosed,
    /// This participant already voted in the poll.
    AlreadyVoted,
    /// Something failed on the server; the request may be retried.
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [Self; 26] = [
        Self::BadFrame,
        Self::FrameTooLarge,
        Self::UnsupportedVersion,
        Self::AlreadyAuthenticated,
        Self::InvalidRequest,
        Self::TextTooLong,
        Self::MetadataTooLarge,
        Self::TooManyTargets,
        Self::InvalidAttachment,
        Self::TooManyAttachments,
        Self::NotFound,
        Self::Forbidden,
        Self::MessageDeleted,
        Self::RateLimited,
        Self::HostsOnly,
        Self::ChatOff,
        Self::PrivateChatRestricted,
        Self::Muted,
        Self::SlowMode,
        Self::Rejected,
        Self::HookUnavailable,
        Self::TooManyReactions,
        Self::SearchTooBroad,
        Self::PollClosed,
        Self::AlreadyVoted,
        Self::Internal,
    ];

    /// The snake_case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadFrame => "bad_frame",
            Self::FrameTooLarge => "frame_too_large",
            Self::UnsupportedVersion => "unsupported_version",
            Self::AlreadyAuthenticated => "already_authenticated",
            Self::InvalidRequest => "invalid_request",
            Self::TextTooLong => "text_too_long",
            Self::MetadataTooLarge => "metadata_too_large",
            Self::TooManyTargets => "too_many_targets",
            Self::InvalidAttachment => "invalid_attachment",
            Self::TooManyAttachments => "too_many_attachments",
            Self::NotFound => "not_found",
            Self::Forbidden => "forbidden",
            Self::MessageDeleted => "message_deleted",
            Self::RateLimited => "rate_limited",
            Self::HostsOnly => "hosts_only",
            Self::ChatOff => "chat_off",
            Self::PrivateChatRestricted => "private_chat_restricted",
            Self::Muted => "muted",
            Self::SlowMode => "slow_mode",
            Self::Rejected => "rejected",
            Self::HookUnavailable => "hook_unavailable",
            Self::TooManyReactions => "too_many_reactions",
            Self::SearchTooBroad => "search_too_broad",
            Self::PollClosed => "poll_closed",
            Self::AlreadyVoted => "already_voted",
            Self::Internal => "internal",
        }
    }

    /// Whether retrying the same request later can succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::SlowMode | Self::Internal | Self::HookUnavailable)
    }
}

wire_names!(ErrorCode: "error code");

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct ErrorFrame {
    /// The request refused, when the frame could be read far enough to know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub req_id: Option<RequestId>,
    /// Why.
    pub code: ErrorCode,
    /// A human-readable explanation.
    pub message: String,
    /// For `rate_limited` and `slow_mode`: when a retry will be accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// For `rate_limited`: which bucket is exhausted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<RateBucket>,
    /// For `muted`: until when (milliseconds since the Unix epoch); absent
    /// while the mute lasts until a host lifts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

impl ErrorFrame {
    /// An error with no retry hint.
    pub fn new(req_id: Option<RequestId>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { req_id, code, message: message.into(), retry_after_ms: None, bucket: None, until: None }
    }
}
