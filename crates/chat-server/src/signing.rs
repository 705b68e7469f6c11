//! Signing what the server sends to apps (the message hook, and webhooks):
//! HMAC-SHA256 over `"{timestamp}.{body}"` with a shared secret, sent as
//! `X-Meeting-Chat-Signature: t={timestamp},v1={hex}`. A receiver recomputes
//! it over the raw body, compares in constant time, and refuses old
//! timestamps so a captured request cannot be replayed.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-meeting-chat-signature";

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], timestamp: u64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value signing `body` at `timestamp` (seconds since the epoch).
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", hex::encode(mac(secret, timestamp, body).finalize().into_bytes()))
}

/// Why a signature was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `t=…,v1=…`.
    #[error("malformed signature header")]
    Malformed,
    /// The timestamp is further than the tolerance from now.
    #[error("the signature is too old or from the future")]
    Stale,
    /// The signature does not match the body.
    #[error("the signature does not match")]
    Mismatch,
}

/// Checks a signature header over `body`, as a receiver does.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: u64, tolerance_secs: u64) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<u64>().ok(),
            Some(("v1", value)) => signature = hex::decode(value).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else { return Err(SignatureError::Malformed) };
    if timestamp.abs_diff(now) > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    mac(secret, timestamp, body).verify_slice(&signature).map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_verifies_a_signature_and_refuses_a_tampered_or_old_one() {
        let header = sign(b"hook-secret", 1_000, b"{\"text\":\"hi\"}");
        assert_eq!(verify(b"hook-secret", &header, b"{\"text\":\"hi\"}", 1_010, 300), Ok(()));
        assert_eq!(verify(b"hook-secret", &header, b"{\"text\":\"hI\"}", 1_010, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"other-secret", &header, b"{\"text\":\"hi\"}", 1_010, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"hook-secret", &header, b"{\"text\":\"hi\"}", 2_000, 300), Err(SignatureError::Stale));
        assert_eq!(verify(b"hook-secret", "v1=00", b"", 0, 300), Err(SignatureError::Malformed));
    }
}
