//! What the reducer takes: server frames, connection changes, upload
//! progress, and the local user's intents.

use chat_protocol::{
    ClientId, DeleteScope, FileId, FileRef, MessageId, NewContent, ParticipantId, PollId, PrivateChatPolicy, Puppet,
    SendPolicy, Seq, ServerFrame,
};
use serde_json::{Map, Value};

use crate::echo::{Attachment, DraftContent, OutboxEntry};
use crate::effect::OpId;

/// A message to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// What it carries.
    pub content: DraftContent,
    /// Reply target.
    pub reply_to: Option<MessageId>,
    /// Forward source.
    pub forwarded_from: Option<MessageId>,
    /// Private recipients; empty for everyone.
    pub targets: Vec<ParticipantId>,
    /// Application data.
    pub metadata: Map<String, Value>,
    /// Extra event details, kept like `metadata`.
    pub details: Map<String, Value>,
    /// Files a text message carries, in order (uploaded as the message is sent).
    pub attachments: Vec<Attachment>,
    /// The character a service sends it as; `None` to send as oneself.
    pub as_sender: Option<Puppet>,
    /// Participants the text mentions.
    pub mentions: Vec<ParticipantId>,
}

impl Draft {
    /// A plain text message to everyone.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            content: DraftContent::Text { text: text.into() },
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
}

