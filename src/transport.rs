//! Transport: the chat socket and its reconnect loop.
//!
//! [`socket_loop`] pumps one connection (auth first, then frames both ways)
//! over any `Sink`/`Stream`; [`session`] owns the chat state, applies inputs,
//! routes effects, and reconnects with [`backoff`] after a drop, resuming from
//! the last `seq`. Only `browser` touches a real WebSocket.

pub mod backoff;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(test)]
pub mod fake_connector;
pub mod session;
pub mod socket_loop;
