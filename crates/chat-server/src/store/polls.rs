//! A meeting's polls, whatever the engine: each poll with its options and
//! state, one ballot per voter and poll (whichever node took it), a count
//! per option, and, unless the poll is anonymous, who chose each option. An
//! anonymous poll's ballot keeps only that its voter voted, so no row ties a
//! person to an option. Creating, voting and closing each store an event.

use async_trait::async_trait;
use chat_protocol::{rules, MeetingId, ParticipantId, Poll, PollId, PollOption, PollTally, PollVote};
use serde::{Deserialize, Serialize};

use super::{StoreError, StoredEvent};

/// A meeting's polls.
#[async_trait]
pub trait Polls: Send + Sync + 'static {
    /// The meeting's polls, oldest first, as `viewer` sees them: every count
    /// and the first voters, `voted` holding the viewer when they voted and
    /// `chosen` their options (none for an anonymous poll).
    async fn polls(&self, meeting: &MeetingId, viewer: &ParticipantId) -> Result<Vec<Poll>, StoreError>;
    /// One poll as `viewer` sees it.
    async fn poll(&self, meeting: &MeetingId, id: &PollId, viewer: &ParticipantId) -> Result<Option<Poll>, StoreError>;
    /// Stores a new poll (no votes yet) with its event.
    async fn create_poll(&self, meeting: &MeetingId, poll: &Poll) -> Result<StoredEvent, StoreError>;
    /// Stores `voter`'s ballot choosing `options` with its event, unless
    /// they voted already or the poll closed meanwhile.
    async fn vote(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        voter: &PollVote,
        options: &[u32],
        at: i64,
    ) -> Result<Ballot, StoreError>;
    /// Closes a poll with its event and final counts; `None` when it was closed already.
    async fn close_poll(
        &self,
        meeting: &MeetingId,
        poll: &PollId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
}

/// What became of a ballot.
#[derive(Debug)]
pub enum Ballot {
    /// Stored, with its event.
    Stored(Box<StoredEvent>),
    /// Its voter had voted in that poll already.
    AlreadyVoted,
    /// The poll was closed.
    Closed,
    /// No such poll in the meeting.
    NoPoll,
}

/// A vote event's payload: the poll, and the options chosen (none for an
/// anonymous poll).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Voted {
    /// The poll.
    pub poll_id: PollId,
    /// The options chosen, unless the poll is anonymous.
    #[serde(default)]
    pub options: Vec<u32>,
}

/// A poll's options as stored: their texts as a JSON array.
pub fn options_json(poll: &Poll) -> Result<String, StoreError> {
    let texts: Vec<&str> = poll.options.iter().map(|option| option.text.as_str()).collect();
    super::moderation::payload(&texts)
}

/// A poll's stored columns: all but its votes.
pub struct PollColumns {
    /// Its id.
    pub id: String,
    /// The question.
    pub question: String,
    /// The options' texts as [`options_json`] wrote them.
    pub options: String,
    /// Whether it is anonymous.
    pub anonymous: bool,
    /// Whether its counts are hidden until it closes.
    pub hide_votes: bool,
    /// Whether a ballot may choose several options.
    pub multiple: bool,
    /// Its creator's id.
    pub created_by: String,
    /// Its creator's name.
    pub created_by_name: String,
    /// When it was created.
    pub created_at: i64,
    /// Whether it is closed.
    pub closed: bool,
}

impl PollColumns {
    /// The poll they hold, with no votes yet.
    pub fn into_poll(self) -> Result<Poll, StoreError> {
        let texts: Vec<String> =
            serde_json::from_str(&self.options).map_err(|e| StoreError::Corrupt(format!("poll {}: {e}", self.id)))?;
        Ok(Poll {
            id: PollId(self.id),
            question: self.question,
            options: texts.into_iter().map(|text| PollOption { text, ..Default::default() }).collect(),
            anonymous: self.anonymous,
            hide_votes: self.hide_votes,
            multiple: self.multiple,
            created_by: self.created_by_name,
            created_by_user_id: ParticipantId(self.created_by),
            voted: Vec::new(),
            chosen: Vec::new(),
            closed: self.closed,
            time: self.created_at,
        })
    }
}

/// A tally of `options` options from the stored counts (option, count) and
/// the first voters (option, voter) in the order they voted.
pub fn tally_of(
    poll: &PollId,
    options: usize,
    counts: impl IntoIterator<Item = (u32, u32)>,
    voters: impl IntoIterator<Item = (u32, PollVote)>,
) -> PollTally {
    let mut tally = PollTally { poll_id: poll.clone(), options: vec![PollOption::default(); options] };
    for (option, count) in counts {
        if let Some(counted) = tally.options.get_mut(option as usize) {
            counted.count = count;
        }
    }
    for (option, voter) in voters {
        if let Some(counted) = tally.options.get_mut(option as usize) {
            if counted.votes.len() < rules::POLL_VOTERS_SHOWN {
                counted.votes.push(voter);
            }
        }
    }
    tally
}

/// `poll` as a viewer sees it, with `tally`, and their ballot: `None` when
/// they did not vote, else the options they chose.
pub fn as_seen(mut poll: Poll, tally: &PollTally, viewer: &ParticipantId, ballot: Option<Vec<u32>>) -> Poll {
    poll.apply(tally);
    if let Some(chosen) = ballot {
        poll.voted = vec![viewer.clone()];
        poll.chosen = chosen;
    }
    poll
}

/// The SQL both engines run for a poll's first voters per option, with the
/// engine's placeholders for the meeting and the poll.
pub fn first_voters_query(meeting: &str, poll: &str) -> String {
    format!(
        "SELECT option_index, voter_id, voter_name FROM (\
           SELECT option_index, voter_id, voter_name, \
           ROW_NUMBER() OVER (PARTITION BY option_index ORDER BY time, voter_id) AS place \
           FROM poll_choices WHERE meeting_id = {meeting} AND poll_id = {poll}) AS firsts \
         WHERE place <= {} ORDER BY option_index, place",
        rules::POLL_VOTERS_SHOWN
    )
}
