//! The chat export over HTTP (RealtimeKit's chat replay API): a service asks
//! for a meeting's download link; anyone holding the link, until it
//! expires, downloads the dump as CSV.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Json;
use chat_protocol::MeetingId;
use futures_util::StreamExt;
use serde_json::{json, Value};

use super::error::ApiError;
use super::extractors::service_identity;
use super::extractors::SignedQuery;
use super::state::App;
use crate::hub::absolute;

/// `GET /api/v1/meetings/{meeting}/chat`: the download link of the
/// meeting's chat dump, for a service of that meeting.
pub async fn chat_link(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    service_identity(&app, &headers, &meeting)?;
    let (url, expiry) = app.hub.dump_link(&MeetingId::from(meeting.as_str()));
    Ok(Json(json!({
        "success": true,
        "data": { "chat_download_url": absolute(&url, &base(&headers)), "chat_download_url_expiry": expiry },
    })))
}

/// `GET /api/v1/meetings/{meeting}/chat.csv?exp=&sig=`: the dump itself, streamed.
pub async fn chat_csv(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::Forbidden("the link is incomplete"))?;
    let meeting = MeetingId::from(meeting.as_str());
    app.hub.check_dump_link(&meeting, query.exp, &query.sig).map_err(|e| match e {
        crate::signed_url::SignatureError::Expired => ApiError::Forbidden("the link has expired"),
        crate::signed_url::SignatureError::Invalid => ApiError::Forbidden("the link's signature is invalid"),
    })?;
    let chunks = app
        .hub
        .dump_csv(meeting.clone(), base(&headers))
        .map(|chunk| chunk.inspect_err(|error| tracing::error!(%error, "the chat dump broke off")));
    let mut response = Response::new(Body::from_stream(chunks));
    let disposition = format!("attachment; filename=\"chat-{}.csv\"", sanitize_filename::sanitize(meeting.as_str()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `http://host` of the request, to make relative links absolute.
fn base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}
