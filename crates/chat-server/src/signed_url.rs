//! Signed, expiring URLs: files, so an `<img src>` works without headers
//! while nobody without a URL from the meeting can fetch a file; and a
//! meeting's dumps (its chat, its moderation), handed to apps that may
//! download them.

use std::time::Duration;

use chat_protocol::{Content, Event, FileId, FileRef, MeetingId, Message};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Which of a meeting's dumps a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dump {
    /// Its messages (RealtimeKit's chat export).
    Chat,
    /// Its moderation: who muted, removed, let back, deleted, reported,
    /// dismissed or changed the settings, and when.
    Moderation,
}

impl Dump {
    /// The kind tag signed into the link, so one dump's link never opens
    /// another (files' tags are their variants').
    fn tag(self) -> &'static str {
        match self {
            Self::Chat => "dump",
            Self::Moderation => "audit",
        }
    }

    /// The file's name in the link's path, and in its download.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Chat => "chat.csv",
            Self::Moderation => "moderation.csv",
        }
    }
}

/// Which rendition of a file a URL is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The uploaded bytes.
    Original,
    /// An image's thumbnail.
    Thumbnail,
}

impl Variant {
    fn tag(self) -> &'static str {
        match self {
            Self::Original => "o",
            Self::Thumbnail => "t",
        }
    }
}

/// Why a signed URL was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Past its expiry.
    #[error("the link has expired")]
    Expired,
    /// Not made by this server for this file.
    #[error("the link's signature is invalid")]
    Invalid,
}

/// Signs and checks file URLs.
#[derive(Clone)]
pub struct UrlSigner {
    key: Vec<u8>,
    ttl: Duration,
    prefix: String,
}

impl UrlSigner {
    /// A signer whose key is derived from the server secret, so that a leaked
    /// URL signature says nothing about the token key.
    pub fn new(secret: &[u8], ttl: Duration, public_url: Option<&str>) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
        mac.update(b"meeting-chat file urls v1");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
            ttl,
            prefix: public_url.unwrap_or("").trim_end_matches('/').to_owned(),
        }
    }

    fn signature(&self, id: &FileId, variant: Variant, exp: u64) -> HmacSha256 {
        self.signature_of(&id.0, variant.tag(), exp)
    }

    /// The MAC over what a URL names (`subject`, of the kind `tag`) and its expiry.
    fn signature_of(&self, subject: &str, tag: &str, exp: u64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(subject.as_bytes());
        mac.update(b"\0");
        mac.update(tag.as_bytes());
        mac.update(b"\0");
        mac.update(exp.to_string().as_bytes());
        mac
    }

    /// The URL of `id`'s `variant`, valid from `now_secs` for at least the TTL.
    /// Expiry is rounded up to the hour so one file has one URL per hour,
    /// which keeps browser caches useful.
    pub fn url(&self, id: &FileId, variant: Variant, now_secs: u64) -> String {
        let exp = (now_secs + self.ttl.as_secs()).div_ceil(3600) * 3600;
        let sig = hex::encode(self.signature(id, variant, exp).finalize().into_bytes());
        let suffix = match variant {
            Variant::Original => "",
            Variant::Thumbnail => "/thumb",
        };
        format!("{}/api/v1/files/{}{suffix}?exp={exp}&sig={sig}", self.prefix, id.0)
    }

    /// Checks a signature from a URL's query.
    pub fn verify(
        &self,
        id: &FileId,
        variant: Variant,
        exp: u64,
        sig: &str,
        now_secs: u64,
    ) -> Result<(), SignatureError> {
        let sig = hex::decode(sig).map_err(|_| SignatureError::Invalid)?;
        self.signature(id, variant, exp).verify_slice(&sig).map_err(|_| SignatureError::Invalid)?;
        if exp < now_secs {
            return Err(SignatureError::Expired);
        }
        Ok(())
    }

    /// The link to `meeting`'s `dump`, valid until `exp` (seconds since the epoch).
    pub fn dump_url(&self, meeting: &MeetingId, dump: Dump, exp: u64) -> String {
        let sig = hex::encode(self.signature_of(&meeting.0, dump.tag(), exp).finalize().into_bytes());
        let path = percent_encoding::utf8_percent_encode(&meeting.0, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/api/v1/meetings/{path}/{}?exp={exp}&sig={sig}", self.prefix, dump.file_name())
    }

    /// Checks a dump link's signature.
    pub fn verify_dump(
        &self,
        meeting: &MeetingId,
        dump: Dump,
        exp: u64,
        sig: &str,
        now_secs: u64,
    ) -> Result<(), SignatureError> {
        let sig = hex::decode(sig).map_err(|_| SignatureError::Invalid)?;
        self.signature_of(&meeting.0, dump.tag(), exp).verify_slice(&sig).map_err(|_| SignatureError::Invalid)?;
        if exp < now_secs {
            return Err(SignatureError::Expired);
        }
        Ok(())
    }

    /// Fills in a file reference's URLs.
    pub fn sign_file(&self, file: &mut FileRef, now_secs: u64) {
        file.url = self.url(&file.id, Variant::Original, now_secs);
        file.thumbnail_url = file.width.map(|_| self.url(&file.id, Variant::Thumbnail, now_secs));
    }

    /// Fills in the file URLs of the message an event carries, if any.
    pub fn sign_event(&self, event: &mut Event, now_secs: u64) {
        if let Event::MessageCreated { message } | Event::MessageEdited { message } = event {
            self.sign_message(message, now_secs);
        }
    }

    /// Fills in the URLs of a message's file, if it has one.
    pub fn sign_message(&self, message: &mut Message, now_secs: u64) {
        match &mut message.content {
            Content::Image { file } | Content::File { file } | Content::Audio { file } => {
                self.sign_file(file, now_secs)
            }
            Content::Text { .. } | Content::Deleted => {}
        }
        for attachment in &mut message.attachments {
            self.sign_file(attachment, now_secs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> (u64, String) {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let mut exp = 0;
        let mut sig = String::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("exp", v)) => exp = v.parse().unwrap_or_default(),
                Some(("sig", v)) => sig = v.to_owned(),
                _ => {}
            }
        }
        (exp, sig)
    }

    #[test]
    fn a_url_verifies_until_it_expires() {
        let signer = UrlSigner::new(b"secret", Duration::from_secs(60), None);
        let id = FileId::from("f1");
        let (exp, sig) = parts(&signer.url(&id, Variant::Original, 1_000));
        assert!(exp >= 1_060);
        assert_eq!(signer.verify(&id, Variant::Original, exp, &sig, 1_000), Ok(()));
        assert_eq!(signer.verify(&id, Variant::Original, exp, &sig, exp + 1), Err(SignatureError::Expired));
    }

    #[test]
    fn a_signature_is_bound_to_its_file_variant_and_expiry() {
        let signer = UrlSigner::new(b"secret", Duration::from_secs(60), None);
        let id = FileId::from("f1");
        let (exp, sig) = parts(&signer.url(&id, Variant::Original, 1_000));
        assert_eq!(
            signer.verify(&FileId::from("f2"), Variant::Original, exp, &sig, 1_000),
            Err(SignatureError::Invalid)
        );
        assert_eq!(signer.verify(&id, Variant::Thumbnail, exp, &sig, 1_000), Err(SignatureError::Invalid));
        assert_eq!(signer.verify(&id, Variant::Original, exp + 3600, &sig, 1_000), Err(SignatureError::Invalid));
        let other = UrlSigner::new(b"other", Duration::from_secs(60), None);
        assert_eq!(other.verify(&id, Variant::Original, exp, &sig, 1_000), Err(SignatureError::Invalid));
    }
}
