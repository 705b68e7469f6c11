//! The SQLite schema as numbered migrations. The database's `user_version`
//! says how many have run; opening runs the rest, each in its own
//! transaction, so a database made by an older server is brought forward.

use rusqlite::Connection;

use crate::store::StoreError;

/// Every migration, oldest first; never edit one that shipped, add another.
const MIGRATIONS: &[&str] = &[
    // 1: meetings, messages, recipients, hiding, events, files.
    r#"
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
"#,
    // 2: SignalWire's `details` beside `metadata`.
    "ALTER TABLE messages ADD COLUMN details TEXT NOT NULL DEFAULT '{}';",
    // 3: SAMA's attachments, several files on one text message, in order.
    r#"
CREATE TABLE message_attachments (
    message_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    file_id TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
CREATE INDEX attachments_by_file ON message_attachments (file_id);
"#,
    // 4: messages sent by apps (bots, services' puppets) are marked.
    "ALTER TABLE messages ADD COLUMN sender_bot INTEGER NOT NULL DEFAULT 0;",
    // 5: the webhook outbox. Every message event enters it in the transaction
    // that records the event (the trigger); notices are added directly. Each
    // endpoint's cursor says what it was given; dead deliveries are kept.
    r#"
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id TEXT NOT NULL,
    seq INTEGER,
    kind TEXT NOT NULL,
    body TEXT,
    created_at INTEGER NOT NULL
);
CREATE TRIGGER events_to_webhook_outbox AFTER INSERT ON events
WHEN NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned')
BEGIN
    INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at) VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
END;
CREATE TABLE webhook_cursors (
    endpoint TEXT PRIMARY KEY,
    delivered INTEGER NOT NULL
);
CREATE TABLE webhook_dead (
    endpoint TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (endpoint, item_id)
);
"#,
    // 6: the connection each message was sent on, for the chat dump.
    "ALTER TABLE messages ADD COLUMN session_id TEXT NOT NULL DEFAULT '';",
    // 7: who has joined each meeting, for offline notifications.
    r#"
CREATE TABLE members (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);
"#,
    // 8: upload housekeeping: a meeting's files, and files by age.
    r#"
CREATE INDEX files_by_meeting ON files (meeting_id);
CREATE INDEX files_by_age ON files (created_at);
CREATE INDEX messages_by_file ON messages (file_id);
"#,
    // 9: webinar controls: hosts-only sending and slow mode.
    r#"
ALTER TABLE meetings ADD COLUMN hosts_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN slow_mode_secs INTEGER NOT NULL DEFAULT 0;
"#,
    // 10: an endpoint's deliveries are leased to one node (as PostgreSQL's are).
    r#"
ALTER TABLE webhook_cursors ADD COLUMN owner TEXT;
ALTER TABLE webhook_cursors ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
"#,
    // 11: reactions, one row per participant and emoji.
    r#"
CREATE TABLE reactions (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, participant_id)
);
"#,
    // 12: who a message mentions.
    "ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';",
    // 13: search. The index is keyed by `search_docs.doc`, an INTEGER PRIMARY
    // KEY, because a VACUUM may renumber `messages`' implicit rowids; it holds
    // no copy of the text (contentless), and triggers keep it in step.
    r#"
CREATE TABLE search_docs (
    doc INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE message_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_on_insert AFTER INSERT ON messages WHEN NEW.text IS NOT NULL AND NEW.text != '' BEGIN
    INSERT INTO search_docs (message_id) VALUES (NEW.id);
    INSERT INTO message_search (rowid, text) VALUES (last_insert_rowid(), NEW.text);
END;
CREATE TRIGGER search_on_update AFTER UPDATE OF text ON messages BEGIN
    DELETE FROM message_search WHERE rowid IN (SELECT doc FROM search_docs WHERE message_id = OLD.id);
    DELETE FROM search_docs WHERE message_id = OLD.id;
    INSERT INTO search_docs (message_id) SELECT NEW.id WHERE NEW.text IS NOT NULL AND NEW.text != '';
    INSERT INTO message_search (rowid, text)
        SELECT last_insert_rowid(), NEW.text WHERE NEW.text IS NOT NULL AND NEW.text != '';
END;
CREATE TRIGGER search_on_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE rowid IN (SELECT doc FROM search_docs WHERE message_id = OLD.id);
    DELETE FROM search_docs WHERE message_id = OLD.id;
END;
INSERT INTO search_docs (message_id) SELECT id FROM messages WHERE text IS NOT NULL AND text != '' ORDER BY rowid;
INSERT INTO message_search (rowid, text) SELECT d.doc, m.text FROM search_docs d JOIN messages m ON m.id = d.message_id;
"#,
    // 14: read positions: where each reader joined, and how far they read each conversation ('' the
    // meeting's); whether a meeting shows read receipts.
    r#"
ALTER TABLE meetings ADD COLUMN read_receipts INTEGER NOT NULL DEFAULT 0;
CREATE TABLE readers (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    joined_seq INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE TABLE read_marks (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    peer TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, participant_id, peer)
);
"#,
    // 15: the search index keeps two- and three-letter prefixes too, so a
    // query's short prefixes read one list each instead of every word they start.
    r#"
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
INSERT INTO message_search (rowid, text) SELECT d.doc, m.text FROM search_docs d JOIN messages m ON m.id = d.message_id;
"#,
    // 16: who may send becomes a policy of three (the chat may be off), and whom participants may
    // message privately; both kept by their wire names.
    r#"
ALTER TABLE meetings ADD COLUMN who_can_send TEXT NOT NULL DEFAULT 'everyone';
UPDATE meetings SET who_can_send = 'hosts' WHERE hosts_only;
ALTER TABLE meetings DROP COLUMN hosts_only;
ALTER TABLE meetings ADD COLUMN private_chat TEXT NOT NULL DEFAULT 'everyone';
"#,
    // 17: who hosts muted, until when (NULL: until unmuted); mutes and unmutes reach the webhooks.
    r#"
CREATE TABLE mutes (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    until INTEGER,
    PRIMARY KEY (meeting_id, participant_id)
);
DROP TRIGGER events_to_webhook_outbox;
CREATE TRIGGER events_to_webhook_outbox AFTER INSERT ON events
WHEN NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned', 'muted', 'unmuted')
BEGIN
    INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at) VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
