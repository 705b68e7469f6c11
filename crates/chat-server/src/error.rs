//! What the domain refuses, answered as error frames (the transport's own
//! refusals, with HTTP statuses, are `api::error`).

use std::time::Duration;

use chat_protocol::{ErrorCode, ErrorFrame, RateBucket, RequestId, RuleViolation};

use crate::store::StoreError;

/// Why the domain refused a request.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A field's value is not acceptable.
    #[error("{0}")]
    InvalidRequest(String),
    /// A rule both sides enforce (lengths, sizes, who may do what).
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// An unusable file reference.
    #[error("{0}")]
    InvalidAttachment(String),
    /// No such message visible to the requester.
    #[error("no such message")]
    NotFound,
    /// The message was deleted for everyone.
    #[error("the message was deleted")]
    MessageDeleted,
    /// A rate-limit bucket is exhausted.
    #[error("too many {} messages; retry in {} ms", .bucket.as_str(), .retry_after.as_millis())]
    RateLimited {
        /// Which bucket.
        bucket: RateBucket,
        /// When a retry will succeed.
        retry_after: Duration,
    },
    /// The message hook refused the message.
    #[error("{0}")]
    Rejected(String),
    /// The message hook could not be asked, and the policy is closed.
    #[error("the message could not be checked; try again")]
    HookUnavailable,
    /// A search the store stopped past its budget.
    #[error("the search is too broad to answer quickly; use fewer or longer words")]
    SearchTooBroad,
    /// A host removed the participant from the meeting's chat: they may not
    /// connect until a host lets them back.
    #[error("a host removed you from this meeting's chat")]
    Removed,
    /// Storage failed.
    #[error("storage failed")]
    Storage(#[source] StoreError),
}

impl From<StoreError> for DomainError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SearchTooCostly => Self::SearchTooBroad,
            other => Self::Storage(other),
        }
    }
}

impl DomainError {
    /// The error frame answering request `req_id`. Storage failures are logged
    /// here and reported without their internals.
    pub fn to_frame(&self, req_id: Option<RequestId>) -> ErrorFrame {
        let code = match self {
            Self::InvalidRequest(_) => ErrorCode::InvalidRequest,
            Self::Rule(violation) => violation.code(),
            Self::InvalidAttachment(_) => ErrorCode::InvalidAttachment,
            Self::NotFound => ErrorCode::NotFound,
            Self::MessageDeleted => ErrorCode::MessageDeleted,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Rejected(_) => ErrorCode::Rejected,
            Self::HookUnavailable => ErrorCode::HookUnavailable,
            Self::SearchTooBroad => ErrorCode::SearchTooBroad,
            Self::Removed => ErrorCode::Forbidden,
            Self::Storage(e) => {
                tracing::error!(error = %e, "storage error");
                ErrorCode::Internal
            }
        };
        let mut frame = ErrorFrame::new(req_id, code, self.to_string());
        match self {
            Self::RateLimited { bucket, retry_after } => {
                frame.retry_after_ms = Some(u64::try_from(retry_after.as_millis()).unwrap_or(u64::MAX).max(1));
                frame.bucket = Some(*bucket);
            }
            Self::Rule(violation) => {
                frame.retry_after_ms = violation.retry_after_ms();
                frame.until = violation.until();
            }
            _ => {}
        }
        frame
    }
}
