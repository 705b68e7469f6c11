//! What operators and load balancers ask: `/healthz` (the process is up),
//! `/readyz` (storage answers and the server is not draining), `/metrics`,
//! and the middleware that times every HTTP request.

use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chat_protocol::MeetingId;

use super::state::App;
use crate::metrics::{RequestLabels, CONTENT_TYPE};

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 while storage answers and the server is not draining, else 503.
pub async fn readyz(State(app): State<App>) -> Response {
    if app.draining.load(Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining").into_response();
    }
    match app.hub.store_reachable(&MeetingId::from("readyz")).await {
        Ok(()) => "ready".into_response(),
        Err(error) => {
            tracing::warn!(%error, "not ready: storage does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "storage unreachable").into_response()
        }
    }
}

/// `GET /metrics`: every metric in the OpenMetrics text format.
pub async fn metrics(State(app): State<App>) -> Response {
    let metrics = app.hub.metrics();
    metrics.meetings.set(i64::try_from(app.hub.live_meetings()).unwrap_or(i64::MAX));
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], metrics.render()).into_response()
}

/// Times a request and counts it by route, method and status.
pub async fn track(State(app): State<App>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = RequestLabels { route, method, status: response.status().as_u16() };
    app.hub.metrics().requests.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    response
}
