//! The SQLite engine: one file in WAL mode, one connection used from a
//! blocking thread, writes in `BEGIN IMMEDIATE` transactions.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chat_protocol::{
    ClientId, Content, Event, EventEnvelope, FileId, MeetingId, MeetingSettings, Message, MessageId, MessageKind,
    ParticipantId, Sender, Seq,
};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::{Map, Value};

use super::{
    Audience, Deleted, HistoryPage, Inserted, NewMessage, Store, StoreError, StoredContent, StoredEvent, StoredFile,
};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY,
    head_seq INTEGER NOT NULL DEFAULT 0,
    anyone_can_pin INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    file_id TEXT,
    reply_to TEXT,
    forwarded_from TEXT,
    targets TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    edited_at INTEGER,
    pinned INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (meeting_id, sender_id, client_id)
);
CREATE INDEX IF NOT EXISTS messages_by_seq ON messages (meeting_id, seq);
CREATE TABLE IF NOT EXISTS message_targets (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (message_id, participant_id)
);
CREATE TABLE IF NOT EXISTS hidden (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (message_id, participant_id)
);
CREATE TABLE IF NOT EXISTS events (
    meeting_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    message_id TEXT,
    actor_id TEXT NOT NULL,
    payload TEXT,
    PRIMARY KEY (meeting_id, seq)
);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    uploader_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    blurhash TEXT,
    created_at INTEGER NOT NULL
);
"#;

const MESSAGE_COLUMNS: &str = "m.id, m.client_id, m.seq, m.sender_id, m.sender_name, m.time, m.kind, m.text, \
    m.reply_to, m.forwarded_from, m.targets, m.metadata, m.edited_at, m.pinned, m.deleted, \
    f.id, f.name, f.size, f.content_type, f.width, f.height, f.blurhash";

const MESSAGE_FROM: &str = "messages m LEFT JOIN files f ON f.id = m.file_id";

/// Event kinds as stored.
mod kind {
    pub const CREATED: &str = "created";
    pub const EDITED: &str = "edited";
    pub const DELETED: &str = "deleted";
    pub const HIDDEN: &str = "hidden";
    pub const PINNED: &str = "pinned";
    pub const UNPINNED: &str = "unpinned";
    pub const SETTINGS: &str = "settings";
}

/// A [`Store`] on one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
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

fn kind_name(kind: MessageKind) -> &'static str {
    kind.as_str()
}

fn parse_kind(name: &str) -> Result<MessageKind, StoreError> {
    match name {
        "text" => Ok(MessageKind::Text),
        "image" => Ok(MessageKind::Image),
        "file" => Ok(MessageKind::File),
        "audio" => Ok(MessageKind::Audio),
        other => Err(StoreError::Corrupt(format!("unknown message kind {other:?}"))),
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn read_message(row: &Row<'_>) -> Result<Message, StoreError> {
    let kind = parse_kind(&row.get::<_, String>(6)?)?;
    let deleted: bool = row.get(14)?;
    let content = if deleted {
        Content::Deleted
    } else if kind == MessageKind::Text {
        Content::Text { text: row.get::<_, Option<String>>(7)?.unwrap_or_default() }
    } else {
        let file_id: Option<String> = row.get(15)?;
        let file_id = file_id.ok_or_else(|| StoreError::Corrupt("file message without its file".into()))?;
        let file = StoredFile {
            id: FileId(file_id),
            meeting: MeetingId(String::new()),
            uploader: ParticipantId(String::new()),
            name: row.get(16)?,
            size: row.get::<_, i64>(17)?.try_into().map_err(corrupt)?,
            content_type: row.get(18)?,
            width: row.get(19)?,
            height: row.get(20)?,
            blurhash: row.get(21)?,
            created_at: 0,
        }
        .to_ref();
        match kind {
            MessageKind::Image => Content::Image { file },
            MessageKind::Audio => Content::Audio { file },
            _ => Content::File { file },
        }
    };
    let targets: Vec<ParticipantId> = serde_json::from_str(&row.get::<_, String>(10)?).map_err(corrupt)?;
    let metadata: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(11)?).map_err(corrupt)?;
    let edited_at: Option<i64> = row.get(12)?;
    Ok(Message {
        id: MessageId(row.get(0)?),
        client_id: ClientId(row.get(1)?),
        seq: row.get::<_, i64>(2)?.try_into().map_err(corrupt)?,
        sender: Sender { id: ParticipantId(row.get(3)?), display_name: row.get(4)? },
        time: row.get(5)?,
        content,
        reply_to: row.get::<_, Option<String>>(8)?.map(MessageId),
        forwarded_from: row.get::<_, Option<String>>(9)?.map(MessageId),
        targets,
        metadata,
        edited: edited_at.is_some(),
        edited_at,
        pinned: row.get(13)?,
    })
}

fn load_message(conn: &Connection, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} WHERE m.meeting_id = ?1 AND m.id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![meeting.0, id.0])?;
    match rows.next()? {
        Some(row) => Ok(Some(read_message(row)?)),
        None => Ok(None),
    }
}

