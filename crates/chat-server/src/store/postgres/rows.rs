//! PostgreSQL's rows read by column name (the readers and the column lists
//! are `store::columns`', both engines name the same columns), and the small
//! reads every write needs (a message with its files, its hiders, a meeting's settings).

use chat_protocol::{Content, MeetingId, MeetingSettings, Message, MessageId, ParticipantId, Reaction};
use tokio_postgres::{GenericClient, Row};

pub use crate::store::columns::{corrupt, read_file, read_message};
use crate::store::columns::{fitting, read_reaction, Columns, FILE_COLUMNS, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::settings::read_policies;
use crate::store::StoreError;

impl Columns for Row {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        Ok(self.try_get(column)?)
    }
    fn optional_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(column)?)
    }
    fn integer(&self, column: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(column)?)
    }
    fn optional_integer(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(column)?)
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(self.try_get(column)?)
    }
}

/// A message's reactions, one per emoji in the order each was first used
/// (then by emoji);
/// `me` marks those of `viewer`, when given.
pub async fn reactions_of(
    client: &impl GenericClient,
    id: &MessageId,
    viewer: Option<&ParticipantId>,
) -> Result<Vec<Reaction>, StoreError> {
    let rows = client
        .query(
            "SELECT emoji, COUNT(*) AS count, COALESCE(BOOL_OR(participant_id = $2), false) AS me FROM reactions \
             WHERE message_id = $1 GROUP BY emoji ORDER BY MIN(at), emoji",
            &[&id.0, &viewer.map(|v| v.0.as_str())],
        )
        .await?;
    rows.iter().map(read_reaction).collect()
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
            "SELECT anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat FROM meetings \
             WHERE id = $1",
            &[&meeting.0],
        )
        .await?;
    let Some(row) = row else { return Ok(MeetingSettings::default()) };
    let (who_can_send, private_chat) = read_policies(row.try_get("who_can_send")?, row.try_get("private_chat")?)?;
    Ok(MeetingSettings {
        anyone_can_pin: row.try_get("anyone_can_pin")?,
        who_can_send,
        slow_mode_secs: fitting(row.try_get("slow_mode_secs")?)?,
        read_receipts: row.try_get("read_receipts")?,
        private_chat,
    })
}

/// Who hid a message for themselves.
pub async fn hidden_by(client: &impl GenericClient, id: &MessageId) -> Result<Vec<ParticipantId>, StoreError> {
    let rows = client.query("SELECT participant_id FROM hidden WHERE message_id = $1", &[&id.0]).await?;
    rows.iter().map(|row| Ok(ParticipantId(row.try_get("participant_id")?))).collect()
}
