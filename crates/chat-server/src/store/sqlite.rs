//! The SQLite engine: one file in WAL mode, one connection used from a
//! blocking thread, writes in `BEGIN IMMEDIATE` transactions. The schema
//! and its migrations are in [`schema`], row decoding in [`rows`], event
//! recording in [`events`], storing a new message in [`inserts`], the longer
//! reads in [`reads`].

mod attachments;
mod events;
mod inserts;
mod outbox;
mod reactions;
mod read_marks;
mod reads;
mod roster;
mod rows;
mod schema;
mod search;
mod uploads;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chat_protocol::{
    ClientId, EventEnvelope, FileId, MeetingId, MeetingSettings, Message, MessageId, ParticipantId, ReadState, Seen,
    Seq,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use self::events::{message_event, record_event};
use self::rows::{corrupt, load_message, load_settings, require_live_message, store_settings};
use super::events::{build_event, EventKind, EventRecord};
use super::{
    Deleted, DumpedMessage, Inserted, MessagePage, MessageSearch, Messages, NewMessage, PageQuery, ReactionChange,
    Reactions, ReadMarks, Settings, StoreError, StoredContent, StoredEvent,
};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Engine(Box::new(e))
    }
}

/// A [`Store`](super::Store) on one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    searchers: Arc<search::Searchers>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn)?;
        let searchers = Arc::new(search::Searchers::new(path.to_owned(), super::SEARCH_BUDGET));
        Ok(Self { conn: Arc::new(Mutex::new(conn)), searchers })
    }

    async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| StoreError::Task("connection lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

/// The record of an event about a message, taken at `seq`.
fn record(seq: Seq, at: i64, kind: EventKind, actor: &ParticipantId) -> EventRecord {
    EventRecord { seq, time: at, kind, actor: actor.clone(), payload: None }
}

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
        self.run(move |conn| inserts::insert_message(conn, new)).await
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
                attachments::take(&tx, &id)?;
                attachments::insert(&tx, &id, &keep)?;
            }
            let (text, file_id) = (content.text(), content.file_id());
            tx.execute(
                "UPDATE messages SET text = ?3, file_id = ?4, edited_at = ?5 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0, text, file_id, at],
            )?;
            let event = message_event(&tx, &meeting, &id, record(seq, at, EventKind::Edited, &by))?;
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
            let file_id: Option<String> =
                tx.query_row("SELECT file_id FROM messages WHERE id = ?1", params![id.0], |r| r.get("file_id"))?;
            let seq = record_event(&tx, &meeting, EventKind::Deleted, Some(&id), &by, at, None)?;
            tx.execute(
                "UPDATE messages SET text = NULL, file_id = NULL, metadata = '{}', details = '{}', pinned = 0, deleted = 1 \
                 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0],
            )?;
            let mut files = attachments::take(&tx, &id)?;
            files.extend(file_id.map(FileId));
            let orphaned_files = attachments::orphans(&tx, files)?;
            let event = message_event(&tx, &meeting, &id, record(seq, at, EventKind::Deleted, &by))?;
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
            let event = message_event(&tx, &meeting, &id, record(seq, at, EventKind::Hidden, &participant))?;
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
            let event = message_event(&tx, &meeting, &id, record(seq, at, kind, &by))?;
            tx.commit()?;
            Ok(Some(event))
        })
        .await
    }

    async fn events_after(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        let (meeting, viewer) = (meeting.clone(), viewer.clone());
        self.run(move |conn| reads::events_after(conn, &meeting, &viewer, after, limit)).await
    }

    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| reads::events_since(conn, &meeting, after, limit)).await
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let (meeting, viewer, page) = (meeting.clone(), viewer.clone(), page.clone());
        self.run(move |conn| reads::history(conn, &meeting, &viewer, &page)).await
    }

    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| reads::dump_page(conn, &meeting, after, limit)).await
    }
}

#[async_trait]
impl Reactions for SqliteStore {
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, id) = (meeting.clone(), id.clone());
        self.run(move |conn| reactions::set_reaction(conn, &meeting, &id, &reaction, at)).await
    }
}

#[async_trait]
impl MessageSearch for SqliteStore {
    async fn search(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        query: &str,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let search = search::Search { meeting, viewer, query, page };
        Arc::clone(&self.searchers).search_blocking(&search).await
    }
}

#[async_trait]
impl ReadMarks for SqliteStore {
    async fn mark_read(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        with: Option<&ParticipantId>,
        seq: Seq,
    ) -> Result<bool, StoreError> {
        let (meeting, reader, with) = (meeting.clone(), reader.clone(), with.cloned());
        self.run(move |conn| read_marks::mark_read(conn, &meeting, &reader, with.as_ref(), seq)).await
    }

    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError> {
        let (meeting, reader) = (meeting.clone(), reader.clone());
        self.run(move |conn| read_marks::read_states(conn, &meeting, &reader, joined_at)).await
    }

    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
        let (meeting, reader) = (meeting.clone(), reader.clone());
        self.run(move |conn| read_marks::seen_by_others(conn, &meeting, &reader)).await
    }
}

#[async_trait]
impl Settings for SqliteStore {
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| load_settings(conn, &meeting)).await
    }

    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, by) = (meeting.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let payload = serde_json::to_string(&settings).map_err(corrupt)?;
            let seq = record_event(&tx, &meeting, EventKind::Settings, None, &by, at, Some(&payload))?;
            store_settings(&tx, &meeting, &settings)?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Settings, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new())
        })
        .await
    }
}
