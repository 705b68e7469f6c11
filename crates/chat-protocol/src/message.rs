//! A chat message as the server stores and delivers it.

use crate::as_object::AsObject;
use crate::wire_name::wire_names;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ids::{ClientId, FileId, MessageId, ParticipantId, Seq};
use crate::tag_first::TagFirst;

/// Who sent a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Sender {
    /// The sender's participant id.
    pub id: ParticipantId,
    /// The display name the sender had when sending.
    pub display_name: String,
    /// Whether an app sent it (a bot, or a service's puppet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bot: bool,
}

/// The kind of a message, as the seeds name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// Plain text.
    Text,
    /// An image, shown inline.
    Image,
    /// Any file, offered for download.
    File,
    /// A sound recording, played inline.
    Audio,
}

impl MessageKind {
    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Image => "image",
            Self::File => "file",
            Self::Audio => "audio",
        }
    }

    /// The kind a client guesses for a file from its declared content type
    /// (the server decides from the bytes): the images it shows inline,
    /// sound, and any other file.
    pub fn of_content_type(content_type: &str) -> Self {
        match content_type {
            "image/png" | "image/jpeg" | "image/gif" | "image/webp" => Self::Image,
            t if t.starts_with("audio/") => Self::Audio,
            _ => Self::File,
        }
    }

    /// Every kind, in the order the seeds list them.
    pub const ALL: [Self; 4] = [Self::Text, Self::Image, Self::File, Self::Audio];
}

wire_names!(MessageKind: "message kind");

/// A message kind name that is not `text`, `image`, `file` or `audio`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl std::fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown message type {:?}; use text, image, file or audio", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl std::str::FromStr for MessageKind {
    type Err = UnknownKind;

    fn from_str(name: &str) -> Result<Self, UnknownKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name).ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

/// A stored file as a message refers to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct FileRef {
    /// The file's id.
    pub id: FileId,
    /// A signed, expiring URL for the file; relative to the server unless the
    /// server was given a public URL.
    pub url: String,
    /// The file's name, sanitized (no directories, no control characters).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Content type decided by the server from the bytes.
    pub content_type: String,
    /// Image width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Image height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// A blurhash placeholder for images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blurhash: Option<String>,
    /// A signed, expiring URL of a small thumbnail for images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
}

/// What a message carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TagFirst)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Content {
    /// A text message.
    Text {
        /// The text, at most [`crate::Limits::max_text_chars`] long.
        text: String,
    },
    /// An image message.
    Image {
        /// The image file.
        file: FileRef,
    },
    /// A file message.
    File {
        /// The file.
        file: FileRef,
    },
    /// An audio message.
    Audio {
        /// The recording.
        file: FileRef,
    },
    /// A message deleted for everyone: its body is gone.
    Deleted,
}

impl Content {
    /// The kind of message this content makes, or `None` for a tombstone.
    pub fn kind(&self) -> Option<MessageKind> {
        match self {
            Self::Text { .. } => Some(MessageKind::Text),
            Self::Image { .. } => Some(MessageKind::Image),
            Self::File { .. } => Some(MessageKind::File),
            Self::Audio { .. } => Some(MessageKind::Audio),
            Self::Deleted => None,
        }
    }

    /// The content of a `kind` message carrying `file`; a text kind makes a
    /// file message, since text carries no file.
    pub fn with_file(kind: MessageKind, file: FileRef) -> Self {
        match kind {
            MessageKind::Image => Self::Image { file },
            MessageKind::Audio => Self::Audio { file },
            MessageKind::File | MessageKind::Text => Self::File { file },
        }
    }

    /// The file an image, file or audio message carries.
    pub fn file(&self) -> Option<&FileRef> {
        match self {
            Self::Image { file } | Self::File { file } | Self::Audio { file } => Some(file),
            Self::Text { .. } | Self::Deleted => None,
        }
    }
}

