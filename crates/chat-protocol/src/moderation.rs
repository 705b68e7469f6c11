//! What hosts decide about a meeting's chat: its settings (who may pin and
//! send, whom participants may message privately, slow mode, read receipts),
//! who is muted or removed, and the reports they look into. The rules that apply them are `rules/moderation.rs`.

use serde::Serialize;

use crate::as_object::AsObject;
use crate::ids::{MessageId, ParticipantId};
use crate::wire_name::wire_names;

/// Per-meeting settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct MeetingSettings {
    /// Whether every participant, not only hosts, may pin and unpin.
    pub anyone_can_pin: bool,
    /// Who may send messages (a webinar lets only hosts speak).
    #[serde(default)]
    pub who_can_send: SendPolicy,
    /// Slow mode: seconds a participant waits between messages; 0 is off.
    /// Hosts and apps are not slowed.
    #[serde(default)]
    pub slow_mode_secs: u32,
    /// Read receipts: participants learn how far others have read their
    /// conversations ("seen by 3"). Off unless a host turns them on.
    #[serde(default)]
    pub read_receipts: bool,
    /// Whom participants may message privately (Zoom's "participants can chat
    /// with"); hosts and apps message anyone.
    #[serde(default)]
    pub private_chat: PrivateChatPolicy,
}

/// Who may send messages in a meeting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SendPolicy {
    /// Every participant.
    #[default]
    Everyone,
    /// Hosts, and the meeting's apps (bots and services); participants still react.
    Hosts,
    /// The chat is off for participants: they neither send, react nor type.
    /// Hosts and apps still may (an announcement in a closed chat).
    Nobody,
}

impl SendPolicy {
    /// Every policy.
    pub const ALL: [Self; 3] = [Self::Everyone, Self::Hosts, Self::Nobody];

    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::Hosts => "hosts",
            Self::Nobody => "nobody",
        }
    }

    /// The policy with this wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        crate::wire_name::lookup(name)
    }
}

/// Whom participants may message privately.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PrivateChatPolicy {
    /// Anyone in the meeting.
    #[default]
    Everyone,
    /// Only the meeting's hosts who are here.
    Hosts,
    /// Nobody: participants chat in the meeting's conversation only.
    Nobody,
}

impl PrivateChatPolicy {
    /// Every policy.
    pub const ALL: [Self; 3] = [Self::Everyone, Self::Hosts, Self::Nobody];

    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::Hosts => "hosts",
            Self::Nobody => "nobody",
        }
    }

    /// The policy with this wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        crate::wire_name::lookup(name)
    }
}

wire_names!(SendPolicy: "send policy", PrivateChatPolicy: "private chat policy");

/// A participant muted in the chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Mute {
    /// Who.
    pub participant_id: ParticipantId,
    /// Until when (milliseconds since the Unix epoch); `None` until a host unmutes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Whether a host removed them from the chat (muted until let back, and
    /// their connections refused meanwhile).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

impl Mute {
    /// Whether the mute still holds at `now`.
    pub fn holds_at(&self, now: i64) -> bool {
        self.until.is_none_or(|until| until > now)
    }
}

/// A participant's report of a message to the hosts, open until a host
/// dismisses it or the message is deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The message reported.
    pub message_id: MessageId,
    /// Who reported it.
    pub by: ParticipantId,
    /// Their display name then (in a large meeting, the hosts may not have
    /// them in their participant list).
    pub by_name: String,
    /// Why, in their words.
    pub reason: String,
    /// When (milliseconds since the Unix epoch).
    pub time: i64,
}
