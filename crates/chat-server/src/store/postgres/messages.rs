//! Messages and their events in PostgreSQL: storing, editing, deleting, hiding and
//! pinning a message, each with its event, and reading them back (events,
//! history, the chat dump).

use async_trait::async_trait;
use chat_protocol::{ClientId, EventEnvelope, FileId, MeetingId, Message, MessageId, Participant, ParticipantId, Seq};

use super::rows::{corrupt, load_message, require_live_message};
use super::writes::{erase, lock_meeting, message_event, orphans, record, record_event, take_attachments};
use super::PostgresStore;
use crate::store::events::EventKind;
use crate::store::{
    Deleted, DumpedMessage, Inserted, MessagePage, Messages, NewMessage, PageQuery, StoreError, StoredContent,
    StoredEvent,
};

#[async_trait]
impl Messages for PostgresStore {
    async fn head_seq(&self, meeting: &MeetingId) -> Result<Seq, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt("SELECT head_seq FROM meetings WHERE id = $1", &[&meeting.0]).await?;
        let head: i64 = row.map(|row| row.try_get(0)).transpose()?.unwrap_or(0);
        head.try_into().map_err(corrupt)
    }

    async fn message_by_client_id(
        &self,
        meeting: &MeetingId,
        sender: &ParticipantId,
        client_id: &ClientId,
    ) -> Result<Option<Message>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT id FROM messages WHERE meeting_id = $1 AND sender_id = $2 AND client_id = $3",
                &[&meeting.0, &sender.0, &client_id.0],
            )
            .await?;
        match row {
            Some(row) => load_message(&**client, meeting, &MessageId(row.try_get("id")?)).await,
            None => Ok(None),
        }
    }

    async fn message(&self, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError> {
        load_message(&**self.client().await?, meeting, id).await
    }

    async fn is_hidden_for(&self, id: &MessageId, participant: &ParticipantId) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT 1 FROM hidden WHERE message_id = $1 AND participant_id = $2", &[&id.0, &participant.0])
            .await?;
        Ok(row.is_some())
    }

    async fn insert_message(&self, new: NewMessage) -> Result<Inserted, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        super::writes::insert_message(tx, new).await
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
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        require_live_message(&tx, meeting, id).await?;
        let seq = record_event(&tx, meeting, EventKind::Edited, Some(id), by, at, None).await?;
        if let Some(keep) = keep {
            take_attachments(&tx, id).await?;
            super::writes::insert_attachments(&tx, id, &keep).await?;
        }
        let (text, file_id) = (content.text(), content.file_id());
        tx.execute(
            "UPDATE messages SET text = $3, file_id = $4, edited_at = $5 WHERE meeting_id = $1 AND id = $2",
            &[&meeting.0, &id.0, &text, &file_id, &at],
        )
        .await?;
        let event = message_event(&tx, meeting, id, record(seq, at, EventKind::Edited, by)).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn delete_for_everyone(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        require_live_message(&tx, meeting, id).await?;
        let seq = record_event(&tx, meeting, EventKind::Deleted, Some(id), by, at, None).await?;
        let files = erase(&tx, meeting, id).await?;
        let orphaned_files = orphans(&tx, files).await?;
        let event = message_event(&tx, meeting, id, record(seq, at, EventKind::Deleted, by)).await?;
        tx.commit().await?;
        Ok(Deleted { event, orphaned_files })
    }

    async fn hide_for(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        participant: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        load_message(&tx, meeting, id).await?.ok_or(StoreError::MessageNotFound)?;
        let inserted = tx
            .execute(
                "INSERT INTO hidden (message_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&id.0, &participant.0],
            )
            .await?;
        if inserted == 0 {
            return Ok(None);
        }
        let seq = record_event(&tx, meeting, EventKind::Hidden, Some(id), participant, at, None).await?;
        let event = message_event(&tx, meeting, id, record(seq, at, EventKind::Hidden, participant)).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    async fn set_pinned(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        pinned: bool,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let message = require_live_message(&tx, meeting, id).await?;
        if message.pinned == pinned {
            return Ok(None);
        }
        let kind = if pinned { EventKind::Pinned } else { EventKind::Unpinned };
        let seq = record_event(&tx, meeting, kind, Some(id), by, at, None).await?;
        tx.execute("UPDATE messages SET pinned = $3 WHERE meeting_id = $1 AND id = $2", &[&meeting.0, &id.0, &pinned])
            .await?;
        let event = message_event(&tx, meeting, id, record(seq, at, kind, by)).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    async fn events_after(
        &self,
        meeting: &MeetingId,
        viewer: &Participant,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        super::reads::events_after(&**self.client().await?, meeting, viewer, after, limit).await
    }

    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError> {
        super::reads::events_since(&**self.client().await?, meeting, after, limit).await
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        super::reads::history(&**self.client().await?, meeting, viewer, page).await
    }

    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError> {
        super::reads::dump_page(&**self.client().await?, meeting, after, limit).await
    }
}
