//! Who may write under a meeting's settings and a host's moderation: who
//! sends and reacts (everyone, hosts, or nobody with the chat off), whom
//! participants may message privately, who is muted, who moderates, and
//! what a report must say.

use super::{RuleViolation, MAX_MUTE_MINUTES, MAX_REPORT_REASON_CHARS};
use crate::{MeetingSettings, Mute, Participant, ParticipantId, PrivateChatPolicy, Role, SendPolicy};

/// Everyone sends (and types), unless the meeting lets only hosts or turned
/// the chat off; apps (bots and the meeting's service) belong to its backend
/// and always may.
pub fn may_send(requester: &Participant, settings: &MeetingSettings) -> Result<(), RuleViolation> {
    match settings.who_can_send {
        SendPolicy::Hosts if requester.role == Role::Participant => Err(RuleViolation::HostsOnly),
        SendPolicy::Nobody if requester.role == Role::Participant => Err(RuleViolation::ChatOff),
        SendPolicy::Everyone | SendPolicy::Hosts | SendPolicy::Nobody => Ok(()),
    }
}

/// Everyone reacts, unless the chat is off (a webinar's audience that may
/// not send still reacts).
pub fn may_react(requester: &Participant, settings: &MeetingSettings) -> Result<(), RuleViolation> {
    match settings.who_can_send {
        SendPolicy::Nobody if requester.role == Role::Participant => Err(RuleViolation::ChatOff),
        SendPolicy::Everyone | SendPolicy::Hosts | SendPolicy::Nobody => Ok(()),
    }
}

/// A participant messages, reacts or types privately with `others` (the
/// conversation's members besides the requester) only as the meeting's
/// private chat policy allows: anyone, only hosts (`is_host` says who is one
/// here now), or nobody. Hosts and apps are not held to it.
pub fn may_chat_privately(
    requester: &Participant,
    settings: &MeetingSettings,
    others: &[ParticipantId],
    is_host: impl Fn(&ParticipantId) -> bool,
) -> Result<(), RuleViolation> {
    if others.is_empty() || requester.role != Role::Participant {
        return Ok(());
    }
    let policy = settings.private_chat;
    match policy {
        PrivateChatPolicy::Everyone => Ok(()),
        PrivateChatPolicy::Hosts if others.iter().all(is_host) => Ok(()),
        PrivateChatPolicy::Hosts | PrivateChatPolicy::Nobody => Err(RuleViolation::PrivateChat { policy }),
    }
}

/// A participant muted by a host (`mute`, if any, still holding at `now`)
/// neither sends, reacts nor types; hosts and apps are never held by one.
pub fn check_not_muted(requester: &Participant, mute: Option<&Mute>, now: i64) -> Result<(), RuleViolation> {
    match mute {
        Some(mute) if requester.role == Role::Participant && mute.holds_at(now) => {
            Err(RuleViolation::Muted { until: mute.until })
        }
        _ => Ok(()),
    }
}

/// Hosts mute participants, for 1 to [`MAX_MUTE_MINUTES`] minutes or until
/// unmuted; `subject_role` is the participant's, when known here.
pub fn may_mute(
    requester: &Participant,
    subject_role: Option<Role>,
    minutes: Option<u32>,
) -> Result<(), RuleViolation> {
    may_unmute(requester)?;
    if subject_role.is_some_and(|role| role != Role::Participant) {
        return Err(RuleViolation::CannotMute);
    }
    match minutes {
        Some(minutes) if minutes == 0 || minutes > MAX_MUTE_MINUTES => Err(RuleViolation::MuteTooLong { minutes }),
        _ => Ok(()),
    }
}

/// Hosts remove participants (never a host or an app) from the chat.
pub fn may_remove(requester: &Participant, subject_role: Option<Role>) -> Result<(), RuleViolation> {
    may_mute(requester, subject_role, None)
}

/// Hosts lift mutes and removals.
pub fn may_unmute(requester: &Participant) -> Result<(), RuleViolation> {
    may_moderate(requester)
}

/// Hosts moderate (mute, remove, let back, dismiss reports), and so do the
/// meeting's apps, which belong to its backend (an auto-moderating bot).
pub fn may_moderate(requester: &Participant) -> Result<(), RuleViolation> {
    if requester.role == Role::Host || requester.role.is_app() {
        Ok(())
    } else {
        Err(RuleViolation::NotModerator)
    }
}

/// Anyone reports a message that is not their own, with a reason of 1 to
/// [`MAX_REPORT_REASON_CHARS`] characters; returns the reason trimmed.
pub fn check_report<'a>(
    requester: &Participant,
    sender: &ParticipantId,
    reason: &'a str,
) -> Result<&'a str, RuleViolation> {
    if &requester.id == sender {
        return Err(RuleViolation::OwnMessage);
    }
    let reason = reason.trim();
    let len = reason.chars().count();
    if len == 0 || len > MAX_REPORT_REASON_CHARS {
        return Err(RuleViolation::ReportReason { len });
    }
    Ok(reason)
}
