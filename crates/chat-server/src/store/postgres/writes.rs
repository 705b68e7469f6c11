//! Writing in PostgreSQL: each change locks its meeting's row first, so a
//! meeting's changes (from any node) run one at a time, their checks see
//! every earlier change, and each takes the next `seq` in the transaction
//! that stores it, committed in `seq` order.

use chat_protocol::{Event, FileId, MeetingId, MessageId, ParticipantId, Seq};
use tokio_postgres::{GenericClient, Transaction};

use super::rows::{corrupt, hidden_by, load_message};
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{Inserted, NewMessage, StoreError, StoredEvent};

/// Locks the meeting's row (creating it) until the transaction ends.
pub async fn lock_meeting(tx: &Transaction<'_>, meeting: &MeetingId) -> Result<(), StoreError> {
    tx.execute("INSERT INTO meetings (id) VALUES ($1) ON CONFLICT (id) DO NOTHING", &[&meeting.0]).await?;
    tx.execute("SELECT 1 FROM meetings WHERE id = $1 FOR UPDATE", &[&meeting.0]).await?;
    Ok(())
}

/// Takes the meeting's next `seq` and records an event with it; call after [`lock_meeting`].
pub async fn record_event(
    tx: &Transaction<'_>,
    meeting: &MeetingId,
    kind: EventKind,
    message_id: Option<&MessageId>,
    actor: &ParticipantId,
    at: i64,
    payload: Option<&str>,
) -> Result<Seq, StoreError> {
    let seq: i64 = tx
        .query_one("UPDATE meetings SET head_seq = head_seq + 1 WHERE id = $1 RETURNING head_seq", &[&meeting.0])
        .await?
        .try_get(0)?;
    tx.execute(
        "INSERT INTO events (meeting_id, seq, time, kind, message_id, actor_id, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&meeting.0, &seq, &at, &kind.as_str(), &message_id.map(|m| m.0.as_str()), &actor.0, &payload],
    )
    .await?;
    seq.try_into().map_err(corrupt)
}

/// The record of an event about a message, taken at `seq`.
pub fn record(seq: Seq, at: i64, kind: EventKind, actor: &ParticipantId) -> EventRecord {
    EventRecord { seq, time: at, kind, actor: actor.clone(), payload: None }
}

/// The event just recorded about message `id`, built from its current state.
pub async fn message_event(
    client: &impl GenericClient,
    meeting: &MeetingId,
    id: &MessageId,
    record: EventRecord,
) -> Result<StoredEvent, StoreError> {
    let message = load_message(client, meeting, id).await?;
    build_event(record, message, hidden_by(client, id).await?)
}

/// Records `files` as the attachments of `message`, in order.
pub async fn insert_attachments(tx: &Transaction<'_>, message: &MessageId, files: &[FileId]) -> Result<(), StoreError> {
    for (position, file) in (0_i64..).zip(files) {
        tx.execute(
            "INSERT INTO message_attachments (message_id, position, file_id) VALUES ($1, $2, $3)",
            &[&message.0, &position, &file.0],
        )
        .await?;
    }
    Ok(())
}

/// Erases a message's body, leaving a tombstone; returns the files it held
/// (its own, its attachments) for [`orphans`].
pub async fn erase(tx: &Transaction<'_>, meeting: &MeetingId, id: &MessageId) -> Result<Vec<FileId>, StoreError> {
    let file_id: Option<String> =
        tx.query_one("SELECT file_id FROM messages WHERE id = $1", &[&id.0]).await?.try_get("file_id")?;
    tx.execute(
        "UPDATE messages SET text = NULL, file_id = NULL, metadata = '{}', details = '{}', pinned = FALSE, \
         deleted = TRUE WHERE meeting_id = $1 AND id = $2",
        &[&meeting.0, &id.0],
    )
    .await?;
    let mut files = take_attachments(tx, id).await?;
    files.extend(file_id.map(FileId));
    Ok(files)
}

