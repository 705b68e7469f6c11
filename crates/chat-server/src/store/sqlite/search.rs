//! Search on SQLite: an FTS5 index of message text (migration 13) that
//! triggers keep in step with sends, edits and deletions, read with the
//! same visibility filter as history.

use chat_protocol::rules::search_words;
use chat_protocol::{MeetingId, ParticipantId, Seq};
use rusqlite::{params, Connection};

use super::reads::newest_first;
use super::rows::{corrupt, MESSAGE_COLUMNS, MESSAGE_FROM};
use crate::store::columns::visible;
use crate::store::{MessagePage, StoreError};

/// The FTS5 query for a search: each word as a quoted prefix (FTS5 splits
/// it as it split the text), all of them required. `None` when the query has no word.
fn match_expression(query: &str) -> Option<String> {
    let words: Vec<String> = search_words(query).map(|word| format!("\"{}\"*", word.replace('"', "\"\""))).collect();
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
pub fn search(
    conn: &Connection,
    meeting: &MeetingId,
    viewer: &ParticipantId,
    query: &str,
    before: Option<Seq>,
    limit: u32,
    with: Option<&ParticipantId>,
) -> Result<MessagePage, StoreError> {
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
            let page = search(&conn, &meeting, &ann, "DEPL", None, 3, None).expect("ann");
            let public: Vec<u64> = (1..=top).rev().filter(|seq| seq % 3 != 0).take(3).collect();
            assert_eq!((seqs(&page), page.has_more), (public, true), "{count} messages");
            let page = search(&conn, &meeting, &bob, "deploy", Some(top - 1), 2, None).expect("bob");
            assert_eq!(seqs(&page), [top - 2, top - 3], "{count} messages");
            let page =
                search(&conn, &meeting, &bob, "deploy", None, 2, Some(&ParticipantId::from("cat"))).expect("with");
            assert!(seqs(&page).iter().all(|seq| seq % 3 == 0), "{count} messages");
            let page = search(&conn, &meeting, &ann, "deploy 7", None, 10, None).expect("two words");
            let expected: Vec<u64> =
                (1..=top).rev().filter(|seq| seq % 3 != 0 && seq.to_string().starts_with('7')).take(10).collect();
            assert_eq!(seqs(&page), expected, "{count} messages");
        }
    }

    #[test]
    fn each_word_is_a_quoted_prefix_and_quotes_cannot_escape() {
        assert_eq!(match_expression("deploy Friday").as_deref(), Some("\"deploy\"* \"Friday\"*"));
        assert_eq!(match_expression("say \"hi\" OR x").as_deref(), Some("\"say\"* \"\"\"hi\"\"\"* \"OR\"* \"x\"*"));
        assert_eq!(match_expression(" -- ?"), None);
    }
}
