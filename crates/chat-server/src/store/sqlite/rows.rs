//! SQLite's rows read by column name (the SELECTs name every column they
//! return, so a reordered or added column never shifts what a field reads;
//! the readers themselves are `store::columns`'), and the small reads every
//! write needs (a message with its files, its hiders, a meeting's settings).

use chat_protocol::{Content, MeetingId, MeetingSettings, Message, MessageId, ParticipantId, Reaction};
use rusqlite::{params, Connection, OptionalExtension, Row};

pub use crate::store::columns::{corrupt, read_file, read_message, FILE_COLUMNS, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::columns::{read_reaction, Columns};
use crate::store::settings::read_policies;
use crate::store::StoreError;

impl Columns for Row<'_> {
    fn text(&self, column: &str) -> Result<String, StoreError> {
        Ok(self.get(column)?)
    }
    fn optional_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        Ok(self.get(column)?)
    }
    fn integer(&self, column: &str) -> Result<i64, StoreError> {
        Ok(self.get(column)?)
    }
    fn optional_integer(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.get(column)?)
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(self.get(column)?)
    }
}

/// A message's reactions, one per emoji in the order each was first used
/// (then by emoji);
/// `me` marks those of `viewer`, when given.
pub fn reactions_of(
    conn: &Connection,
    id: &MessageId,
    viewer: Option<&ParticipantId>,
) -> Result<Vec<Reaction>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT emoji, COUNT(*) AS count, COALESCE(MAX(participant_id = ?2), 0) AS me FROM reactions \
         WHERE message_id = ?1 GROUP BY emoji ORDER BY MIN(at), emoji",
    )?;
    let mut rows = stmt.query(params![id.0, viewer.map(|v| v.0.as_str())])?;
    let mut reactions = Vec::new();
    while let Some(row) = rows.next()? {
        reactions.push(read_reaction(row)?);
    }
    Ok(reactions)
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
        "UPDATE meetings SET anyone_can_pin = ?2, who_can_send = ?3, slow_mode_secs = ?4, read_receipts = ?5, \
         private_chat = ?6 WHERE id = ?1",
        params![
            meeting.0,
            settings.anyone_can_pin,
            settings.who_can_send.as_str(),
            settings.slow_mode_secs,
            settings.read_receipts,
            settings.private_chat.as_str()
        ],
    )?;
    Ok(())
}

/// A meeting's settings (the defaults for a meeting never seen).
pub fn load_settings(conn: &Connection, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
    let row = conn
        .query_row(
            "SELECT anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat FROM meetings WHERE id = ?1",
            params![meeting.0],
            |r| {
                let policies: (String, String) = (r.get("who_can_send")?, r.get("private_chat")?);
                let settings = MeetingSettings {
                    anyone_can_pin: r.get("anyone_can_pin")?,
                    slow_mode_secs: r.get("slow_mode_secs")?,
                    read_receipts: r.get("read_receipts")?,
                    ..MeetingSettings::default()
                };
                Ok((settings, policies))
            },
        )
        .optional()?;
    let Some((settings, (who_can_send, private_chat))) = row else { return Ok(MeetingSettings::default()) };
    let (who_can_send, private_chat) = read_policies(&who_can_send, &private_chat)?;
    Ok(MeetingSettings { who_can_send, private_chat, ..settings })
}

/// Who hid a message for themselves.
pub fn hidden_by(conn: &Connection, id: &MessageId) -> Result<Vec<ParticipantId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT participant_id FROM hidden WHERE message_id = ?1")?;
    let ids =
        stmt.query_map(params![id.0], |r| r.get::<_, String>("participant_id"))?.collect::<Result<Vec<_>, _>>()?;
    Ok(ids.into_iter().map(ParticipantId).collect())
}
