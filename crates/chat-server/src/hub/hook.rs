//! The message hook (Moobius' service, SAMA's modify): before a message or
//! an edit is stored, the server POSTs the draft, signed ([`crate::signing`]),
//! to the configured app, and waits up to a deadline for its verdict: accept,
//! reject with a reason, or rewrite the text, recipients or metadata. A
//! report of a message is shown to it the same way (who reported what, and
//! why), so an app can moderate by itself; it accepts or rejects a report. A hook
//! that is slow, down or unreadable is handled by the configured policy.
//! It is asked before the room's lock is taken, so it never holds up other
//! messages of the meeting, let alone other meetings.

use std::time::Duration;

use chat_protocol::{FileRef, MeetingId, MessageId, ParticipantId, Sender};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::{HookConfig, HookPolicy};
use crate::error::DomainError;
use crate::signing::{sign, SIGNATURE_HEADER};

/// What the hook is shown: the message about to be stored.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookDraft<'a> {
    /// `message.create` or `message.edit`.
    #[serde(rename = "type")]
    pub event: &'static str,
    /// The meeting.
    pub meeting: &'a MeetingId,
    /// For an edit, the message edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<&'a MessageId>,
    /// Who sends it.
    pub sender: &'a Sender,
    /// `text`, `image`, `file` or `audio`.
    pub kind: &'static str,
    /// The text, for a text message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    /// Its files' metadata (not their bytes).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub attachments: &'a [FileRef],
    /// Private recipients; empty for everyone.
    pub targets: &'a [ParticipantId],
    /// The message it replies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<&'a MessageId>,
    /// The message it forwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<&'a MessageId>,
    /// Application data.
    pub metadata: &'a Map<String, Value>,
}

/// What the hook is shown of a report: who reported which message, and why.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookReport<'a> {
    /// `message.report`.
    #[serde(rename = "type")]
    pub event: &'static str,
    /// The meeting.
    pub meeting: &'a MeetingId,
    /// The message reported.
    pub message_id: &'a MessageId,
    /// Its sender.
    pub sender: &'a Sender,
    /// Its text, for a text message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    /// Who reported it.
    pub reporter: &'a ParticipantId,
    /// Why.
    pub reason: &'a str,
}

/// What the hook answered.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase", deny_unknown_fields)]
pub enum Verdict {
    /// Store it as sent.
    Accept,
    /// Store nothing; the sender is told why.
    Reject {
        /// Why, for the sender.
        reason: String,
    },
    /// Store and deliver this instead; absent fields stay as sent.
    Rewrite {
        /// New text.
        #[serde(default)]
        text: Option<String>,
        /// New recipients.
        #[serde(default)]
        targets: Option<Vec<ParticipantId>>,
        /// New metadata.
        #[serde(default)]
        metadata: Option<Map<String, Value>>,
    },
}

/// Asks the configured hook.
pub struct MessageHook {
    client: reqwest::Client,
    config: HookConfig,
}

/// Why the hook gave no usable verdict.
#[derive(Debug, thiserror::Error)]
enum Unusable {
    #[error("the hook did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the hook could not be reached: {0}")]
    Unreachable(reqwest::Error),
    #[error("the hook answered HTTP {0}")]
    Status(u16),
    #[error("the hook's answer is not a verdict: {0}")]
    Garbled(String),
}

impl MessageHook {
    /// A hook as configured.
    pub fn new(config: HookConfig) -> Self {
        Self { client: reqwest::Client::new(), config }
    }

    /// The hook's verdict on `draft`; when it has none in time, the policy's:
    /// accept (open) or a retryable `hook_unavailable` error (closed).
    pub async fn check(&self, draft: &HookDraft<'_>) -> Result<Verdict, DomainError> {
        match self.ask(draft).await {
            Ok(verdict) => Ok(verdict),
            Err(why) => self.unusable(&why.to_string(), draft.meeting).map(|()| Verdict::Accept),
        }
    }

