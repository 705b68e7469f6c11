//! Webhooks: each configured endpoint is told everything in the outbox
//! ([`crate::store::outbox`]), in order, at least once: signed like the hook
//! ([`crate::signing`]), named by an id the receiver can drop duplicates by,
//! and retried with doubling waits until it answers 2xx or the delivery is
//! older than the give-up age (then it is marked dead and logged). Every
//! endpoint has its own task and cursor: a slow or dead one delays nobody,
//! and its backlog is rows in the database, not memory. In a cluster each
//! endpoint is leased to one node, so each item goes out once, in order.

use std::sync::Arc;
use std::time::Duration;

use chat_protocol::Event;
use serde_json::{json, Value};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::WebhookConfig;
use crate::metrics::{DeliveryLabels, DeliveryResult, EndpointLabels, Metrics};
use crate::signed_url::UrlSigner;
use crate::signing::{sign, SIGNATURE_HEADER};
use crate::store::outbox::{Outbox, OutboxBody, OutboxItem};

/// The header naming a delivery; the same on every attempt.
pub const DELIVERY_HEADER: &str = "x-meeting-chat-delivery";
/// The header naming a delivery's type.
pub const EVENT_HEADER: &str = "x-meeting-chat-event";

/// Items read from the outbox at a time.
const BATCH: u32 = 100;
/// How often an endpoint with nothing to send looks again.
const POLL: Duration = Duration::from_millis(200);
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// How long a node's claim on an endpoint lasts unless renewed; a node that
/// dies hands its endpoints to another within this.
const LEASE_MS: i64 = 10_000;
/// How often a node that does not hold an endpoint's lease looks again.
const LEASE_RETRY: Duration = Duration::from_secs(2);

/// Runs every endpoint's deliveries until `shutdown`, as `node` of the cluster.
/// File links in deliveries are signed by `signer`; attempts and backlogs
/// are counted in `metrics`.
pub async fn run(
    outbox: Arc<dyn Outbox>,
    config: WebhookConfig,
    signer: UrlSigner,
    metrics: Arc<Metrics>,
    node: Arc<str>,
    shutdown: CancellationToken,
) {
    let client = match reqwest::Client::builder().timeout(config.timeout).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhooks cannot start: no HTTP client");
            return;
        }
    };
    let config = Arc::new(config);
    let mut endpoints = JoinSet::new();
    for url in config.urls.clone() {
        let endpoint = Endpoint {
            url,
            client: client.clone(),
            config: Arc::clone(&config),
            signer: signer.clone(),
            metrics: Arc::clone(&metrics),
            node: Arc::clone(&node),
        };
        endpoints.spawn(endpoint.run(Arc::clone(&outbox), shutdown.clone()));
    }
    while endpoints.join_next().await.is_some() {}
}

/// What a delivery's type is called and says, its file links signed;
/// `None` for outbox items that are not for apps.
pub fn payload(item: &OutboxItem, signer: &UrlSigner) -> Option<(String, Value)> {
    let (kind, seq, audience, data) = match &item.body {
        OutboxBody::Event(stored) => {
            let mut event = stored.envelope.event.clone();
            signer.sign_event(&mut event, crate::clock::unix_secs());
            let kind = match &event {
                Event::MessageCreated { .. } => "message.created",
                Event::MessageEdited { .. } => "message.edited",
                Event::MessageDeleted { .. } => "message.deleted",
                Event::MessagePinned { .. } => "message.pinned",
                Event::MessageUnpinned { .. } => "message.unpinned",
                Event::ParticipantMuted { .. } => "participant.muted",
                Event::ParticipantUnmuted { .. } => "participant.unmuted",
                Event::ParticipantRemoved { .. } => "participant.removed",
                Event::MessageReported { .. } => "message.reported",
                Event::ReportsDismissed { .. } => "message.reportsDismissed",
                _ => return None,
            };
            let data = serde_json::to_value(&event).ok()?;
            (kind.to_owned(), Some(stored.envelope.seq), stored.audience.only.clone(), data)
        }
        OutboxBody::Notice { kind, payload } => (kind.clone(), None, None, payload.clone()),
    };
    let body = json!({
        "id": delivery_id(item),
        "type": kind,
        "meetingId": item.meeting,
        "createdAt": item.created_at,
        "seq": seq,
        // Who may see it: `null` for the whole meeting, else the sender and recipients (for a
        // mute, the participant; the hosts see it too).
        "audience": audience,
        "data": data,
    });
    Some((kind, body))
}

fn delivery_id(item: &OutboxItem) -> String {
    format!("whk_{}", item.id)
}

