//! The PostgreSQL engine, for any number of nodes sharing one database: a
//! pool of connections (a connection the server lost, as when PostgreSQL
//! restarts, is replaced on its next use, so the nodes recover by
//! themselves), each write one transaction that locks its meeting's row
//! ([`writes`]). The schema is in [`schema`], row decoding in [`rows`], the
//! longer reads in [`reads`].

mod outbox;
mod reactions;
mod read_marks;
mod reads;
mod roster;
mod rows;
mod schema;
mod search;
mod uploads;
mod writes;

use std::time::Duration;

use async_trait::async_trait;
use chat_protocol::{
    ClientId, EventEnvelope, FileId, MeetingId, MeetingSettings, Message, MessageId, ParticipantId, ReadState, Seen,
    SendPolicy, Seq,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use self::rows::{corrupt, load_message, load_settings, require_live_message};
use self::writes::{lock_meeting, message_event, orphans, record, record_event, take_attachments};
use super::events::{build_event, EventKind, EventRecord};
use super::{
    Deleted, DumpedMessage, Inserted, MessagePage, MessageSearch, Messages, NewMessage, PageQuery, ReactionChange,
    Reactions, ReadMarks, Settings, StoreError, StoredContent, StoredEvent,
};

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Engine(Box::new(e))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Self::Engine(Box::new(e))
    }
}

/// Connections a node keeps open at most.
const POOL_SIZE: usize = 16;
/// How long a request waits for a connection, or for PostgreSQL to accept
/// one, before it fails (retryably) instead of hanging while the database
/// is away.
const CONNECT_WAIT: Duration = Duration::from_secs(3);

/// A [`Store`](super::Store) on a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`),
    /// bringing its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse()?;
        config.connect_timeout(CONNECT_WAIT);
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(CONNECT_WAIT))
            .create_timeout(Some(CONNECT_WAIT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Engine(Box::new(e)))?;
        let store = Self { pool };
        let mut client = store.pool.get().await?;
        schema::migrate(raw(&mut client)).await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }
}

/// The driver's client inside a pooled connection, whose transactions the
/// engine's helpers take.
fn raw(object: &mut deadpool_postgres::Object) -> &mut tokio_postgres::Client {
    object
}

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
        let tx = raw(&mut client).transaction().await?;
        writes::insert_message(tx, new).await
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
        let tx = raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        require_live_message(&tx, meeting, id).await?;
        let seq = record_event(&tx, meeting, EventKind::Edited, Some(id), by, at, None).await?;
        if let Some(keep) = keep {
            take_attachments(&tx, id).await?;
            writes::insert_attachments(&tx, id, &keep).await?;
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
        let tx = raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        require_live_message(&tx, meeting, id).await?;
        let file_id: Option<String> =
            tx.query_one("SELECT file_id FROM messages WHERE id = $1", &[&id.0]).await?.try_get("file_id")?;
        let seq = record_event(&tx, meeting, EventKind::Deleted, Some(id), by, at, None).await?;
        tx.execute(
            "UPDATE messages SET text = NULL, file_id = NULL, metadata = '{}', details = '{}', pinned = FALSE, \
             deleted = TRUE WHERE meeting_id = $1 AND id = $2",
            &[&meeting.0, &id.0],
        )
        .await?;
        let mut files = take_attachments(&tx, id).await?;
        files.extend(file_id.map(FileId));
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
        let tx = raw(&mut client).transaction().await?;
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
        let tx = raw(&mut client).transaction().await?;
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
        viewer: &ParticipantId,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        reads::events_after(&**self.client().await?, meeting, viewer, after, limit).await
    }

    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError> {
        reads::events_since(&**self.client().await?, meeting, after, limit).await
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        reads::history(&**self.client().await?, meeting, viewer, page).await
    }

    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError> {
        reads::dump_page(&**self.client().await?, meeting, after, limit).await
    }
}

#[async_trait]
impl Reactions for PostgresStore {
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        reactions::set_reaction(raw(&mut client), meeting, id, &reaction, at).await
    }
}

#[async_trait]
impl MessageSearch for PostgresStore {
    async fn search(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let mut client = self.client().await?;
        search::search_within_budget(raw(&mut client), meeting, viewer, query, page).await
    }
}

#[async_trait]
impl ReadMarks for PostgresStore {
    async fn mark_read(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        with: Option<&ParticipantId>,
        seq: Seq,
    ) -> Result<bool, StoreError> {
        read_marks::mark_read(&**self.client().await?, meeting, reader, with, seq).await
    }

    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError> {
        read_marks::read_states(&**self.client().await?, meeting, reader, joined_at).await
    }

    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
        read_marks::seen_by_others(&**self.client().await?, meeting, reader).await
    }
}

#[async_trait]
impl Settings for PostgresStore {
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
        load_settings(&**self.client().await?, meeting).await
    }

    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let mut client = self.client().await?;
        let tx = raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let payload = serde_json::to_string(&settings).map_err(corrupt)?;
        let seq = record_event(&tx, meeting, EventKind::Settings, None, by, at, Some(&payload)).await?;
        tx.execute(
            "UPDATE meetings SET anyone_can_pin = $2, hosts_only = $3, slow_mode_secs = $4, read_receipts = $5 \
             WHERE id = $1",
            &[
                &meeting.0,
                &settings.anyone_can_pin,
                &(settings.who_can_send == SendPolicy::Hosts),
                &i64::from(settings.slow_mode_secs),
                &settings.read_receipts,
            ],
        )
        .await?;
        tx.commit().await?;
        let record =
            EventRecord { seq, time: at, kind: EventKind::Settings, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new())
    }
}
