//! The domain's side of files: an upload is checked (rate, type from the
//! bytes, image decoding), stored through the [`FileStore`] and recorded; a
//! download checks its signed link and says how the bytes may be served.
//! The HTTP layer only translates requests and answers.

mod budget;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chat_protocol::{FileId, FileRef, MeetingId, Message, ParticipantId};

use self::budget::UploadBudget;
use super::bounded::{Bounded, Bounds};
use crate::auth::Identity;
use crate::clock::unix_secs;
use crate::config::Config;
use crate::error::DomainError;
use crate::media::{self, UploadKind};
use crate::metrics::Metrics;
use crate::rate_limit::{ByteQuota, Limiter};
use crate::signed_url::{SignatureError, UrlSigner, Variant};
use crate::store::files::{FileBody, FileStore, Incoming};
use crate::store::{Store, StoreError, StoredFile};

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
    /// Larger than the server takes.
    #[error("the upload is larger than {max} bytes")]
    TooLarge {
        /// The limit.
        max: u64,
    },
    /// The uploader's hourly budget (retry later) or the meeting's storage
    /// (no retry helps) is used up.
    #[error("{message}")]
    QuotaExceeded {
        /// When the uploader's budget frees up; `None` for the meeting's.
        retry_after: Option<Duration>,
        /// For people.
        message: String,
    },
    /// The image has more pixels than the server decodes.
    #[error("{0}")]
    ImageTooLarge(String),
    /// The node is decoding as many images as it takes (this uploader's, or
    /// everyone's): retry later.
    #[error("the server is busy reading images; retry in {} ms", .retry_after.as_millis())]
    Busy {
        /// When a retry is likely to be taken.
        retry_after: Duration,
    },
    /// Storage failed.
    #[error("storage failed")]
    Storage(#[from] StoreError),
}

impl From<media::MediaError> for FileError {
    fn from(error: media::MediaError) -> Self {
        match error {
            media::MediaError::TooManyPixels { .. } => Self::ImageTooLarge(error.to_string()),
            other => Self::Unsupported(other.to_string()),
        }
    }
}

/// An upload as it arrives.
pub struct Upload {
    /// The name the user gave it (sanitized before use).
    pub name: Option<String>,
    /// What it is for; the bytes must agree.
    pub kind: UploadKind,
    /// Its length, when the request said (`Content-Length`).
    pub declared_length: Option<u64>,
    /// The bytes, as they come.
    pub body: Incoming,
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

/// Uploads and downloads: the bytes, their records, and the bounds on both.
pub struct Files {
    records: Arc<dyn Store>,
    bytes: Arc<dyn FileStore>,
    signer: UrlSigner,
    /// Uploads per participant per window.
    limiter: Limiter,
    /// Upload bytes per participant per hour.
    quota: Arc<ByteQuota>,
    /// Images waiting to be decoded, `--image-decodes-at-once` at a time.
    decoding: Bounded,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
}

impl Files {
    pub(crate) fn new(
        records: Arc<dyn Store>,
        bytes: Arc<dyn FileStore>,
        signer: UrlSigner,
        config: Arc<Config>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let window = Duration::from_secs(u64::from(config.limits.rate_window_secs));
        Self {
            records,
            bytes,
            signer,
            limiter: Limiter::new(config.uploads_per_window, window),
            quota: Arc::new(ByteQuota::new(config.upload_bytes_per_hour, Duration::from_secs(3600))),
            decoding: Bounded::new(Bounds::decoding(config.image_decodes_at_once, config.limits.max_attachments)),
            config,
            metrics,
        }
    }

    /// Forgets idle uploaders' rate and quota state.
    pub(crate) fn forget_idle(&self) {
        self.limiter.forget_idle();
        self.quota.forget_idle();
    }

    /// Stores an upload of `who`'s meeting and answers with its signed
    /// reference. The body is written to the file store as it arrives; what
    /// exceeds the size limit or a quota is refused before it is read when
    /// its declared length says so, else the moment it crosses the line.
    pub async fn upload(&self, who: &Identity, upload: Upload) -> Result<FileRef, FileError> {
        self.limiter
            .check(&who.meeting, &who.participant.id)
            .map_err(|retry_after| FileError::RateLimited { retry_after })?;
        let budget = self.upload_budget(who).await?;
        if let Some(length) = upload.declared_length {
            budget.check(length)?;
        }
        let id = FileId(uuid::Uuid::new_v4().simple().to_string());
        let refused: Arc<Mutex<Option<FileError>>> = Arc::default();
        let incoming = budget.metered(upload.body, Arc::clone(&self.quota), who, Arc::clone(&refused));
        let size = match self.bytes.put_stream(&id.0, incoming).await {
            Ok(size) => size,
            Err(error) => {
                let why = refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
                return Err(why.unwrap_or(FileError::Storage(error)));
            }
        };
        match self.describe_upload(who, &id, upload.kind).await {
            Ok((content_type, image)) => {
                let name = media::sanitize_name(upload.name.as_deref().unwrap_or(""));
                self.record_upload(who, id, name, size, content_type, image).await
            }
            Err(error) => {
                self.remove_file_bytes(&id).await;
                Err(error)
            }
        }
    }

