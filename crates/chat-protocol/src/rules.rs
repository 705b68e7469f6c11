//! The rules both sides enforce: lengths and sizes, and who may edit, delete,
//! pin or change settings. The server's validation and permissions call these
//! to refuse a request; the client calls the same functions to refuse it at
//! once, before a round trip. Pure functions over protocol types.

use std::fmt;

use serde_json::{Map, Value};

use crate::{Content, ErrorCode, Limits, MeetingSettings, Message, Participant, PrivateChatPolicy, Role};

mod moderation;
mod reactions;
mod search;

pub use moderation::{
    check_not_muted, check_report, may_chat_privately, may_moderate, may_mute, may_react, may_remove, may_send,
    may_unmute,
};
pub use reactions::{check_emoji, check_new_reaction};
pub use search::{
    check_search_query, search_words, SearchWord, MAX_SEARCH_QUERY_CHARS, MAX_SEARCH_WORDS, MIN_PREFIX_CHARS,
};

/// The longest slow mode a meeting may set: an hour between messages.
pub const MAX_SLOW_MODE_SECS: u32 = 3_600;

/// A typist's client sends at most one typing notice per conversation this often.
pub const TYPING_INTERVAL_MS: i64 = 3_000;

/// How long a typing notice shows unless renewed (a notice every
/// [`TYPING_INTERVAL_MS`] renews it with room for a late one).
pub const TYPING_SHOWN_MS: i64 = 6_000;

/// How many typists a [`crate::TypingCrowd`] names; the rest are a count.
pub const TYPING_CROWD_NAMED: usize = 3;

/// The longest mute for a time, in minutes (a day); longer lasts until unmuted.
pub const MAX_MUTE_MINUTES: u32 = 1_440;

/// The longest reason a report gives, in characters.
pub const MAX_REPORT_REASON_CHARS: usize = 500;

/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;

/// Why a rule refuses a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleViolation {
    /// Text that is empty or only whitespace.
    EmptyText,
    /// Text longer than [`Limits::max_text_chars`], counted in characters.
    TextTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Metadata larger than [`Limits::max_metadata_bytes`] when serialized.
    MetadataTooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More attachments than [`Limits::max_attachments`].
    TooManyAttachments {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More recipients than [`Limits::max_targets`].
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
    /// A new emoji on a message that carries [`Limits::max_reactions_per_message`] already.
    TooManyReactions {
        /// The limit.
        max: usize,
    },
    /// A search query longer than [`MAX_SEARCH_QUERY_CHARS`].
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
    /// A search query of more than [`MAX_SEARCH_WORDS`] words.
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
        }
    }
}

impl std::error::Error for RuleViolation {}

/// A display name as the chat shows it: trimmed, 1 to [`MAX_DISPLAY_NAME_CHARS`] characters.
pub fn check_display_name(name: &str) -> Result<&str, RuleViolation> {
    let name = name.trim();
    let len = name.chars().count();
    if len == 0 || len > MAX_DISPLAY_NAME_CHARS {
        return Err(RuleViolation::DisplayName { len });
    }
    Ok(name)
}

/// Text is at most `max_text_chars` characters (not bytes), and not blank
/// unless the message carries attachments, at most `max_attachments`.
pub fn check_text(text: &str, attachments: usize, limits: &Limits) -> Result<(), RuleViolation> {
    if attachments > limits.max_attachments {
        return Err(RuleViolation::TooManyAttachments { count: attachments, max: limits.max_attachments });
    }
    if text.trim().is_empty() && attachments == 0 {
        return Err(RuleViolation::EmptyText);
    }
    let len = text.chars().count();
    if len > limits.max_text_chars {
        return Err(RuleViolation::TextTooLong { len, max: limits.max_text_chars });
    }
    Ok(())
}