/// Removes every attachment of `message`; returns their files.
pub async fn take_attachments(tx: &Transaction<'_>, message: &MessageId) -> Result<Vec<FileId>, StoreError> {
    let rows = tx
        .query("DELETE FROM message_attachments WHERE message_id = $1 RETURNING file_id, position", &[&message.0])
        .await?;
    let mut files = rows
        .iter()
        .map(|row| Ok((row.try_get::<_, i64>("position")?, FileId(row.try_get("file_id")?))))
        .collect::<Result<Vec<_>, StoreError>>()?;
    files.sort_by_key(|(position, _)| *position);
    Ok(files.into_iter().map(|(_, file)| file).collect())
}

/// Forgets the records of those of `files` no message refers to any more; returns them.
pub async fn orphans(tx: &Transaction<'_>, files: Vec<FileId>) -> Result<Vec<FileId>, StoreError> {
    let mut orphaned = Vec::new();
    for file in files {
        if orphaned.contains(&file) {
            continue;
        }
        let used = tx
            .query_opt(
                "SELECT 1 FROM messages WHERE file_id = $1 \
                 UNION ALL SELECT 1 FROM message_attachments WHERE file_id = $1 LIMIT 1",
                &[&file.0],
            )
            .await?
            .is_some();
        if !used {
            tx.execute("DELETE FROM files WHERE id = $1", &[&file.0]).await?;
            orphaned.push(file);
        }
    }
    Ok(orphaned)
}

/// Stores `new`, or finds the message its sender already sent with its
/// client id (on this node or another: the meeting lock orders the two).
pub async fn insert_message(tx: Transaction<'_>, new: NewMessage) -> Result<Inserted, StoreError> {
    lock_meeting(&tx, &new.meeting).await?;
    let existing = tx
        .query_opt(
            "SELECT id FROM messages WHERE meeting_id = $1 AND sender_id = $2 AND client_id = $3",
            &[&new.meeting.0, &new.sender.id.0, &new.client_id.0],
        )
        .await?;
    if let Some(row) = existing {
        let id = MessageId(row.try_get("id")?);
        let message = load_message(&tx, &new.meeting, &id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("deduplicated message vanished".into()))?;
        return Ok(Inserted { message, event: None });
    }
    let seq =
        record_event(&tx, &new.meeting, EventKind::Created, Some(&new.id), &new.sender.id, new.time, None).await?;
    let (kind, text, file_id) = (new.content.kind(), new.content.text(), new.content.file_id());
    let targets = serde_json::to_string(&new.targets).map_err(corrupt)?;
    let metadata = serde_json::to_string(&new.metadata).map_err(corrupt)?;
    let details = serde_json::to_string(&new.details).map_err(corrupt)?;
    let mentions = serde_json::to_string(&new.mentions).map_err(corrupt)?;
    let seq_column = i64::try_from(seq).map_err(corrupt)?;
    tx.execute(
        "INSERT INTO messages (id, meeting_id, seq, client_id, sender_id, sender_name, time, kind, text, file_id, \
         reply_to, forwarded_from, targets, metadata, details, sender_bot, session_id, mentions) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        &[
            &new.id.0,
            &new.meeting.0,
            &seq_column,
            &new.client_id.0,
            &new.sender.id.0,
            &new.sender.display_name,
            &new.time,
            &kind.as_str(),
            &text,
            &file_id,
            &new.reply_to.as_ref().map(|m| m.0.as_str()),
            &new.forwarded_from.as_ref().map(|m| m.0.as_str()),
            &targets,
            &metadata,
            &details,
            &new.sender.bot,
            &new.session_id,
            &mentions,
        ],
    )
    .await?;
    insert_attachments(&tx, &new.id, &new.attachments).await?;
    for target in &new.targets {
        tx.execute(
            "INSERT INTO message_targets (message_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&new.id.0, &target.0],
        )
        .await?;
    }
    let created = record(seq, new.time, EventKind::Created, &new.sender.id);
    let event = message_event(&tx, &new.meeting, &new.id, created).await?;
    tx.commit().await?;
    let message = match &event.envelope.event {
        Event::MessageCreated { message } => message.clone(),
        _ => return Err(StoreError::Corrupt("creation event without its message".into())),
    };
    Ok(Inserted { message, event: Some(event) })
}
