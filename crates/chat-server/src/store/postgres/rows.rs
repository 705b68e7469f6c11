//! Reading PostgreSQL rows into protocol types, by column name, and the
//! small reads every write needs (a message with its files, its hiders, a
//! meeting's settings). The column lists are SQLite's: both engines name
//! the same columns.

use chat_protocol::{
    ClientId, Content, FileId, MeetingId, MeetingSettings, Message, MessageId, MessageKind, ParticipantId, SendPolicy,
    Sender,
};
use serde_json::{Map, Value};
use tokio_postgres::{GenericClient, Row};

use super::reactions::reactions_of;
use crate::store::columns::{FILE_COLUMNS, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::{StoreError, StoredFile};

/// A stored value that does not fit its type.
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn unsigned<T: TryFrom<i64>>(value: i64) -> Result<T, StoreError>
where
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(corrupt)
}

fn optional_u32(row: &Row, column: &str) -> Result<Option<u32>, StoreError> {
    row.try_get::<_, Option<i64>>(column)?.map(unsigned).transpose()
}

fn json_map(row: &Row, column: &str) -> Result<Map<String, Value>, StoreError> {
    serde_json::from_str(row.try_get::<_, &str>(column)?).map_err(corrupt)
}

/// A message row selected with [`MESSAGE_COLUMNS`].
pub fn read_message(row: &Row) -> Result<Message, StoreError> {
    let kind: MessageKind = row.try_get::<_, &str>("kind")?.parse().map_err(corrupt)?;
    let content = if row.try_get("deleted")? {
        Content::Deleted
    } else if kind == MessageKind::Text {
        Content::Text { text: row.try_get::<_, Option<String>>("text")?.unwrap_or_default() }
    } else {
        let file_id: Option<String> = row.try_get("file_id")?;
        let file_id = file_id.ok_or_else(|| StoreError::Corrupt("file message without its file".into()))?;
        let file = StoredFile {
            id: FileId(file_id),
            meeting: MeetingId(String::new()),
            uploader: ParticipantId(String::new()),
            name: row.try_get("file_name")?,
            size: unsigned(row.try_get("file_size")?)?,
            content_type: row.try_get("file_content_type")?,
            width: optional_u32(row, "file_width")?,
            height: optional_u32(row, "file_height")?,
            blurhash: row.try_get("file_blurhash")?,
            created_at: 0,
        };
        Content::with_file(kind, file.to_ref())
    };
    let targets: Vec<ParticipantId> = serde_json::from_str(row.try_get::<_, &str>("targets")?).map_err(corrupt)?;
    let mentions: Vec<ParticipantId> = serde_json::from_str(row.try_get::<_, &str>("mentions")?).map_err(corrupt)?;
    let edited_at: Option<i64> = row.try_get("edited_at")?;
    Ok(Message {
        id: MessageId(row.try_get("id")?),
        client_id: ClientId(row.try_get("client_id")?),
        seq: unsigned(row.try_get("seq")?)?,
        sender: Sender {
            id: ParticipantId(row.try_get("sender_id")?),
            display_name: row.try_get("sender_name")?,
            bot: row.try_get("sender_bot")?,
        },
        time: row.try_get("time")?,
        content,
        reply_to: row.try_get::<_, Option<String>>("reply_to")?.map(MessageId),
        forwarded_from: row.try_get::<_, Option<String>>("forwarded_from")?.map(MessageId),
        targets,
        metadata: json_map(row, "metadata")?,
        details: json_map(row, "details")?,
        attachments: Vec::new(),
        edited: edited_at.is_some(),
        edited_at,
        pinned: row.try_get("pinned")?,
        reactions: Vec::new(),
        mentions,
    })
}

/// A file row selected with [`FILE_COLUMNS`].
pub fn read_file(row: &Row) -> Result<StoredFile, StoreError> {
    Ok(StoredFile {
        id: FileId(row.try_get("id")?),
        meeting: MeetingId(row.try_get("meeting_id")?),
        uploader: ParticipantId(row.try_get("uploader_id")?),
        name: row.try_get("name")?,
        size: unsigned(row.try_get("size")?)?,
        content_type: row.try_get("content_type")?,
        width: optional_u32(row, "width")?,
        height: optional_u32(row, "height")?,
        blurhash: row.try_get("blurhash")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A message read with [`read_message`], with its attachments and reactions
/// added (none on a tombstone); `me` marks `viewer`'s reactions, when given.
pub async fn complete(
    client: &impl GenericClient,
    mut message: Message,
    viewer: Option<&ParticipantId>,
) -> Result<Message, StoreError> {
    if message.content == Content::Deleted {
        return Ok(message);
    }
    message.reactions = reactions_of(client, &message.id, viewer).await?;
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM message_attachments a JOIN files f ON f.id = a.file_id \
         WHERE a.message_id = $1 ORDER BY a.position"
    );
    for row in client.query(&sql, &[&message.id.0]).await? {
        message.attachments.push(read_file(&row)?.to_ref());
    }
    Ok(message)
}

/// A meeting's message by id.
pub async fn load_message(
    client: &impl GenericClient,
    meeting: &MeetingId,
    id: &MessageId,
) -> Result<Option<Message>, StoreError> {
    load_message_for(client, meeting, id, None).await
}

/// A meeting's message by id, with `viewer`'s reactions marked, when given.
pub async fn load_message_for(
    client: &impl GenericClient,
    meeting: &MeetingId,
    id: &MessageId,
    viewer: Option<&ParticipantId>,
) -> Result<Option<Message>, StoreError> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} WHERE m.meeting_id = $1 AND m.id = $2");
    match client.query_opt(&sql, &[&meeting.0, &id.0]).await? {
        Some(row) => Ok(Some(complete(client, read_message(&row)?, viewer).await?)),
        None => Ok(None),
    }
}

/// A message that exists and was not deleted for everyone.
pub async fn require_live_message(
    client: &impl GenericClient,
    meeting: &MeetingId,
    id: &MessageId,
) -> Result<Message, StoreError> {
    let message = load_message(client, meeting, id).await?.ok_or(StoreError::MessageNotFound)?;
    if message.content == Content::Deleted {
        return Err(StoreError::MessageDeleted);
    }
    Ok(message)
}

/// A meeting's settings (the defaults for a meeting never seen).
pub async fn load_settings(client: &impl GenericClient, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
    let row = client
        .query_opt(
            "SELECT anyone_can_pin, hosts_only, slow_mode_secs, read_receipts FROM meetings WHERE id = $1",
            &[&meeting.0],
        )
        .await?;
    let Some(row) = row else { return Ok(MeetingSettings::default()) };
    Ok(MeetingSettings {
        anyone_can_pin: row.try_get("anyone_can_pin")?,
        who_can_send: if row.try_get("hosts_only")? { SendPolicy::Hosts } else { SendPolicy::Everyone },
        slow_mode_secs: unsigned(row.try_get("slow_mode_secs")?)?,
        read_receipts: row.try_get("read_receipts")?,
    })
}

/// Who hid a message for themselves.
pub async fn hidden_by(client: &impl GenericClient, id: &MessageId) -> Result<Vec<ParticipantId>, StoreError> {
    let rows = client.query("SELECT participant_id FROM hidden WHERE message_id = $1", &[&id.0]).await?;
    rows.iter().map(|row| Ok(ParticipantId(row.try_get("participant_id")?))).collect()
}
