//! The server's typed errors: what the domain refuses (answered as error
//! frames) and what the HTTP endpoints refuse (answered as JSON with a status).

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chat_protocol::{ErrorCode, ErrorFrame, RateBucket, RequestId, RuleViolation};
use serde_json::json;

use crate::hub::FileError;
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
            Self::Rule(violation) => frame.retry_after_ms = violation.retry_after_ms(),
            _ => {}
        }
        frame
    }
}

/// Why an HTTP request was refused; rendered as `{ "code", "message" }`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Return 401 Unauthorized: no, bad or expired bearer token.
    #[error("{0}")]
    Unauthorized(String),
    /// Return 400 Bad Request.
    #[error("{0}")]
    BadRequest(String),
    /// Return 403 Forbidden: a bad or expired file signature.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Return 404 Not Found.
    #[error("not found")]
    NotFound,
    /// Return 413 Payload Too Large.
    #[error("the upload is larger than {max} bytes")]
    TooLarge {
        /// The limit.
        max: u64,
    },
    /// Return 415 Unsupported Media Type: the bytes are not of the kind asked for.
    #[error("{0}")]
    UnsupportedMedia(String),
    /// Return 429 Too Many Requests.
    #[error("too many uploads; retry in {} ms", .retry_after.as_millis())]
    RateLimited {
        /// When a retry will succeed.
        retry_after: Duration,
    },
    /// Return 429 Too Many Requests: the node has as much of this work as it takes.
    #[error("{message}")]
    Busy {
        /// When a retry is likely to be taken.
        retry_after: Duration,
        /// For people.
        message: String,
    },
    /// Return 413 Payload Too Large: an image with more pixels than are decoded.
    #[error("{0}")]
    ImageTooLarge(String),
    /// Return 404 Not Found: the endpoint exists only in dev mode.
    #[error("only available with --dev")]
    DevOnly,
    /// An upload quota is used up: 429 with a retry hint for the uploader's
    /// hourly budget, 413 for the meeting's storage.
    #[error("{message}")]
    QuotaExceeded {
        /// When the budget frees up, if it will.
        retry_after: Option<Duration>,
        /// For people.
        message: String,
    },
    /// The domain refused a request; the status follows its code
    /// ([`crate::rest::status_of`]).
    #[error("{}", .0.message)]
    Refused(ErrorFrame),
    /// Return 500 Internal Server Error, without internals.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<FileError> for ApiError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::RateLimited { retry_after } => Self::RateLimited { retry_after },
            FileError::Unsupported(reason) => Self::UnsupportedMedia(reason),
            FileError::NotFound => Self::NotFound,
            FileError::BadLink(reason) => Self::Forbidden(reason),
            FileError::TooLarge { max } => Self::TooLarge { max },
            FileError::QuotaExceeded { retry_after, message } => Self::QuotaExceeded { retry_after, message },
            FileError::ImageTooLarge(message) => Self::ImageTooLarge(message),
            busy @ FileError::Busy { retry_after } => Self::Busy { retry_after, message: busy.to_string() },
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound | Self::DevOnly => (StatusCode::NOT_FOUND, "not_found"),
            Self::TooLarge { .. } | Self::ImageTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::UnsupportedMedia(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            Self::RateLimited { .. } | Self::Busy { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::QuotaExceeded { retry_after: Some(_), .. } => (StatusCode::TOO_MANY_REQUESTS, "quota_exceeded"),
            Self::QuotaExceeded { retry_after: None, .. } => (StatusCode::PAYLOAD_TOO_LARGE, "quota_exceeded"),
            // The frame already has the `{ code, message }` shape, with its retry hint.
            Self::Refused(frame) => return (crate::rest::status_of(frame.code), Json(frame)).into_response(),
            Self::Internal(e) => {
                tracing::error!(error = %e, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut body = json!({ "code": code, "message": self.to_string() });
        if let Self::RateLimited { retry_after }
        | Self::Busy { retry_after, .. }
        | Self::QuotaExceeded { retry_after: Some(retry_after), .. } = &self
        {
            body["retryAfterMs"] = json!(u64::try_from(retry_after.as_millis()).unwrap_or(u64::MAX));
        }
        (status, Json(body)).into_response()
    }
}
