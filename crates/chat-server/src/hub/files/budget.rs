//! What an upload may still take, checked before its bytes are read when
//! its length is declared, and chunk by chunk as they arrive.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::FileError;
use crate::auth::Identity;
use crate::rate_limit::ByteQuota;
use crate::store::files::Incoming;

/// What an upload may still take: the size limit, the uploader's hourly
/// budget (and when it frees up), and what is left of the meeting's.
pub(super) struct UploadBudget {
    pub(super) max: u64,
    pub(super) personal: u64,
    pub(super) frees_in: Duration,
    pub(super) meeting: u64,
}

impl UploadBudget {
    /// Whether `length` bytes fit; if not, the error that says why.
    pub(super) fn check(&self, length: u64) -> Result<(), FileError> {
        if length > self.max {
            return Err(FileError::TooLarge { max: self.max });
        }
        if length > self.meeting {
            return Err(FileError::QuotaExceeded {
                retry_after: None,
                message: "the meeting's files have reached their storage quota".into(),
            });
        }
        if length > self.personal {
            return Err(FileError::QuotaExceeded {
                retry_after: Some(self.frees_in),
                message: format!("upload quota reached; {} more bytes allowed now", self.personal),
            });
        }
        Ok(())
    }

    /// `body`, stopped with an error (recorded in `refused`) as soon as what
    /// arrived no longer fits; each chunk is taken from the hourly quota.
    pub(super) fn metered(
        self,
        body: Incoming,
        quota: Arc<ByteQuota>,
        who: &Identity,
        refused: Arc<Mutex<Option<FileError>>>,
    ) -> Incoming {
        let (meeting, participant) = (who.meeting.clone(), who.participant.id.clone());
        let mut total = 0u64;
        Box::pin(futures_util::StreamExt::map(body, move |chunk| {
            let chunk = chunk?;
            total += chunk.len() as u64;
            let fits = self.check(total).and_then(|()| {
                quota.take(&meeting, &participant, chunk.len() as u64).map_err(|retry_after| FileError::QuotaExceeded {
                    retry_after: Some(retry_after),
                    message: "upload quota reached".into(),
                })
            });
            match fits {
                Ok(()) => Ok(chunk),
                Err(error) => {
                    let message = error.to_string();
                    *refused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(error);
                    Err(std::io::Error::other(message))
                }
            }
        }))
    }
}
