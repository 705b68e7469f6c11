//! SQL both engines share: the columns their readers expect, the conditions
//! they filter by (their SQL differs only in placeholders), and reading the
//! rows it returns, written once over [`Columns`], which each engine's row
//! implements.

use chat_protocol::{
    ClientId, Content, FileId, MeetingId, Message, MessageId, MessageKind, ParticipantId, Reaction, Sender,
};
use serde::de::DeserializeOwned;

use super::events::{EventKind, EventRecord};
use super::outbox::{OutboxBody, OutboxItem};
use super::{StoreError, StoredEvent, StoredFile};

/// A stored value that does not fit its type.
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A row's values by column name, as the engine stores them (SQLite keeps
/// flags as integers, PostgreSQL as booleans).
pub trait Columns {
    /// A text column.
    fn text(&self, column: &str) -> Result<String, StoreError>;
    /// A text column that may be NULL.
    fn optional_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    /// An integer column.
    fn integer(&self, column: &str) -> Result<i64, StoreError>;
    /// An integer column that may be NULL.
    fn optional_integer(&self, column: &str) -> Result<Option<i64>, StoreError>;
    /// A yes-or-no column.
    fn flag(&self, column: &str) -> Result<bool, StoreError>;
}

/// An integer column that must fit `T` (a size, a `seq`, a dimension).
pub fn fitting<T: TryFrom<i64>>(value: i64) -> Result<T, StoreError>
where
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(corrupt)
}

/// A text column holding JSON.
fn json<T: DeserializeOwned>(row: &impl Columns, column: &str) -> Result<T, StoreError> {
    serde_json::from_str(&row.text(column)?).map_err(corrupt)
}

/// A message row selected with [`MESSAGE_COLUMNS`] (its attachments and reactions are read apart).
pub fn read_message(row: &impl Columns) -> Result<Message, StoreError> {
    let kind: MessageKind = row.text("kind")?.parse().map_err(corrupt)?;
    let content = if row.flag("deleted")? {
        Content::Deleted
    } else if kind == MessageKind::Text {
        Content::Text { text: row.optional_text("text")?.unwrap_or_default() }
    } else {
        let file_id = row.optional_text("file_id")?;
        let file_id = file_id.ok_or_else(|| StoreError::Corrupt("file message without its file".into()))?;
        let file = StoredFile {
            id: FileId(file_id),
            meeting: MeetingId(String::new()),
            uploader: ParticipantId(String::new()),
            name: row.text("file_name")?,
            size: fitting(row.integer("file_size")?)?,
            content_type: row.text("file_content_type")?,
            width: row.optional_integer("file_width")?.map(fitting).transpose()?,
            height: row.optional_integer("file_height")?.map(fitting).transpose()?,
            blurhash: row.optional_text("file_blurhash")?,
            created_at: 0,
        };
        Content::with_file(kind, file.to_ref())
    };
    let edited_at = row.optional_integer("edited_at")?;
    Ok(Message {
        id: MessageId(row.text("id")?),
        client_id: ClientId(row.text("client_id")?),
        seq: fitting(row.integer("seq")?)?,
        sender: Sender {
            id: ParticipantId(row.text("sender_id")?),
            display_name: row.text("sender_name")?,
            bot: row.flag("sender_bot")?,
        },
        time: row.integer("time")?,
        content,
        reply_to: row.optional_text("reply_to")?.map(MessageId),
        forwarded_from: row.optional_text("forwarded_from")?.map(MessageId),
        targets: json(row, "targets")?,
        metadata: json(row, "metadata")?,
        details: json(row, "details")?,
        attachments: Vec::new(),
        edited: edited_at.is_some(),
        edited_at,
        pinned: row.flag("pinned")?,
        reactions: Vec::new(),
        mentions: json(row, "mentions")?,
    })
}

/// An event row selected with [`EVENT_COLUMNS`]: what happened, and the
/// message it is about, which each engine reads as it is now.
pub fn read_event(row: &impl Columns) -> Result<(EventRecord, Option<MessageId>), StoreError> {
    let record = EventRecord {
        seq: fitting(row.integer("seq")?)?,
        time: row.integer("time")?,
        kind: EventKind::parse(&row.text("kind")?)?,
        actor: ParticipantId(row.text("actor_id")?),
        payload: row.optional_text("payload")?,
    };
    Ok((record, row.optional_text("message_id")?.map(MessageId)))
}

/// An outbox row: a notice, or the `seq` of a message event, which the
/// engine reads as it is now and hands to [`OutboxRow::into_item`].
pub struct OutboxRow {
    id: i64,
    /// The meeting.
    pub meeting: MeetingId,
    created_at: i64,
    /// The event the row names, if it names one.
    pub event_seq: Option<i64>,
    notice: Option<(String, serde_json::Value)>,
}

impl OutboxRow {
    /// The item to deliver: the notice, or `event` (read at [`OutboxRow::event_seq`]).
    pub fn into_item(self, event: Option<StoredEvent>) -> Result<OutboxItem, StoreError> {
        let body = match (event, self.notice) {
            (Some(event), _) => OutboxBody::Event(Box::new(event)),
            (None, Some((kind, payload))) => OutboxBody::Notice { kind, payload },
            (None, None) => return Err(StoreError::Corrupt(format!("outbox item {} says nothing", self.id))),
        };
        Ok(OutboxItem { id: self.id, meeting: self.meeting, created_at: self.created_at, body })
    }
}

