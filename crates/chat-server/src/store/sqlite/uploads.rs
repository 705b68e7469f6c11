//! Upload housekeeping in SQLite.

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};
use rusqlite::params;

use super::rows::corrupt;
use super::SqliteStore;
use crate::store::columns::UNREFERENCED;
use crate::store::uploads::UploadRecords;
use crate::store::StoreError;

#[async_trait]
impl UploadRecords for SqliteStore {
    async fn unattached_files(&self, uploaded_before: i64, limit: u32) -> Result<Vec<FileId>, StoreError> {
        self.run(move |conn| {
            let sql = format!("SELECT f.id FROM files f WHERE f.created_at < ?1 AND {UNREFERENCED} LIMIT ?2");
            let mut stmt = conn.prepare_cached(&sql)?;
            let ids = stmt.query_map(params![uploaded_before, limit], |r| r.get::<_, String>(0))?;
            Ok(ids.map(|id| id.map(FileId)).collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn remove_unattached_file(&self, id: &FileId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.run(move |conn| {
            let sql = format!("DELETE FROM files AS f WHERE f.id = ?1 AND {UNREFERENCED}");
            Ok(conn.execute(&sql, params![id.0])? > 0)
        })
        .await
    }

    async fn meeting_file_bytes(&self, meeting: &MeetingId) -> Result<u64, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let bytes: i64 = conn.query_row(
                "SELECT COALESCE(SUM(size), 0) FROM files WHERE meeting_id = ?1",
                params![meeting.0],
                |r| r.get(0),
            )?;
            u64::try_from(bytes).map_err(corrupt)
        })
        .await
    }
}
