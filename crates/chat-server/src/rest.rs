//! The REST face for apps that hold no socket: a service posts a message to a
//! meeting with its token. The body is a `send` frame without its `type` and
//! `reqId`, read by the protocol's own rules, and the request runs the same
//! domain path a socket's frame does; the answer is the ack's result, or the
//! error frame with an HTTP status that says the same.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chat_protocol::{AckResult, ClientFrame, ErrorCode, Role, ServerFrame};
use serde_json::{json, Map, Value};

use crate::app::App;
use crate::error::ApiError;
use crate::http::bearer_identity;

/// `POST /api/v1/meetings/{meeting}/messages`: sends a message as the
/// service the bearer token names (or, with `asSender`, as its puppet).
/// Without a `clientId` one is made up, so only a request that brings its
/// own is safe to retry.
pub async fn post_message(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<AckResult>, ApiError> {
    let identity = bearer_identity(&app, &headers)?;
    if identity.participant.role != Role::Service {
        return Err(ApiError::Forbidden("only a service token may post over REST"));
    }
    if identity.meeting.0 != meeting {
        return Err(ApiError::Forbidden("the token is for another meeting"));
    }
    let Json(mut fields) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    for reserved in ["type", "reqId"] {
        if fields.contains_key(reserved) {
            return Err(ApiError::BadRequest(format!("`{reserved}` is set by the server")));
        }
    }
    fields.insert("type".into(), json!("send"));
    fields.insert("reqId".into(), json!(1));
    fields.entry("clientId").or_insert_with(|| json!(uuid::Uuid::new_v4().to_string()));
    let frame: ClientFrame =
        serde_json::from_value(Value::Object(fields)).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    match app.hub.request_as(identity, frame).await.map_err(|e| ApiError::Refused(e.to_frame(None)))? {
        ServerFrame::Ack { result, .. } => Ok(Json(result)),
        ServerFrame::Error(error) => Err(ApiError::Refused(error)),
        _ => Err(ApiError::BadRequest("the request went unanswered".into())),
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
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::MessageDeleted => StatusCode::GONE,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Rejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::HookUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        // `internal`, and any code newer than this table.
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