/// An outbox row selected with [`OUTBOX_COLUMNS`].
pub fn read_outbox_row(row: &impl Columns) -> Result<OutboxRow, StoreError> {
    let event_seq = row.optional_integer("seq")?;
    let notice = match (event_seq, row.optional_text("body")?) {
        (None, Some(body)) => Some((row.text("kind")?, serde_json::from_str(&body).map_err(corrupt)?)),
        _ => None,
    };
    Ok(OutboxRow {
        id: row.integer("id")?,
        meeting: MeetingId(row.text("meeting_id")?),
        created_at: row.integer("created_at")?,
        event_seq,
        notice,
    })
}

/// A message's reactions, one row per emoji (`emoji`, how many gave it:
/// `count`, whether the viewer did: `me`), as both engines group them.
pub fn read_reaction(row: &impl Columns) -> Result<Reaction, StoreError> {
    Ok(Reaction { emoji: row.text("emoji")?, count: fitting(row.integer("count")?)?, me: row.flag("me")? })
}

/// A file row selected with [`FILE_COLUMNS`].
pub fn read_file(row: &impl Columns) -> Result<StoredFile, StoreError> {
    Ok(StoredFile {
        id: FileId(row.text("id")?),
        meeting: MeetingId(row.text("meeting_id")?),
        uploader: ParticipantId(row.text("uploader_id")?),
        name: row.text("name")?,
        size: fitting(row.integer("size")?)?,
        content_type: row.text("content_type")?,
        width: row.optional_integer("width")?.map(fitting).transpose()?,
        height: row.optional_integer("height")?.map(fitting).transpose()?,
        blurhash: row.optional_text("blurhash")?,
        created_at: row.integer("created_at")?,
    })
}

/// The columns a message reader reads, from [`MESSAGE_FROM`].
pub const MESSAGE_COLUMNS: &str = "m.id AS id, m.client_id AS client_id, m.seq AS seq, m.sender_id AS sender_id, \
    m.sender_bot AS sender_bot, \
    m.sender_name AS sender_name, m.time AS time, m.kind AS kind, m.text AS text, m.reply_to AS reply_to, \
    m.forwarded_from AS forwarded_from, m.targets AS targets, m.metadata AS metadata, m.details AS details, \
    m.mentions AS mentions, \
    m.edited_at AS edited_at, \
    m.pinned AS pinned, m.deleted AS deleted, f.id AS file_id, f.name AS file_name, f.size AS file_size, \
    f.content_type AS file_content_type, f.width AS file_width, f.height AS file_height, f.blurhash AS file_blurhash";

/// The columns [`read_event`] reads, from `events e`.
pub const EVENT_COLUMNS: &str = "e.seq, e.time, e.kind, e.message_id, e.actor_id, e.payload";

/// The columns [`read_outbox_row`] reads, from `webhook_outbox`.
pub const OUTBOX_COLUMNS: &str = "id, meeting_id, seq, kind, body, created_at";

/// Messages with their files.
pub const MESSAGE_FROM: &str = "messages m LEFT JOIN files f ON f.id = m.file_id";

/// The columns a file reader reads.
pub const FILE_COLUMNS: &str =
    "id, meeting_id, uploader_id, name, size, content_type, width, height, blurhash, created_at";

/// Holds for a file (`f`) no message refers to, as its own file or an attachment.
pub const UNREFERENCED: &str = "NOT EXISTS (SELECT 1 FROM messages m WHERE m.file_id = f.id) \
     AND NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.file_id = f.id)";

/// Holds for a message (`m`) the participant bound at `viewer` may see and
/// has not hidden; with a participant bound at `with` (or NULL for none),
/// only when it belongs to the private conversation with them. `with` is
/// written as the engine needs it typed (`?5`, `$5::TEXT`).
pub fn visible(viewer: &str, with: &str) -> String {
    format!(
        "(m.targets = '[]' OR m.sender_id = {viewer} OR EXISTS \
              (SELECT 1 FROM message_targets t WHERE t.message_id = m.id AND t.participant_id = {viewer})) \
         AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.message_id = m.id AND h.participant_id = {viewer}) \
         AND ({with} IS NULL OR (m.targets != '[]' AND (m.sender_id = {with} OR EXISTS \
              (SELECT 1 FROM message_targets p WHERE p.message_id = m.id AND p.participant_id = {with}))))"
    )
}

/// The conversation a message counts in for a reader who did not send it
/// (its sender's private one, or the meeting's as `''`), as
/// [`chat_protocol::Message::read_in`] splits them.
const READ_IN: &str = "CASE WHEN m.targets = '[]' THEN '' ELSE m.sender_id END";

/// Per conversation (`peer`, `''` for the meeting's): how many messages the
/// reader bound at `reader` may see, from others, after their read position
/// there (or where they joined, bound at `joined`), and how many of those
/// mention them (`mention` binds [`mention_pattern`] of the reader).
pub fn unread_by_conversation(meeting: &str, reader: &str, joined: &str, mention: &str, untyped_null: &str) -> String {
    format!(
        "SELECT {READ_IN} AS peer, count(*) AS unread, \
         sum(CASE WHEN m.mentions LIKE {mention} ESCAPE '!' THEN 1 ELSE 0 END) AS mentions \
         FROM messages m WHERE m.meeting_id = {meeting} AND m.seq > {joined} AND m.sender_id != {reader} \
         AND NOT m.deleted AND m.seq > coalesce((SELECT r.seq FROM read_marks r WHERE r.meeting_id = {meeting} \
             AND r.participant_id = {reader} AND r.peer = {READ_IN}), {joined}) \
         AND {} GROUP BY {READ_IN}",
        visible(reader, untyped_null)
    )
}

/// The `LIKE` pattern (escaped with `!`) matching a JSON list of ids that holds `reader`.
pub fn mention_pattern(reader: &chat_protocol::ParticipantId) -> String {
    let escaped = reader.as_str().replace('!', "!!").replace('%', "!%").replace('_', "!_");
    format!("%\"{escaped}\"%")
}
