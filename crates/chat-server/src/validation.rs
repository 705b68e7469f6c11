//! Checks on what a client sends, before anything is stored: lengths, sizes,
//! recipients. The limits themselves are the protocol's shared rules
//! ([`chat_protocol::rules`]); this adds what only the server checks (ids,
//! recipient normalization, page sizes).

use chat_protocol::{rules, Limits, NewContent, ParticipantId};
use serde_json::{Map, Value};

use crate::error::DomainError;

/// Longest accepted id (client id, participant id in targets), in bytes.
pub const MAX_ID_BYTES: usize = 128;

/// Checks content being sent or edited, with the number of attachments it
/// carries (text alone may carry them; it may then be empty).
pub fn check_content(content: &NewContent, attachments: usize, limits: &Limits) -> Result<(), DomainError> {
    match content {
        NewContent::Text { text } => Ok(rules::check_text(text, attachments, limits)?),
        _ if attachments > 0 => Err(DomainError::InvalidRequest("only a text message carries attachments".into())),
        NewContent::Image { file_id } | NewContent::File { file_id } | NewContent::Audio { file_id } => {
            check_id("fileId", file_id.as_str())
        }
    }
}

/// Checks the serialized size of metadata and details together.
pub fn check_metadata(
    metadata: &Map<String, Value>,
    details: &Map<String, Value>,
    limits: &Limits,
) -> Result<(), DomainError> {
    Ok(rules::check_metadata(metadata, details, limits)?)
}

/// Checks an id is non-empty and of sane length.
pub fn check_id(field: &str, id: &str) -> Result<(), DomainError> {
    if id.trim().is_empty() || id.len() > MAX_ID_BYTES {
        return Err(DomainError::InvalidRequest(format!("{field} must be 1 to {MAX_ID_BYTES} bytes")));
    }
    Ok(())
}

/// Checks and normalizes private recipients: valid ids, no duplicates, the
/// sender removed (they always see their own message). A list naming only the
/// sender is refused: it would make a message nobody else can see by accident.
pub fn normalize_targets(
    targets: &[ParticipantId],
    sender: &ParticipantId,
    limits: &Limits,
) -> Result<Vec<ParticipantId>, DomainError> {
    rules::check_target_count(targets.len(), limits)?;
    let mut normalized: Vec<ParticipantId> = Vec::with_capacity(targets.len());
    for target in targets {
        check_id("targets", target.as_str())?;
        if target != sender && !normalized.contains(target) {
            normalized.push(target.clone());
        }
    }
    if normalized.is_empty() && !targets.is_empty() {
        return Err(DomainError::InvalidRequest("a private message needs a recipient other than its sender".into()));
    }
    Ok(normalized)
}

/// Checks and normalizes mentions: at most `max_targets`, valid ids, no
/// duplicates; in a private message only its members (`sender` and
/// `targets`), since nobody else will ever see it.
pub fn normalize_mentions(
    mentions: &[ParticipantId],
    sender: &ParticipantId,
    targets: &[ParticipantId],
    limits: &Limits,
) -> Result<Vec<ParticipantId>, DomainError> {
    if mentions.len() > limits.max_targets {
        return Err(DomainError::InvalidRequest(format!(
            "a message mentions at most {} participants",
            limits.max_targets
        )));
    }
    let mut normalized: Vec<ParticipantId> = Vec::with_capacity(mentions.len());
    for mention in mentions {
        check_id("mentions", mention.as_str())?;
        let member = targets.is_empty() || mention == sender || targets.contains(mention);
        if member && !normalized.contains(mention) {
            normalized.push(mention.clone());
        }
    }
    Ok(normalized)
}

/// Checks a history page size.
pub fn check_page_size(limit: u32, limits: &Limits) -> Result<(), DomainError> {
    if limit == 0 || limit > limits.max_page_size {
        return Err(DomainError::InvalidRequest(format!("limit must be 1 to {}", limits.max_page_size)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chat_protocol::RuleViolation;
    use serde_json::json;

    use super::*;

    #[test]
    fn content_checks_use_the_shared_text_rule() {
        let limits = Limits::default();
        let text = |t: String| NewContent::Text { text: t };
        assert!(check_content(&text("é".repeat(4_000)), 0, &limits).is_ok());
        let long = check_content(&text("a".repeat(4_001)), 0, &limits);
        assert!(matches!(long, Err(DomainError::Rule(RuleViolation::TextTooLong { len: 4_001, .. }))));
        let mut big = Map::new();
        big.insert("k".into(), json!("x".repeat(4_096)));
        assert!(matches!(
            check_metadata(&big, &Map::new(), &limits),
            Err(DomainError::Rule(RuleViolation::MetadataTooLarge { .. }))
        ));
    }

    #[test]
    fn targets_are_deduplicated_and_exclude_the_sender() {
        let limits = Limits::default();
        let me = ParticipantId::from("me");
        let ids = |v: &[&str]| v.iter().map(|s| ParticipantId::from(*s)).collect::<Vec<_>>();
        assert_eq!(normalize_targets(&ids(&["a", "me", "a", "b"]), &me, &limits).ok(), Some(ids(&["a", "b"])));
        assert!(normalize_targets(&ids(&["me"]), &me, &limits).is_err());
        assert!(normalize_targets(&ids(&[""]), &me, &limits).is_err());
        let many: Vec<ParticipantId> = (0..=limits.max_targets).map(|i| ParticipantId(i.to_string())).collect();
        assert!(matches!(
            normalize_targets(&many, &me, &limits),
            Err(DomainError::Rule(RuleViolation::TooManyTargets { .. }))
        ));
    }

    #[test]
    fn page_size_must_be_within_bounds() {
        let limits = Limits::default();
        assert!(check_page_size(0, &limits).is_err());
        assert!(check_page_size(500, &limits).is_ok());
        assert!(check_page_size(501, &limits).is_err());
    }
}
