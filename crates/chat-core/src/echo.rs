//! Local echoes: messages this client sent that the server has not confirmed.

use chat_protocol::as_object::AsObject;
use chat_protocol::tag_first::TagFirst;
use chat_protocol::{ClientId, FileRef, MessageId, MessageKind, NewContent, ParticipantId, Puppet};
use serde::Serialize;
use serde_json::{Map, Value};

/// What a local message carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TagFirst)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DraftContent {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// A file being uploaded, or uploaded when `file` is set.
    #[serde(rename_all = "camelCase")]
    File {
        /// Image, file or audio.
        message_kind: MessageKind,
        /// The file's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The server's reference, once uploaded.
        file: Option<FileRef>,
    },
}

impl DraftContent {
    /// The frame content, once it can be sent (text, or an uploaded file).
    pub fn to_new_content(&self) -> Option<NewContent> {
        match self {
            Self::Text { text } => Some(NewContent::Text { text: text.clone() }),
            Self::File { message_kind, file: Some(file), .. } => {
                Some(NewContent::with_file(*message_kind, file.id.clone()))
            }
            Self::File { file: None, .. } => None,
        }
    }

    /// The kind of message this makes.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Text { .. } => MessageKind::Text,
            Self::File { message_kind, .. } => *message_kind,
        }
    }
}

/// A file a text message carries, uploading until `file` is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Bytes uploaded so far.
    #[serde(default)]
    pub loaded: u64,
    /// The server's reference, once uploaded.
    pub file: Option<FileRef>,
}

impl Attachment {
    /// A file about to be uploaded.
    pub fn new(name: impl Into<String>, size: u64) -> Self {
        Self { name: name.into(), size, loaded: 0, file: None }
    }
}

/// Where a local echo stands. Not saved with the outbox: a restored send is
/// pending again.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum EchoStatus {
    /// Its file is uploading.
    Uploading {
        /// Bytes sent.
        loaded: u64,
        /// Bytes in all.
        total: u64,
    },
    /// Waiting to be sent or for the server's ack.
    #[default]
    Pending,
    /// Refused or failed.
    Failed {
        /// Why, for people.
        reason: String,
        /// The error code.
        code: String,
        /// What lay under a general code (see [`crate::OpError::cause`]).
        cause: Option<String>,
        /// Whether retrying can succeed.
        retryable: bool,
    },
}

/// A message sent from here and not yet confirmed.
#[derive(Clone, Debug, PartialEq, Serialize, AsObject)]
#[serde(rename_all = "camelCase")]
pub struct LocalEcho {
    /// The id the server will deduplicate by.
    pub client_id: ClientId,
    /// The operation to resolve when the server confirms it; none once restored
    /// from a saved outbox, since the page that asked is gone.
    #[serde(skip)]
    pub op: Option<u64>,
    /// Local time of sending, ms since the epoch.
    pub created_at: i64,
    /// What it carries.
    pub content: DraftContent,
    /// Reply target.
    pub reply_to: Option<MessageId>,
    /// Forward source.
    pub forwarded_from: Option<MessageId>,
    /// Private recipients.
    pub targets: Vec<ParticipantId>,
    /// Application data.
    pub metadata: Map<String, Value>,
    /// Extra event details, kept like `metadata`.
    #[serde(default)]
    pub details: Map<String, Value>,
    /// Files a text message carries, in order.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The character a service sends it as. Not kept in a saved outbox:
    /// only native clients (bots) send as puppets, and they keep theirs in memory.
    #[serde(skip)]
    pub as_sender: Option<Puppet>,
    /// Participants the text mentions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<ParticipantId>,
    /// Where it stands.
    #[serde(skip)]
    pub status: EchoStatus,
}

impl LocalEcho {
    /// The echo of `draft`, sent as `client_id` at `created_at`, pending.
    pub fn new(client_id: ClientId, draft: crate::Draft, created_at: i64) -> Self {
        Self {
            client_id,
            op: None,
            created_at,
            content: draft.content,
            reply_to: draft.reply_to,
            forwarded_from: draft.forwarded_from,
            targets: draft.targets,
            metadata: draft.metadata,
            details: draft.details,
            attachments: draft.attachments,
            as_sender: draft.as_sender,
            mentions: draft.mentions,
            status: EchoStatus::Pending,
        }
    }

    /// What it sends, as a draft to send again (a bot's checkpoint keeps echoes).
    pub fn into_draft(self) -> crate::Draft {
        crate::Draft {
            content: self.content,
            reply_to: self.reply_to,
            forwarded_from: self.forwarded_from,
            targets: self.targets,
            metadata: self.metadata,
            details: self.details,
            attachments: self.attachments,
            as_sender: self.as_sender,
            mentions: self.mentions,
        }
    }

    /// How many files this message uploads: its own file, or its attachments.
    pub fn parts(&self) -> usize {
        match self.content {
            DraftContent::File { .. } => 1,
            DraftContent::Text { .. } => self.attachments.len(),
        }
    }

    /// Whether every file it carries is uploaded.
    pub fn uploaded(&self) -> bool {
        let content = !matches!(self.content, DraftContent::File { file: None, .. });
        content && self.attachments.iter().all(|a| a.file.is_some())
    }

    /// Bytes uploaded and in all, over its files.
    pub fn upload_progress(&self) -> (u64, u64) {
        match &self.content {
            DraftContent::File { size, file, .. } => match (&self.status, file) {
                (_, Some(_)) => (*size, *size),
                (EchoStatus::Uploading { loaded, .. }, None) => (*loaded, *size),
                (_, None) => (0, *size),
            },
            DraftContent::Text { .. } => self.attachments.iter().fold((0, 0), |(loaded, total), a| {
                (loaded + if a.file.is_some() { a.size } else { a.loaded }, total + a.size)
            }),
        }
    }

    /// The ids of its uploaded attachments, once all are.
    pub fn attachment_ids(&self) -> Option<Vec<chat_protocol::FileId>> {
        self.attachments.iter().map(|a| a.file.as_ref().map(|f| f.id.clone())).collect()
    }
}

/// An unacked send as saved in browser storage, so a reload does not lose it.
pub type OutboxEntry = LocalEcho;
