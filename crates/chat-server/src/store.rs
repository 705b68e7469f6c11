//! Storage: the traits the domain is written against, and the types they speak.
//!
//! Each mutation stores the change and its event, with the meeting's next
//! `seq`, in one transaction, and returns the event so the caller can deliver
//! it. Events are stored without bodies ([`events`]); delivering one reads the
//! message's current state, so a body deleted for everyone is gone from every
//! event. Engines: [`sqlite`] (one node), [`postgres`] (any number of nodes),
//! and [`memory`] for domain tests. Uploaded bytes
//! live behind [`files::FileStore`].

pub mod audit;
pub mod columns;
pub mod events;
pub mod files;
pub mod memory;
pub mod messages;
pub mod moderation;
pub mod outbox;
pub mod pages;
pub mod polls;
pub mod postgres;
pub mod reactions;
pub mod read_states;
pub mod reports;
pub mod roster;
pub mod search;
pub mod settings;
pub mod sqlite;
pub mod uploads;

pub use messages::Messages;
pub use moderation::Moderation;
pub use pages::{MessagePage, PageQuery};
pub use polls::Polls;
pub use reactions::Reactions;
pub use read_states::ReadMarks;
pub use reports::Reports;
pub use search::MessageSearch;
pub use settings::Settings;
pub use uploads::UploadRecords;

use chat_protocol::{
    ClientId, EventEnvelope, FileId, FileRef, MeetingId, Message, MessageId, MessageKind, Participant, ParticipantId,
    Role, Sender,
};
use serde_json::{Map, Value};

/// Why storage failed, whatever the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine failed (its own error is the source).
    #[error("storage engine error: {0}")]
    Engine(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Reading or writing stored bytes failed.
    #[error("file storage error: {0}")]
    Io(#[from] std::io::Error),
    /// Stored data could not be read back.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The referenced message does not exist in the meeting.
    #[error("no such message")]
    MessageNotFound,
    /// The message was deleted for everyone and cannot change.
    #[error("message deleted")]
    MessageDeleted,
    /// A blocking storage task could not finish.
    #[error("storage task failed: {0}")]
    Task(String),
    /// A search ran past [`SEARCH_BUDGET`] and was stopped by the engine.
    #[error("the search took longer than {} ms", SEARCH_BUDGET.as_millis())]
    SearchTooCostly,
}

/// How long the engine may spend on one search before it stops it: a
/// search is a convenience, and a query slow to answer is better refused
/// than left to hold a connection and a core.
pub const SEARCH_BUDGET: std::time::Duration = std::time::Duration::from_millis(1_000);

/// Stored content of a new or edited message: text, or an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredContent {
    /// Text.
    Text(String),
    /// A file of the given kind (image, file or audio).
    File(MessageKind, FileId),
}

impl StoredContent {
    /// The kind of message it makes.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Text(_) => MessageKind::Text,
            Self::File(kind, _) => *kind,
        }
    }

    /// The text, for a text message.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::File(..) => None,
        }
    }

    /// The file's id, for a file message.
    pub fn file_id(&self) -> Option<&str> {
        match self {
            Self::Text(_) => None,
            Self::File(_, file) => Some(file.as_str()),
        }
    }
}

/// A message to store.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// The meeting.
    pub meeting: MeetingId,
    /// The new message's id.
    pub id: MessageId,
    /// The sender's id for it, unique per sender and meeting.
    pub client_id: ClientId,
    /// Who sends it.
    pub sender: Sender,
    /// Server time.
    pub time: i64,
    /// The connection it was sent on.
    pub session_id: String,
    /// What it carries.
    pub content: StoredContent,
    /// Reply target.
    pub reply_to: Option<MessageId>,
    /// Forward source.
    pub forwarded_from: Option<MessageId>,
    /// Private recipients.
    pub targets: Vec<ParticipantId>,
    /// Application data.
    pub metadata: Map<String, Value>,
    /// Extra event details, kept like `metadata`.
    pub details: Map<String, Value>,
    /// Files a text message carries besides its text, in order (checked by the domain).
    pub attachments: Vec<FileId>,
    /// Participants the text mentions (normalized by the domain).
    pub mentions: Vec<ParticipantId>,
}

/// Who may receive an event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audience {
    /// Only these participants, or everyone in the meeting when `None`.
    pub only: Option<Vec<ParticipantId>>,
    /// With `only`: every host of the meeting too (moderation is theirs to see).
    pub hosts: bool,
    /// Never these participants (those who deleted the message for themselves).
    pub except: Vec<ParticipantId>,
}