/// One endpoint's deliveries.
struct Endpoint {
    url: String,
    client: reqwest::Client,
    config: Arc<WebhookConfig>,
    signer: UrlSigner,
    metrics: Arc<Metrics>,
    /// This node, as the holder of the endpoint's lease.
    node: Arc<str>,
}

impl Endpoint {
    async fn run(self, outbox: Arc<dyn Outbox>, shutdown: CancellationToken) {
        loop {
            let claim = || outbox.claim(&self.url, &self.node, crate::clock::now_ms(), LEASE_MS);
            let Some(claimed) = self.retrying(&shutdown, claim).await else { return };
            let Some(mut cursor) = claimed else {
                // Another node delivers to this endpoint; take over if its lease lapses.
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(LEASE_RETRY) => continue,
                }
            };
            let Some(items) = self.retrying(&shutdown, || outbox.items_after(cursor, BATCH)).await else { return };
            if items.is_empty() {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(POLL) => continue,
                }
            }
            for item in items {
                let dead = match payload(&item, &self.signer) {
                    Some((kind, body)) => match self.deliver(&item, &kind, &body, &outbox, &shutdown).await {
                        Some(dead) => dead,
                        None => return,
                    },
                    None => None,
                };
                let advance = || outbox.advance(&self.url, &self.node, item.id, dead.as_deref());
                match self.retrying(&shutdown, advance).await {
                    None => return,
                    // The lease went to another node (this one stalled past it): it resumes from the cursor.
                    Some(false) => break,
                    Some(true) => cursor = item.id,
                }
            }
            if let Ok(backlog) = outbox.backlog(cursor).await {
                let labels = EndpointLabels { endpoint: self.url.clone() };
                self.metrics.webhook_backlog.get_or_create(&labels).set(i64::try_from(backlog).unwrap_or(i64::MAX));
            }
        }
    }

    fn count(&self, result: DeliveryResult) {
        let labels = DeliveryLabels { endpoint: self.url.clone(), result };
        self.metrics.webhook_deliveries.get_or_create(&labels).inc();
    }

    /// Delivers one item until it is taken or too old. `Some(None)` when
    /// delivered, `Some(Some(why))` when given up on, `None` on shutdown.
    async fn deliver(
        &self,
        item: &OutboxItem,
        kind: &str,
        body: &Value,
        outbox: &Arc<dyn Outbox>,
        shutdown: &CancellationToken,
    ) -> Option<Option<String>> {
        let bytes = body.to_string();
        let id = delivery_id(item);
        let give_up_at =
            item.created_at.saturating_add(i64::try_from(self.config.give_up_after.as_millis()).unwrap_or(i64::MAX));
        let mut wait = FIRST_BACKOFF;
        loop {
            let failure = match self.attempt(&id, kind, &bytes).await {
                Ok(()) => {
                    self.count(DeliveryResult::Delivered);
                    return Some(None);
                }
                Err(failure) => failure,
            };
            self.count(DeliveryResult::Failed);
            if crate::clock::now_ms() >= give_up_at {
                self.count(DeliveryResult::Dead);
                tracing::error!(endpoint = %self.url, delivery = %id, %failure, "webhook delivery given up on (dead)");
                return Some(Some(failure));
            }
            tracing::warn!(endpoint = %self.url, delivery = %id, %failure, retry_in_ms = wait.as_millis() as u64, "webhook delivery failed");
            tokio::select! {
                () = shutdown.cancelled() => return None,
                () = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(self.config.max_backoff);
            // Keep the lease through a long run of retries; a failed renewal
            // is noticed when the cursor will not advance.
            let _ = outbox.claim(&self.url, &self.node, crate::clock::now_ms(), LEASE_MS).await;
        }
    }

    async fn attempt(&self, id: &str, kind: &str, body: &str) -> Result<(), String> {
        let timestamp = crate::clock::unix_secs();
        let response = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(&self.config.secret, timestamp, body.as_bytes()))
            .header(DELIVERY_HEADER, id)
            .header(EVENT_HEADER, kind)
            .body(body.to_owned())
            .send()
            .await
            .map_err(|error| error.to_string())?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("answered {}", response.status()))
        }
    }

    /// Runs a storage call until it succeeds (storage may be restarting);
    /// `None` on shutdown.
    async fn retrying<T, F, Fut>(&self, shutdown: &CancellationToken, mut call: F) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, crate::store::StoreError>>,
    {
        loop {
            match call().await {
                Ok(value) => return Some(value),
                Err(error) => tracing::warn!(endpoint = %self.url, %error, "webhook outbox unreadable; trying again"),
            }
            tokio::select! {
                () = shutdown.cancelled() => return None,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}
