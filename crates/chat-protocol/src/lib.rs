//! The meeting-chat wire protocol: every frame the client and the server exchange
//! over the WebSocket, as serde types, in one place.
//!
//! Frames are JSON text messages tagged by `type`, field names in camelCase.
//! A connection starts with [`ClientFrame::Auth`]; the server answers with
//! [`ServerFrame::Welcome`] or closes with [`close_code::AUTH_FAILED`].
//! Every change in a meeting is an [`EventEnvelope`] with a per-meeting `seq`;
//! every client request carries a `reqId` answered by exactly one
//! [`ServerFrame::Ack`] or [`ServerFrame::Error`].
//!
//! The protocol is versioned by [`PROTOCOL_VERSION`]: a client states the
//! version it speaks in its `Auth` frame and the server refuses versions it
//! does not know with [`ErrorCode::UnsupportedVersion`].
#![deny(missing_docs)]

// `#[derive(TagFirst)]` names this crate by path, from inside it too.
extern crate self as chat_protocol;

pub mod as_object;
pub mod chat_dump;
mod client;
mod error;
mod event;
mod ids;
mod limits;
mod message;
mod moderation;
mod polls;
pub mod rules;
mod server;
pub mod tag_first;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod wire_name;

pub use client::{ClientFrame, DeleteScope, NewContent, Puppet};
pub use error::{ErrorCode, ErrorFrame};
pub use event::{Event, EventEnvelope};
pub use ids::{ClientId, FileId, MeetingId, MessageId, ParticipantId, PollId, RequestId, Seq};
pub use limits::Limits;
pub use message::{conversation_id, Content, FileRef, Message, MessageKind, Reaction, Sender, UnknownKind};
pub use moderation::{MeetingSettings, Mute, PrivateChatPolicy, Report, SendPolicy};
pub use polls::{Poll, PollOption, PollTally, PollVote};
pub use rules::RuleViolation;
pub use server::{
    AckResult, Participant, PresenceDelta, RateBucket, ReadState, Role, Seen, ServerFrame, TypingCrowd, TypingNotice,
};

/// The protocol version this crate describes.
pub const PROTOCOL_VERSION: u32 = 7;

/// WebSocket close codes the server uses, beyond the standard ones.
pub mod close_code {
    /// The first frame was not a valid `Auth` frame, the token was missing,
    /// invalid or expired, or no `Auth` frame arrived within the deadline.
    pub const AUTH_FAILED: u16 = 4001;
    /// The client speaks a protocol version the server does not; an error
    /// frame with the server's version precedes the close.
    pub const UNSUPPORTED_VERSION: u16 = 4002;
    /// A host removed this participant from the meeting's chat: do not
    /// reconnect; every connection is refused so until a host lets them back.
    pub const REMOVED: u16 = 4003;
    /// The client did not drain its send queue fast enough. It should
    /// reconnect and resume from its last seen `seq`.
    pub const SLOW_CONSUMER: u16 = 4008;
    /// The server is shutting down or restarting; reconnect with backoff.
    pub const GOING_AWAY: u16 = 1001;
}

/// Parses one client frame from its JSON text.
pub fn parse_client_frame(text: &str) -> Result<ClientFrame, serde_json::Error> {
    serde_json::from_str(text)
}

/// Parses one server frame from its JSON text.
pub fn parse_server_frame(text: &str) -> Result<ServerFrame, serde_json::Error> {
    serde_json::from_str(text)
}