    /// The hook's verdict on a report: accepted (or no usable answer under
    /// the open policy), or rejected with the hook's reason.
    pub async fn check_report(&self, report: &HookReport<'_>) -> Result<(), DomainError> {
        match self.ask(report).await {
            Ok(Verdict::Accept) => Ok(()),
            Ok(Verdict::Reject { reason }) => Err(DomainError::Rejected(reason)),
            Ok(Verdict::Rewrite { .. }) => self.unusable("a report cannot be rewritten", report.meeting),
            Err(why) => self.unusable(&why.to_string(), report.meeting),
        }
    }

    /// The policy's answer when the hook gave nothing usable: go on as sent
    /// (open, logged) or a retryable `hook_unavailable` error (closed).
    pub fn unusable(&self, why: &str, meeting: &MeetingId) -> Result<(), DomainError> {
        match self.config.policy {
            HookPolicy::Open => {
                tracing::warn!(error = why, %meeting, "message hook unusable; accepting as sent");
                Ok(())
            }
            HookPolicy::Closed => {
                tracing::warn!(error = why, %meeting, "message hook unusable; refusing");
                Err(DomainError::HookUnavailable)
            }
        }
    }

    async fn ask(&self, shown: &impl Serialize) -> Result<Verdict, Unusable> {
        let body = serde_json::to_vec(shown).map_err(|e| Unusable::Garbled(e.to_string()))?;
        let signature = sign(&self.config.secret, crate::clock::unix_secs(), &body);
        let request = self
            .client
            .post(&self.config.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send();
        let timeout = self.config.timeout;
        let answer = async {
            let response = request.await.map_err(Unusable::Unreachable)?;
            if !response.status().is_success() {
                return Err(Unusable::Status(response.status().as_u16()));
            }
            let bytes = response.bytes().await.map_err(Unusable::Unreachable)?;
            serde_json::from_slice::<Verdict>(&bytes).map_err(|e| Unusable::Garbled(e.to_string()))
        };
        tokio::time::timeout(timeout, answer).await.map_err(|_| Unusable::Timeout(timeout))?
    }
}

/// What a rewrite may change of a message about to be stored.
pub struct Rewritable<'a> {
    /// Its content (only a text's text changes).
    pub content: &'a mut crate::store::StoredContent,
    /// Its recipients, normalized.
    pub targets: &'a mut Vec<ParticipantId>,
    /// Its metadata.
    pub metadata: &'a mut Map<String, Value>,
}

impl Verdict {
    /// Applies this verdict to `parts`, checked by the same rules as what a
    /// client sends (`sender` is left out of recipients, sizes are limited);
    /// returns the names of the fields it changed.
    pub fn apply(
        self,
        parts: Rewritable<'_>,
        sender: &ParticipantId,
        attachments: usize,
        details: &Map<String, Value>,
        limits: &chat_protocol::Limits,
    ) -> Result<Vec<String>, DomainError> {
        let (text, targets, metadata) = match self {
            Self::Accept => return Ok(Vec::new()),
            Self::Reject { reason } => return Err(DomainError::Rejected(reason)),
            Self::Rewrite { text, targets, metadata } => (text, targets, metadata),
        };
        let mut modified = Vec::new();
        if let Some(text) = text {
            let crate::store::StoredContent::Text(current) = parts.content else {
                return Err(DomainError::InvalidRequest("only a text message's text can be rewritten".into()));
            };
            chat_protocol::rules::check_text(&text, attachments, limits)?;
            if *current != text {
                *current = text;
                modified.push("text".to_owned());
            }
        }
        if let Some(targets) = targets {
            let targets = crate::validation::normalize_targets(&targets, sender, limits)?;
            if *parts.targets != targets {
                *parts.targets = targets;
                modified.push("targets".to_owned());
            }
        }
        if let Some(metadata) = metadata {
            crate::validation::check_metadata(&metadata, details, limits)?;
            if *parts.metadata != metadata {
                *parts.metadata = metadata;
                modified.push("metadata".to_owned());
            }
        }
        Ok(modified)
    }
}
