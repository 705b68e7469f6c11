//! chat-core: the client's chat state as a pure reducer over protocol events
//! and local intents. It performs no I/O; the client issue fills it in.
#![deny(missing_docs)]

pub use chat_protocol as protocol;
