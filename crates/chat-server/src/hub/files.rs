//! The domain's side of files: an upload is checked (rate, type from the
//! bytes, image decoding), stored through the [`FileStore`] and recorded; a
//! download checks its signed link and says how the bytes may be served.
//! The HTTP layer only translates requests and answers.

use std::time::Duration;

use axum::body::Bytes;
use chat_protocol::{FileId, FileRef, MeetingId, Message, ParticipantId};

use super::{hook, unix_secs, Hub};
use crate::auth::Identity;
use crate::error::DomainError;
use crate::media::{self, UploadKind};
use crate::signed_url::{SignatureError, Variant};
use crate::store::files::FileBody;
use crate::store::{StoreError, StoredFile};

/// Why a file operation was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// Too many uploads from this participant.
    #[error("too many uploads; retry in {} ms", .retry_after.as_millis())]
    RateLimited {
        /// When a retry will succeed.
        retry_after: Duration,
    },
    /// The bytes are not of the kind asked for, or cannot be read.
    #[error("{0}")]
    Unsupported(String),
    /// No such file, or not of this variant.
    #[error("not found")]
    NotFound,
    /// The link was not signed, is signed wrongly, or expired.
    #[error("{0}")]
    BadLink(&'static str),
    /// Inspecting the bytes could not finish.
    #[error("the upload could not be inspected: {0}")]
    Inspection(String),
    /// Storage failed.
    #[error("storage failed")]
    Storage(#[from] StoreError),
}

/// An upload as received.
pub struct Upload {
    /// The name the user gave it (sanitized before use).
    pub name: Option<String>,
    /// What it is for; the bytes must agree.
    pub kind: UploadKind,
    /// The bytes.
    pub bytes: Bytes,
}

/// A file to serve.
pub struct Download {
    /// The bytes.
    pub body: FileBody,
    /// The type to serve it as (`application/octet-stream` unless shown inline).
    pub content_type: String,
    /// Whether a browser may show it (images, audio) rather than save it.
    pub inline: bool,
    /// Its sanitized name.
    pub name: String,
}

/// How much of a thumbnail is read to tell its type.
const SNIFF_BYTES: usize = 64;

fn thumbnail_name(id: &FileId) -> String {
    format!("{}.thumb", id.0)
}

/// A file id as the server makes them: 32 hex digits.
fn is_file_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Hub {
    /// Stores an upload of `who`'s meeting and answers with its signed reference.
    pub async fn upload(&self, who: &Identity, upload: Upload) -> Result<FileRef, FileError> {
        self.upload_limiter
            .check(&who.meeting, &who.participant.id)
            .map_err(|retry_after| FileError::RateLimited { retry_after })?;
        let name = media::sanitize_name(upload.name.as_deref().unwrap_or(""));
        let (bytes, kind) = (upload.bytes.clone(), upload.kind);
        let inspected = tokio::task::spawn_blocking(move || media::inspect(&bytes, kind))
            .await
            .map_err(|e| FileError::Inspection(e.to_string()))?
            .map_err(|e| FileError::Unsupported(e.to_string()))?;
        let id = FileId(uuid::Uuid::new_v4().simple().to_string());
        self.files.put(&id.0, upload.bytes.clone()).await?;
        if let Some(image) = &inspected.image {
            self.files.put(&thumbnail_name(&id), Bytes::from(image.thumbnail.clone())).await?;
        }
        let file = StoredFile {
            id,
            meeting: who.meeting.clone(),
            uploader: who.participant.id.clone(),
            name,
            size: upload.bytes.len() as u64,
            content_type: inspected.content_type,
            width: inspected.image.as_ref().map(|i| i.width),
            height: inspected.image.as_ref().map(|i| i.height),
            blurhash: inspected.image.map(|i| i.blurhash),
            created_at: crate::now_ms(),
        };
        self.store.insert_file(file.clone()).await?;
        let mut reference = file.to_ref();
        self.signer.sign_file(&mut reference, unix_secs());
        Ok(reference)
    }

    /// The file (or its thumbnail) a signed link points at.
    pub async fn download(&self, id: &str, variant: Variant, exp: u64, sig: &str) -> Result<Download, FileError> {
        if !is_file_id(id) {
            return Err(FileError::NotFound);
        }
        let id = FileId(id.to_owned());
        self.signer.verify(&id, variant, exp, sig, unix_secs()).map_err(|e| match e {
            SignatureError::Expired => FileError::BadLink("the link has expired"),
            SignatureError::Invalid => FileError::BadLink("the link's signature is invalid"),
        })?;
        let record = self.store.file(&id).await?.ok_or(FileError::NotFound)?;
        let inline = record.width.is_some() || record.content_type.starts_with("audio/");
        let (name, content_type) = match variant {
            Variant::Original => (id.0.clone(), record.content_type.clone()),
            Variant::Thumbnail if record.width.is_some() => {
                let name = thumbnail_name(&id);
                let head = self.files.head(&name, SNIFF_BYTES).await?.ok_or(FileError::NotFound)?;
                (name, media::detect_content_type(&head))
            }
            Variant::Thumbnail => return Err(FileError::NotFound),
        };
        let body = self.files.open(&name).await?.ok_or(FileError::NotFound)?;
        let content_type = if inline { content_type } else { "application/octet-stream".to_owned() };
        Ok(Download { body, content_type, inline, name: record.name })
    }

    /// The uploads a message in `meeting` from `sender` may carry as
    /// attachments, as references: each an upload of the sender's in this
    /// meeting, or one the forwarded message carried; each once.
    pub(crate) async fn resolve_attachments(
        &self,
        meeting: &MeetingId,
        sender: &ParticipantId,
        ids: Vec<FileId>,
        forwarded: Option<&Message>,
    ) -> Result<Vec<FileRef>, DomainError> {
        let mut resolved: Vec<FileRef> = Vec::with_capacity(ids.len());
        for id in ids {
            crate::validation::check_id("attachments", id.as_str())?;
            if resolved.iter().any(|file| file.id == id) {
                return Err(DomainError::InvalidAttachment(format!("upload {id} is attached twice")));
            }
            let forwarded_file = forwarded.is_some_and(|m| {
                m.content.file().is_some_and(|f| f.id == id) || m.attachments.iter().any(|f| f.id == id)
            });
            let file = self.store.file(&id).await?;
            match file.filter(|f| &f.meeting == meeting && (&f.uploader == sender || forwarded_file)) {
                Some(file) => resolved.push(file.to_ref()),
                None => return Err(DomainError::InvalidAttachment(format!("no upload {id} of yours in this meeting"))),
            }
        }
        Ok(resolved)
    }

    /// Asks the message hook (when there is one) about a message about to be
    /// stored, and applies its verdict to `parts`; returns the fields it
    /// changed. A rewrite that breaks the rules counts as an unusable answer.
    pub(crate) async fn consult_hook(
        &self,
        draft: hook::HookDraft<'_>,
        parts: hook::Rewritable<'_>,
        details: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Vec<String>, DomainError> {
        let Some(message_hook) = &self.hook else { return Ok(Vec::new()) };
        let verdict = message_hook.check(&draft).await?;
        let (sender, attachments) = (draft.sender.id.clone(), draft.attachments.len());
        match verdict.apply(parts, &sender, attachments, details, &self.config.limits) {
            Err(DomainError::Rejected(reason)) => Err(DomainError::Rejected(reason)),
            Err(broken) => message_hook.unusable(&broken.to_string(), draft.meeting).map(|()| Vec::new()),
            Ok(modified) => Ok(modified),
        }
    }

    /// Erases a file's bytes (and thumbnail) once no message refers to it;
    /// its record is already gone, so a failure leaves only unreachable
    /// bytes, which is logged.
    pub(crate) async fn remove_file_bytes(&self, id: &FileId) {
        for name in [id.0.clone(), thumbnail_name(id)] {
            if let Err(e) = self.files.remove(&name).await {
                tracing::warn!(file = %name, error = %e, "could not remove a deleted file");
            }
        }
    }
}
