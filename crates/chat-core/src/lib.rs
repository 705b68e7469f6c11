//! chat-core: the client's chat state as a pure reducer.
//!
//! [`ChatState::apply`] takes one [`Input`] (a server frame, a connection
//! change, an upload's progress, or a local [`Intent`]) and the current time,
//! updates the state, and returns the [`Effect`]s to perform: frames to send,
//! changes to announce, operations to resolve or reject, the outbox to save.
//! It does no I/O and knows no browser, runtime or socket, so every behaviour
//! is tested natively.
//!
//! Messages sent locally appear at once as [`LocalEcho`]es keyed by their
//! client id (uploading → pending → confirmed, or failed with a reason) and
//! are swapped for the server's message on ack. Unacked sends are re-sent
//! with the same client id after a reconnect; the server deduplicates.
#![deny(missing_docs)]

mod echo;
mod effect;
mod input;
mod rows;
mod seq_set;
mod state;
mod timeline;

pub use chat_protocol as protocol;
pub use echo::{Attachment, DraftContent, EchoStatus, LocalEcho, OutboxEntry};
pub use effect::{Change, Effect, OpError, OpId, Outcome};
pub use input::{Draft, Input, Intent, NewPoll, SettingsChange};
pub use rows::{in_conversation, ConversationPage, MessageKey, Row};
pub use state::{ChatState, ConnectionState, Conversation};
pub use timeline::Timeline;

/// Messages per history page the core asks for when it needs one.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
