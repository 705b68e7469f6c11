//! Meeting members in PostgreSQL.

use async_trait::async_trait;
use chat_protocol::{MeetingId, ParticipantId};

use super::PostgresStore;
use crate::store::roster::Roster;
use crate::store::StoreError;

#[async_trait]
impl Roster for PostgresStore {
    async fn add_member(&self, meeting: &MeetingId, participant: &ParticipantId, at: i64) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO members (meeting_id, participant_id, joined_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (meeting_id, participant_id) DO UPDATE SET joined_at = excluded.joined_at",
                &[&meeting.0, &participant.0, &at],
            )
            .await?;
        Ok(())
    }

    async fn members(&self, meeting: &MeetingId) -> Result<Vec<ParticipantId>, StoreError> {
        let rows = self
            .client()
            .await?
            .query("SELECT participant_id FROM members WHERE meeting_id = $1", &[&meeting.0])
            .await?;
        rows.iter().map(|row| Ok(ParticipantId(row.try_get(0)?))).collect()
    }
}
