//! The reducer's view of who is here: the list and count from presence
//! frames, names of people met in pages, and what the meeting's webinar
//! settings mean for this participant now.

use chat_protocol::{rules, Participant, ParticipantId, PresenceDelta, Role, RuleViolation};

use super::ChatState;
use crate::effect::{Change, Effect};

/// How many participants met in pages are remembered by name.
const MET_CAP: usize = 500;

impl ChatState {
    /// Participants connected now, as far as this client knows them: all of
    /// them when [`Self::knows_all_participants`], else hosts and a first page
    /// (ask for pages with [`crate::Intent::ListParticipants`]).
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// How many participants are connected now.
    pub fn participant_count(&self) -> u32 {
        self.participant_count
    }

    /// Whether [`Self::participants`] is everyone connected.
    pub fn knows_all_participants(&self) -> bool {
        self.participants.len() >= self.participant_count as usize
    }

    /// Why this participant may not send now, if the meeting's settings say
    /// so: only hosts send, the chat is off, a host muted them, or slow mode
    /// has them wait (until `now` + its `retry_after_ms`).
    pub fn send_blocked(&self, now: i64) -> Option<RuleViolation> {
        let me = self.me.as_ref()?;
        rules::may_send(me, &self.settings)
            .and_then(|()| self.muted_now(now).map_or(Ok(()), Err))
            .and_then(|()| rules::check_slow_mode(me, &self.settings, self.last_sent_at, now))
            .err()
    }

    /// Why this participant may not write in the conversation being viewed,
    /// if the meeting's settings say so (only hosts send, the chat is off, or
    /// its private chat policy): what the composer shows before the user types.
    pub fn write_blocked_here(&self) -> Option<RuleViolation> {
        self.write_blocked(self.current_conversation().map(std::slice::from_ref).unwrap_or_default())
    }

    /// Whether the meeting's private chat policy lets this participant
    /// message `others` privately (nobody: the meeting's conversation), as
    /// far as this client knows who the hosts here are (it always lists them).
    pub fn may_chat_privately(&self, others: &[ParticipantId]) -> Result<(), RuleViolation> {
        let Some(me) = self.me.as_ref() else { return Ok(()) };
        let is_host = |id: &ParticipantId| self.participants.iter().any(|p| &p.id == id && p.role == Role::Host);
        rules::may_chat_privately(me, &self.settings, others, is_host)
    }

    /// Why this participant may not write in the conversation with `others`
    /// (everyone when empty) now, if the meeting's settings say so.
    pub fn write_blocked(&self, others: &[ParticipantId]) -> Option<RuleViolation> {
        let me = self.me.as_ref()?;
        rules::may_send(me, &self.settings).and_then(|()| self.may_chat_privately(others)).err()
    }

    /// The slow mode's seconds between messages, when it applies to this participant.
    pub fn slowed_by(&self) -> Option<u32> {
        let me = self.me.as_ref()?;
        rules::is_slowed(me, &self.settings).then_some(self.settings.slow_mode_secs)
    }

    /// When slow mode lets this participant send again, if they are slowed.
    pub fn slow_mode_until(&self) -> Option<i64> {
        rules::slow_mode_until(self.me.as_ref()?, &self.settings, self.last_sent_at)
    }

    /// A participant's display name, if this client knows it: from the list,
    /// from pages of it, or from their private messages.
    pub fn name_of(&self, id: &ParticipantId) -> Option<&str> {
        let known = self.participants.iter().chain(self.met.iter().rev()).find(|p| &p.id == id);
        match known {
            Some(participant) => Some(&participant.display_name),
            None => self.timeline.private().rev().find(|m| &m.sender.id == id).map(|m| m.sender.display_name.as_str()),
        }
    }

    /// Remembers the names on a page of participants.
    pub(super) fn meet(&mut self, page: &[Participant]) {
        self.met.retain(|known| !page.iter().any(|p| p.id == known.id));
        self.met.extend(page.iter().cloned());
        let over = self.met.len().saturating_sub(MET_CAP);
        self.met.drain(..over);
    }

    /// Applies who came and went. Either list may name someone this client
    /// never knew or already has: applying is idempotent.
    pub(super) fn on_presence(&mut self, delta: PresenceDelta, fx: &mut Vec<Effect>) {
        if delta.complete {
            self.participants = delta.joined;
        } else {
            self.participants.retain(|p| !delta.left.contains(&p.id));
            for participant in delta.joined {
                match self.participants.iter_mut().find(|p| p.id == participant.id) {
                    Some(known) => *known = participant,
                    None => self.participants.push(participant),
                }
            }
        }
        self.participant_count = delta.count;
        fx.push(Effect::Changed(Change::Participants));
    }
}
