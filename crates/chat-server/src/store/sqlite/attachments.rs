//! A message's attachments in SQLite: rows of `message_attachments` in
//! order, and which files no message refers to any more.

use chat_protocol::{FileId, MessageId};
use rusqlite::{params, Connection, OptionalExtension};

use crate::store::StoreError;

/// Records `files` as the attachments of `message`, in order.
pub fn insert(conn: &Connection, message: &MessageId, files: &[FileId]) -> Result<(), StoreError> {
    let mut stmt =
        conn.prepare_cached("INSERT INTO message_attachments (message_id, position, file_id) VALUES (?1, ?2, ?3)")?;
    for (position, file) in files.iter().enumerate() {
        stmt.execute(params![message.0, i64::try_from(position).unwrap_or(i64::MAX), file.0])?;
    }
    Ok(())
}

/// Removes every attachment of `message`; returns their files.
pub fn take(conn: &Connection, message: &MessageId) -> Result<Vec<FileId>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT file_id FROM message_attachments WHERE message_id = ?1 ORDER BY position")?;
    let files =
        stmt.query_map(params![message.0], |r| r.get::<_, String>("file_id"))?.collect::<Result<Vec<_>, _>>()?;
    conn.execute("DELETE FROM message_attachments WHERE message_id = ?1", params![message.0])?;
    Ok(files.into_iter().map(FileId).collect())
}

/// Whether any message still refers to `file`, as its own or as an attachment.
pub fn is_used(conn: &Connection, file: &FileId) -> Result<bool, StoreError> {
    let used = conn
        .query_row(
            "SELECT 1 FROM messages WHERE file_id = ?1 UNION ALL SELECT 1 FROM message_attachments WHERE file_id = ?1 LIMIT 1",
            params![file.0],
            |_| Ok(()),
        )
        .optional()?;
    Ok(used.is_some())
}

/// Forgets the records of those of `files` no message refers to any more; returns them.
pub fn orphans(conn: &Connection, files: Vec<FileId>) -> Result<Vec<FileId>, StoreError> {
    let mut orphaned = Vec::new();
    for file in files {
        if !orphaned.contains(&file) && !is_used(conn, &file)? {
            conn.execute("DELETE FROM files WHERE id = ?1", params![file.0])?;
            orphaned.push(file);
        }
    }
    Ok(orphaned)
}