/// What the local user wants.
///
/// Intents live only until applied, so the size of `Send` is not worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Send a message. A file draft waits for [`Input::UploadDone`].
    Send {
        /// The operation, settled when the server confirms.
        op: OpId,
        /// A fresh id for the message.
        client_id: ClientId,
        /// The message.
        draft: Draft,
    },
    /// Edit one's own message.
    Edit {
        /// The operation.
        op: OpId,
        /// The message.
        id: MessageId,
        /// Its new content.
        content: NewContent,
        /// The attachments to keep, in order; `None` keeps them all.
        attachments: Option<Vec<FileId>>,
    },
    /// Delete a message.
    Delete {
        /// The operation.
        op: OpId,
        /// The message.
        id: MessageId,
        /// For whom.
        scope: DeleteScope,
    },
    /// Pin or unpin a message.
    SetPinned {
        /// The operation.
        op: OpId,
        /// The message.
        id: MessageId,
        /// Pin or unpin.
        pinned: bool,
    },
    /// Load a page of older messages.
    LoadOlder {
        /// The operation.
        op: OpId,
        /// Page size.
        limit: u32,
        /// Only the private conversation with this participant (the server
        /// filters); `None` for everything.
        with: Option<ParticipantId>,
    },
    /// Make a conversation the current one (the private one with a
    /// participant, or the meeting's with `None`), without sending.
    Join(Option<ParticipantId>),
    /// Try a failed send again.
    Retry {
        /// The operation, settled when the server confirms.
        op: OpId,
        /// The failed echo.
        client_id: ClientId,
    },
    /// Drop a failed or unsent echo.
    Discard {
        /// The echo.
        client_id: ClientId,
    },
    /// Mute a participant for `minutes`, or until unmuted (hosts).
    Mute {
        /// The operation.
        op: OpId,
        /// Who.
        participant: ParticipantId,
        /// For how long; `None` until unmuted.
        minutes: Option<u32>,
    },
    /// Remove a participant from the chat (hosts), optionally with every
    /// message they sent.
    Remove {
        /// The operation.
        op: OpId,
        /// Who.
        participant: ParticipantId,
        /// Whether their messages are deleted for everyone too.
        delete_messages: bool,
    },
    /// Report a message to the hosts, with a reason.
    Report {
        /// The operation.
        op: OpId,
        /// The message.
        id: MessageId,
        /// Why.
        reason: String,
    },
    /// Close a message's open reports (hosts).
    DismissReports {
        /// The operation.
        op: OpId,
        /// The message.
        id: MessageId,
    },
    /// Create a poll (hosts).
    CreatePoll {
        /// The operation.
        op: OpId,
        /// The poll.
        poll: NewPoll,
    },
    /// Vote in a poll, once.
    Vote {
        /// The operation.
        op: OpId,
        /// The poll.
        poll_id: PollId,
        /// The options chosen, by index.
        options: Vec<u32>,
    },
    /// Close a poll (hosts).
    ClosePoll {
        /// The operation.
        op: OpId,
        /// The poll.
        poll_id: PollId,
    },
    /// Lift a participant's mute or removal (hosts).
    Unmute {
        /// The operation.
        op: OpId,
        /// Who.
        participant: ParticipantId,
    },
    /// Change the meeting's settings (hosts).
    UpdateSettings {
        /// The operation.
        op: OpId,
        /// What to change.
        change: SettingsChange,
    },
    /// Ask for a page of the participants connected now, by name.
    ListParticipants {
        /// The operation, resolved with [`crate::Outcome::Participants`].
        op: OpId,
        /// Only names containing this.
        query: Option<String>,
        /// The previous page's `next`.
        after: Option<String>,
        /// Page size.
        limit: u32,
    },
    /// Search the messages this participant may see, on the server.
    Search {
        /// The operation, resolved with [`crate::Outcome::Hits`].
        op: OpId,
        /// The words.
        query: String,
        /// Only hits below this `seq` (the previous page's last).
        before: Option<Seq>,
        /// Page size.
        limit: u32,
        /// Only the private conversation with this participant.
        with: Option<ParticipantId>,
    },
    /// Read the conversation with `with` (the meeting's with `None`) up to
    /// the newest message known here.
    MarkRead {
        /// The operation.
        op: OpId,
        /// The conversation.
        with: Option<ParticipantId>,
    },
    /// Put back sends saved before a reload.
    RestoreOutbox(Vec<OutboxEntry>),
    /// Add (or take off) this participant's reaction with `emoji`.
    React {
        /// Settled when the server answers.
        op: OpId,
        /// The message.
        id: MessageId,
        /// The emoji.
        emoji: String,
        /// Add it, or take it off.
        add: bool,
    },
    /// The user is typing in the conversation being viewed: tells it, at most
    /// once every [`chat_protocol::rules::TYPING_INTERVAL_MS`].
    Typing,
    /// Let go of all but the newest `keep` confirmed messages, so a client
    /// that runs for days (a bot) holds a bounded amount; pages bring them back.
    Forget {
        /// How many of the newest to keep.
        keep: usize,
    },
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The socket opened; the transport sends `Auth` with
    /// [`crate::ChatState::last_seq`] and waits for the welcome.
    Connecting,
    /// A frame arrived.
    Frame(ServerFrame),
    /// The socket closed.
    Disconnected {
        /// The close code, if any.
        code: Option<u16>,
    },
    /// The session was closed on purpose and will not reconnect.
    Closed,
    /// The user did something.
    Intent(Intent),
    /// Upload progress of one of an echo's files.
    UploadProgress {
        /// The echo.
        client_id: ClientId,
        /// Which file: 0 for a file message's own, the attachment's index otherwise.
        part: usize,
        /// Bytes sent.
        loaded: u64,
        /// Bytes in all.
        total: u64,
    },
    /// One of an echo's files is uploaded.
    UploadDone {
        /// The echo.
        client_id: ClientId,
        /// Which file (see [`Input::UploadProgress`]).
        part: usize,
        /// The server's reference.
        file: FileRef,
    },
    /// One of an echo's uploads failed or was cancelled: the message fails.
    UploadFailed {
        /// The echo.
        client_id: ClientId,
        /// Why.
        reason: String,
        /// Whether retrying can succeed.
        retryable: bool,
        /// The server's code for why, when it answered (`unsupported_media_type`, ...).
        cause: Option<String>,
    },
    /// Time passed; expired rate limits are lifted.
    Tick,
}

/// Settings to change; those left `None` stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// Whether everyone may pin.
    pub anyone_can_pin: Option<bool>,
    /// Who may send.
    pub who_can_send: Option<SendPolicy>,
    /// Slow mode, in seconds; 0 is off.
    pub slow_mode_secs: Option<u32>,
    /// Whether participants see how far others have read.
    pub read_receipts: Option<bool>,
    /// Whom participants may message privately.
    pub private_chat: Option<PrivateChatPolicy>,
}

/// A poll to create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPoll {
    /// The question.
    pub question: String,
    /// Its options.
    pub options: Vec<String>,
    /// Whether who voted what is never shown (nor kept).
    pub anonymous: bool,
    /// Whether counts are shown only to hosts until it closes.
    pub hide_votes: bool,
    /// Whether a ballot may choose several options.
    pub multiple: bool,
}