impl Audience {
    /// Everyone in the meeting.
    pub fn everyone() -> Self {
        Self::default()
    }

    /// Just these participants.
    pub fn only(ids: Vec<ParticipantId>) -> Self {
        Self { only: Some(ids), ..Self::default() }
    }

    /// The meeting's hosts only.
    pub fn hosts() -> Self {
        Self { only: Some(Vec::new()), hosts: true, except: Vec::new() }
    }

    /// `subject` and the meeting's hosts: who hears of a moderation step.
    pub fn subject_and_hosts(subject: ParticipantId) -> Self {
        Self { only: Some(vec![subject]), hosts: true, except: Vec::new() }
    }

    /// The audience of events about `message`: everyone, or for a private
    /// message its sender and targets; minus those who hid it.
    pub fn of_message(message: &Message, hidden_by: Vec<ParticipantId>) -> Self {
        let only = (!message.targets.is_empty()).then(|| {
            let mut ids = message.targets.clone();
            ids.push(message.sender.id.clone());
            ids
        });
        Self { only, hosts: false, except: hidden_by }
    }

    /// Whether `viewer` is in it.
    pub fn includes(&self, viewer: &Participant) -> bool {
        let listed = |ids: &Vec<ParticipantId>| ids.contains(&viewer.id) || (self.hosts && viewer.role == Role::Host);
        self.only.as_ref().is_none_or(listed) && !self.except.contains(&viewer.id)
    }
}

/// A stored event, ready to deliver to its audience.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    /// The event as delivered.
    pub envelope: EventEnvelope,
    /// Who may receive it.
    pub audience: Audience,
}

/// The outcome of storing a message.
#[derive(Clone, Debug)]
pub struct Inserted {
    /// The stored message: the new one, or the one the sender had already
    /// sent with this client id.
    pub message: Message,
    /// The creation event, or `None` for a re-send that stored nothing.
    pub event: Option<StoredEvent>,
}

/// An uploaded file's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// Its id (also its name on disk).
    pub id: FileId,
    /// The meeting it was uploaded to.
    pub meeting: MeetingId,
    /// Who uploaded it.
    pub uploader: ParticipantId,
    /// Sanitized name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Content type detected from the bytes.
    pub content_type: String,
    /// Image width.
    pub width: Option<u32>,
    /// Image height.
    pub height: Option<u32>,
    /// Image blurhash.
    pub blurhash: Option<String>,
    /// Upload time.
    pub created_at: i64,
}

impl StoredFile {
    /// The reference a message carries, before its URLs are signed.
    pub fn to_ref(&self) -> FileRef {
        FileRef {
            id: self.id.clone(),
            url: String::new(),
            name: self.name.clone(),
            size: self.size,
            content_type: self.content_type.clone(),
            width: self.width,
            height: self.height,
            blurhash: self.blurhash.clone(),
            thumbnail_url: None,
        }
    }
}

/// A message as the chat dump lists it.
#[derive(Clone, Debug)]
pub struct DumpedMessage {
    /// The message.
    pub message: Message,
    /// The connection it was sent on.
    pub session_id: String,
}

/// One participant's reaction, added or taken off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionChange {
    /// Who reacts.
    pub participant: ParticipantId,
    /// With what.
    pub emoji: String,
    /// Added, or taken off.
    pub add: bool,
}

/// What a deletion for everyone removed.
#[derive(Clone, Debug)]
pub struct Deleted {
    /// The tombstone event.
    pub event: StoredEvent,
    /// Files no other message refers to any more (its own, its
    /// attachments): their bytes should go too.
    pub orphaned_files: Vec<FileId>,
}

/// Durable storage of meetings, messages, events and files: one trait per
/// area ([`Messages`], [`Reactions`], [`MessageSearch`], [`ReadMarks`],
/// [`Settings`], [`UploadRecords`]), which every engine implements; the
/// domain holds a `dyn Store`.
pub trait Store:
    Messages + Reactions + MessageSearch + ReadMarks + Settings + Moderation + Reports + Polls + UploadRecords
{
}

impl<T> Store for T where
    T: Messages + Reactions + MessageSearch + ReadMarks + Settings + Moderation + Reports + Polls + UploadRecords
{
}
