//! The REST face for apps that hold no socket: a service posts a message to a
//! meeting, or pages its history, with its token. A post's body is a `send`
//! frame without its `type` and `reqId`, read by the protocol's own rules;
//! each request runs the same domain path a socket's frame does, and the
//! answer is the ack's result, or the error frame with an HTTP status that
//! says the same.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chat_protocol::{AckResult, ClientFrame, ParticipantId, Seq};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::extractors::service_identity;
use super::state::App;

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
    let identity = service_identity(&app, &headers, &meeting)?;
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
    answer(&app, identity, frame).await
}

/// Query of a history page.
#[derive(Debug, Deserialize)]
pub struct HistoryQuery {
    /// Only messages whose `seq` is below this; absent for the newest page.
    before: Option<Seq>,
    /// Page size; defaults to 50.
    limit: Option<u32>,
    /// Only the private conversation with this participant.
    with: Option<String>,
}

/// `GET /api/v1/meetings/{meeting}/messages?before=&limit=&with=`: a page of
/// the history the service may see, oldest first, and whether older remains.
pub async fn get_messages(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Json<AckResult>, ApiError> {
    let identity = service_identity(&app, &headers, &meeting)?;
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let frame = ClientFrame::History {
        req_id: 1,
        before: query.before,
        limit: query.limit.unwrap_or(50),
        with: query.with.map(ParticipantId::from),
    };
    answer(&app, identity, frame).await
}

async fn answer(app: &App, identity: crate::auth::Identity, frame: ClientFrame) -> Result<Json<AckResult>, ApiError> {
    app.hub.request_as(identity, frame).await.map(Json).map_err(ApiError::Refused)
}
