//! Polls, in RealtimeKit's `meeting.polls` shape: a host asks a question with
//! 2 to 10 options; everyone votes once (one option, or several when the
//! poll allows it); counts go out coalesced (a [`PollTally`] per poll at most
//! once per presence interval, not a frame per vote), hidden from all but the
//! hosts until the poll closes when it says so; an anonymous poll's ballots
//! name no option, so nobody, the server included, can tell who voted what.

use serde::Serialize;

use crate::as_object::AsObject;
use crate::ids::{ParticipantId, PollId};

/// A poll as a participant sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Poll {
    /// Its id.
    pub id: PollId,
    /// The question.
    pub question: String,
    /// The options, in the order the host gave them.
    pub options: Vec<PollOption>,
    /// Whether who voted what is never shown (nor kept).
    pub anonymous: bool,
    /// Whether counts are shown only to hosts until the poll closes.
    pub hide_votes: bool,
    /// Whether a ballot may choose several options.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiple: bool,
    /// Its creator's display name.
    pub created_by: String,
    /// Its creator.
    pub created_by_user_id: ParticipantId,
    /// Who voted, as far as this participant may know: themselves when they did.
    #[serde(default)]
    pub voted: Vec<ParticipantId>,
    /// The options this participant chose (not kept for an anonymous poll).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen: Vec<u32>,
    /// Whether a host closed it: no more votes, and its counts are shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// When it was created (milliseconds since the Unix epoch).
    pub time: i64,
}

/// One option of a poll, with its votes; in a [`PollTally`], without its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct PollOption {
    /// Its text (absent in a tally: the poll has it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The first voters for it, at most [`crate::rules::POLL_VOTERS_SHOWN`]
    /// (none for an anonymous poll, or while its counts are hidden).
    #[serde(default)]
    pub votes: Vec<PollVote>,
    /// How many voted for it (0 while its counts are hidden).
    pub count: u32,
}

/// Who voted for an option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct PollVote {
    /// The voter.
    pub id: ParticipantId,
    /// Their display name.
    pub name: String,
}

/// A poll's counts now, option by option: what a poll's options become
/// when votes arrive, or when it closes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct PollTally {
    /// The poll.
    pub poll_id: PollId,
    /// Each option's count and first voters, in the options' order.
    pub options: Vec<PollOption>,
}

impl Poll {
    /// Takes `tally`'s counts and voters into the options.
    pub fn apply(&mut self, tally: &PollTally) {
        for (option, counted) in self.options.iter_mut().zip(&tally.options) {
            option.votes.clone_from(&counted.votes);
            option.count = counted.count;
        }
    }

    /// Everyone's votes, counted once per ballot option.
    pub fn total_votes(&self) -> u32 {
        self.options.iter().map(|option| option.count).sum()
    }
}