/// Metadata and details together are at most `max_metadata_bytes` as JSON
/// (empty details count nothing, so metadata alone keeps the whole limit).
pub fn check_metadata(
    metadata: &Map<String, Value>,
    details: &Map<String, Value>,
    limits: &Limits,
) -> Result<(), RuleViolation> {
    let json_len = |map: &Map<String, Value>| serde_json::to_string(map).map_or(usize::MAX, |s| s.len());
    let len = json_len(metadata).saturating_add(if details.is_empty() { 0 } else { json_len(details) });
    if len > limits.max_metadata_bytes {
        return Err(RuleViolation::MetadataTooLarge { len, max: limits.max_metadata_bytes });
    }
    Ok(())
}

/// A private message names at most `max_targets` recipients.
pub fn check_target_count(count: usize, limits: &Limits) -> Result<(), RuleViolation> {
    if count > limits.max_targets {
        return Err(RuleViolation::TooManyTargets { count, max: limits.max_targets });
    }
    Ok(())
}

/// Only the author edits, and a deleted message no longer changes.
pub fn may_edit(requester: &Participant, message: &Message) -> Result<(), RuleViolation> {
    if message.sender.id != requester.id {
        return Err(RuleViolation::NotAuthor);
    }
    not_deleted(message)
}

/// The author or a host deletes for everyone, once.
pub fn may_delete_for_everyone(requester: &Participant, message: &Message) -> Result<(), RuleViolation> {
    if message.sender.id != requester.id && requester.role != Role::Host {
        return Err(RuleViolation::NotAuthorOrHost);
    }
    not_deleted(message)
}

/// Hosts pin and unpin; everyone may when the meeting allows it.
pub fn may_pin(requester: &Participant, settings: &MeetingSettings) -> Result<(), RuleViolation> {
    if requester.role == Role::Host || settings.anyone_can_pin {
        Ok(())
    } else {
        Err(RuleViolation::PinNotAllowed)
    }
}

/// Hosts change the meeting's settings.
pub fn may_update_settings(requester: &Participant) -> Result<(), RuleViolation> {
    if requester.role == Role::Host {
        Ok(())
    } else {
        Err(RuleViolation::NotHost)
    }
}

/// Only a service sends as a character of its own (a puppet).
pub fn may_send_as_puppet(requester: &Participant) -> Result<(), RuleViolation> {
    if requester.role == Role::Service {
        Ok(())
    } else {
        Err(RuleViolation::NotService)
    }
}

/// In slow mode a participant's next message waits `slow_mode_secs` after
/// their last one (sent at `last_sent_ms`): when that is, or `None` when they
/// are not slowed (hosts and apps never are).
pub fn slow_mode_until(requester: &Participant, settings: &MeetingSettings, last_sent_ms: Option<i64>) -> Option<i64> {
    if !is_slowed(requester, settings) {
        return None;
    }
    last_sent_ms.map(|last| last.saturating_add(i64::from(settings.slow_mode_secs) * 1000))
}

/// Whether slow mode is on and applies to `requester` (a participant, not a
/// host or an app).
pub fn is_slowed(requester: &Participant, settings: &MeetingSettings) -> bool {
    settings.slow_mode_secs > 0 && requester.role == Role::Participant
}

/// Refuses a message sent before [`slow_mode_until`].
pub fn check_slow_mode(
    requester: &Participant,
    settings: &MeetingSettings,
    last_sent_ms: Option<i64>,
    now_ms: i64,
) -> Result<(), RuleViolation> {
    let until = slow_mode_until(requester, settings, last_sent_ms).unwrap_or(now_ms);
    match u64::try_from(until.saturating_sub(now_ms)) {
        Ok(wait_ms) if wait_ms > 0 => Err(RuleViolation::SlowMode { wait_ms }),
        _ => Ok(()),
    }
}

/// A slow mode is at most [`MAX_SLOW_MODE_SECS`].
pub fn check_slow_mode_secs(secs: u32) -> Result<(), RuleViolation> {
    if secs > MAX_SLOW_MODE_SECS {
        Err(RuleViolation::SlowModeTooLong { secs })
    } else {
        Ok(())
    }
}

fn not_deleted(message: &Message) -> Result<(), RuleViolation> {
    if message.content == Content::Deleted {
        Err(RuleViolation::Deleted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
