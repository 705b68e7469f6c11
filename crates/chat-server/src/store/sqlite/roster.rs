//! Meeting members in SQLite.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId};
use rusqlite::params;

use super::SqliteStore;
use crate::store::roster::Roster;
use crate::store::StoreError;

#[async_trait]
impl Roster for SqliteStore {
    async fn add_member(&self, meeting: &MeetingId, participant: &ParticipantId, at: i64) -> Result<(), StoreError> {
        let (meeting, participant) = (meeting.clone(), participant.clone());
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO members (meeting_id, participant_id, joined_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (meeting_id, participant_id) DO UPDATE SET joined_at = excluded.joined_at",
                params![meeting.0, participant.0, at],
            )?;
            Ok(())
        })
        .await
    }

    async fn members(&self, meeting: &MeetingId) -> Result<Vec<ParticipantId>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT participant_id FROM members WHERE meeting_id = ?1")?;
            let ids = stmt.query_map(params![meeting.0], |r| r.get::<_, String>(0))?;
            Ok(ids.map(|id| id.map(ParticipantId)).collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }
}
