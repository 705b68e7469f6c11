//! Read positions in SQLite: one row per reader and conversation that only
//! moves forward, where each reader joined, and unread counts from the
//! messages after them.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId, ReadState, Seen, Seq};
use rusqlite::{params, Connection};

use super::rows::corrupt;
use super::SqliteStore;
use crate::store::columns::{mention_pattern, unread_by_conversation};
use crate::store::read_states::{self, assemble, seen_sql};
use crate::store::ReadMarks;
use crate::store::StoreError;

/// Moves the position forward; whether it moved.
pub fn mark_read(
    conn: &Connection,
    meeting: &MeetingId,
    reader: &ParticipantId,
    with: Option<&ParticipantId>,
    seq: Seq,
) -> Result<bool, StoreError> {
    let moved = conn.execute(
        "INSERT INTO read_marks (meeting_id, participant_id, peer, seq) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (meeting_id, participant_id, peer) DO UPDATE SET seq = excluded.seq \
         WHERE excluded.seq > read_marks.seq",
        params![meeting.0, reader.0, with.map_or("", |p| p.as_str()), i64::try_from(seq).map_err(corrupt)?],
    )?;
    Ok(moved > 0)
}

/// How far the others have read the reader's conversations.
pub fn seen_by_others(conn: &Connection, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
    let mut stmt = conn.prepare_cached(&seen_sql("?1", "?2"))?;
    let rows = stmt.query_map(params![meeting.0, reader.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut seen = Vec::new();
    for row in rows {
        let (by, peer, seq) = row?;
        seen.push((by, peer, Seq::try_from(seq).map_err(corrupt)?));
    }
    Ok(read_states::seen(seen))
}

/// The reader's positions and unread counts.
pub fn read_states(
    conn: &mut Connection,
    meeting: &MeetingId,
    reader: &ParticipantId,
    joined_at: Seq,
) -> Result<Vec<ReadState>, StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR IGNORE INTO readers (meeting_id, participant_id, joined_seq) VALUES (?1, ?2, ?3)",
        params![meeting.0, reader.0, i64::try_from(joined_at).map_err(corrupt)?],
    )?;
    let joined: i64 = tx.query_row(
        "SELECT joined_seq FROM readers WHERE meeting_id = ?1 AND participant_id = ?2",
        params![meeting.0, reader.0],
        |r| r.get(0),
    )?;
    let marks = {
        let mut stmt =
            tx.prepare_cached("SELECT peer, seq FROM read_marks WHERE meeting_id = ?1 AND participant_id = ?2")?;
        let rows =
            stmt.query_map(params![meeting.0, reader.0], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        rows.map(|row| Ok(row.map(|(peer, seq)| (peer, seq.max(0).unsigned_abs()))?))
            .collect::<Result<Vec<_>, StoreError>>()?
    };
    let unread = {
        let mut stmt = tx.prepare_cached(&unread_by_conversation("?1", "?2", "?3", "?4", "NULL"))?;
        let rows = stmt.query_map(params![meeting.0, reader.0, joined, mention_pattern(reader)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })?;
        let mut unread = Vec::new();
        for row in rows {
            let (peer, count, mentions) = row?;
            unread.push((peer, u32::try_from(count).map_err(corrupt)?, u32::try_from(mentions).map_err(corrupt)?));
        }
        unread
    };
    tx.commit()?;
    Ok(assemble(joined.max(0).unsigned_abs(), marks, unread))
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
        self.run(move |conn| mark_read(conn, &meeting, &reader, with.as_ref(), seq)).await
    }

    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError> {
        let (meeting, reader) = (meeting.clone(), reader.clone());
        self.run(move |conn| read_states(conn, &meeting, &reader, joined_at)).await
    }

    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
        let (meeting, reader) = (meeting.clone(), reader.clone());
        self.run(move |conn| seen_by_others(conn, &meeting, &reader)).await
    }
}
