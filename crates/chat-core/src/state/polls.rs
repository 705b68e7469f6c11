//! The reducer's view of polls: the meeting's polls as this participant sees
//! them, kept from the welcome, each poll created or closed, this
//! participant's own vote, and the coalesced tallies; creating, voting and
//! closing, checked by the server's own rules first.

use chat_protocol::{rules, ClientFrame, Poll, PollId, PollTally};

use super::{ChatState, Pending};
use crate::effect::{Change, Effect, OpError, OpId};
use crate::input::NewPoll;

impl ChatState {
    /// The meeting's polls, oldest first.
    pub fn polls(&self) -> &[Poll] {
        &self.polls
    }

    pub(super) fn on_polls(&mut self, polls: Vec<Poll>, fx: &mut Vec<Effect>) {
        if self.polls != polls {
            self.polls = polls;
            fx.push(Effect::Changed(Change::Polls { new: None }));
        }
    }

    pub(super) fn on_poll_created(&mut self, poll: Poll, fx: &mut Vec<Effect>) {
        if self.polls.iter().all(|kept| kept.id != poll.id) {
            let id = poll.id.clone();
            self.polls.push(poll);
            fx.push(Effect::Changed(Change::Polls { new: Some(id) }));
        }
    }

    /// This participant's ballot in `poll_id` was stored.
    pub(super) fn on_voted(&mut self, poll_id: &PollId, options: Vec<u32>, fx: &mut Vec<Effect>) {
        let Some(me) = self.me.as_ref().map(|me| me.id.clone()) else { return };
        let Some(poll) = self.polls.iter_mut().find(|poll| &poll.id == poll_id) else { return };
        if !poll.voted.contains(&me) {
            poll.voted.push(me);
        }
        poll.chosen = options;
        fx.push(Effect::Changed(Change::Polls { new: None }));
    }

    /// A poll's counts now; `closed` when a host closed it with them.
    pub(super) fn on_tally(&mut self, tally: &PollTally, closed: bool, fx: &mut Vec<Effect>) {
        let Some(poll) = self.polls.iter_mut().find(|poll| poll.id == tally.poll_id) else { return };
        poll.apply(tally);
        poll.closed |= closed;
        fx.push(Effect::Changed(Change::Polls { new: None }));
    }

    pub(super) fn on_create_poll(&mut self, op: OpId, poll: NewPoll, fx: &mut Vec<Effect>) {
        let NewPoll { question, options, anonymous, hide_votes, multiple } = poll;
        let (question, options) = match self.me.as_ref().map(|me| rules::check_new_poll(me, &question, &options)) {
            Some(Ok(checked)) => checked,
            Some(Err(violation)) => return fx.push(Effect::Reject { op, error: OpError::from(violation) }),
            None => (question, options),
        };
        if self.require_connected(op, fx) {
            let frame = |req_id| ClientFrame::CreatePoll { req_id, question, options, anonymous, hide_votes, multiple };
            self.request(Pending::Op(op), frame, fx);
        }
    }

    pub(super) fn on_vote(&mut self, op: OpId, poll_id: PollId, options: Vec<u32>, fx: &mut Vec<Effect>) {
        let poll = self.polls.iter().find(|poll| poll.id == poll_id);
        let checked = match (self.me.as_ref(), poll) {
            (Some(me), Some(poll)) => rules::check_vote(me, poll, &options),
            _ => Ok(options),
        };
        let options = match checked {
            Ok(options) => options,
            Err(violation) => return fx.push(Effect::Reject { op, error: OpError::from(violation) }),
        };
        if self.require_connected(op, fx) {
            self.request(Pending::Op(op), |req_id| ClientFrame::Vote { req_id, poll_id, options }, fx);
        }
    }

    pub(super) fn on_close_poll(&mut self, op: OpId, poll_id: PollId, fx: &mut Vec<Effect>) {
        let poll = self.polls.iter().find(|poll| poll.id == poll_id);
        if let (Some(me), Some(poll)) = (self.me.as_ref(), poll) {
            if let Err(violation) = rules::may_close_poll(me, poll) {
                return fx.push(Effect::Reject { op, error: OpError::from(violation) });
            }
        }
        if self.require_connected(op, fx) {
            self.request(Pending::Op(op), |req_id| ClientFrame::ClosePoll { req_id, poll_id }, fx);
        }
    }
}
