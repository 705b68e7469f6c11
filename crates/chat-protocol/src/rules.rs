//! The rules both sides enforce: lengths and sizes, and who may edit, delete,
//! pin, change settings or run polls. The server's validation and permissions call these
//! to refuse a request; the client calls the same functions to refuse it at
//! once, before a round trip. Pure functions over protocol types.

use serde_json::{Map, Value};

use crate::{Content, Limits, MeetingSettings, Message, Participant, Role};

mod moderation;
mod polls;
mod reactions;
mod search;
mod violation;

pub use moderation::{
    check_not_muted, check_report, may_chat_privately, may_moderate, may_mute, may_react, may_remove, may_send,
    may_unmute,
};
pub use polls::{
    check_new_poll, check_vote, may_close_poll, MAX_POLL_OPTIONS, MAX_POLL_OPTION_CHARS, MAX_POLL_QUESTION_CHARS,
    MIN_POLL_OPTIONS, POLL_VOTERS_SHOWN,
};
pub use reactions::{check_emoji, check_new_reaction};
pub use search::{
    check_search_query, search_words, SearchWord, MAX_SEARCH_QUERY_CHARS, MAX_SEARCH_WORDS, MIN_PREFIX_CHARS,
};
pub use violation::RuleViolation;

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
