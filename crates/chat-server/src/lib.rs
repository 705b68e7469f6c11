//! chat-server: the meeting-chat server.
//!
//! Rooms, kept apart; data flows down the list, never back up:
//! - transport: [`api`] (the shared state and router, the WebSocket, uploads
//!   and downloads, the REST API, the chat export, health and metrics, the
//!   serve loop, extractors and `ApiError`). Only it speaks HTTP; nothing
//!   else imports it or axum (`tests/rooms.rs` holds the tree to that);
//! - domain: [`hub`] (meetings, sequencing, fan-out, the message hook, files),
//!   [`error`] (`DomainError`), [`permissions`], [`rate_limit`], [`validation`],
//!   [`webhooks`] (telling apps what happened), [`media`], [`auth`];
//! - storage: [`store`] (traits) with [`store::sqlite`] as the default engine,
//!   [`store::postgres`] for more than one node, [`store::memory`] for domain
//!   tests, and [`store::files`] for uploaded bytes;
//! - between nodes: [`cluster`] (Redis: announcements, presence, shared limits).
//!
//! `main.rs` adds the command line to [`api::app`].
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod error;
pub mod hub;
pub mod media;
pub mod metrics;
pub mod permissions;
pub mod rate_limit;
pub mod signed_url;
pub mod signing;
pub mod store;
pub mod validation;
pub mod webhooks;

pub use api::app::{build_app, ServeError};
pub use api::state::App;
pub use config::Config;
