//! Participant tokens: HS256 JWTs minted by the meeting page's backend (or by
//! this server in dev mode) and checked on every socket and upload.

use crate::clock::unix_secs;

use chat_protocol::{MeetingId, Participant, ParticipantId, Role};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims a token carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Participant id.
    pub sub: String,
    /// Display name.
    pub name: String,
    /// Meeting id.
    pub meeting: String,
    /// `host` or `participant`.
    pub role: Role,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

/// Who a valid token says the bearer is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The participant.
    pub participant: Participant,
    /// The meeting they may join.
    pub meeting: MeetingId,
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Expired.
    #[error("the token has expired")]
    Expired,
    /// Malformed, wrongly signed, or missing claims.
    #[error("the token is invalid: {0}")]
    Invalid(String),
}

/// Signs and checks tokens with one secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    /// Keys for `secret`.
    pub fn new(secret: &[u8]) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    /// Mints a token valid for `ttl_secs`.
    pub fn mint(&self, participant: &Participant, meeting: &MeetingId, ttl_secs: u64) -> Result<String, TokenError> {
        let claims = Claims {
            sub: participant.id.0.clone(),
            name: participant.display_name.clone(),
            meeting: meeting.0.clone(),
            role: participant.role,
            exp: unix_secs() + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| TokenError::Invalid(e.to_string()))
    }

    /// Checks a token and returns who it names.
    pub fn verify(&self, token: &str) -> Result<Identity, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = decode::<Claims>(token, &self.decoding, &validation).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
            _ => TokenError::Invalid(e.to_string()),
        })?;
        let claims = data.claims;
        if claims.sub.trim().is_empty() || claims.meeting.trim().is_empty() {
            return Err(TokenError::Invalid("empty participant or meeting id".into()));
        }
        Ok(Identity {
            participant: Participant { id: ParticipantId(claims.sub), display_name: claims.name, role: claims.role },
            meeting: MeetingId(claims.meeting),
        })
    }
}
