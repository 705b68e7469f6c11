//! Read positions on PostgreSQL, as SQLite keeps them.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId, ReadState, Seen, Seq};
use tokio_postgres::GenericClient;

use super::rows::corrupt;
use super::PostgresStore;
use crate::store::columns::{mention_pattern, unread_by_conversation};
use crate::store::read_states::{self, assemble, seen_sql};
use crate::store::ReadMarks;
use crate::store::StoreError;

fn seq_of(value: i64) -> Result<Seq, StoreError> {
    Seq::try_from(value).map_err(corrupt)
}

/// Moves the position forward; whether it moved.
pub async fn mark_read(
    client: &impl GenericClient,
    meeting: &MeetingId,
    reader: &ParticipantId,
    with: Option<&ParticipantId>,
    seq: Seq,
) -> Result<bool, StoreError> {
    let seq = i64::try_from(seq).map_err(corrupt)?;
    let moved = client
        .execute(
            "INSERT INTO read_marks (meeting_id, participant_id, peer, seq) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (meeting_id, participant_id, peer) DO UPDATE SET seq = excluded.seq \
             WHERE excluded.seq > read_marks.seq",
            &[&meeting.0, &reader.0, &with.map_or("", |p| p.as_str()), &seq],
        )
        .await?;
    Ok(moved > 0)
}

/// How far the others have read the reader's conversations.
pub async fn seen_by_others(
    client: &impl GenericClient,
    meeting: &MeetingId,
    reader: &ParticipantId,
) -> Result<Vec<Seen>, StoreError> {
    let mut seen = Vec::new();
    for row in client.query(&seen_sql("$1", "$2"), &[&meeting.0, &reader.0]).await? {
        seen.push((row.try_get(0)?, row.try_get(1)?, seq_of(row.try_get(2)?)?));
    }
    Ok(read_states::seen(seen))
}

/// The reader's positions and unread counts.
pub async fn read_states(
    client: &impl GenericClient,
    meeting: &MeetingId,
    reader: &ParticipantId,
    joined_at: Seq,
) -> Result<Vec<ReadState>, StoreError> {
    let joined_at = i64::try_from(joined_at).map_err(corrupt)?;
    client
        .execute(
            "INSERT INTO readers (meeting_id, participant_id, joined_seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&meeting.0, &reader.0, &joined_at],
        )
        .await?;
    let joined: i64 = client
        .query_one(
            "SELECT joined_seq FROM readers WHERE meeting_id = $1 AND participant_id = $2",
            &[&meeting.0, &reader.0],
        )
        .await?
        .try_get(0)?;
    let mut marks = Vec::new();
    let rows = client
        .query(
            "SELECT peer, seq FROM read_marks WHERE meeting_id = $1 AND participant_id = $2",
            &[&meeting.0, &reader.0],
        )
        .await?;
    for row in rows {
        marks.push((row.try_get::<_, String>(0)?, seq_of(row.try_get(1)?)?));
    }
    let sql = unread_by_conversation("$1", "$2", "$3", "$4", "NULL::TEXT");
    let mut unread = Vec::new();
    for row in client.query(&sql, &[&meeting.0, &reader.0, &joined, &mention_pattern(reader)]).await? {
        let count: i64 = row.try_get(1)?;
        let mentions: i64 = row.try_get(2)?;
        unread.push((
            row.try_get(0)?,
            u32::try_from(count).map_err(corrupt)?,
            u32::try_from(mentions).map_err(corrupt)?,
        ));
    }
    Ok(assemble(seq_of(joined)?, marks, unread))
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
        mark_read(&**self.client().await?, meeting, reader, with, seq).await
    }

    async fn read_states(
        &self,
        meeting: &MeetingId,
        reader: &ParticipantId,
        joined_at: Seq,
    ) -> Result<Vec<ReadState>, StoreError> {
        read_states(&**self.client().await?, meeting, reader, joined_at).await
    }

    async fn seen_by_others(&self, meeting: &MeetingId, reader: &ParticipantId) -> Result<Vec<Seen>, StoreError> {
        seen_by_others(&**self.client().await?, meeting, reader).await
    }
}
