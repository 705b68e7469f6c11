//! Why a rule refuses a request: every refusal the rules name, the error
//! code the server answers it with, and its words for people.

use std::fmt;

use super::{
    MAX_DISPLAY_NAME_CHARS, MAX_MUTE_MINUTES, MAX_POLL_OPTIONS, MAX_POLL_OPTION_CHARS, MAX_POLL_QUESTION_CHARS,
    MAX_REPORT_REASON_CHARS, MAX_SLOW_MODE_SECS, MIN_POLL_OPTIONS,
};
use crate::{ErrorCode, PrivateChatPolicy};

/// Why a rule refuses a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleViolation {
    /// Text that is empty or only whitespace.
    EmptyText,
    /// Text longer than [`crate::Limits::max_text_chars`], counted in characters.
    TextTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Metadata larger than [`crate::Limits::max_metadata_bytes`] when serialized.
    MetadataTooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More attachments than [`crate::Limits::max_attachments`].
    TooManyAttachments {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More recipients than [`crate::Limits::max_targets`].
    TooManyTargets {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Only the author edits a message.
    NotAuthor,
    /// Only the author or a host deletes a message for everyone.
    NotAuthorOrHost,
    /// Only hosts pin, unless the meeting lets everyone.
    PinNotAllowed,
    /// Only hosts change the meeting's settings.
    NotHost,
    /// Only a service sends as another sender.
    NotService,
    /// The message was deleted for everyone and cannot change.
    Deleted,
    /// Only hosts (and apps) send in this meeting now.
    HostsOnly,
    /// The chat is off for participants: no sending, reacting or typing.
    ChatOff,
    /// A host muted the participant: no sending, reacting or typing.
    Muted {
        /// Until when; `None` until a host unmutes them.
        until: Option<i64>,
    },
    /// Only hosts (and apps) mute, remove, let back and dismiss reports.
    NotModerator,
    /// Hosts and apps are never muted or removed.
    CannotMute,
    /// A report's reason that is empty or longer than [`MAX_REPORT_REASON_CHARS`] (trimmed).
    ReportReason {
        /// Its length in characters, trimmed.
        len: usize,
    },
    /// A participant reporting their own message.
    OwnMessage,
    /// A mute for a time of 0 minutes or more than [`MAX_MUTE_MINUTES`].
    MuteTooLong {
        /// The minutes asked for.
        minutes: u32,
    },
    /// The meeting's private chat policy does not let a participant message
    /// these people privately.
    PrivateChat {
        /// The policy in force (`hosts` or `nobody`).
        policy: PrivateChatPolicy,
    },
    /// Slow mode: the participant's next message is accepted later.
    SlowMode {
        /// Milliseconds until it is.
        wait_ms: u64,
    },
    /// A slow mode longer than [`MAX_SLOW_MODE_SECS`].
    SlowModeTooLong {
        /// The seconds asked for.
        secs: u32,
    },
    /// A reaction that is not one emoji.
    InvalidEmoji,
    /// A new emoji on a message that carries [`crate::Limits::max_reactions_per_message`] already.
    TooManyReactions {
        /// The limit.
        max: usize,
    },
    /// A search query longer than [`super::MAX_SEARCH_QUERY_CHARS`].
    SearchQueryTooLong {
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A display name, trimmed, that is empty or longer than [`MAX_DISPLAY_NAME_CHARS`].
    DisplayName {
        /// Its length in characters, trimmed.
        len: usize,
    },
    /// A search query with no letter or digit to look for.
    NoSearchWords,
    /// Only hosts (and apps) create and close polls.
    PollHostsOnly,
    /// A poll's question, trimmed, empty or longer than [`MAX_POLL_QUESTION_CHARS`].
    PollQuestion {
        /// Its length in characters.
        len: usize,
    },
    /// Fewer than [`MIN_POLL_OPTIONS`] or more than [`MAX_POLL_OPTIONS`] options.
    PollOptionCount {
        /// How many were given.
        count: usize,
    },
    /// An option, trimmed, empty or longer than [`MAX_POLL_OPTION_CHARS`].
    PollOption {
        /// Its length in characters.
        len: usize,
    },
    /// The same option twice.
    PollOptionTwice,
    /// The poll is closed.
    PollClosed,
    /// The voter already voted in this poll.
    AlreadyVoted,
    /// A ballot that chooses nothing, an option the poll does not have, one
    /// twice, or several on a single-choice poll.
    PollChoice,
    /// A search query of more than [`super::MAX_SEARCH_WORDS`] words.
    TooManySearchWords {
        /// How many it has.
        count: usize,
        /// The limit.
        max: usize,
    },
}

impl RuleViolation {
    /// The error code the server answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::EmptyText => ErrorCode::InvalidRequest,
            Self::TextTooLong { .. } => ErrorCode::TextTooLong,
            Self::MetadataTooLarge { .. } => ErrorCode::MetadataTooLarge,
            Self::TooManyTargets { .. } => ErrorCode::TooManyTargets,
            Self::TooManyAttachments { .. } => ErrorCode::TooManyAttachments,
            Self::NotAuthor | Self::NotAuthorOrHost | Self::PinNotAllowed | Self::NotHost | Self::NotService => {
                ErrorCode::Forbidden
            }
            Self::Deleted => ErrorCode::MessageDeleted,
            Self::HostsOnly => ErrorCode::HostsOnly,
            Self::ChatOff => ErrorCode::ChatOff,
            Self::Muted { .. } => ErrorCode::Muted,
            Self::NotModerator | Self::CannotMute => ErrorCode::Forbidden,
            Self::MuteTooLong { .. } | Self::ReportReason { .. } | Self::OwnMessage => ErrorCode::InvalidRequest,
            Self::PrivateChat { .. } => ErrorCode::PrivateChatRestricted,
            Self::SlowMode { .. } => ErrorCode::SlowMode,
            Self::SlowModeTooLong { .. }
            | Self::InvalidEmoji
            | Self::SearchQueryTooLong { .. }
            | Self::NoSearchWords
            | Self::TooManySearchWords { .. }
            | Self::DisplayName { .. } => ErrorCode::InvalidRequest,
            Self::TooManyReactions { .. } => ErrorCode::TooManyReactions,
            Self::PollHostsOnly => ErrorCode::Forbidden,
            Self::PollQuestion { .. }
            | Self::PollOptionCount { .. }
            | Self::PollOption { .. }
            | Self::PollOptionTwice
            | Self::PollChoice => ErrorCode::InvalidRequest,
            Self::PollClosed => ErrorCode::PollClosed,
            Self::AlreadyVoted => ErrorCode::AlreadyVoted,
        }
    }

    /// Until when a mute for a time holds (milliseconds since the Unix epoch).
    pub fn until(&self) -> Option<i64> {
        match self {
            Self::Muted { until } => *until,
            _ => None,
        }
    }

    /// When a retry will be accepted, for a violation that passes with time.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Self::SlowMode { wait_ms } => Some(*wait_ms),
            _ => None,
        }
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyText => f.write_str("text must not be empty"),
            Self::TextTooLong { len, max } => write!(f, "text is {len} characters long; the limit is {max}"),
            Self::MetadataTooLarge { len, max } => write!(f, "metadata is {len} bytes; the limit is {max}"),
            Self::TooManyTargets { count, max } => write!(f, "{count} recipients; the limit is {max}"),
            Self::TooManyAttachments { count, max } => write!(f, "{count} attachments; the limit is {max}"),
            Self::NotAuthor => f.write_str("only the author may edit a message"),
            Self::NotAuthorOrHost => f.write_str("only the author or a host may delete a message for everyone"),
            Self::PinNotAllowed => f.write_str("only hosts may pin messages in this meeting"),
            Self::NotHost => f.write_str("only hosts may change meeting settings"),
            Self::NotService => f.write_str("only a service may send as another sender"),
            Self::Deleted => f.write_str("the message was deleted"),
            Self::HostsOnly => f.write_str("only hosts may send messages in this meeting"),
            Self::ChatOff => f.write_str("the chat is off: only hosts may send, react or type"),
            Self::Muted { until: Some(_) } => f.write_str("a host muted you in the chat for a while"),
            Self::Muted { until: None } => f.write_str("a host muted you in the chat until they unmute you"),
            Self::NotModerator => {
                f.write_str("only hosts may mute, remove and let back participants or dismiss reports")
            }
            Self::CannotMute => f.write_str("hosts and apps cannot be muted or removed"),
            Self::ReportReason { len } => {
                write!(f, "a report's reason is {len} characters; give 1 to {MAX_REPORT_REASON_CHARS}")
            }
            Self::OwnMessage => f.write_str("you cannot report your own message"),
            Self::MuteTooLong { minutes } => {
                write!(f, "a mute for {minutes} minutes; give 1 to {MAX_MUTE_MINUTES}, or none until unmuted")
            }
            Self::PrivateChat { policy: PrivateChatPolicy::Hosts } => {
                f.write_str("participants may message only the hosts who are here privately")
            }
            Self::PrivateChat { .. } => f.write_str("participants may not message anyone privately in this meeting"),
            Self::SlowMode { wait_ms } => {
                write!(f, "slow mode is on; your next message is accepted in {} s", wait_ms.div_ceil(1000))
            }
            Self::SlowModeTooLong { secs } => {
                write!(f, "slow mode of {secs} s; the longest is {MAX_SLOW_MODE_SECS} s")
            }
            Self::InvalidEmoji => f.write_str("a reaction is one emoji"),
            Self::TooManyReactions { max } => write!(f, "a message carries at most {max} different reactions"),
            Self::SearchQueryTooLong { len, max } => {
                write!(f, "the search query is {len} characters long; the limit is {max}")
            }
            Self::NoSearchWords => f.write_str("the search query has no word to look for"),
            Self::DisplayName { len } => {
                write!(f, "a display name is 1 to {MAX_DISPLAY_NAME_CHARS} characters; this one is {len}")
            }
            Self::TooManySearchWords { count, max } => {
                write!(f, "the search query has {count} words; the limit is {max}")
            }
            Self::PollHostsOnly => f.write_str("only hosts may create and close polls"),
            Self::PollQuestion { len } => {
                write!(f, "a poll's question is {len} characters; give 1 to {MAX_POLL_QUESTION_CHARS}")
            }
            Self::PollOptionCount { count } => {
                write!(f, "a poll has {count} options; give {MIN_POLL_OPTIONS} to {MAX_POLL_OPTIONS}")
            }
            Self::PollOption { len } => {
                write!(f, "a poll's option is {len} characters; give 1 to {MAX_POLL_OPTION_CHARS}")
            }
            Self::PollOptionTwice => f.write_str("a poll's options must differ"),
            Self::PollClosed => f.write_str("the poll is closed"),
            Self::AlreadyVoted => f.write_str("you already voted in this poll"),
            Self::PollChoice => f.write_str("choose one of the poll's options (several only where the poll allows)"),
        }
    }
}

impl std::error::Error for RuleViolation {}
