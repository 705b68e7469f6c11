//! The chat dump (RealtimeKit's export): a signed, expiring link to a
//! meeting's messages as CSV, written a page at a time, so a meeting of any
//! size streams in bounded memory. Private messages are in it only when the
//! server is configured so, with their recipients named.

use std::sync::Arc;
use std::time::Duration;

use chat_protocol::chat_dump::{iso_time, payload, COLUMNS};
use chat_protocol::{MeetingId, Seq};
use futures_util::Stream;

use super::Hub;
use crate::clock::unix_secs;
use crate::signed_url::{SignatureError, UrlSigner};
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

/// A link to `meeting`'s dump signed by `signer`, and when it expires (ISO 8601).
pub(super) fn link(signer: &UrlSigner, meeting: &MeetingId) -> (String, String) {
    let (url, exp) = signer.dump_url(meeting, LINK_TTL, unix_secs());
    (url, iso_time(i64::try_from(exp).unwrap_or(i64::MAX / 1000) * 1000))
}

/// Where the dump has got to.
enum Progress {
    Header,
    After(Seq),
    Done,
}

impl Hub {
    /// A link to `meeting`'s dump, and when it expires (ISO 8601).
    pub fn dump_link(&self, meeting: &MeetingId) -> (String, String) {
        link(&self.signer, meeting)
    }

    /// Checks a dump link's expiry and signature.
    pub fn check_dump_link(&self, meeting: &MeetingId, exp: u64, sig: &str) -> Result<(), SignatureError> {
        self.signer.verify_dump(meeting, exp, sig, unix_secs())
    }

    /// The dump as chunks of CSV: the header row, then a chunk per page of
    /// messages. `base` (`http://host`) makes relative file links absolute.
    pub fn dump_csv(
        self: &Arc<Self>,
        meeting: MeetingId,
        base: String,
    ) -> impl Stream<Item = Result<Vec<u8>, DumpError>> {
        let hub = Arc::clone(self);
        futures_util::stream::unfold(Progress::Header, move |progress| {
            let (hub, meeting, base) = (Arc::clone(&hub), meeting.clone(), base.clone());
            async move {
                let (chunk, next) = match progress {
                    Progress::Done => return None,
                    Progress::Header => (header(), Progress::After(0)),
                    Progress::After(after) => match hub.store.dump_page(&meeting, after, PAGE).await {
                        Ok(page) if page.is_empty() => return None,
                        Ok(page) => {
                            let last = page.last().map_or(after, |m| m.message.seq);
                            (hub.dump_rows(&meeting, &base, page), Progress::After(last))
                        }
                        Err(error) => (Err(error.into()), Progress::Done),
                    },
                };
                Some((chunk, next))
            }
        })
    }

    fn dump_rows(&self, meeting: &MeetingId, base: &str, page: Vec<DumpedMessage>) -> Result<Vec<u8>, DumpError> {
        let now = unix_secs();
        let link = |url: &str| absolute(url, base);
        let mut out = csv::Writer::from_writer(Vec::new());
        for DumpedMessage { mut message, session_id } in page {
            if !message.targets.is_empty() && !self.config.export_private {
                continue;
            }
            self.signer.sign_message(&mut message, now);
            let Some((kind, body)) = payload(&message, &link) else { continue };
            let recipients: Vec<&str> = message.targets.iter().map(|t| t.as_str()).collect();
            out.write_record([
                message.id.as_str(),
                message.sender.id.as_str(),
                session_id.as_str(),
                meeting.as_str(),
                message.sender.display_name.as_str(),
                if message.pinned { "true" } else { "false" },
                if message.edited { "true" } else { "false" },
                kind,
                body.as_str(),
                iso_time(message.time).as_str(),
                recipients.join(" ").as_str(),
            ])?;
        }
        out.into_inner().map_err(|e| DumpError::Csv(e.into_error().into()))
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

/// The header row: the seed's columns, then who a private message was for.
fn header() -> Result<Vec<u8>, DumpError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS.iter().copied().chain(["recipients"]))?;
    out.into_inner().map_err(|e| DumpError::Csv(e.into_error().into()))
}
