//! Reading a conversation a page at a time: which page a history or search
//! read asks for ([`PageQuery`], from the frame through the store to the
//! SQL), and what it returns ([`MessagePage`]).

use chat_protocol::{Message, ParticipantId, Seq};

/// Which page: messages with `seq` below `before` (from the newest when
/// `None`), at most `limit` of them, and with `with`, only those of the
/// private conversation with that participant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageQuery {
    /// Below which `seq`, if not from the newest.
    pub before: Option<Seq>,
    /// At most how many.
    pub limit: u32,
    /// The other participant of a private conversation, for its messages alone.
    pub with: Option<ParticipantId>,
}

/// A page of messages: history's oldest first, search hits newest first.
#[derive(Clone, Debug)]
pub struct MessagePage {
    /// The messages.
    pub messages: Vec<Message>,
    /// Whether older ones exist.
    pub has_more: bool,
}
