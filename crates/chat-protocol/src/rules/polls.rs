//! What a poll must be and what a vote may choose: hosts (and apps) create
//! and close polls of 2 to 10 options; everyone votes once per poll while it
//! is open, for one option, or several when the poll allows it.

use super::{may_moderate, RuleViolation};
use crate::{Participant, Poll};

/// The fewest options a poll offers.
pub const MIN_POLL_OPTIONS: usize = 2;
/// The most options a poll offers.
pub const MAX_POLL_OPTIONS: usize = 10;
/// The longest question, in characters.
pub const MAX_POLL_QUESTION_CHARS: usize = 500;
/// The longest option, in characters.
pub const MAX_POLL_OPTION_CHARS: usize = 200;
/// How many voters an option lists by name; its count is everyone's.
pub const POLL_VOTERS_SHOWN: usize = 20;

/// A new poll's question and options, trimmed, when `requester` may create
/// it: a host or an app, a question of 1 to [`MAX_POLL_QUESTION_CHARS`],
/// [`MIN_POLL_OPTIONS`] to [`MAX_POLL_OPTIONS`] different options of 1 to
/// [`MAX_POLL_OPTION_CHARS`] each.
pub fn check_new_poll(
    requester: &Participant,
    question: &str,
    options: &[String],
) -> Result<(String, Vec<String>), RuleViolation> {
    may_moderate(requester).map_err(|_| RuleViolation::PollHostsOnly)?;
    let question = question.trim();
    let len = question.chars().count();
    if len == 0 || len > MAX_POLL_QUESTION_CHARS {
        return Err(RuleViolation::PollQuestion { len });
    }
    if !(MIN_POLL_OPTIONS..=MAX_POLL_OPTIONS).contains(&options.len()) {
        return Err(RuleViolation::PollOptionCount { count: options.len() });
    }
    let mut trimmed: Vec<String> = Vec::with_capacity(options.len());
    for option in options {
        let option = option.trim();
        let len = option.chars().count();
        if len == 0 || len > MAX_POLL_OPTION_CHARS {
            return Err(RuleViolation::PollOption { len });
        }
        if trimmed.iter().any(|other| other == option) {
            return Err(RuleViolation::PollOptionTwice);
        }
        trimmed.push(option.to_owned());
    }
    Ok((question.to_owned(), trimmed))
}

/// The options a ballot chooses, in order, when `voter` may cast it on
/// `poll` (as they see it): an open poll they have not voted in, one option
/// (or several different ones when it allows it), each one of its own.
pub fn check_vote(voter: &Participant, poll: &Poll, choice: &[u32]) -> Result<Vec<u32>, RuleViolation> {
    if poll.closed {
        return Err(RuleViolation::PollClosed);
    }
    if poll.voted.contains(&voter.id) {
        return Err(RuleViolation::AlreadyVoted);
    }
    // The options in order, each once: a ballot naming one twice, or one the
    // poll lacks, comes out shorter than it went in (no sort: the wasm keeps none for this).
    let count = u32::try_from(poll.options.len()).unwrap_or(u32::MAX);
    let chosen: Vec<u32> = (0..count).filter(|index| choice.contains(index)).collect();
    if chosen.is_empty() || chosen.len() != choice.len() || (chosen.len() > 1 && !poll.multiple) {
        return Err(RuleViolation::PollChoice);
    }
    Ok(chosen)
}

/// Only hosts and apps close a poll, and only an open one.
pub fn may_close_poll(requester: &Participant, poll: &Poll) -> Result<(), RuleViolation> {
    may_moderate(requester).map_err(|_| RuleViolation::PollHostsOnly)?;
    if poll.closed {
        return Err(RuleViolation::PollClosed);
    }
    Ok(())
}
