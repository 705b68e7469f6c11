//! The transport: everything that speaks HTTP or WebSocket. The shared state
//! ([`state`]), the router with start and shutdown ([`app`]), the socket ([`socket`]), uploads and downloads
//! ([`files`]), the REST API for apps ([`rest`]), the chat dump's link and CSV
//! ([`export`]), health and metrics ([`ops`]), the serve loop ([`serve`]),
//! what a request proves about its caller ([`extractors`]) and how a refusal
//! is answered ([`error`]). It translates and calls the domain ([`crate::hub`]);
//! nothing outside this folder imports it or axum.

pub mod app;
pub mod error;
pub mod export;
pub mod extractors;
pub mod files;
pub mod ops;
pub mod rest;
pub mod serve;
pub mod socket;
pub mod state;
