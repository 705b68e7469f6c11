//! The state every handler shares: the domain, token keys, settings, and
//! what shutting down needs (the signal, the draining flag, the open sockets).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::TokenKeys;
use crate::config::Config;
use crate::hub::Hub;

/// State shared by every handler.
#[derive(Clone)]
pub struct App {
    /// The domain.
    pub hub: Arc<Hub>,
    /// Token keys.
    pub keys: TokenKeys,
    /// Settings.
    pub config: Arc<Config>,
    /// Cancelled when the server shuts down; open sockets close with 1001.
    pub shutdown: CancellationToken,
    /// Set when shutdown began: `/readyz` says no while sockets still work.
    pub draining: Arc<AtomicBool>,
    /// The open WebSocket connections, which outlive their HTTP request.
    pub sockets: TaskTracker,
}
