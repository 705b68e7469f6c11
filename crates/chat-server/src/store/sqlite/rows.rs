//! Reading SQLite rows into protocol types, by column name: the SELECTs
//! name every column they return, so a reordered or added column never
//! shifts what a field reads.

use chat_protocol::{
    ClientId, Content, FileId, MeetingId, MeetingSettings, Message, MessageId, MessageKind, ParticipantId, SendPolicy,
    Sender,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use super::reactions::reactions_of;
pub use crate::store::columns::{FILE_COLUMNS, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::{StoreError, StoredFile};

/// A stored value that does not fit its type.
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn size(row: &Row<'_>, column: &str) -> Result<u64, StoreError> {
    row.get::<_, i64>(column)?.try_into().map_err(corrupt)
}

/// A message row selected with [`MESSAGE_COLUMNS`].
pub fn read_message(row: &Row<'_>) -> Result<Message, StoreError> {
    let kind: MessageKind = row.get::<_, String>("kind")?.parse().map_err(corrupt)?;
    let content = if row.get("deleted")? {
        Content::Deleted
    } else if kind == MessageKind::Text {
        Content::Text { text: row.get::<_, Option<String>>("text")?.unwrap_or_default() }
    } else {
        let file_id: Option<String> = row.get("file_id")?;
        let file_id = file_id.ok_or_else(|| StoreError::Corrupt("file message without its file".into()))?;
        let file = StoredFile {
            id: FileId(file_id),
            meeting: MeetingId(String::new()),
            uploader: ParticipantId(String::new()),
            name: row.get("file_name")?,
            size: size(row, "file_size")?,
            content_type: row.get("file_content_type")?,
            width: row.get("file_width")?,
            height: row.get("file_height")?,
            blurhash: row.get("file_blurhash")?,
            created_at: 0,
        };
        Content::with_file(kind, file.to_ref())
    };
    let targets: Vec<ParticipantId> = serde_json::from_str(&row.get::<_, String>("targets")?).map_err(corrupt)?;
    let mentions: Vec<ParticipantId> = serde_json::from_str(&row.get::<_, String>("mentions")?).map_err(corrupt)?;
    let metadata: Map<String, Value> = serde_json::from_str(&row.get::<_, String>("metadata")?).map_err(corrupt)?;
    let details: Map<String, Value> = serde_json::from_str(&row.get::<_, String>("details")?).map_err(corrupt)?;
    let edited_at: Option<i64> = row.get("edited_at")?;
    Ok(Message {
        id: MessageId(row.get("id")?),
        client_id: ClientId(row.get("client_id")?),
        seq: size(row, "seq")?,
        sender: Sender {
            id: ParticipantId(row.get("sender_id")?),
            display_name: row.get("sender_name")?,
            bot: row.get("sender_bot")?,
        },
        time: row.get("time")?,
        content,
        reply_to: row.get::<_, Option<String>>("reply_to")?.map(MessageId),
        forwarded_from: row.get::<_, Option<String>>("forwarded_from")?.map(MessageId),
        targets,
        metadata,
        details,
        attachments: Vec::new(),
        edited: edited_at.is_some(),
        edited_at,
        pinned: row.get("pinned")?,
        reactions: Vec::new(),
        mentions,
    })
}

/// A file row selected with [`FILE_COLUMNS`].
pub fn read_file(row: &Row<'_>) -> Result<StoredFile, StoreError> {
    Ok(StoredFile {
        id: FileId(row.get("id")?),
        meeting: MeetingId(row.get("meeting_id")?),
        uploader: ParticipantId(row.get("uploader_id")?),
        name: row.get("name")?,
        size: size(row, "size")?,
        content_type: row.get("content_type")?,
        width: row.get("width")?,
        height: row.get("height")?,
        blurhash: row.get("blurhash")?,
        created_at: row.get("created_at")?,
    })
}

/// A message read with [`read_message`], with its attachments and reactions
/// added (none on a tombstone); `me` marks `viewer`'s reactions, when given.
pub fn complete(
    conn: &Connection,
    mut message: Message,
    viewer: Option<&ParticipantId>,
) -> Result<Message, StoreError> {
    if message.content == Content::Deleted {
        return Ok(message);
    }
    message.reactions = reactions_of(conn, &message.id, viewer)?;
    // `message_attachments` shares no column name with `files`, so the file columns read unqualified.
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM message_attachments a JOIN files f ON f.id = a.file_id \
         WHERE a.message_id = ?1 ORDER BY a.position"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![message.id.0])?;
    while let Some(row) = rows.next()? {
        message.attachments.push(read_file(row)?.to_ref());
    }
    Ok(message)
}

/// A meeting's message by id.
pub fn load_message(conn: &Connection, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError> {
    load_message_for(conn, meeting, id, None)
}

/// A meeting's message by id, with `viewer`'s reactions marked, when given.
pub fn load_message_for(
    conn: &Connection,
    meeting: &MeetingId,
    id: &MessageId,
    viewer: Option<&ParticipantId>,
) -> Result<Option<Message>, StoreError> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} WHERE m.meeting_id = ?1 AND m.id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![meeting.0, id.0])?;
    match rows.next()? {
        Some(row) => Ok(Some(complete(conn, read_message(row)?, viewer)?)),
        None => Ok(None),
    }
}

/// A message that exists and was not deleted for everyone.
pub fn require_live_message(conn: &Connection, meeting: &MeetingId, id: &MessageId) -> Result<Message, StoreError> {
    let message = load_message(conn, meeting, id)?.ok_or(StoreError::MessageNotFound)?;
    if message.content == Content::Deleted {
        return Err(StoreError::MessageDeleted);
    }
    Ok(message)
}

/// Writes a meeting's settings (its row exists: the settings event made it).
pub fn store_settings(conn: &Connection, meeting: &MeetingId, settings: &MeetingSettings) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE meetings SET anyone_can_pin = ?2, hosts_only = ?3, slow_mode_secs = ?4, read_receipts = ?5 WHERE id = ?1",
        params![
            meeting.0,
            settings.anyone_can_pin,
            settings.who_can_send == SendPolicy::Hosts,
            settings.slow_mode_secs,
            settings.read_receipts
        ],
    )?;
    Ok(())
}

/// A meeting's settings (the defaults for a meeting never seen).
pub fn load_settings(conn: &Connection, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
    let settings = conn
        .query_row(
            "SELECT anyone_can_pin, hosts_only, slow_mode_secs, read_receipts FROM meetings WHERE id = ?1",
            params![meeting.0],
            |r| {
                Ok(MeetingSettings {
                    anyone_can_pin: r.get("anyone_can_pin")?,
                    who_can_send: if r.get("hosts_only")? { SendPolicy::Hosts } else { SendPolicy::Everyone },
                    slow_mode_secs: r.get("slow_mode_secs")?,
                    read_receipts: r.get("read_receipts")?,
                })
            },
        )
        .optional()?;
    Ok(settings.unwrap_or_default())
}

/// Who hid a message for themselves.
pub fn hidden_by(conn: &Connection, id: &MessageId) -> Result<Vec<ParticipantId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT participant_id FROM hidden WHERE message_id = ?1")?;
    let ids =
        stmt.query_map(params![id.0], |r| r.get::<_, String>("participant_id"))?.collect::<Result<Vec<_>, _>>()?;
    Ok(ids.into_iter().map(ParticipantId).collect())
}
