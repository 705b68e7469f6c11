//! What an operator watches: counters, gauges and latency histograms in the
//! Prometheus/OpenMetrics text format (the `prometheus-client` crate), served
//! at `/metrics`, on its own address when one is configured.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The content type of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// An HTTP request's route, method and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The matched route (`/api/v1/uploads`), or `unmatched`.
    pub route: String,
    /// The method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// An error code sent to a client.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabels {
    /// The protocol's error code (`rate_limited`, ...).
    pub code: String,
}

/// How a webhook delivery attempt ended.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
pub enum DeliveryResult {
    /// The endpoint took it.
    Delivered,
    /// The attempt failed; it will be retried.
    Failed,
    /// Given up on.
    Dead,
}

/// A webhook endpoint and, for deliveries, the outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    /// The endpoint's URL.
    pub endpoint: String,
    /// How it ended.
    pub result: DeliveryResult,
}

/// A webhook endpoint.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EndpointLabels {
    /// The endpoint's URL.
    pub endpoint: String,
}

/// Every metric the server keeps.
pub struct Metrics {
    registry: Registry,
    /// Open WebSocket connections.
    pub connections: Gauge,
    /// Meetings with someone connected.
    pub meetings: Gauge,
    /// Frames received from clients.
    pub frames_in: Counter,
    /// Frames written to clients.
    pub frames_out: Counter,
    /// Messages stored.
    pub messages_stored: Counter,
    /// Events queued to connections.
    pub deliveries: Counter,
    /// Connections closed for reading too slowly.
    pub slow_consumer_closes: Counter,
    /// Errors sent to clients, by code (rate-limit refusals are `rate_limited`).
    pub errors: Family<CodeLabels, Counter>,
    /// Bytes of files uploaded.
    pub upload_bytes: Counter,
    /// HTTP request latency in seconds.
    pub requests: Family<RequestLabels, Histogram>,
    /// How long the message hook took to answer, in seconds.
    pub hook_latency: Histogram,
    /// Webhook delivery attempts.
    pub webhook_deliveries: Family<DeliveryLabels, Counter>,
    /// Deliveries waiting per webhook endpoint.
    pub webhook_backlog: Family<EndpointLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms to about 16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("chat");
        let metrics = Self {
            connections: Gauge::default(),
            meetings: Gauge::default(),
            frames_in: Counter::default(),
            frames_out: Counter::default(),
            messages_stored: Counter::default(),
            deliveries: Counter::default(),
            slow_consumer_closes: Counter::default(),
            errors: Family::default(),
            upload_bytes: Counter::default(),
            requests: Family::new_with_constructor(latency_histogram),
            hook_latency: latency_histogram(),
            webhook_deliveries: Family::default(),
            webhook_backlog: Family::default(),
            registry: Registry::default(),
        };
        registry.register("connections", "Open WebSocket connections", metrics.connections.clone());
        registry.register("meetings", "Meetings with someone connected", metrics.meetings.clone());
        registry.register("frames_in", "Frames received from clients", metrics.frames_in.clone());
        registry.register("frames_out", "Frames written to clients", metrics.frames_out.clone());
        registry.register("messages_stored", "Messages stored", metrics.messages_stored.clone());
        registry.register("deliveries", "Events queued to connections", metrics.deliveries.clone());
        registry.register(
            "slow_consumer_closes",
            "Connections closed for reading too slowly",
            metrics.slow_consumer_closes.clone(),
        );
        registry.register("errors", "Errors sent to clients, by code", metrics.errors.clone());
        registry.register("upload_bytes", "Bytes of files uploaded", metrics.upload_bytes.clone());
        registry.register("http_request_seconds", "HTTP request latency", metrics.requests.clone());
        registry.register("hook_seconds", "How long the message hook took to answer", metrics.hook_latency.clone());
        registry.register("webhook_deliveries", "Webhook delivery attempts", metrics.webhook_deliveries.clone());
        registry.register(
            "webhook_backlog",
            "Deliveries waiting per webhook endpoint",
            metrics.webhook_backlog.clone(),
        );
        Self { registry, ..metrics }
    }
}

impl Metrics {
    /// Everything, in the OpenMetrics text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
