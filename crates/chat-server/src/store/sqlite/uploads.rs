//! Uploaded files' records in SQLite, and their housekeeping.

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};
use rusqlite::params;

use super::rows::{corrupt, read_file, FILE_COLUMNS};
use super::SqliteStore;
use crate::store::columns::UNREFERENCED;
use crate::store::uploads::UploadRecords;
use crate::store::{StoreError, StoredFile};

#[async_trait]
impl UploadRecords for SqliteStore {
    async fn insert_file(&self, file: StoredFile) -> Result<(), StoreError> {
        self.run(move |conn| {
            conn.execute(
                &format!("INSERT INTO files ({FILE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                params![
                    file.id.0,
                    file.meeting.0,
                    file.uploader.0,
                    file.name,
                    i64::try_from(file.size).map_err(corrupt)?,
                    file.content_type,
                    file.width,
                    file.height,
                    file.blurhash,
                    file.created_at,
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn file(&self, id: &FileId) -> Result<Option<StoredFile>, StoreError> {
        let id = id.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {FILE_COLUMNS} FROM files WHERE id = ?1"))?;
            let mut rows = stmt.query(params![id.0])?;
            match rows.next()? {
                Some(row) => Ok(Some(read_file(row)?)),
                None => Ok(None),
            }
        })
        .await
    }

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