END;
"#,
    // 18: hosts remove participants from the chat (a mute until let back, connections refused);
    // participants report messages to the hosts (one open report per reporter and message);
    // removals, reports and dismissals reach the webhooks.
    r#"
ALTER TABLE mutes ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE reports (
    meeting_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reporter_id TEXT NOT NULL,
    reporter_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (message_id, reporter_id)
);
CREATE INDEX reports_by_meeting ON reports (meeting_id, time);
DROP TRIGGER events_to_webhook_outbox;
CREATE TRIGGER events_to_webhook_outbox AFTER INSERT ON events
WHEN NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned', 'muted', 'unmuted', 'removed', 'reported', 'dismissed')
BEGIN
    INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at) VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
END;
"#,
    // 19: polls: each poll, one ballot per voter (whatever the node), a count per option, and who chose
    // each option unless the poll is anonymous (its ballots name no option).
    r#"
CREATE TABLE polls (
    meeting_id TEXT NOT NULL,
    id TEXT NOT NULL,
    question TEXT NOT NULL,
    options TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    hide_votes INTEGER NOT NULL,
    multiple INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, id)
);
CREATE TABLE poll_ballots (
    meeting_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    voter_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, poll_id, voter_id)
);
CREATE TABLE poll_counts (
    meeting_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    option_index INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, poll_id, option_index)
);
CREATE TABLE poll_choices (
    meeting_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    option_index INTEGER NOT NULL,
    voter_id TEXT NOT NULL,
    voter_name TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, poll_id, option_index, voter_id)
);
CREATE INDEX poll_choices_by_voter ON poll_choices (meeting_id, poll_id, voter_id);
"#,
];

/// Runs the migrations `conn` has not had yet; returns the version it is at.
pub fn migrate(conn: &mut Connection) -> Result<usize, StoreError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let current = usize::try_from(current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if current > MIGRATIONS.len() {
        return Err(StoreError::Corrupt(format!(
            "the database is at schema version {current}, newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        )?;
        tx.commit()?;
    }
    Ok(MIGRATIONS.len())
}

#[cfg(test)]
mod tests {
    use chat_protocol::MeetingId;

    use super::*;

    #[test]
    fn a_new_database_gets_every_migration_once() {
        let mut conn = Connection::open_in_memory().expect("sqlite");
        assert_eq!(migrate(&mut conn).expect("migrates"), MIGRATIONS.len());
        assert_eq!(migrate(&mut conn).expect("again"), MIGRATIONS.len(), "nothing left to run");
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_database_of_an_older_server_is_brought_forward_keeping_its_rows() {
        let mut conn = Connection::open_in_memory().expect("sqlite");
        conn.execute_batch(MIGRATIONS[0]).expect("version 1");
        conn.pragma_update(None, "user_version", 1).expect("set");
        conn.execute(
            "INSERT INTO messages (id, meeting_id, seq, client_id, sender_id, sender_name, time, kind, text) \
             VALUES ('m1', 'standup', 1, 'c1', 'ann', 'Ann', 0, 'text', 'from before')",
            [],
        )
        .expect("an old row");
        migrate(&mut conn).expect("migrates");
        let (text, details): (String, String) = conn
            .query_row("SELECT text, details FROM messages WHERE id = 'm1'", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("the row");
        assert_eq!((text.as_str(), details.as_str()), ("from before", "{}"));
        let found: String = conn
            .query_row(
                "SELECT d.message_id FROM message_search s JOIN search_docs d ON d.doc = s.rowid \
                 WHERE message_search MATCH 'befo*'",
                [],
                |r| r.get(0),
            )
            .expect("the old row is searchable");
        assert_eq!(found, "m1");
    }

    #[test]
    fn a_webinar_of_an_older_server_keeps_its_hosts_only_policy() {
        let mut conn = Connection::open_in_memory().expect("sqlite");
        for (index, migration) in MIGRATIONS.iter().enumerate().take(15) {
            conn.execute_batch(migration).expect("an older version");
            conn.pragma_update(None, "user_version", index as i64 + 1).expect("set");
        }
        conn.execute("INSERT INTO meetings (id, hosts_only) VALUES ('webinar', 1), ('standup', 0)", [])
            .expect("old settings");
        migrate(&mut conn).expect("migrates");
        let load = |id: &str| super::super::rows::load_settings(&conn, &MeetingId::from(id)).expect("settings");
        assert_eq!(load("webinar").who_can_send, chat_protocol::SendPolicy::Hosts);
        assert_eq!(load("standup").who_can_send, chat_protocol::SendPolicy::Everyone);
        assert_eq!(load("standup").private_chat, chat_protocol::PrivateChatPolicy::Everyone);
    }

    #[test]
    fn a_database_from_a_newer_server_is_refused() {
        let mut conn = Connection::open_in_memory().expect("sqlite");
        conn.pragma_update(None, "user_version", 99).expect("set");
        assert!(matches!(migrate(&mut conn), Err(StoreError::Corrupt(_))));
    }
}
