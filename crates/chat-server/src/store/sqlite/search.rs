//! Search on SQLite: an FTS5 index of message text (migrations 13 and 15)
//! that triggers keep in step with sends, edits and deletions, read with the
//! same visibility filter as history, on read connections of its own (WAL
//! lets them read while the one connection writes), each search stopped by
//! SQLite once past [`SEARCH_BUDGET`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chat_protocol::rules::search_words;
use chat_protocol::{MeetingId, ParticipantId};
use rusqlite::{params, Connection};

use super::reads::newest_first;
use super::rows::{corrupt, MESSAGE_COLUMNS, MESSAGE_FROM};
use super::SqliteStore;
use crate::store::columns::visible;
use crate::store::MessageSearch;

#[cfg(doc)]
use crate::store::SEARCH_BUDGET;
use crate::store::{MessagePage, PageQuery, StoreError};
use async_trait::async_trait;

/// Read connections for searches, opened as needed (as many as search at
/// once: the hub bounds that) and kept for the next.
pub struct Searchers {
    path: PathBuf,
    budget: Duration,
    idle: Mutex<Vec<Connection>>,
}

/// SQLite's virtual machine steps between checks of the search's budget.
const STEPS_BETWEEN_CHECKS: i32 = 1_000;

impl Searchers {
    /// Searchers of the database at `path`, each search stopped past `budget`
    /// ([`SEARCH_BUDGET`] but in tests).
    pub fn new(path: PathBuf, budget: Duration) -> Self {
        Self { path, budget, idle: Mutex::new(Vec::new()) }
    }

