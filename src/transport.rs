//! Transport: the chat socket and the widget's session over it.
//!
//! [`session`] owns the chat state and applies inputs; the reconnect loop it
//! runs (backoff, resume from the last `seq`, one connection's pump) is the
//! `chat-session` crate the bot shares. Only `browser` touches a real WebSocket.

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(test)]
pub mod fake_connector;
pub mod session;
