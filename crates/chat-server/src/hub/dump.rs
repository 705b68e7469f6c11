//! The dumps: signed, expiring links to a meeting's messages as CSV
//! (RealtimeKit's chat export) and to its moderation (the audit trail), each
//! written a page at a time, so a meeting of any size streams in bounded
//! memory. Private messages are in the chat dump only when the server is
//! configured so, with their recipients named.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chat_protocol::chat_dump::{iso_time, payload, COLUMNS};
use chat_protocol::{MeetingId, Seq};
use futures_util::Stream;

use super::Hub;
use crate::clock::unix_secs;
use crate::signed_url::{Dump, SignatureError, UrlSigner};
use crate::store::audit::AuditEntry;
use crate::store::{DumpedMessage, StoreError};

/// Messages read from storage per chunk of CSV.
const PAGE: u32 = 1_000;
/// How long a dump link works.
pub const LINK_TTL: Duration = Duration::from_secs(3600);

/// Why writing the dump failed.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// Reading the messages failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing CSV failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The links to a meeting's dumps, and when they expire.
pub struct DumpLinks {
    /// Its messages as CSV.
    pub chat: String,
    /// Its moderation as CSV.
    pub moderation: String,
    /// When both stop working (ISO 8601).
    pub expiry: String,
}

/// The links to `meeting`'s dumps signed by `signer`.
pub(super) fn links(signer: &UrlSigner, meeting: &MeetingId) -> DumpLinks {
    let exp = unix_secs() + LINK_TTL.as_secs();
    DumpLinks {
        chat: signer.dump_url(meeting, Dump::Chat, exp),
        moderation: signer.dump_url(meeting, Dump::Moderation, exp),
        expiry: iso_time(i64::try_from(exp).unwrap_or(i64::MAX / 1000) * 1000),
    }
}

/// Where a dump has got to.
enum Progress {
    Header,
    After(Seq),
    Done,
}

/// A CSV document streamed a page at a time: the header row of `columns`,
/// then what `page` writes of the rows after a `seq` (with the last `seq`
/// it read), until it finds no more.
fn paged_csv<F, Fut>(columns: Vec<&'static str>, page: F) -> impl Stream<Item = Result<Vec<u8>, DumpError>>
where
    F: Fn(Seq) -> Fut,
    Fut: Future<Output = Result<Option<(Vec<u8>, Seq)>, DumpError>>,
{
    futures_util::stream::unfold(Progress::Header, move |progress| {
        let next = match progress {
            Progress::After(after) => Some(page(after)),
            Progress::Header | Progress::Done => None,
        };
        let header = matches!(progress, Progress::Header).then(|| csv_chunk([columns.clone()]));
        async move {
            if let Some(header) = header {
                return Some((header, Progress::After(0)));
            }
            match next?.await {
                Ok(None) => None,
                Ok(Some((chunk, last))) => Some((Ok(chunk), Progress::After(last))),
                Err(error) => Some((Err(error), Progress::Done)),
            }
        }
    })
}

/// Records written as CSV.
fn csv_chunk<R: IntoIterator<Item = impl AsRef<[u8]>>>(
    records: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, DumpError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for record in records {
        out.write_record(record)?;
    }
    out.into_inner().map_err(|e| DumpError::Csv(e.into_error().into()))
}

impl Hub {
    /// The links to `meeting`'s dumps.
    pub fn dump_links(&self, meeting: &MeetingId) -> DumpLinks {
        links(&self.signer, meeting)
    }

    /// Checks a link to `meeting`'s `dump`: its expiry and signature.
    pub fn check_dump_link(&self, meeting: &MeetingId, dump: Dump, exp: u64, sig: &str) -> Result<(), SignatureError> {
        self.signer.verify_dump(meeting, dump, exp, sig, unix_secs())
    }

    /// The chat dump as chunks of CSV: the header row (the seed's columns,
    /// then who a private message was for), then a chunk per page of
    /// messages. `base` (`http://host`) makes relative file links absolute.
    pub fn dump_csv(
        self: &Arc<Self>,
        meeting: MeetingId,
        base: String,
    ) -> impl Stream<Item = Result<Vec<u8>, DumpError>> {
        let hub = Arc::clone(self);
        paged_csv(COLUMNS.into_iter().chain(["recipients"]).collect(), move |after| {
            let (hub, meeting, base) = (Arc::clone(&hub), meeting.clone(), base.clone());
            async move {
                let page = hub.store.dump_page(&meeting, after, PAGE).await?;
                let Some(last) = page.last().map(|m| m.message.seq) else { return Ok(None) };
                Ok(Some((hub.dump_rows(&meeting, &base, page)?, last)))
            }
        })
    }

    /// The moderation dump as chunks of CSV: a row per action of the audit
    /// trail, oldest first.
    pub fn audit_csv(self: &Arc<Self>, meeting: MeetingId) -> impl Stream<Item = Result<Vec<u8>, DumpError>> {
        let hub = Arc::clone(self);
        paged_csv(AUDIT_COLUMNS.to_vec(), move |after| {
            let (hub, meeting) = (Arc::clone(&hub), meeting.clone());
            async move {
                let page = hub.store.audit_page(&meeting, after, PAGE).await?;
                let Some(last) = page.last().map(|entry| entry.seq) else { return Ok(None) };
                Ok(Some((csv_chunk(page.iter().map(audit_row))?, last)))
            }
        })
    }

    fn dump_rows(&self, meeting: &MeetingId, base: &str, page: Vec<DumpedMessage>) -> Result<Vec<u8>, DumpError> {
        let now = unix_secs();
        let link = |url: &str| absolute(url, base);
        let rows = page.into_iter().filter_map(|DumpedMessage { mut message, session_id }| {
            if !message.targets.is_empty() && !self.config.export_private {
                return None;
            }
            self.signer.sign_message(&mut message, now);
            let (kind, body) = payload(&message, &link)?;
            let recipients: Vec<&str> = message.targets.iter().map(|t| t.as_str()).collect();
            Some([
                message.id.as_str().to_owned(),
                message.sender.id.as_str().to_owned(),
                session_id,
                meeting.as_str().to_owned(),
                message.sender.display_name.clone(),
                message.pinned.to_string(),
                message.edited.to_string(),
                kind.to_owned(),
                body,
                iso_time(message.time),
                recipients.join(" "),
            ])
        });
        csv_chunk(rows)
    }
}

/// `url` made absolute with `base` (`http://host`) when it is a path.
pub fn absolute(url: &str, base: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}

/// The moderation dump's columns.
const AUDIT_COLUMNS: [&str; 10] =
    ["id", "time", "action", "by", "participantId", "messageId", "until", "messagesDeleted", "reason", "settings"];

/// An audit entry as a row of [`AUDIT_COLUMNS`].
fn audit_row(entry: &AuditEntry) -> [String; 10] {
    let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
    [
        entry.seq.to_string(),
        iso_time(entry.time),
        entry.action.as_str().to_owned(),
        entry.by.as_str().to_owned(),
        text(entry.participant.as_ref().map(|p| p.as_str())),
        text(entry.message.as_ref().map(|m| m.as_str())),
        entry.until.map(iso_time).unwrap_or_default(),
        entry.messages_deleted.to_string(),
        text(entry.reason.as_deref()),
        text(entry.settings.as_deref()),
    ]
}
