//! The PostgreSQL schema as numbered migrations, the same tables as
//! SQLite's. `schema_version` says how many have run; every node runs the
//! rest when it starts, under an advisory lock so two starting together do
//! not both migrate.

use tokio_postgres::Client;

use crate::store::StoreError;

/// The advisory lock that orders the webhook outbox (see [`MIGRATIONS`]).
pub const OUTBOX_LOCK: i64 = 0x6d63_6f75_7462_6f78;
/// The advisory lock migrations run under.
const MIGRATION_LOCK: i64 = 0x6d63_6d69_6772_6174;

/// Every migration, oldest first; never edit one that shipped, add another.
const MIGRATIONS: &[&str] = &[
    // 1: what SQLite's migrations 1 to 9 made, at once.
    r#"
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    head_seq BIGINT NOT NULL DEFAULT 0,
    anyone_can_pin BOOLEAN NOT NULL DEFAULT FALSE,
    hosts_only BOOLEAN NOT NULL DEFAULT FALSE,
    slow_mode_secs BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_bot BOOLEAN NOT NULL DEFAULT FALSE,
    time BIGINT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    file_id TEXT,
    reply_to TEXT,
    forwarded_from TEXT,
    targets TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    details TEXT NOT NULL DEFAULT '{}',
    edited_at BIGINT,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    session_id TEXT NOT NULL DEFAULT '',
    UNIQUE (meeting_id, sender_id, client_id)
);
CREATE INDEX messages_by_seq ON messages (meeting_id, seq);
CREATE INDEX messages_by_file ON messages (file_id);
CREATE TABLE message_targets (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (message_id, participant_id)
);
CREATE TABLE hidden (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (message_id, participant_id)
);
CREATE TABLE events (
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    time BIGINT NOT NULL,
    kind TEXT NOT NULL,
    message_id TEXT,
    actor_id TEXT NOT NULL,
    payload TEXT,
    PRIMARY KEY (meeting_id, seq)
);
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    uploader_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT,
    height BIGINT,
    blurhash TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_by_meeting ON files (meeting_id);
CREATE INDEX files_by_age ON files (created_at);
CREATE TABLE message_attachments (
    message_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    file_id TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);
CREATE INDEX attachments_by_file ON message_attachments (file_id);
CREATE TABLE members (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE TABLE webhook_outbox (
    id BIGSERIAL PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    seq BIGINT,
    kind TEXT NOT NULL,
    body TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE webhook_cursors (
    endpoint TEXT PRIMARY KEY,
    delivered BIGINT NOT NULL,
    owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE webhook_dead (
    endpoint TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (endpoint, item_id)
);
-- Outbox ids must become visible in id order, or a reader that has seen id
-- 11 would never see a slower transaction's 10. So the row is added when its
-- transaction commits (a deferred trigger) under one lock held to the end of
-- the commit: ids are taken and committed one transaction at a time, for the
-- shortest time the ordering needs.
CREATE FUNCTION events_to_webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned') THEN
        PERFORM pg_advisory_xact_lock(OUTBOX_LOCK_ID);
        INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at)
        VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER events_to_webhook_outbox AFTER INSERT ON events
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_to_webhook_outbox();
"#,
    // 2: reactions, one row per participant and emoji (SQLite's 11).
    r#"
CREATE TABLE reactions (
    message_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (message_id, emoji, participant_id)
);
"#,
    // 3: who a message mentions (SQLite's 12).
    "ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';",
    // 4: search (SQLite's 13): the text's words under a GIN index.
    r#"
ALTER TABLE messages ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(text, ''))) STORED;
CREATE INDEX messages_search ON messages USING GIN (search);
"#,
    // 5: read positions and read receipts (SQLite's 14).
    r#"
ALTER TABLE meetings ADD COLUMN read_receipts BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE readers (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    joined_seq BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE TABLE read_marks (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    peer TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id, peer)
);
"#,
    // 6: the send policy of three and the private chat policy, by their wire names (SQLite's 16).
    r#"
ALTER TABLE meetings ADD COLUMN who_can_send TEXT NOT NULL DEFAULT 'everyone';
UPDATE meetings SET who_can_send = 'hosts' WHERE hosts_only;
ALTER TABLE meetings DROP COLUMN hosts_only;
ALTER TABLE meetings ADD COLUMN private_chat TEXT NOT NULL DEFAULT 'everyone';
"#,
    // 7: mutes, and their events for the webhooks (SQLite's 17).
    r#"
CREATE TABLE mutes (
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    until BIGINT,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE OR REPLACE FUNCTION events_to_webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned', 'muted', 'unmuted') THEN
        PERFORM pg_advisory_xact_lock(OUTBOX_LOCK_ID);
        INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at)
        VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
    END IF;
    RETURN NULL;
END
$$;
"#,
    // 8: removals from the chat, reports of messages, and their events for the webhooks (SQLite's 18).
    r#"
ALTER TABLE mutes ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE reports (
    meeting_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reporter_id TEXT NOT NULL,
    reporter_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    time BIGINT NOT NULL,
    PRIMARY KEY (message_id, reporter_id)
);
CREATE INDEX reports_by_meeting ON reports (meeting_id, time);
CREATE OR REPLACE FUNCTION events_to_webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('created', 'edited', 'deleted', 'pinned', 'unpinned', 'muted', 'unmuted', 'removed', 'reported',
                    'dismissed') THEN
        PERFORM pg_advisory_xact_lock(OUTBOX_LOCK_ID);
        INSERT INTO webhook_outbox (meeting_id, seq, kind, created_at)
        VALUES (NEW.meeting_id, NEW.seq, NEW.kind, NEW.time);
    END IF;
    RETURN NULL;
END
$$;
"#,
    // 9: polls, their ballots, counts and (unless anonymous) choices (SQLite's 19).
    r#"
CREATE TABLE polls (
    meeting_id TEXT NOT NULL,
    id TEXT NOT NULL,
    question TEXT NOT NULL,
    options TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    hide_votes BOOLEAN NOT NULL,
    multiple BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
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
    time BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, poll_id, option_index, voter_id)
);
CREATE INDEX poll_choices_by_voter ON poll_choices (meeting_id, poll_id, voter_id);
"#,
];

/// Runs the migrations the database has not had yet; returns the version it is at.
pub async fn migrate(client: &mut Client) -> Result<usize, StoreError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").await?;
    let current: Option<i64> = tx.query_opt("SELECT version FROM schema_version", &[]).await?.map(|row| row.get(0));
    let current = usize::try_from(current.unwrap_or(0)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if current > MIGRATIONS.len() {
        return Err(StoreError::Corrupt(format!(
            "the database is at schema version {current}, newer than this server's {}",
            MIGRATIONS.len()
        )));
    }
    for migration in &MIGRATIONS[current..] {
        tx.batch_execute(&migration.replace("OUTBOX_LOCK_ID", &OUTBOX_LOCK.to_string())).await?;
    }
    let version = i64::try_from(MIGRATIONS.len()).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute("DELETE FROM schema_version", &[]).await?;
    tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&version]).await?;
    tx.commit().await?;
    Ok(MIGRATIONS.len())
}
