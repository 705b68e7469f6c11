//! Uploaded files' records in memory, kept as SQLite keeps them.

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};

use super::MemoryStore;
use crate::store::uploads::UploadRecords;
use crate::store::{StoreError, StoredFile};

#[async_trait]
impl UploadRecords for MemoryStore {
    async fn insert_file(&self, file: StoredFile) -> Result<(), StoreError> {
        self.with(|s| {
            s.files.insert(file.id.clone(), file);
            Ok(())
        })
    }

    async fn file(&self, id: &FileId) -> Result<Option<StoredFile>, StoreError> {
        self.with(|s| Ok(s.files.get(id).cloned()))
    }

    async fn unattached_files(&self, uploaded_before: i64, limit: u32) -> Result<Vec<FileId>, StoreError> {
        self.with(|s| {
            Ok(s.files
                .values()
                .filter(|f| f.created_at < uploaded_before && !s.is_used(&f.id))
                .take(limit as usize)
                .map(|f| f.id.clone())
                .collect())
        })
    }

    async fn remove_unattached_file(&self, id: &FileId) -> Result<bool, StoreError> {
        self.with(|s| Ok(!s.is_used(id) && s.files.remove(id).is_some()))
    }

    async fn meeting_file_bytes(&self, meeting: &MeetingId) -> Result<u64, StoreError> {
        self.with(|s| Ok(s.files.values().filter(|f| &f.meeting == meeting).map(|f| f.size).sum()))
    }
}
