//! Uploaded files' records: recording one and finding it, and keeping
//! uploads in bounds: which files no message refers to (so the sweeper can
//! delete those left unattached, or replaced by an edit), and how many bytes
//! a meeting's files take (its quota).

use async_trait::async_trait;
use chat_protocol::{FileId, MeetingId};

use super::{StoreError, StoredFile};

/// Uploaded files' records, whatever the engine.
#[async_trait]
pub trait UploadRecords: Send + Sync + 'static {
    /// Files uploaded before `uploaded_before` (ms since the epoch) that no
    /// message refers to, at most `limit`.
    async fn unattached_files(&self, uploaded_before: i64, limit: u32) -> Result<Vec<FileId>, StoreError>;
    /// Removes a file's record if still no message refers to it; returns
    /// whether it did (then its bytes may go).
    async fn remove_unattached_file(&self, id: &FileId) -> Result<bool, StoreError>;
    /// The bytes of all files uploaded to `meeting`.
    async fn meeting_file_bytes(&self, meeting: &MeetingId) -> Result<u64, StoreError>;
    /// Records an uploaded file.
    async fn insert_file(&self, file: StoredFile) -> Result<(), StoreError>;
    /// An uploaded file's record.
    async fn file(&self, id: &FileId) -> Result<Option<StoredFile>, StoreError>;
}
