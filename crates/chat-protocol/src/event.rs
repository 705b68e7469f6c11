//! Sequenced meeting events: each stored change to a meeting, in order.

use crate::as_object::AsObject;
use serde::Serialize;

use crate::ids::{MessageId, ParticipantId, PollId, Seq};
use crate::message::Message;
use crate::moderation::{MeetingSettings, Report};
use crate::polls::{Poll, PollTally};
use crate::tag_first::TagFirst;

/// An event with its place in the meeting's order.
#[derive(Clone, Debug, PartialEq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct EventEnvelope {
    /// The event's per-meeting sequence number; strictly increasing.
    pub seq: Seq,
    /// Server time of the change, in milliseconds since the Unix epoch.
    pub time: i64,
    /// The change.
    pub event: Event,
}

/// One change to a meeting.
///
/// Events that carry a [`Message`] carry its state as stored when the event is
/// delivered; replaying an old event therefore never brings back a body that
/// was deleted since.
#[derive(Clone, Debug, PartialEq, Serialize, TagFirst)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Event {
    /// A message was sent.
    MessageCreated {
        /// The message.
        message: Message,
    },
    /// A message's content was edited.
    MessageEdited {
        /// The message after the edit.
        message: Message,
    },
    /// A message was deleted for everyone; only its id remains.
    MessageDeleted {
        /// The deleted message.
        id: MessageId,
        /// Who deleted it.
        by: ParticipantId,
    },
    /// A message was deleted for the receiving participant only.
    MessageHidden {
        /// The hidden message.
        id: MessageId,
    },
    /// A message was pinned.
    MessagePinned {
        /// The pinned message.
        id: MessageId,
        /// Who pinned it.
        by: ParticipantId,
    },
    /// A message was unpinned.
    MessageUnpinned {
        /// The unpinned message.
        id: MessageId,
        /// Who unpinned it.
        by: ParticipantId,
    },
    /// Someone added or took off a reaction.
    ReactionUpdated {
        /// The message.
        id: MessageId,
        /// The emoji.
        emoji: String,
        /// Who reacted or took theirs off.
        by: ParticipantId,
        /// Whether `by` added it (or took it off).
        added: bool,
        /// How many reactions with `emoji` the message carries now.
        count: u32,
    },
    /// The meeting's settings changed.
    SettingsChanged {
        /// The new settings.
        settings: MeetingSettings,
    },
    /// A host muted a participant in the chat. Only they and the hosts are told.
    #[serde(rename_all = "camelCase")]
    ParticipantMuted {
        /// Who is muted.
        participant_id: ParticipantId,
        /// Until when (milliseconds since the Unix epoch); `None` until unmuted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<i64>,
        /// The host who muted them.
        by: ParticipantId,
    },
    /// A host removed a participant from the chat: muted for the rest of the
    /// meeting, their connections closed until a host lets them back. Only
    /// they and the hosts are told, unless their messages were deleted too:
    /// then everyone, who drops every message they sent.
    #[serde(rename_all = "camelCase")]
    ParticipantRemoved {
        /// Who is removed.
        participant_id: ParticipantId,
        /// The host who removed them.
        by: ParticipantId,
        /// Whether every message they sent was deleted for everyone.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        messages_deleted: bool,
    },
    /// Someone reported a message. Only they and the hosts are told.
    MessageReported {
        /// The report, as welcomes list the open ones.
        report: Report,
    },
    /// A host dismissed a message's open reports. Only the hosts are told.
    #[serde(rename_all = "camelCase")]
    ReportsDismissed {
        /// The message.
        id: MessageId,
        /// The host who dismissed them.
        by: ParticipantId,
    },
    /// A host created a poll.
    PollCreated {
        /// The poll as created: no votes yet.
        poll: Poll,
    },
    /// This participant voted in a poll (only the voter is told; everyone's
    /// counts come as coalesced `pollTally` frames).
    #[serde(rename_all = "camelCase")]
    PollVoted {
        /// The poll.
        poll_id: PollId,
        /// The options chosen (none for an anonymous poll: its ballots name none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<u32>,
    },
    /// A host closed a poll, with its final counts.
    #[serde(rename_all = "camelCase")]
    PollClosed {
        /// The host who closed it.
        by: ParticipantId,
        /// Its final counts.
        tally: PollTally,
    },
    /// A host lifted a participant's mute or removal. Only they and the hosts are told.
    #[serde(rename_all = "camelCase")]
    ParticipantUnmuted {
        /// Who may chat again.
        participant_id: ParticipantId,
        /// The host who unmuted them.
        by: ParticipantId,
    },
}
