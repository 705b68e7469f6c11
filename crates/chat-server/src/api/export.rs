//! The chat export over HTTP (RealtimeKit's chat replay API): a service asks
//! for a meeting's download links; anyone holding one, until it expires,
//! downloads the chat dump or the moderation dump as CSV.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Json;
use chat_protocol::MeetingId;
use futures_util::{Stream, StreamExt};
use serde_json::{json, Value};

use super::error::ApiError;
use super::extractors::service_identity;
use super::extractors::SignedQuery;
use super::state::App;
use crate::hub::{absolute, DumpError};
use crate::signed_url::{Dump, SignatureError};

/// `GET /api/v1/meetings/{meeting}/chat`: the download links of the
/// meeting's chat dump and its moderation dump, for a service of that meeting.
pub async fn chat_link(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    service_identity(&app, &headers, &meeting)?;
    let links = app.hub.dump_links(&MeetingId::from(meeting.as_str()));
    let base = base(&headers);
    Ok(Json(json!({
        "success": true,
        "data": {
            "chat_download_url": absolute(&links.chat, &base),
            "chat_download_url_expiry": links.expiry,
            "moderation_download_url": absolute(&links.moderation, &base),
        },
    })))
}

/// `GET /api/v1/meetings/{meeting}/chat.csv?exp=&sig=`: the chat dump, streamed.
pub async fn chat_csv(
    State(app): State<App>,
    Path(meeting): Path<String>,
    headers: HeaderMap,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let meeting = checked(&app, meeting, Dump::Chat, query)?;
    let chunks = app.hub.dump_csv(meeting.clone(), base(&headers));
    Ok(csv_download(chunks, &meeting, Dump::Chat))
}

/// `GET /api/v1/meetings/{meeting}/moderation.csv?exp=&sig=`: the
/// moderation dump (the audit trail), streamed.
pub async fn moderation_csv(
    State(app): State<App>,
    Path(meeting): Path<String>,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let meeting = checked(&app, meeting, Dump::Moderation, query)?;
    let chunks = app.hub.audit_csv(meeting.clone());
    Ok(csv_download(chunks, &meeting, Dump::Moderation))
}

/// The meeting of a link to its `dump` whose expiry and signature hold.
fn checked(
    app: &App,
    meeting: String,
    dump: Dump,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<MeetingId, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::Forbidden("the link is incomplete"))?;
    let meeting = MeetingId::from(meeting.as_str());
    app.hub.check_dump_link(&meeting, dump, query.exp, &query.sig).map_err(|e| match e {
        SignatureError::Expired => ApiError::Forbidden("the link has expired"),
        SignatureError::Invalid => ApiError::Forbidden("the link's signature is invalid"),
    })?;
    Ok(meeting)
}

/// A CSV download of `meeting`'s `dump`, streamed from `chunks`.
fn csv_download(
    chunks: impl Stream<Item = Result<Vec<u8>, DumpError>> + Send + 'static,
    meeting: &MeetingId,
    dump: Dump,
) -> Response {
    let chunks = chunks.map(|chunk| chunk.inspect_err(|error| tracing::error!(%error, "a dump broke off")));
    let mut response = Response::new(Body::from_stream(chunks));
    let name = format!("{}-{}", dump.file_name().trim_end_matches(".csv"), meeting.as_str());
    let disposition = format!("attachment; filename=\"{}.csv\"", sanitize_filename::sanitize(name));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `http://host` of the request, to make relative links absolute.
fn base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}
