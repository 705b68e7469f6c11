//! Uploaded files' records in PostgreSQL, and their housekeeping.

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};

use super::rows::{corrupt, read_file};
use super::PostgresStore;
use crate::store::columns::FILE_COLUMNS;
use crate::store::columns::UNREFERENCED;
use crate::store::uploads::UploadRecords;
use crate::store::{StoreError, StoredFile};

#[async_trait]
impl UploadRecords for PostgresStore {
    async fn insert_file(&self, file: StoredFile) -> Result<(), StoreError> {
        let client = self.client().await?;
        let size = i64::try_from(file.size).map_err(corrupt)?;
        client
            .execute(
                &format!("INSERT INTO files ({FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
                &[
                    &file.id.0,
                    &file.meeting.0,
                    &file.uploader.0,
                    &file.name,
                    &size,
                    &file.content_type,
                    &file.width.map(i64::from),
                    &file.height.map(i64::from),
                    &file.blurhash,
                    &file.created_at,
                ],
            )
            .await?;
        Ok(())
    }

    async fn file(&self, id: &FileId) -> Result<Option<StoredFile>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&format!("SELECT {FILE_COLUMNS} FROM files WHERE id = $1"), &[&id.0]).await?;
        row.map(|row| read_file(&row)).transpose()
    }

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
