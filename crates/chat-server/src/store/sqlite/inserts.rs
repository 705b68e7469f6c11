//! Storing a new message in SQLite: deduplicated by its sender's client id,
//! with its event, recipients and attachments, in one `BEGIN IMMEDIATE`
//! transaction.

use chat_protocol::{Event, MessageId};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::attachments;
use super::events::{message_event, record_event};
use super::record;
use super::rows::{corrupt, load_message};
use crate::store::events::EventKind;
use crate::store::{Inserted, NewMessage, StoreError};

/// Stores `new`, or finds the message its sender already sent with its client id.
pub fn insert_message(conn: &mut Connection, new: NewMessage) -> Result<Inserted, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT id FROM messages WHERE meeting_id = ?1 AND sender_id = ?2 AND client_id = ?3",
            params![new.meeting.0, new.sender.id.0, new.client_id.0],
            |r| r.get("id"),
        )
        .optional()?;
    if let Some(id) = existing {
        let message = load_message(&tx, &new.meeting, &MessageId(id))?
            .ok_or_else(|| StoreError::Corrupt("deduplicated message vanished".into()))?;
        return Ok(Inserted { message, event: None });
    }
    let seq = record_event(&tx, &new.meeting, EventKind::Created, Some(&new.id), &new.sender.id, new.time, None)?;
    let (kind, text, file_id) = (new.content.kind(), new.content.text(), new.content.file_id());
    let targets = serde_json::to_string(&new.targets).map_err(corrupt)?;
    let metadata = serde_json::to_string(&new.metadata).map_err(corrupt)?;
    let details = serde_json::to_string(&new.details).map_err(corrupt)?;
    let mentions = serde_json::to_string(&new.mentions).map_err(corrupt)?;
    tx.execute(
        "INSERT INTO messages (id, meeting_id, seq, client_id, sender_id, sender_name, time, kind, text, file_id, \
         reply_to, forwarded_from, targets, metadata, details, sender_bot, session_id, mentions) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            new.id.0,
            new.meeting.0,
            i64::try_from(seq).map_err(corrupt)?,
            new.client_id.0,
            new.sender.id.0,
            new.sender.display_name,
            new.time,
            kind.as_str(),
            text,
            file_id,
            new.reply_to.as_ref().map(|m| m.0.as_str()),
            new.forwarded_from.as_ref().map(|m| m.0.as_str()),
            targets,
            metadata,
            details,
            new.sender.bot,
            new.session_id,
            mentions,
        ],
    )?;
    attachments::insert(&tx, &new.id, &new.attachments)?;
    for target in &new.targets {
        tx.execute(
            "INSERT OR IGNORE INTO message_targets (message_id, participant_id) VALUES (?1, ?2)",
            params![new.id.0, target.0],
        )?;
    }
    let created = record(seq, new.time, EventKind::Created, &new.sender.id);
    let event = message_event(&tx, &new.meeting, &new.id, created)?;
    tx.commit()?;
    let message = match &event.envelope.event {
        Event::MessageCreated { message } => message.clone(),
        _ => return Err(StoreError::Corrupt("creation event without its message".into())),
    };
    Ok(Inserted { message, event: Some(event) })
}