    /// [`Searchers::search`] on a blocking thread, as the store's async side asks.
    pub async fn search_blocking(self: Arc<Self>, page: &Search<'_>) -> Result<MessagePage, StoreError> {
        let (meeting, viewer, query) = (page.meeting.clone(), page.viewer.clone(), page.query.to_owned());
        let page = page.page.clone();
        tokio::task::spawn_blocking(move || {
            self.search(&Search { meeting: &meeting, viewer: &viewer, query: &query, page: &page })
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// [`search`] on a read connection, stopped past the budget.
    pub fn search(&self, page: &Search<'_>) -> Result<MessagePage, StoreError> {
        let taken = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
        let mut conn = match taken {
            Some(conn) => conn,
            None => self.open()?,
        };
        let deadline = Instant::now() + self.budget;
        conn.progress_handler(STEPS_BETWEEN_CHECKS, Some(move || Instant::now() > deadline))?;
        let result = search(&conn, page).map_err(|error| match error {
            StoreError::Engine(source)
                if source.downcast_ref::<rusqlite::Error>().and_then(rusqlite::Error::sqlite_error_code)
                    == Some(rusqlite::ErrorCode::OperationInterrupted) =>
            {
                StoreError::SearchTooCostly
            }
            other => other,
        });
        conn.progress_handler(0, None::<fn() -> bool>)?;
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(conn);
        result
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(&self.path)?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(conn)
    }
}

/// What a search asks for.
#[derive(Clone, Copy)]
pub struct Search<'a> {
    /// In which meeting.
    pub meeting: &'a MeetingId,
    /// Who searches: only what they may see is found.
    pub viewer: &'a ParticipantId,
    /// The words.
    pub query: &'a str,
    /// Which page of hits.
    pub page: &'a PageQuery,
}

/// The FTS5 query for a search: each word quoted, a prefix when long enough
/// (the index keeps two- and three-letter prefixes, migration 15), all of
/// them required. `None` when the query has no word.
fn match_expression(query: &str) -> Option<String> {
    let words: Vec<String> = search_words(query)
        .map(|word| format!("\"{}\"{}", word.text.replace('"', "\"\""), if word.prefix { "*" } else { "" }))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Past this many hits in the index, walking the meeting's messages newest
/// first and stopping at a page of hits beats reading every hit and sorting.
const WALK_ABOVE_HITS: i64 = 500;

/// The query's hits, as message ids.
const HIT_IDS: &str = "SELECT d.message_id FROM message_search s CROSS JOIN search_docs d ON d.doc = s.rowid \
     WHERE message_search MATCH ?6";

/// Hits for `viewer` below `before`, newest first. Few hits: the index
/// drives (`CROSS JOIN` keeps SQLite from asking it about each of the
/// meeting's messages) and they are sorted. Many: the meeting's messages are
/// walked newest first against the set of hits, which stops at a page.
pub fn search(conn: &Connection, page: &Search<'_>) -> Result<MessagePage, StoreError> {
    let Search { meeting, viewer, query, page } = *page;
    let PageQuery { before, limit, ref with } = *page;
    let with = with.as_ref();
    let Some(expression) = match_expression(query) else {
        return Ok(MessagePage { messages: Vec::new(), has_more: false });
    };
    let hits: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM message_search WHERE message_search MATCH ?1 LIMIT ?2)",
        params![expression, WALK_ABOVE_HITS + 1],
        |r| r.get(0),
    )?;
    let source = if hits > WALK_ABOVE_HITS {
        format!(
            "{MESSAGE_FROM} WHERE (SELECT doc FROM search_docs WHERE message_id = m.id) IN \
             (SELECT rowid FROM message_search WHERE message_search MATCH ?6)"
        )
    } else {
        format!("({HIT_IDS}) hit CROSS JOIN messages m ON m.id = hit.message_id LEFT JOIN files f ON f.id = m.file_id WHERE 1")
    };
    let before = before.map_or(Ok(i64::MAX), i64::try_from).map_err(corrupt)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM {source} AND m.meeting_id = ?1 AND m.seq < ?2 AND m.deleted = 0 AND {} \
         ORDER BY m.seq DESC LIMIT ?4",
        visible("?3", "?5")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows =
        stmt.query(params![meeting.0, before, viewer.0, i64::from(limit) + 1, with.map(|p| p.0.as_str()), expression])?;
    newest_first(conn, rows, viewer, limit)
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
        let search = Search { meeting, viewer, query, page };
        Arc::clone(&self.searchers).search_blocking(&search).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema::migrate;

    /// A meeting of `count` messages "deploy n", every third private to bob.
    fn meeting_of(count: i64) -> Connection {
        let mut conn = Connection::open_in_memory().expect("sqlite");
        migrate(&mut conn).expect("schema");
        for seq in 1..=count {
            let targets = if seq % 3 == 0 { r#"["bob"]"# } else { "[]" };
            conn.execute(
                "INSERT INTO messages (id, meeting_id, seq, client_id, sender_id, sender_name, time, kind, text, targets) \
                 VALUES ('m' || ?1, 'standup', ?1, 'c' || ?1, 'cat', 'Cat', 0, 'text', 'deploy ' || ?1, ?2)",
                params![seq, targets],
            )
            .expect("message");
            if seq % 3 == 0 {
                conn.execute("INSERT INTO message_targets VALUES ('m' || ?1, 'bob')", params![seq]).expect("target");
            }
        }
        conn
    }

    fn seqs(page: &MessagePage) -> Vec<u64> {
        page.messages.iter().map(|m| m.seq).collect()
    }

    #[test]
    fn many_hits_and_few_give_the_same_visible_pages() {
        for count in [30, WALK_ABOVE_HITS * 2] {
            let conn = meeting_of(count);
            let top = count as u64;
            let (meeting, ann, bob) =
                (MeetingId::from("standup"), ParticipantId::from("ann"), ParticipantId::from("bob"));
            let page = search(
                &conn,
                &Search {
                    meeting: &meeting,
                    viewer: &ann,
                    query: "DEPL",
                    page: &PageQuery { before: None, limit: 3, with: None },
                },
            )
            .expect("ann");
            let public: Vec<u64> = (1..=top).rev().filter(|seq| seq % 3 != 0).take(3).collect();
            assert_eq!((seqs(&page), page.has_more), (public, true), "{count} messages");
            let page = search(
                &conn,
                &Search {
                    meeting: &meeting,
                    viewer: &bob,
                    query: "deploy",
                    page: &PageQuery { before: Some(top - 1), limit: 2, with: None },
                },
            )
            .expect("bob");
            assert_eq!(seqs(&page), [top - 2, top - 3], "{count} messages");
            let cat = ParticipantId::from("cat");
            let page = search(
                &conn,
                &Search {
                    meeting: &meeting,
                    viewer: &bob,
                    query: "deploy",
                    page: &PageQuery { before: None, limit: 2, with: Some(cat.clone()) },
                },
            )
            .expect("with");
            assert!(seqs(&page).iter().all(|seq| seq % 3 == 0), "{count} messages");
            let page = search(
                &conn,
                &Search {
                    meeting: &meeting,
                    viewer: &ann,
                    query: "deploy 17",
                    page: &PageQuery { before: None, limit: 10, with: None },
                },
            )
            .expect("two words");
            let expected: Vec<u64> =
                (1..=top).rev().filter(|seq| seq % 3 != 0 && seq.to_string().starts_with("17")).take(10).collect();
            assert_eq!(seqs(&page), expected, "{count} messages");
            let page = search(
                &conn,
                &Search {
                    meeting: &meeting,
                    viewer: &ann,
                    query: "7 deploy",
                    page: &PageQuery { before: None, limit: 10, with: None },
                },
            )
            .expect("one digit");
            assert_eq!(seqs(&page), [7], "one letter or digit is a whole word, {count} messages");
        }
    }

    #[test]
    fn a_search_past_its_budget_is_stopped_by_sqlite_and_the_connection_serves_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("chat.db");
        let conn = meeting_of(WALK_ABOVE_HITS * 2);
        conn.execute("VACUUM INTO ?1", params![path.to_str().expect("a text path")]).expect("a copy on disk");
        let (meeting, ann) = (MeetingId::from("standup"), ParticipantId::from("ann"));
        let page = Search {
            meeting: &meeting,
            viewer: &ann,
            query: "deploy",
            page: &PageQuery { before: None, limit: 500, with: None },
        };
        let hurried = Searchers::new(path.clone(), Duration::ZERO);
        assert!(matches!(hurried.search(&page), Err(StoreError::SearchTooCostly)));
        let patient = Searchers::new(path, Duration::from_secs(60));
        assert_eq!(patient.search(&page).expect("within the budget").messages.len(), 500);
        assert_eq!(patient.search(&page).expect("again, on the kept connection").messages.len(), 500);
    }

    #[test]
    fn each_word_is_quoted_and_one_letter_is_no_prefix() {
        assert_eq!(match_expression("deploy Friday").as_deref(), Some("\"deploy\"* \"Friday\"*"));
        assert_eq!(match_expression("say \"hi\" OR x").as_deref(), Some("\"say\"* \"hi\"* \"OR\"* \"x\""));
        assert_eq!(match_expression(" -- ?"), None);
    }
}
