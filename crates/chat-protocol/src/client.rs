//! Frames a client sends.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{ClientId, FileId, MessageId, ParticipantId, PollId, RequestId, Seq};
use crate::message::MessageKind;
use crate::moderation::{PrivateChatPolicy, SendPolicy};

/// A character a service sends as (Moobius' puppets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Puppet {
    /// Its id, as messages name their sender.
    pub id: ParticipantId,
    /// Its name.
    pub display_name: String,
}

/// A frame from client to server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum ClientFrame {
    /// Must be the first frame of a connection.
    #[serde(rename_all = "camelCase")]
    Auth {
        /// The protocol version the client speaks.
        v: u32,
        /// A JWT minted by the meeting's backend (or the dev server).
        token: String,
        /// The last `seq` this client has seen, to resume from; `None` on a
        /// first connection.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seq: Option<Seq>,
    },
    /// Send a message.
    #[serde(rename_all = "camelCase")]
    Send {
        /// Request id.
        req_id: RequestId,
        /// The client's own id for this message; re-sending the same id
        /// returns the original ack and stores nothing twice.
        client_id: ClientId,
        /// What to send.
        content: NewContent,
        /// The message this one replies to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<MessageId>,
        /// The message this one forwards.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forwarded_from: Option<MessageId>,
        /// Recipients of a private message; empty means everyone.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        targets: Vec<ParticipantId>,
        /// Application data, a JSON object; with `details`, at most
        /// [`crate::Limits::max_metadata_bytes`] serialized.
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        metadata: Map<String, Value>,
        /// Extra event details (SignalWire's), stored and delivered like `metadata`.
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        details: Map<String, Value>,
        /// Uploads a text message carries besides its text, in order, at most
        /// [`crate::Limits::max_attachments`]; the text may then be empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<FileId>,
        /// Services only: send as this character (a puppet, marked as a bot).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        as_sender: Option<Puppet>,
        /// Participants the text mentions (`@name`), at most
        /// [`crate::Limits::max_targets`]; a private message's only among its members.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<ParticipantId>,
    },
    /// Replace a message's content; only its author may.
    #[serde(rename_all = "camelCase")]
    Edit {
        /// Request id.
        req_id: RequestId,
        /// The message to edit.
        id: MessageId,
        /// The new content; its kind must match the message's.
        content: NewContent,
        /// The attachments to keep, in order, out of those the message has;
        /// `None` keeps them all. An edit removes attachments, never adds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attachments: Option<Vec<FileId>>,
    },
    /// Delete a message, for everyone or for oneself.
    #[serde(rename_all = "camelCase")]
    Delete {
        /// Request id.
        req_id: RequestId,
        /// The message to delete.
        id: MessageId,
        /// For whom.
        scope: DeleteScope,
    },
    /// Pin a message.
    #[serde(rename_all = "camelCase")]
    Pin {
        /// Request id.
        req_id: RequestId,
        /// The message to pin.
        id: MessageId,
    },
    /// Unpin a message.
    #[serde(rename_all = "camelCase")]
    Unpin {
        /// Request id.
        req_id: RequestId,
        /// The message to unpin.
        id: MessageId,
    },
    /// Adds my reaction with `emoji` to a message I can see.
    #[serde(rename_all = "camelCase")]
    React {
        /// Request id.
        req_id: RequestId,
        /// The message.
        id: MessageId,
        /// One emoji (see [`crate::rules::check_emoji`]).
        emoji: String,
    },
    /// Takes my reaction with `emoji` off a message.
    #[serde(rename_all = "camelCase")]
    Unreact {
        /// Request id.
        req_id: RequestId,
        /// The message.
        id: MessageId,
        /// The emoji.
        emoji: String,
    },
    /// Ask for a page of messages older than `before`.
    #[serde(rename_all = "camelCase")]
    History {
        /// Request id.
        req_id: RequestId,
        /// Only messages whose `seq` is below this; `None` for the newest page.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Seq>,
        /// Page size, 1 to [`crate::Limits::max_page_size`].
        limit: u32,
        /// Only the private conversation with this participant; `None` for
        /// every message the requester may see.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<ParticipantId>,
    },
    /// Search the messages the requester may see (private ones only their
    /// audience's; deleted ones never) for words, newest first: every word
    /// of `query` must start a word of a message's text, whatever its case.
    #[serde(rename_all = "camelCase")]
    Search {
        /// Request id.
        req_id: RequestId,
        /// Words, 1 to [`crate::rules::MAX_SEARCH_QUERY_CHARS`] characters.
        query: String,
        /// Only hits whose `seq` is below this (the previous page's last); `None` for the newest.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Seq>,
        /// Page size, 1 to [`crate::Limits::max_page_size`].
        limit: u32,
        /// Only the private conversation with this participant.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<ParticipantId>,
    },
    /// I have read a conversation up to `seq`: the server keeps the
    /// furthest position per conversation (it never goes back), so it
    /// follows the reader to every device, and tells their other connections.
    #[serde(rename_all = "camelCase")]
    MarkRead {
        /// Request id.
        req_id: RequestId,
        /// The private conversation with this participant; `None` for the meeting's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<ParticipantId>,
        /// Every message of it up to this `seq` is read.
        seq: Seq,
    },
    /// Change the meeting's settings; hosts only. Settings left out keep
    /// their value.
    #[serde(rename_all = "camelCase")]
    UpdateSettings {
        /// Request id.
        req_id: RequestId,
        /// Whether every participant, not only hosts, may pin and unpin.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        anyone_can_pin: Option<bool>,
        /// Who may send messages.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        who_can_send: Option<SendPolicy>,
        /// Slow mode in seconds, 0 (off) to [`crate::rules::MAX_SLOW_MODE_SECS`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slow_mode_secs: Option<u32>,
        /// Whether participants see how far others have read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        read_receipts: Option<bool>,
        /// Whom participants may message privately.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        private_chat: Option<PrivateChatPolicy>,
    },
    /// Mute a participant in the chat: their sends, reactions and typing are
    /// refused with [`crate::ErrorCode::Muted`] for `minutes`, or until
    /// unmuted when `None`; hosts only, and hosts are never muted. Muting
    /// again replaces the time.
    #[serde(rename_all = "camelCase")]
    Mute {
        /// Request id.
        req_id: RequestId,
        /// Who.
        participant_id: ParticipantId,
        /// For how long, 1 to [`crate::rules::MAX_MUTE_MINUTES`]; `None` until unmuted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },
    /// Remove a participant from the chat: muted for the rest of the meeting
    /// and their connections to it closed with [`crate::close_code::REMOVED`]
    /// (and refused so) until a host unmutes them, which lets them back;
    /// optionally every message they sent deleted for everyone at once.
    /// Hosts only, and hosts are never removed.
    #[serde(rename_all = "camelCase")]
    Remove {
        /// Request id.
        req_id: RequestId,
        /// Who.
        participant_id: ParticipantId,
        /// Whether every message they sent is deleted for everyone too.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        delete_messages: bool,
    },
    /// Report a message to the meeting's hosts, with a reason (1 to
    /// [`crate::rules::MAX_REPORT_REASON_CHARS`] characters); once per person
    /// per message, and never one's own.
    #[serde(rename_all = "camelCase")]
    Report {
        /// Request id.
        req_id: RequestId,
        /// The message.
        id: MessageId,
        /// Why.
        reason: String,
    },
    /// Close a message's open reports, keeping the message; hosts and apps.
    #[serde(rename_all = "camelCase")]
    DismissReports {
        /// Request id.
        req_id: RequestId,
        /// The message.
        id: MessageId,
    },
    /// Create a poll; hosts and apps. Answered with the `seq` of its
    /// `pollCreated` event.
    #[serde(rename_all = "camelCase")]
    CreatePoll {
        /// Request id.
        req_id: RequestId,
        /// The question (1 to [`crate::rules::MAX_POLL_QUESTION_CHARS`] characters).
        question: String,
        /// Its options ([`crate::rules::MIN_POLL_OPTIONS`] to [`crate::rules::MAX_POLL_OPTIONS`]).
        options: Vec<String>,
        /// Whether who voted what is never shown (nor kept).
        #[serde(default)]
        anonymous: bool,
        /// Whether counts are shown only to hosts until the poll closes.
        #[serde(default)]
        hide_votes: bool,
        /// Whether a ballot may choose several options.
        #[serde(default)]
        multiple: bool,
    },
    /// Vote in a poll, once: one option, or several where it allows.
    #[serde(rename_all = "camelCase")]
    Vote {
        /// Request id.
        req_id: RequestId,
        /// The poll.
        poll_id: PollId,
        /// The options chosen, by index.
        options: Vec<u32>,
    },
    /// Close a poll: no more votes, and its counts are shown; hosts and apps.
    #[serde(rename_all = "camelCase")]
    ClosePoll {
        /// Request id.
        req_id: RequestId,
        /// The poll.
        poll_id: PollId,
    },
    /// Lift a participant's mute or removal (letting them back); hosts only.
    #[serde(rename_all = "camelCase")]
    Unmute {
        /// Request id.
        req_id: RequestId,
        /// Who.
        participant_id: ParticipantId,
    },
    /// Ask for a page of the participants connected now, ordered by name,
    /// optionally only those whose name contains `query`.
    #[serde(rename_all = "camelCase")]
    Participants {
        /// Request id.
        req_id: RequestId,
        /// Only names containing this, case-insensitively; at most 64 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query: Option<String>,
        /// The `next` of the previous page; `None` for the first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
        /// Page size, 1 to [`crate::Limits::max_page_size`].
        limit: u32,
    },
    /// I am typing in the conversation with `targets` (everyone when empty).
    /// Never answered and never stored; the server passes it on to that
    /// conversation's other members and drops notices that come faster than
    /// one per half [`crate::rules::TYPING_INTERVAL_MS`].
    Typing {
        /// The private conversation's other members, as a send's `targets`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        targets: Vec<ParticipantId>,
    },
    /// Keep-alive; answered with an empty ack.
    #[serde(rename_all = "camelCase")]
    Ping {
        /// Request id.
        req_id: RequestId,
    },
}

