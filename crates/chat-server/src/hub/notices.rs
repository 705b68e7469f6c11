//! Notices for apps, in one place: the message hook asked before a message
//! is stored, and what goes out through the webhook outbox: offline
//! notifications for members who are away (`offline.rs`) and a meeting's
//! chat once it is over (`synced.rs`).

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use chat_protocol::{MeetingId, ParticipantId};

use super::hook::{HookDraft, HookReport, MessageHook, Rewritable};
use super::offline;
use crate::cluster::Cluster;
use crate::config::Config;
use crate::error::DomainError;
use crate::metrics::Metrics;
use crate::signed_url::UrlSigner;
use crate::store::outbox::Outbox;
use crate::store::roster::Roster;
use crate::store::Store;

/// What notices for apps need: the outbox they go through, and who the
/// meetings' members are.
pub struct Notices {
    /// The webhook outbox.
    pub outbox: Arc<dyn Outbox>,
    /// Meeting members.
    pub roster: Arc<dyn Roster>,
}

/// The hook, and the notices owed to apps.
pub(crate) struct AppNotices {
    pub(super) hook: Option<MessageHook>,
    /// Where notices go, when webhooks are configured.
    pub(super) sinks: Option<Notices>,
    /// Meetings whose last person left, each with the mark of that leaving.
    pub(super) emptied: Mutex<HashMap<MeetingId, u64>>,
    pub(super) next_mark: AtomicU64,
    /// Offline notices owed, by meeting and member, until the grace period ends.
    pub(super) owed: Mutex<HashMap<(MeetingId, ParticipantId), offline::Owed>>,
    pub(super) store: Arc<dyn Store>,
    pub(super) cluster: Option<Arc<Cluster>>,
    pub(super) signer: UrlSigner,
    pub(super) config: Arc<Config>,
    pub(super) metrics: Arc<Metrics>,
}

impl AppNotices {
    pub(crate) fn new(
        sinks: Option<Notices>,
        store: Arc<dyn Store>,
        cluster: Option<Arc<Cluster>>,
        signer: UrlSigner,
        config: Arc<Config>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            hook: config.hook.clone().map(MessageHook::new),
            sinks,
            emptied: Mutex::new(HashMap::new()),
            next_mark: AtomicU64::new(1),
            owed: Mutex::new(HashMap::new()),
            store,
            cluster,
            signer,
            config,
            metrics,
        }
    }

    /// Whether a message hook is configured.
    pub(crate) fn has_hook(&self) -> bool {
        self.hook.is_some()
    }

    /// Asks the message hook (when there is one) about a message about to be
    /// stored, and applies its verdict to `parts`; returns the fields it
    /// changed. A rewrite that breaks the rules counts as an unusable answer.
    pub(crate) async fn consult_hook(
        &self,
        draft: HookDraft<'_>,
        parts: Rewritable<'_>,
        details: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Vec<String>, DomainError> {
        let Some(message_hook) = &self.hook else { return Ok(Vec::new()) };
        let asked = std::time::Instant::now();
        let verdict = message_hook.check(&draft).await;
        self.metrics.hook_latency.observe(asked.elapsed().as_secs_f64());
        let verdict = verdict?;
        let (sender, attachments) = (draft.sender.id.clone(), draft.attachments.len());
        match verdict.apply(parts, &sender, attachments, details, &self.config.limits) {
            Err(DomainError::Rejected(reason)) => Err(DomainError::Rejected(reason)),
            Err(broken) => message_hook.unusable(&broken.to_string(), draft.meeting).map(|()| Vec::new()),
            Ok(modified) => Ok(modified),
        }
    }

    /// Shows the message hook (when there is one) a report about to be stored;
    /// its rejection refuses the report.
    pub(crate) async fn consult_hook_on_report(&self, report: HookReport<'_>) -> Result<(), DomainError> {
        let Some(message_hook) = &self.hook else { return Ok(()) };
        let asked = std::time::Instant::now();
        let verdict = message_hook.check_report(&report).await;
        self.metrics.hook_latency.observe(asked.elapsed().as_secs_f64());
        verdict
    }
}
