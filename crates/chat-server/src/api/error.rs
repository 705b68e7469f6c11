//! Why an HTTP request was refused, answered as JSON `{ code, message }`
//! with a status: the transport's own refusals, a file area's, and the
//! domain's error frames with the status their code means.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chat_protocol::{ErrorCode, ErrorFrame};
use serde_json::json;

use crate::hub::FileError;

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
    /// ([`status_of`]).
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
            Self::Refused(frame) => return (status_of(frame.code), Json(frame)).into_response(),
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

/// The HTTP status that says what an error frame's code says.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadFrame
        | ErrorCode::UnsupportedVersion
        | ErrorCode::AlreadyAuthenticated
        | ErrorCode::InvalidRequest
        | ErrorCode::InvalidAttachment
        | ErrorCode::TooManyAttachments
        | ErrorCode::TooManyTargets => StatusCode::BAD_REQUEST,
        ErrorCode::FrameTooLarge | ErrorCode::TextTooLong | ErrorCode::MetadataTooLarge => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Forbidden
        | ErrorCode::HostsOnly
        | ErrorCode::ChatOff
        | ErrorCode::PrivateChatRestricted
        | ErrorCode::Muted => StatusCode::FORBIDDEN,
        ErrorCode::MessageDeleted => StatusCode::GONE,
        ErrorCode::RateLimited | ErrorCode::SlowMode => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Rejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::HookUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        // `internal`, and any code newer than this table.
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
