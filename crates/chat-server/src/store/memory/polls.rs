//! Polls in memory: each poll with its ballots, counts and (unless
//! anonymous) choices; each creation, vote and closing with its event.

use std::collections::HashSet;

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId, Poll, PollId, PollTally, PollVote};

use super::state::State;
use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::moderation::payload;
use crate::store::polls::{as_seen, tally_of, Ballot, Polls, Voted};
use crate::store::{StoreError, StoredEvent};

/// A poll as the memory store holds it.
pub(super) struct HeldPoll {
    /// As created: no votes.
    poll: Poll,
    /// Who voted.
    ballots: HashSet<ParticipantId>,
    /// Each option's count.
    counts: Vec<u32>,
    /// Who chose which option, in the order they voted (none when anonymous).
    choices: Vec<(u32, PollVote)>,
}

impl HeldPoll {
    fn tally(&self) -> PollTally {
        let counts = self.counts.iter().enumerate().map(|(option, count)| (option as u32, *count));
        tally_of(&self.poll.id, self.poll.options.len(), counts, self.choices.iter().cloned())
    }

    fn seen_by(&self, viewer: &ParticipantId) -> Poll {
        let ballot = self
            .ballots
            .contains(viewer)
            .then(|| self.choices.iter().filter(|(_, voter)| &voter.id == viewer).map(|(option, _)| *option).collect());
        as_seen(self.poll.clone(), &self.tally(), viewer, ballot)
    }
}

fn held<'a>(s: &'a mut State, meeting: &MeetingId, poll: &PollId) -> Option<&'a mut HeldPoll> {
    s.meeting(meeting).polls.iter_mut().find(|held| &held.poll.id == poll)
}

#[async_trait]
impl Polls for MemoryStore {
    async fn polls(&self, meeting: &MeetingId, viewer: &ParticipantId) -> Result<Vec<Poll>, StoreError> {
        self.with(|s| {
            let mut polls: Vec<&HeldPoll> =
                s.meetings.get(meeting).map(|m| m.polls.iter().collect()).unwrap_or_default();
            polls.sort_by(|a, b| (a.poll.time, &a.poll.id).cmp(&(b.poll.time, &b.poll.id)));
            Ok(polls.into_iter().map(|held| held.seen_by(viewer)).collect())
        })
    }

    async fn poll(&self, meeting: &MeetingId, id: &PollId, viewer: &ParticipantId) -> Result<Option<Poll>, StoreError> {
        self.with(|s| Ok(held(s, meeting, id).map(|held| held.seen_by(viewer))))
    }

    async fn create_poll(&self, meeting: &MeetingId, poll: &Poll) -> Result<StoredEvent, StoreError> {
        self.with(|s| {
            let payload = payload(poll)?;
            let counts = vec![0; poll.options.len()];
            let created = HeldPoll { poll: poll.clone(), ballots: HashSet::new(), counts, choices: Vec::new() };
            s.meeting(meeting).polls.push(created);
            s.record(meeting, EventKind::PollCreated, None, &poll.created_by_user_id, poll.time, Some(payload));
            s.last_event(meeting)
        })
    }

    async fn vote(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        voter: &PollVote,
        options: &[u32],
        at: i64,
    ) -> Result<Ballot, StoreError> {
        self.with(|s| {
            let Some(held) = held(s, meeting, poll) else { return Ok(Ballot::NoPoll) };
            if held.poll.closed {
                return Ok(Ballot::Closed);
            }
            if !held.ballots.insert(voter.id.clone()) {
                return Ok(Ballot::AlreadyVoted);
            }
            for option in options {
                if let Some(count) = held.counts.get_mut(*option as usize) {
                    *count += 1;
                }
                if !held.poll.anonymous {
                    held.choices.push((*option, voter.clone()));
                }
            }
            let options = if held.poll.anonymous { Vec::new() } else { options.to_vec() };
            let payload = payload(&Voted { poll_id: poll.clone(), options })?;
            s.record(meeting, EventKind::PollVoted, None, &voter.id, at, Some(payload));
            Ok(Ballot::Stored(Box::new(s.last_event(meeting)?)))
        })
    }

    async fn close_poll(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            let Some(held) = held(s, meeting, poll).filter(|held| !held.poll.closed) else { return Ok(None) };
            held.poll.closed = true;
            let payload = payload(&held.tally())?;
            s.record(meeting, EventKind::PollClosed, None, by, at, Some(payload));
            Ok(Some(s.last_event(meeting)?))
        })
    }
}
