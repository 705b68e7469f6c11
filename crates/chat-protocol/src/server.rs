//! Frames the server sends.

use crate::as_object::AsObject;
use serde::Serialize;

use crate::error::ErrorFrame;
use crate::event::EventEnvelope;
use crate::ids::{ClientId, MeetingId, MessageId, ParticipantId, RequestId, Seq};
use crate::limits::Limits;
use crate::message::{Message, MessageKind};
use crate::moderation::{MeetingSettings, Mute, Report};
use crate::polls::{Poll, PollTally};
use crate::tag_first::TagFirst;
use crate::wire_name::wire_names;

/// A participant's role in a meeting, from their token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// May moderate: delete anyone's messages, pin, change settings.
    Host,
    /// An ordinary participant.
    Participant,
    /// An app taking part as a participant; its messages are marked as a bot's.
    Bot,
    /// The meeting's backend: may send as a named character of its own (a
    /// puppet, always marked as a bot), over the socket or REST; not shown
    /// among the participants.
    Service,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 4] = [Self::Host, Self::Participant, Self::Bot, Self::Service];

    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::Participant => "participant",
            Self::Bot => "bot",
            Self::Service => "service",
        }
    }

    /// Whether an app holds this token (a bot or a service), not a person:
    /// its messages are marked as a bot's, and it keeps no meeting going.
    pub fn is_app(self) -> bool {
        matches!(self, Self::Bot | Self::Service)
    }
}

wire_names!(Role: "role", RateBucket: "rate bucket");

/// A participant as others see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// Their id.
    pub id: ParticipantId,
    /// Their display name.
    pub display_name: String,
    /// Their role.
    pub role: Role,
}

/// The rate-limit buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RateBucket {
    /// Text messages.
    Text,
    /// File, image and audio messages.
    File,
    /// Searches.
    Search,
}

impl RateBucket {
    /// Every bucket.
    pub const ALL: [Self; 3] = [Self::Text, Self::File, Self::Search];

    /// The bucket a message of `kind` with `attachments` counts against: a
    /// message carrying files counts as a file message.
    pub fn of(kind: MessageKind, attachments: usize) -> Self {
        match kind {
            MessageKind::Text if attachments == 0 => Self::Text,
            MessageKind::Text | MessageKind::Image | MessageKind::File | MessageKind::Audio => Self::File,
        }
    }

    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::File => "file",
            Self::Search => "search",
        }
    }
}

/// A frame from server to client.
///
/// Frames live only between parsing and handling, so the size difference
/// between the welcome and the rest is not worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, TagFirst)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ServerFrame {
    /// The answer to a valid `Auth` frame.
    #[serde(rename_all = "camelCase")]
    Welcome {
        /// The protocol version the server speaks.
        v: u32,
        /// The authenticated participant.
        #[serde(rename = "self")]
        me: Participant,
        /// The meeting joined.
        meeting_id: MeetingId,
        /// The meeting's newest `seq` at the time of joining.
        head_seq: Seq,
        /// The meeting's settings.
        settings: MeetingSettings,
        /// How many participants are connected now, including this one.
        participant_count: u32,
        /// Who is connected now: everyone while the meeting is small; in a
        /// large one its hosts, this participant and the first page by name
        /// (ask for more with [`crate::ClientFrame::Participants`]).
        participants: Vec<Participant>,
        /// The limits in force.
        limits: Limits,
        /// Where this participant has read to, per conversation, and what
        /// is unread: the meeting's always, private ones with anything to say.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reads: Vec<ReadState>,
        /// With read receipts on: how far the others have read the
        /// conversations this participant is in.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        seen: Vec<Seen>,
        /// Who is muted in the chat now: this participant, if they are; for a
        /// host, everyone who is.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        muted: Vec<Mute>,
        /// Open reports: this participant's own; for a host or an app, everyone's.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reports: Vec<Report>,
        /// The meeting's polls, oldest first, as this participant sees them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        polls: Vec<Poll>,
    },
    /// A meeting event.
    Event(EventEnvelope),
    /// The `lastSeq` given on resume is too far behind (or ahead, after the
    /// server lost data): drop local state and page history instead.
    #[serde(rename_all = "camelCase")]
    Reset {
        /// The meeting's newest `seq`.
        head_seq: Seq,
    },
    /// A successful answer to a request.
    #[serde(rename_all = "camelCase")]
    Ack {
        /// The request answered.
        req_id: RequestId,
        /// What the request produced.
        result: AckResult,
    },
    /// A failed request, or a frame that could not be read.
    Error(ErrorFrame),
    /// Who came and went since the last presence frame, coalesced (a few
    /// frames a second at most). In a large meeting only hosts are named;
    /// `count` is always the whole meeting's.
    Presence(PresenceDelta),
    /// Someone is typing in a conversation this participant is in.
    Typing(TypingNotice),
    /// In a large meeting (above the presence list limit), who is typing in
    /// the meeting's own conversation instead of a `typing` frame per typist:
    /// at most one per presence interval, each replacing the last.
    TypingCrowd(TypingCrowd),
    /// A poll's counts now, at most one per poll per presence interval
    /// while votes arrive (to hosts only while its counts are hidden).
    PollTally(PollTally),
    /// With read receipts on: someone read a conversation this participant is in further.
    Seen(Seen),
    /// This participant read a conversation further on another connection.
    #[serde(rename_all = "camelCase")]
    Read {
        /// The private conversation with this participant; `None` for the meeting's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<ParticipantId>,
        /// Every message of it up to this `seq` is read.
        seq: Seq,
    },
    /// A rate-limit bucket that refused a send accepts sends again.
    RateLimitReset {
        /// The bucket.
        bucket: RateBucket,
    },
}