impl ClientFrame {
    /// A `send` of `content` to everyone, with nothing else attached.
    pub fn send(req_id: RequestId, client_id: ClientId, content: NewContent) -> Self {
        Self::Send {
            req_id,
            client_id,
            content,
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Map::new(),
            details: Map::new(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        }
    }

    /// The request id, for every frame but `Auth`.
    pub fn req_id(&self) -> Option<RequestId> {
        match self {
            Self::Auth { .. } | Self::Typing { .. } => None,
            Self::Send { req_id, .. }
            | Self::Edit { req_id, .. }
            | Self::Delete { req_id, .. }
            | Self::Pin { req_id, .. }
            | Self::Unpin { req_id, .. }
            | Self::React { req_id, .. }
            | Self::Unreact { req_id, .. }
            | Self::History { req_id, .. }
            | Self::Search { req_id, .. }
            | Self::MarkRead { req_id, .. }
            | Self::UpdateSettings { req_id, .. }
            | Self::Mute { req_id, .. }
            | Self::Remove { req_id, .. }
            | Self::Report { req_id, .. }
            | Self::DismissReports { req_id, .. }
            | Self::Unmute { req_id, .. }
            | Self::CreatePoll { req_id, .. }
            | Self::Vote { req_id, .. }
            | Self::ClosePoll { req_id, .. }
            | Self::Participants { req_id, .. }
            | Self::Ping { req_id } => Some(*req_id),
        }
    }
}

/// The content of a message being sent or edited. Files are uploaded over
/// HTTP first and referred to here by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum NewContent {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// An uploaded image.
    #[serde(rename_all = "camelCase")]
    Image {
        /// The upload's id.
        file_id: FileId,
    },
    /// An uploaded file.
    #[serde(rename_all = "camelCase")]
    File {
        /// The upload's id.
        file_id: FileId,
    },
    /// An uploaded recording.
    #[serde(rename_all = "camelCase")]
    Audio {
        /// The upload's id.
        file_id: FileId,
    },
}

impl NewContent {
    /// The kind of message this content makes.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Text { .. } => MessageKind::Text,
            Self::Image { .. } => MessageKind::Image,
            Self::File { .. } => MessageKind::File,
            Self::Audio { .. } => MessageKind::Audio,
        }
    }

    /// Content pointing at an upload, as a `kind` message; a text kind makes
    /// a file message, since text carries no file.
    pub fn with_file(kind: MessageKind, file_id: FileId) -> Self {
        match kind {
            MessageKind::Image => Self::Image { file_id },
            MessageKind::Audio => Self::Audio { file_id },
            MessageKind::File | MessageKind::Text => Self::File { file_id },
        }
    }
}

/// For whom a message is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeleteScope {
    /// Everyone: the body is erased and a tombstone remains.
    Everyone,
    /// Only the requester: the message disappears from their view.
    Me,
}
