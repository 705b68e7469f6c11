//! What a request proves about its caller: the identity its bearer token
//! names (a service's, for the REST API), and a signed link's query.

use axum::http::{header, HeaderMap};
use chat_protocol::Role;
use serde::Deserialize;

use super::error::ApiError;
use super::state::App;
use crate::auth::{Identity, TokenError};

/// Who the `Authorization: Bearer` token says the caller is.
pub(crate) fn bearer_identity(app: &App, headers: &HeaderMap) -> Result<Identity, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer <token>".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be Bearer <token>".into()))?;
    app.keys.verify(token.trim()).map_err(|e| match e {
        TokenError::Expired => ApiError::Unauthorized("token expired".into()),
        TokenError::Invalid(_) => ApiError::Unauthorized("invalid token".into()),
    })
}

/// The service a bearer token names, if it is one of `meeting`.
pub(crate) fn service_identity(app: &App, headers: &HeaderMap, meeting: &str) -> Result<Identity, ApiError> {
    let identity = bearer_identity(app, headers)?;
    if identity.participant.role != Role::Service {
        return Err(ApiError::Forbidden("only a service token opens the REST API"));
    }
    if identity.meeting.0 != meeting {
        return Err(ApiError::Forbidden("the token is for another meeting"));
    }
    Ok(identity)
}

/// Query of a signed URL (a file's, a chat dump's).
#[derive(Debug, Deserialize)]
pub struct SignedQuery {
    /// When it expires, seconds since the epoch.
    pub(crate) exp: u64,
    /// Its signature.
    pub(crate) sig: String,
}