fn require_live_message(conn: &Connection, meeting: &MeetingId, id: &MessageId) -> Result<Message, StoreError> {
    let message = load_message(conn, meeting, id)?.ok_or(StoreError::MessageNotFound)?;
    if message.content == Content::Deleted {
        return Err(StoreError::MessageDeleted);
    }
    Ok(message)
}

fn load_settings(conn: &Connection, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
    let anyone_can_pin = conn
        .query_row("SELECT anyone_can_pin FROM meetings WHERE id = ?1", params![meeting.0], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    Ok(MeetingSettings { anyone_can_pin })
}

/// Takes the meeting's next `seq` and records an event with it; call inside a transaction.
fn record_event(
    conn: &Connection,
    meeting: &MeetingId,
    kind: &str,
    message_id: Option<&MessageId>,
    actor: &ParticipantId,
    at: i64,
    payload: Option<&str>,
) -> Result<Seq, StoreError> {
    conn.execute("INSERT OR IGNORE INTO meetings (id) VALUES (?1)", params![meeting.0])?;
    let seq: i64 = conn.query_row(
        "UPDATE meetings SET head_seq = head_seq + 1 WHERE id = ?1 RETURNING head_seq",
        params![meeting.0],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO events (meeting_id, seq, time, kind, message_id, actor_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![meeting.0, seq, at, kind, message_id.map(|m| m.0.as_str()), actor.0, payload],
    )?;
    seq.try_into().map_err(corrupt)
}

/// Builds a deliverable event from its stored row and the message's current state.
fn build_event(
    seq: Seq,
    time: i64,
    kind: &str,
    actor: ParticipantId,
    payload: Option<String>,
    message: Option<Message>,
    hidden_by: Vec<ParticipantId>,
) -> Result<StoredEvent, StoreError> {
    let need_message = || message.clone().ok_or_else(|| StoreError::Corrupt(format!("event {seq} lost its message")));
    let (event, audience) = match kind {
        kind::CREATED => {
            let message = need_message()?;
            let audience = Audience::of_message(&message, hidden_by.clone());
            (Event::MessageCreated { message }, audience)
        }
        kind::EDITED => {
            let message = need_message()?;
            let audience = Audience::of_message(&message, hidden_by.clone());
            (Event::MessageEdited { message }, audience)
        }
        kind::DELETED | kind::PINNED | kind::UNPINNED => {
            let message = need_message()?;
            let audience = Audience::of_message(&message, hidden_by.clone());
            let id = message.id;
            let event = match kind {
                kind::DELETED => Event::MessageDeleted { id, by: actor },
                kind::PINNED => Event::MessagePinned { id, by: actor },
                _ => Event::MessageUnpinned { id, by: actor },
            };
            (event, audience)
        }
        kind::HIDDEN => (Event::MessageHidden { id: need_message()?.id }, Audience::only(vec![actor])),
        kind::SETTINGS => {
            let settings = serde_json::from_str(payload.as_deref().unwrap_or("{}")).map_err(corrupt)?;
            (Event::SettingsChanged { settings }, Audience::everyone())
        }
        other => return Err(StoreError::Corrupt(format!("unknown event kind {other:?}"))),
    };
    Ok(StoredEvent { envelope: EventEnvelope { seq, time, event }, audience })
}

fn message_event(
    conn: &Connection,
    meeting: &MeetingId,
    id: &MessageId,
    seq: Seq,
    kind: &str,
    actor: &ParticipantId,
    at: i64,
) -> Result<StoredEvent, StoreError> {
    let message = load_message(conn, meeting, id)?;
    build_event(seq, at, kind, actor.clone(), None, message, hidden_by(conn, id)?)
}

fn hidden_by(conn: &Connection, id: &MessageId) -> Result<Vec<ParticipantId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT participant_id FROM hidden WHERE message_id = ?1")?;
    let ids = stmt.query_map(params![id.0], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(ids.into_iter().map(ParticipantId).collect())
}

fn read_file(row: &Row<'_>) -> Result<StoredFile, StoreError> {
    Ok(StoredFile {
        id: FileId(row.get(0)?),
        meeting: MeetingId(row.get(1)?),
        uploader: ParticipantId(row.get(2)?),
        name: row.get(3)?,
        size: row.get::<_, i64>(4)?.try_into().map_err(corrupt)?,
        content_type: row.get(5)?,
        width: row.get(6)?,
        height: row.get(7)?,
        blurhash: row.get(8)?,
        created_at: row.get(9)?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn head_seq(&self, meeting: &MeetingId) -> Result<Seq, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let head: Option<i64> = conn
                .query_row("SELECT head_seq FROM meetings WHERE id = ?1", params![meeting.0], |r| r.get(0))
                .optional()?;
            head.unwrap_or(0).try_into().map_err(corrupt)
        })
        .await
    }

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
            let seq = record_event(&tx, &meeting, kind::SETTINGS, None, &by, at, Some(&payload))?;
            tx.execute(
                "UPDATE meetings SET anyone_can_pin = ?2 WHERE id = ?1",
                params![meeting.0, settings.anyone_can_pin],
            )?;
            tx.commit()?;
            build_event(seq, at, kind::SETTINGS, by, Some(payload), None, Vec::new())
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
                    |r| r.get(0),
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
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM messages WHERE meeting_id = ?1 AND sender_id = ?2 AND client_id = ?3",
                    params![new.meeting.0, new.sender.id.0, new.client_id.0],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                let message = load_message(&tx, &new.meeting, &MessageId(id))?
                    .ok_or_else(|| StoreError::Corrupt("deduplicated message vanished".into()))?;
                return Ok(Inserted { message, event: None });
            }
            let seq = record_event(&tx, &new.meeting, kind::CREATED, Some(&new.id), &new.sender.id, new.time, None)?;
            let (kind, text, file_id) = match &new.content {
                StoredContent::Text(text) => (MessageKind::Text, Some(text.as_str()), None),
                StoredContent::File(kind, file) => (*kind, None, Some(file.0.as_str())),
            };
            let targets = serde_json::to_string(&new.targets).map_err(corrupt)?;
            let metadata = serde_json::to_string(&new.metadata).map_err(corrupt)?;
            tx.execute(
                "INSERT INTO messages (id, meeting_id, seq, client_id, sender_id, sender_name, time, kind, text, file_id, \
                 reply_to, forwarded_from, targets, metadata) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    new.id.0,
                    new.meeting.0,
                    i64::try_from(seq).map_err(corrupt)?,
                    new.client_id.0,
                    new.sender.id.0,
                    new.sender.display_name,
                    new.time,
                    kind_name(kind),
                    text,
                    file_id,
                    new.reply_to.as_ref().map(|m| m.0.as_str()),
                    new.forwarded_from.as_ref().map(|m| m.0.as_str()),
                    targets,
                    metadata,
                ],
            )?;
            for target in &new.targets {
                tx.execute(
                    "INSERT OR IGNORE INTO message_targets (message_id, participant_id) VALUES (?1, ?2)",
                    params![new.id.0, target.0],
                )?;
            }
            let event = message_event(&tx, &new.meeting, &new.id, seq, kind::CREATED, &new.sender.id, new.time)?;
            tx.commit()?;
            let message = match &event.envelope.event {
                Event::MessageCreated { message } => message.clone(),
                _ => return Err(StoreError::Corrupt("creation event without its message".into())),
            };
            Ok(Inserted { message, event: Some(event) })
        })
        .await
    }

    async fn edit_message(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        content: StoredContent,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, id, by) = (meeting.clone(), id.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            require_live_message(&tx, &meeting, &id)?;
            let seq = record_event(&tx, &meeting, kind::EDITED, Some(&id), &by, at, None)?;
            let (text, file_id) = match &content {
                StoredContent::Text(text) => (Some(text.as_str()), None),
                StoredContent::File(_, file) => (None, Some(file.0.as_str())),
            };
            tx.execute(
                "UPDATE messages SET text = ?3, file_id = ?4, edited_at = ?5 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0, text, file_id, at],
            )?;
            let event = message_event(&tx, &meeting, &id, seq, kind::EDITED, &by, at)?;
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
                tx.query_row("SELECT file_id FROM messages WHERE id = ?1", params![id.0], |r| r.get(0))?;
            let seq = record_event(&tx, &meeting, kind::DELETED, Some(&id), &by, at, None)?;
            tx.execute(
                "UPDATE messages SET text = NULL, file_id = NULL, metadata = '{}', pinned = 0, deleted = 1 \
                 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0],
            )?;
            let mut orphaned_file = None;
            if let Some(file_id) = file_id {
                let still_used: bool = tx
                    .query_row("SELECT 1 FROM messages WHERE file_id = ?1 LIMIT 1", params![file_id], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !still_used {
                    tx.execute("DELETE FROM files WHERE id = ?1", params![file_id])?;
                    orphaned_file = Some(FileId(file_id));
                }
            }
            let event = message_event(&tx, &meeting, &id, seq, kind::DELETED, &by, at)?;
            tx.commit()?;
            Ok(Deleted { event, orphaned_file })
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
            let seq = record_event(&tx, &meeting, kind::HIDDEN, Some(&id), &participant, at, None)?;
            let event = message_event(&tx, &meeting, &id, seq, kind::HIDDEN, &participant, at)?;
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
            let kind = if pinned { kind::PINNED } else { kind::UNPINNED };
            let seq = record_event(&tx, &meeting, kind, Some(&id), &by, at, None)?;
            tx.execute(
                "UPDATE messages SET pinned = ?3 WHERE meeting_id = ?1 AND id = ?2",
                params![meeting.0, id.0, pinned],
            )?;
            let event = message_event(&tx, &meeting, &id, seq, kind, &by, at)?;
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
        self.run(move |conn| {
            let after = i64::try_from(after).map_err(corrupt)?;
            let limit = i64::try_from(limit).map_err(corrupt)?;
            // Events about a message the viewer hid are skipped, except the hiding itself.
            let mut stmt = conn.prepare_cached(
                "SELECT e.seq, e.time, e.kind, e.message_id, e.actor_id, e.payload FROM events e \
                 WHERE e.meeting_id = ?1 AND e.seq > ?2 \
                 AND (e.kind = 'hidden' OR e.message_id IS NULL OR NOT EXISTS \
                      (SELECT 1 FROM hidden h WHERE h.message_id = e.message_id AND h.participant_id = ?3)) \
                 ORDER BY e.seq LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(params![meeting.0, after, viewer.0, limit], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut events = Vec::with_capacity(rows.len());
            for (seq, time, kind, message_id, actor, payload) in rows {
                let message = match message_id {
                    Some(id) => load_message(conn, &meeting, &MessageId(id))?,
                    None => None,
                };
                // Hidden messages were filtered out in SQL already.
                let seq = seq.try_into().map_err(corrupt)?;
                let stored = build_event(seq, time, &kind, ParticipantId(actor), payload, message, Vec::new())?;
                if stored.audience.includes(&viewer) {
                    events.push(stored.envelope);
                }
            }
            Ok(events)
        })
        .await
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        let (meeting, viewer) = (meeting.clone(), viewer.clone());
        self.run(move |conn| {
            let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
            let sql = format!(
                "SELECT {MESSAGE_COLUMNS} FROM {MESSAGE_FROM} \
                 WHERE m.meeting_id = ?1 AND m.seq < ?2 \
                 AND (m.targets = '[]' OR m.sender_id = ?3 OR EXISTS \
                      (SELECT 1 FROM message_targets t WHERE t.message_id = m.id AND t.participant_id = ?3)) \
                 AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.message_id = m.id AND h.participant_id = ?3) \
                 ORDER BY m.seq DESC LIMIT ?4"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![meeting.0, before, viewer.0, i64::from(limit) + 1])?;
            let mut messages = Vec::new();
            while let Some(row) = rows.next()? {
                messages.push(read_message(row)?);
            }
            let has_more = messages.len() > limit as usize;
            messages.truncate(limit as usize);
            messages.reverse();
            Ok(HistoryPage { messages, has_more })
        })
        .await
    }

    async fn insert_file(&self, file: StoredFile) -> Result<(), StoreError> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO files (id, meeting_id, uploader_id, name, size, content_type, width, height, blurhash, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    file.id.0,
                    file.meeting.0,
                    file.uploader.0,
                    file.name,
                    i64::try_from(file.size).map_err(corrupt)?,
                    file.content_type,
                    file.width,
                    file.height,
                    file.blurhash,
                    file.created_at,
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn file(&self, id: &FileId) -> Result<Option<StoredFile>, StoreError> {
        let id = id.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, meeting_id, uploader_id, name, size, content_type, width, height, blurhash, created_at \
                 FROM files WHERE id = ?1",
            )?;
            let mut rows = stmt.query(params![id.0])?;
            match rows.next()? {
                Some(row) => Ok(Some(read_file(row)?)),
                None => Ok(None),
            }
        })
        .await
    }
}
