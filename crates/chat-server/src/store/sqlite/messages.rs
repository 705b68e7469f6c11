//! Messages and their events in SQLite: storing, editing, deleting, hiding and
//! pinning a message, each with its event, and reading them back (events,
//! history, the chat dump).

use async_trait::async_trait;
use chat_protocol::{ClientId, EventEnvelope, FileId, MeetingId, Message, MessageId, Participant, ParticipantId, Seq};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::events::{message_event, record_event};
use super::rows::{corrupt, load_message, require_live_message};
use super::SqliteStore;
use crate::store::events::EventKind;
use crate::store::{
    Deleted, DumpedMessage, Inserted, MessagePage, Messages, NewMessage, PageQuery, StoreError, StoredContent,
    StoredEvent,
};

#[async_trait]
impl Messages for SqliteStore {
    async fn head_seq(&self, meeting: &MeetingId) -> Result<Seq, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let head: Option<i64> = conn
                .query_row("SELECT head_seq FROM meetings WHERE id = ?1", params![meeting.0], |r| r.get("head_seq"))
                .optional()?;
            head.unwrap_or(0).try_into().map_err(corrupt)
        })
        .await
    }

    async fn message_by_client_id(
        &self,
        meeting: &MeetingId,
        sender: &ParticipantId,
        client_id: &ClientId,
    ) -> Result<Option<Message>, StoreError> {
        let (meeting, sender, client_id) = (meeting.clone(), sender.clone(), client_id.clone());
        self.run(move |conn| {
            let id: Option<String> = conn
                .query_row(
                    "SELECT id FROM messages WHERE meeting_id = ?1 AND sender_id = ?2 AND client_id = ?3",
                    params![meeting.0, sender.0, client_id.0],
                    |r| r.get("id"),
                )
                .optional()?;
            match id {
                Some(id) => load_message(conn, &meeting, &MessageId(id)),
                None => Ok(None),
            }
        })
        .await
    }

    async fn message(&self, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError> {
        let (meeting, id) = (meeting.clone(), id.clone());
        self.run(move |conn| load_message(conn, &meeting, &id)).await
    }

    async fn is_hidden_for(&self, id: &MessageId, participant: &ParticipantId) -> Result<bool, StoreError> {
        let (id, participant) = (id.clone(), participant.clone());
        self.run(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM hidden WHERE message_id = ?1 AND participant_id = ?2",
                    params![id.0, participant.0],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    async fn insert_message(&self, new: NewMessage) -> Result<Inserted, StoreError> {
        self.run(move |conn| super::inserts::insert_message(conn, new)).await
    }

    async fn edit_message(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        content: StoredContent,
        keep: Option<Vec<FileId>>,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, id, by) = (meeting.clone(), id.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            require_live_message(&tx, &meeting, &id)?;
            let seq = record_event(&tx, &meeting, EventKind::Edited, Some(&id), &by, at, None)?;
            if let Some(keep) = keep {
                super::attachments::take(&tx, &id)?;
                super::attachments::insert(&tx, &id, &keep)?;
            }
            let (text, file_id) = (content.text(), content.file_id());
            tx.execute(
                "UPDATE messages SET text = ?3, file_id = ?4, edited_at = ?5 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0, text, file_id, at],
            )?;
            let event = message_event(&tx, &meeting, &id, super::record(seq, at, EventKind::Edited, &by))?;
            tx.commit()?;
            Ok(event)
        })
        .await
    }

    async fn delete_for_everyone(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        let (meeting, id, by) = (meeting.clone(), id.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            require_live_message(&tx, &meeting, &id)?;
            let seq = record_event(&tx, &meeting, EventKind::Deleted, Some(&id), &by, at, None)?;
            let files = erase(&tx, &meeting, &id)?;
            let orphaned_files = super::attachments::orphans(&tx, files)?;
            let event = message_event(&tx, &meeting, &id, super::record(seq, at, EventKind::Deleted, &by))?;
            tx.commit()?;
            Ok(Deleted { event, orphaned_files })
        })
        .await
    }

    async fn hide_for(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        participant: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, id, participant) = (meeting.clone(), id.clone(), participant.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            load_message(&tx, &meeting, &id)?.ok_or(StoreError::MessageNotFound)?;
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO hidden (message_id, participant_id) VALUES (?1, ?2)",
                params![id.0, participant.0],
            )?;
            if inserted == 0 {
                return Ok(None);
            }
            let seq = record_event(&tx, &meeting, EventKind::Hidden, Some(&id), &participant, at, None)?;
            let event = message_event(&tx, &meeting, &id, super::record(seq, at, EventKind::Hidden, &participant))?;
            tx.commit()?;
            Ok(Some(event))
        })
        .await
    }

    async fn set_pinned(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        pinned: bool,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, id, by) = (meeting.clone(), id.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let message = require_live_message(&tx, &meeting, &id)?;
            if message.pinned == pinned {
                return Ok(None);
            }
            let kind = if pinned { EventKind::Pinned } else { EventKind::Unpinned };
            let seq = record_event(&tx, &meeting, kind, Some(&id), &by, at, None)?;
            tx.execute(
                "UPDATE messages SET pinned = ?3 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0, pinned],
            )?;
            let event = message_event(&tx, &meeting, &id, super::record(seq, at, kind, &by))?;
            tx.commit()?;
            Ok(Some(event))
        })
        .await
    }

    async fn events_after(
        &self,
        meeting: &MeetingId,
        viewer: &Participant,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        let (meeting, viewer) = (meeting.clone(), viewer.clone());
        self.run(move |conn| super::reads::events_after(conn, &meeting, &viewer, after, limit)).await
    }

    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| super::reads::events_since(conn, &meeting, after, limit)).await
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let (meeting, viewer, page) = (meeting.clone(), viewer.clone(), page.clone());
        self.run(move |conn| super::reads::history(conn, &meeting, &viewer, &page)).await
    }

    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| super::reads::dump_page(conn, &meeting, after, limit)).await
    }
}

/// Erases a message's body, leaving a tombstone; returns the files it held
/// (its own, its attachments) for the caller to forget if orphaned.
pub(super) fn erase(
    conn: &rusqlite::Connection,
    meeting: &MeetingId,
    id: &MessageId,
) -> Result<Vec<FileId>, StoreError> {
    let file_id: Option<String> =
        conn.query_row("SELECT file_id FROM messages WHERE id = ?1", params![id.0], |r| r.get("file_id"))?;
    conn.execute(
        "UPDATE messages SET text = NULL, file_id = NULL, metadata = '{}', details = '{}', pinned = 0, deleted = 1 \
         WHERE meeting_id = ?1 AND id = ?2",
        params![meeting.0, id.0],
    )?;
    let mut files = super::attachments::take(conn, id)?;
    files.extend(file_id.map(FileId));
    Ok(files)
}