/// Joins and leaves since the previous presence frame. A participant is in
/// at most one of the two lists; applying `left`, then `joined`, in either
/// order gives the same list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct PresenceDelta {
    /// Participants now connected who were not (or whose name changed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<Participant>,
    /// Participants no longer connected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<ParticipantId>,
    /// How many participants are connected now.
    pub count: u32,
    /// `joined` is everyone connected, replacing the list the client has: a
    /// large meeting became small enough to be listed in full again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
}

/// How far a participant has read one conversation, and what is left.
/// Conversations are split as [`crate::Message::read_in`] says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct ReadState {
    /// The private conversation with this participant; `None` for the meeting's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<ParticipantId>,
    /// Every message of it up to this `seq` is read (at first, where the
    /// participant joined: what came before is history, not news).
    pub seq: Seq,
    /// Messages from others after it that the participant may see.
    pub unread: u32,
    /// How many of those mention the participant.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mentions: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// How far another participant has read a conversation the receiver is in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Seen {
    /// Who read.
    pub by: ParticipantId,
    /// The receiver's private conversation with `by`, or the meeting's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    /// Up to where.
    pub seq: Seq,
}

/// Who is typing, and where: shown for [`crate::rules::TYPING_SHOWN_MS`]
/// unless renewed, and no longer once their message arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct TypingNotice {
    /// The typist.
    pub participant_id: ParticipantId,
    /// Their display name.
    pub display_name: String,
    /// The private conversation's members besides the typist; empty for the
    /// meeting's own conversation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<ParticipantId>,
}

/// Who is typing in a large meeting's own conversation: the first few
/// typists by name and how many in all, the receiver included when typing.
/// It replaces the previous one and shows for [`crate::rules::TYPING_SHOWN_MS`]
/// unless renewed; a `count` of 0 says nobody is typing any more.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct TypingCrowd {
    /// At most [`crate::rules::TYPING_CROWD_NAMED`] typists, who started first
    /// first, as their notices (with no `targets`: the meeting's conversation),
    /// which the client already reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named: Vec<TypingNotice>,
    /// How many are typing, the named ones included.
    pub count: u32,
}

/// The outcome of a successful request.
#[derive(Clone, Debug, PartialEq, Serialize, TagFirst)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AckResult {
    /// A message was stored (or had been, for a re-send of the same client id).
    #[serde(rename_all = "camelCase")]
    Sent {
        /// The client's id for the message.
        client_id: ClientId,
        /// The server's id for it.
        id: MessageId,
        /// The `seq` of its creation.
        seq: Seq,
        /// Server time of creation.
        time: i64,
        /// The fields the server's message hook changed (`text`, `targets`,
        /// `metadata`): the stored message differs from what was sent, and
        /// the event carries the stored one.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        modified: Vec<String>,
    },
    /// A change was stored as the event with this `seq`.
    Done {
        /// The event's `seq`, or `None` when nothing needed to change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<Seq>,
    },
    /// A page of history, oldest first.
    #[serde(rename_all = "camelCase")]
    History {
        /// The messages.
        messages: Vec<Message>,
        /// Whether older messages exist.
        has_more: bool,
    },
    /// A page of search hits, newest first.
    #[serde(rename_all = "camelCase")]
    Search {
        /// The messages found.
        messages: Vec<Message>,
        /// Whether older hits exist: ask again with the last one's `seq` as `before`.
        has_more: bool,
    },
    /// A page of the participants connected now, by name.
    #[serde(rename_all = "camelCase")]
    Participants {
        /// The page, ordered by display name (case-insensitively), then id.
        participants: Vec<Participant>,
        /// Where the next page starts, when there is one; pass it as `after`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
        /// How many participants are connected now.
        count: u32,
    },
    /// Answer to a ping.
    Pong,
}

impl AckResult {
    /// The id of the message an ack refers to, for a `Sent` ack.
    pub fn message_id(&self) -> Option<&MessageId> {
        match self {
            Self::Sent { id, .. } => Some(id),
            _ => None,
        }
    }
}