    /// What may still be uploaded now by `who`.
    async fn upload_budget(&self, who: &Identity) -> Result<UploadBudget, FileError> {
        let (personal, frees_in) = self.quota.remaining(&who.meeting, &who.participant.id);
        let used = self.records.meeting_file_bytes(&who.meeting).await?;
        Ok(UploadBudget {
            max: self.config.limits.max_upload_bytes,
            personal,
            frees_in,
            meeting: self.config.meeting_upload_bytes.saturating_sub(used),
        })
    }

    /// The stored upload's type from its first bytes and, for an image, its
    /// size, thumbnail and blurhash (an image is read whole to decode it).
    /// An image too large by its header is refused before it is read; the
    /// others wait their turn to be decoded, so a flood of them costs the
    /// node its cores' worth of decoding at most.
    async fn describe_upload(
        &self,
        who: &Identity,
        id: &FileId,
        kind: media::UploadKind,
    ) -> Result<(String, Option<media::ImageInfo>), FileError> {
        let head = self.bytes.head(&id.0, media::SNIFF_LENGTH).await?.unwrap_or_default();
        let content_type = media::content_type_of(&head, kind)?;
        if kind != media::UploadKind::Image {
            return Ok((content_type, None));
        }
        // A header past the first bytes (a JPEG's after its metadata) is checked when decoding.
        if let Err(too_large @ media::MediaError::TooManyPixels { .. }) = media::check_image_size(&head) {
            return Err(too_large.into());
        }
        let decode = async {
            let mut body = self.bytes.open(&id.0).await?.ok_or(FileError::NotFound)?;
            let mut bytes = Vec::with_capacity(usize::try_from(body.length).unwrap_or(0));
            while let Some(chunk) = futures_util::StreamExt::next(&mut body.stream).await {
                bytes.extend_from_slice(&chunk.map_err(StoreError::from)?);
            }
            let image = tokio::task::spawn_blocking(move || media::describe_image(&bytes))
                .await
                .map_err(|e| FileError::Inspection(e.to_string()))??;
            Ok::<_, FileError>(image)
        };
        let image = self
            .decoding
            .run(&who.meeting, &who.participant.id, decode)
            .await
            .map_err(|busy| FileError::Busy { retry_after: busy.retry_after })??;
        Ok((content_type, Some(image)))
    }

    async fn record_upload(
        &self,
        who: &Identity,
        id: FileId,
        name: String,
        size: u64,
        content_type: String,
        image: Option<media::ImageInfo>,
    ) -> Result<FileRef, FileError> {
        if let Some(image) = &image {
            self.bytes.put(&thumbnail_name(&id), Bytes::from(image.thumbnail.clone())).await?;
        }
        let file = StoredFile {
            id,
            meeting: who.meeting.clone(),
            uploader: who.participant.id.clone(),
            name,
            size,
            content_type,
            width: image.as_ref().map(|i| i.width),
            height: image.as_ref().map(|i| i.height),
            blurhash: image.map(|i| i.blurhash),
            created_at: crate::clock::now_ms(),
        };
        self.records.insert_file(file.clone()).await?;
        self.metrics.upload_bytes.inc_by(file.size);
        let mut reference = file.to_ref();
        self.signer.sign_file(&mut reference, unix_secs());
        Ok(reference)
    }

    /// Deletes uploads no message took up within the configured time (and
    /// files an edit replaced); returns how many went.
    pub async fn sweep_uploads(&self) -> Result<usize, StoreError> {
        let ttl = i64::try_from(self.config.unattached_upload_ttl.as_millis()).unwrap_or(i64::MAX);
        let cutoff = crate::clock::now_ms().saturating_sub(ttl);
        let mut swept = 0;
        for id in self.records.unattached_files(cutoff, 500).await? {
            if self.records.remove_unattached_file(&id).await? {
                self.remove_file_bytes(&id).await;
                swept += 1;
            }
        }
        Ok(swept)
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
        let record = self.records.file(&id).await?.ok_or(FileError::NotFound)?;
        let inline = record.width.is_some() || record.content_type.starts_with("audio/");
        let (name, content_type) = match variant {
            Variant::Original => (id.0.clone(), record.content_type.clone()),
            Variant::Thumbnail if record.width.is_some() => {
                let name = thumbnail_name(&id);
                let head = self.bytes.head(&name, SNIFF_BYTES).await?.ok_or(FileError::NotFound)?;
                (name, media::detect_content_type(&head))
            }
            Variant::Thumbnail => return Err(FileError::NotFound),
        };
        let body = self.bytes.open(&name).await?.ok_or(FileError::NotFound)?;
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
            let file = self.records.file(&id).await?;
            match file.filter(|f| &f.meeting == meeting && (&f.uploader == sender || forwarded_file)) {
                Some(file) => resolved.push(file.to_ref()),
                None => return Err(DomainError::InvalidAttachment(format!("no upload {id} of yours in this meeting"))),
            }
        }
        Ok(resolved)
    }

    /// Erases a file's bytes (and thumbnail) once no message refers to it;
    /// its record is already gone, so a failure leaves only unreachable
    /// bytes, which is logged.
    pub(crate) async fn remove_file_bytes(&self, id: &FileId) {
        for name in [id.0.clone(), thumbnail_name(id)] {
            if let Err(e) = self.bytes.remove(&name).await {
                tracing::warn!(file = %name, error = %e, "could not remove a deleted file");
            }
        }
    }
}
