//! The reconnecting chat session the widget and `chat-bot` both run.
//!
//! A [`Link`] keeps a participant connected: it opens a socket through a
//! [`Connector`], sends the auth frame (resuming from the peer's last
//! `seq`), pumps one connection ([`connection`]), and after a drop waits
//! with exponential backoff and full jitter ([`backoff`]) before the next
//! attempt, until closed or refused. What the frames mean is the
//! [`Peer`]'s business (the widget's chat state, the bot's driver). No I/O
//! of its own: the connector opens sockets and sleeps, so the same loop runs
//! on the browser's WebSocket, on tokio-tungstenite, and on channels in tests.

#![deny(missing_docs)]

pub mod backoff;
pub mod connection;
mod link;

pub use backoff::Backoff;
pub use connection::{LoopEnd, SocketEvent};
pub use link::{Connector, Link, Next, Peer};
