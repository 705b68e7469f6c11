//! HTTP endpoints beside the socket: uploads (bearer token), signed file
//! downloads, and dev-mode token minting. Only translation lives here: the
//! domain ([`crate::hub`]) checks, stores and signs.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chat_protocol::{FileRef, MeetingId, Participant, ParticipantId, Role};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extractors::{bearer_identity, SignedQuery};
use super::state::App;
use crate::hub::Upload;
use crate::media::UploadKind;
use crate::signed_url::Variant;

/// Sandboxes anything opened directly: no scripts, no subresources.
const FILE_CSP: &str = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/// Query of an upload.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// The file's name as the user had it; sanitized before use.
    name: Option<String>,
    /// What the file is for; the bytes must agree. Defaults to `file`.
    kind: Option<UploadKind>,
}

/// `POST /api/v1/uploads?name=&kind=`: stores the body as a file of the
/// caller's meeting and answers with its [`FileRef`].
pub async fn upload(
    State(app): State<App>,
    headers: HeaderMap,
    query: Result<Query<UploadQuery>, QueryRejection>,
    body: Body,
) -> Result<Json<FileRef>, ApiError> {
    let identity = bearer_identity(&app, &headers)?;
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let declared_length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    let body = futures_util::StreamExt::map(body.into_data_stream(), |chunk| chunk.map_err(std::io::Error::other));
    let upload = Upload {
        name: query.name,
        kind: query.kind.unwrap_or(UploadKind::File),
        declared_length,
        body: Box::pin(body),
    };
    Ok(Json(app.hub.files().upload(&identity, upload).await?))
}

/// `GET /api/v1/files/{id}`: the uploaded bytes.
pub async fn download(
    State(app): State<App>,
    Path(id): Path<String>,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    serve_file(&app, &id, Variant::Original, query).await
}

/// `GET /api/v1/files/{id}/thumb`: an image's thumbnail.
pub async fn thumbnail(
    State(app): State<App>,
    Path(id): Path<String>,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    serve_file(&app, &id, Variant::Thumbnail, query).await
}

async fn serve_file(
    app: &App,
    id: &str,
    variant: Variant,
    query: Result<Query<SignedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::Forbidden("the link is not signed"))?;
    let file = app.hub.files().download(id, variant, query.exp, &query.sig).await?;
    let disposition = content_disposition(if file.inline { "inline" } else { "attachment" }, &file.name);
    let mut response = Body::from_stream(file.body.stream).into_response();
    let headers = response.headers_mut();
    let value =
        |s: &str| HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, value(&file.content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.body.length));
    headers.insert(header::CONTENT_DISPOSITION, value(&disposition));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    Ok(response)
}

/// A `Content-Disposition` value with an ASCII fallback name and the exact
/// UTF-8 name (RFC 6266).
fn content_disposition(kind: &str, name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Query of a dev token request.
#[derive(Debug, Deserialize)]
pub struct DevTokenQuery {
    name: String,
    meeting: Option<String>,
    role: Option<Role>,
    id: Option<String>,
}

/// `GET /dev/token?name=&meeting=&role=&id=`: in dev mode only, mints a token
/// for a demo participant. The id defaults to one derived from the name.
pub async fn dev_token(
    State(app): State<App>,
    query: Result<Query<DevTokenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    if !app.config.dev {
        return Err(ApiError::DevOnly);
    }
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let name = chat_protocol::rules::check_display_name(&query.name)
        .map_err(|violation| ApiError::BadRequest(format!("name: {violation}")))?;
    let id = query.id.unwrap_or_else(|| {
        let slug: String = name.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
        format!("dev-{slug}")
    });
    let participant = Participant {
        id: ParticipantId(id),
        display_name: name.to_owned(),
        role: query.role.unwrap_or(Role::Participant),
    };
    let meeting = MeetingId(query.meeting.unwrap_or_else(|| "demo".to_owned()));
    let token = app.keys.mint(&participant, &meeting, 12 * 3600).map_err(|e| ApiError::Internal(Box::new(e)))?;
    Ok(Json(json!({ "token": token, "participant": participant, "meetingId": meeting })).into_response())
}