/// The id of the conversation a message from `sender` to `targets` is in:
/// the meeting's own (its id) when it goes to everyone, else a private one
/// named by everyone in it, so every member names it alike.
pub fn conversation_id(meeting: &crate::MeetingId, sender: &ParticipantId, targets: &[ParticipantId]) -> String {
    if targets.is_empty() {
        return meeting.as_str().to_owned();
    }
    // Ordered by insertion: a handful of members, and no sort code in the wasm.
    let mut members: Vec<&str> = Vec::with_capacity(targets.len() + 1);
    for member in targets.iter().chain(std::iter::once(sender)).map(ParticipantId::as_str) {
        if let Err(at) = members.binary_search(&member) {
            members.insert(at, member);
        }
    }
    format!("private:{}", members.join(","))
}

/// A chat message.
#[derive(Clone, Debug, PartialEq, Serialize, TagFirst)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Server-assigned id.
    pub id: MessageId,
    /// The id the sending client chose, for matching its local echo.
    pub client_id: ClientId,
    /// The `seq` of the event that created this message; history pages by it.
    pub seq: Seq,
    /// Who sent it.
    pub sender: Sender,
    /// Server time of creation, in milliseconds since the Unix epoch.
    pub time: i64,
    /// What it carries.
    #[serde(flatten)]
    pub content: Content,
    /// The message this one replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    /// The message this one forwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<MessageId>,
    /// The participants this private message is for, besides its sender;
    /// empty means everyone in the meeting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<ParticipantId>,
    /// Application data attached by the sender.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
    /// Extra event details (SignalWire's), kept like `metadata`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub details: Map<String, Value>,
    /// Files a text message carries besides its text (SAMA's), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<FileRef>,
    /// Whether the message was edited.
    #[serde(default)]
    pub edited: bool,
    /// When it was last edited, in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<i64>,
    /// Whether it is pinned.
    #[serde(default)]
    pub pinned: bool,
    /// Its reactions, one entry per emoji, in the order each was first used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<Reaction>,
    /// Participants its text mentions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<ParticipantId>,
}

/// One emoji's reactions to a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    /// The emoji (see [`crate::rules::check_emoji`]).
    pub emoji: String,
    /// How many participants reacted with it.
    pub count: u32,
    /// Whether the participant reading it did. Only what is read for one
    /// participant (history, a resume) says so; what is passed on to everyone
    /// leaves it out, and `reactionUpdated` events carry who reacted instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub me: bool,
}

impl Message {
    /// The conversation this message is in (see [`conversation_id`]).
    pub fn conversation_id(&self, meeting: &crate::MeetingId) -> String {
        conversation_id(meeting, &self.sender.id, &self.targets)
    }

    /// Whether this message is in the private conversation `viewer` has with
    /// `peer`: private, and `peer` sent it or is among its recipients.
    pub fn in_conversation_with(&self, peer: &ParticipantId) -> bool {
        !self.targets.is_empty() && (&self.sender.id == peer || self.targets.contains(peer))
    }

    /// Where this message counts toward `reader`'s unread messages: `None`
    /// for the meeting's public conversation; for a private message the
    /// conversation with its sender (or, for the reader's own, with its
    /// first recipient, where reading it never counts).
    pub fn read_in(&self, reader: &ParticipantId) -> Option<ParticipantId> {
        if self.targets.is_empty() {
            None
        } else if &self.sender.id == reader {
            self.targets.first().cloned()
        } else {
            Some(self.sender.id.clone())
        }
    }

    /// The members of this message's conversation besides `viewer`: none for
    /// the meeting's public conversation, else its sender and recipients.
    pub fn others_in_conversation(&self, viewer: &ParticipantId) -> Vec<ParticipantId> {
        if self.targets.is_empty() {
            return Vec::new();
        }
        std::iter::once(&self.sender.id).chain(&self.targets).filter(|id| *id != viewer).cloned().collect()
    }

    /// Whether `viewer` may see this message at all (ignoring "deleted for me").
    pub fn visible_to(&self, viewer: &ParticipantId) -> bool {
        self.targets.is_empty() || &self.sender.id == viewer || self.targets.contains(viewer)
    }
}
