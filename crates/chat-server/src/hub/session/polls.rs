//! Polls: hosts and apps create and close them; everyone votes once while
//! one is open. Creating and closing are events everyone hears; a vote is
//! an event its voter hears, and its counts reach everyone coalesced
//! (`hub/polls.rs`). Votes count against the voter's text rate limit.

use chat_protocol::{rules, AckResult, Poll, PollId, PollOption, PollVote, RateBucket};

use super::Session;
use crate::error::DomainError;
use crate::store::polls::Ballot;
use crate::validation;

impl Session {
    /// Creates a poll of `question` and `options`.
    pub(super) async fn create_poll(
        &self,
        question: &str,
        options: &[String],
        (anonymous, hide_votes, multiple): (bool, bool, bool),
    ) -> Result<AckResult, DomainError> {
        let (question, options) = rules::check_new_poll(&self.me, question, options)?;
        let poll = Poll {
            id: PollId(uuid::Uuid::new_v4().simple().to_string()),
            question,
            options: options.into_iter().map(|text| PollOption { text, ..Default::default() }).collect(),
            anonymous,
            hide_votes,
            multiple,
            created_by: self.me.display_name.clone(),
            created_by_user_id: self.me.id.clone(),
            voted: Vec::new(),
            chosen: Vec::new(),
            closed: false,
            time: crate::clock::now_ms(),
        };
        let mut members = self.room.members.lock().await;
        let event = self.hub.store.create_poll(&self.room.meeting, &poll).await?;
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Casts this participant's ballot in `poll_id`, choosing `options`.
    pub(super) async fn vote(&self, poll_id: &PollId, options: &[u32]) -> Result<AckResult, DomainError> {
        validation::check_id("pollId", poll_id.as_str())?;
        let store = &self.hub.store;
        let poll = store.poll(&self.room.meeting, poll_id, &self.me.id).await?.ok_or(DomainError::NotFound)?;
        let options = rules::check_vote(&self.me, &poll, options)?;
        self.spend(RateBucket::Text).await?;
        let voter = PollVote { id: self.me.id.clone(), name: self.me.display_name.clone() };
        let now = crate::clock::now_ms();
        let mut members = self.room.members.lock().await;
        // Checked above as this node saw it; storage decides for every node at once.
        let event = match store.vote(&self.room.meeting, poll_id, &voter, &options, now).await? {
            Ballot::Stored(event) => *event,
            Ballot::AlreadyVoted => return Err(rules::RuleViolation::AlreadyVoted.into()),
            Ballot::Closed => return Err(rules::RuleViolation::PollClosed.into()),
            Ballot::NoPoll => return Err(DomainError::NotFound),
        };
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Closes `poll_id`, telling everyone its final counts.
    pub(super) async fn close_poll(&self, poll_id: &PollId) -> Result<AckResult, DomainError> {
        validation::check_id("pollId", poll_id.as_str())?;
        let store = &self.hub.store;
        let poll = store.poll(&self.room.meeting, poll_id, &self.me.id).await?.ok_or(DomainError::NotFound)?;
        rules::may_close_poll(&self.me, &poll)?;
        let mut members = self.room.members.lock().await;
        let now = crate::clock::now_ms();
        let Some(event) = store.close_poll(&self.room.meeting, poll_id, &self.me.id, now).await? else {
            return Err(rules::RuleViolation::PollClosed.into());
        };
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }
}
