//! The SQLite engine: one file in WAL mode, one connection used from a
//! blocking thread, writes in `BEGIN IMMEDIATE` transactions. Each store
//! area has its file, as in the other engines ([`messages`], [`reactions`],
//! [`search`], [`read_marks`], [`settings`], [`uploads`], [`outbox`],
//! [`roster`]); beside them the schema and its migrations ([`schema`]), the
//! small reads every write needs ([`rows`]), event recording ([`events`]),
//! storing a new message ([`inserts`]) and its attachments ([`attachments`]),
//! and the longer reads ([`reads`]).

mod attachments;
mod events;
mod inserts;
mod messages;
mod moderation;
mod outbox;
mod polls;
mod reactions;
mod read_marks;
mod reads;
mod reports;
mod roster;
mod rows;
mod schema;
mod search;
mod settings;
mod uploads;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chat_protocol::{ParticipantId, Seq};
use rusqlite::Connection;

use super::events::{EventKind, EventRecord};
use super::StoreError;

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
