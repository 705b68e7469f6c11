//! Upload housekeeping in PostgreSQL.

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};

use super::rows::corrupt;
use super::PostgresStore;
use crate::store::columns::UNREFERENCED;
use crate::store::uploads::UploadRecords;
use crate::store::StoreError;

#[async_trait]
impl UploadRecords for PostgresStore {
    async fn unattached_files(&self, uploaded_before: i64, limit: u32) -> Result<Vec<FileId>, StoreError> {
        let sql = format!("SELECT f.id FROM files f WHERE f.created_at < $1 AND {UNREFERENCED} LIMIT $2");
        let rows = self.client().await?.query(&sql, &[&uploaded_before, &i64::from(limit)]).await?;
        rows.iter().map(|row| Ok(FileId(row.try_get(0)?))).collect()
    }

    async fn remove_unattached_file(&self, id: &FileId) -> Result<bool, StoreError> {
        let sql = format!("DELETE FROM files AS f WHERE f.id = $1 AND {UNREFERENCED}");
        Ok(self.client().await?.execute(&sql, &[&id.0]).await? > 0)
    }

    async fn meeting_file_bytes(&self, meeting: &MeetingId) -> Result<u64, StoreError> {
        let bytes: i64 = self
            .client()
            .await?
            .query_one("SELECT COALESCE(SUM(size), 0)::BIGINT FROM files WHERE meeting_id = $1", &[&meeting.0])
            .await?
            .try_get(0)?;
        u64::try_from(bytes).map_err(corrupt)
    }
}
