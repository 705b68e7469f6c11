//! chat-server: the meeting-chat server.
//!
//! Three rooms, kept apart:
//! - transport: [`ws`] (the WebSocket upgrade and a socket loop generic over
//!   `Sink`/`Stream`), [`http`] (uploads, file downloads, dev tokens);
//! - domain: [`hub`] (meetings, sequencing, fan-out, the message hook), [`permissions`],
//!   [`rate_limit`], [`validation`], [`webhooks`] (telling apps what happened);
//! - storage: [`store`] (traits) with [`store::sqlite`] as the default engine,
//!   [`store::postgres`] for more than one node, [`store::memory`] for domain
//!   tests, and [`store::files`] for uploaded bytes;
//! - between nodes: [`cluster`] (Redis: announcements, presence, shared limits).
//!
//! [`app`] wires them into an axum `Router`; `main.rs` adds the command line.
#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod cluster;
pub mod config;
pub mod error;
pub mod export;
pub mod http;
pub mod hub;
pub mod media;
pub mod metrics;
pub mod ops;
pub mod permissions;
pub mod rate_limit;
pub mod rest;
pub mod serve;
pub mod signed_url;
pub mod signing;
pub mod store;
pub mod validation;
pub mod webhooks;
pub mod ws;

pub use app::{build_app, App, ServeError};
pub use config::Config;

/// Milliseconds since the Unix epoch, the protocol's time unit.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}
