//! The list both faces show, by position: confirmed messages in `seq` order,
//! then the local echoes. Each row has a [`MessageKey`] that stays the same
//! from local echo to confirmed message, so a view keeps the row (its DOM
//! node, its measured height, its focus) across the ack. Row `i` and a key's
//! row are found in O(log n) at most.

use std::fmt;

use chat_protocol::{ClientId, Message, MessageId, MessageKind, ParticipantId};

use crate::echo::LocalEcho;
use crate::state::ChatState;

/// Prefix of local keys in their string form; no server id starts with it.
const LOCAL_PREFIX: &str = "local-";

/// A row's lasting identity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageKey {
    /// One of this participant's messages, by the client id it was sent with:
    /// an echo, and the confirmed message it became.
    Local(ClientId),
    /// Someone else's message, by the server's id.
    Remote(MessageId),
}

impl MessageKey {
    /// Reads a key from its string form ([`fmt::Display`]).
    pub fn parse(key: &str) -> Self {
        match key.strip_prefix(LOCAL_PREFIX) {
            Some(client_id) => Self::Local(client_id.into()),
            None => Self::Remote(key.into()),
        }
    }
}

impl fmt::Display for MessageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(client_id) => write!(f, "{LOCAL_PREFIX}{client_id}"),
            Self::Remote(id) => f.write_str(id.as_str()),
        }
    }
}

/// One row.
#[derive(Clone, Copy, Debug)]
pub enum Row<'a> {
    /// A confirmed message.
    Sent(&'a Message),
    /// A local message waiting for its ack.
    Local(&'a LocalEcho),
}

/// A range of confirmed rows, `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRange {
    /// The first row.
    pub start: usize,
    /// One past the last row.
    pub end: usize,
}

impl ChatState {
    /// How many rows there are: confirmed messages, then echoes.
    pub fn row_count(&self) -> usize {
        self.timeline().len() + self.echoes().len()
    }

    /// Row `index`.
    pub fn row(&self, index: usize) -> Option<Row<'_>> {
        let sent = self.timeline().len();
        if index < sent {
            self.timeline().at(index).map(Row::Sent)
        } else {
            self.echoes().get(index - sent).map(Row::Local)
        }
    }

    /// The key of a confirmed message.
    pub fn message_key(&self, message: &Message) -> MessageKey {
        if self.me().is_some_and(|me| me.id == message.sender.id) {
            MessageKey::Local(message.client_id.clone())
        } else {
            MessageKey::Remote(message.id.clone())
        }
    }

    /// The key of a row.
    pub fn row_key(&self, row: Row<'_>) -> MessageKey {
        match row {
            Row::Sent(message) => self.message_key(message),
            Row::Local(echo) => MessageKey::Local(echo.client_id.clone()),
        }
    }

    /// The row of the confirmed message with this key.
    pub fn timeline_position(&self, key: &MessageKey) -> Option<usize> {
        match key {
            MessageKey::Remote(id) => self.timeline().position(id),
            MessageKey::Local(client_id) => {
                self.me().and_then(|me| self.timeline().position_by_client(&me.id, client_id))
            }
        }
    }

    /// The row with this key, confirmed or local.
    pub fn row_index(&self, key: &MessageKey) -> Option<usize> {
        self.timeline_position(key).or_else(|| match key {
            MessageKey::Local(client_id) => self.echo_row(client_id),
            MessageKey::Remote(_) => None,
        })
    }

    /// The row of the echo with this client id.
    pub fn echo_row(&self, client_id: &ClientId) -> Option<usize> {
        let index = self.echoes().iter().position(|e| &e.client_id == client_id)?;
        Some(self.timeline().len() + index)
    }

    /// The key and row of the confirmed message with this id.
    pub(crate) fn located(&self, id: &MessageId) -> Option<(MessageKey, usize)> {
        let index = self.timeline().position(id)?;
        let message = self.timeline().at(index)?;
        Some((self.message_key(message), index))
    }

    /// Pinned messages with their rows, oldest first, read from the pinned index.
    pub fn pinned_rows(&self) -> impl Iterator<Item = (usize, &Message)> {
        self.timeline().pinned().filter_map(|m| Some((self.timeline().position_of_seq(m.seq)?, m)))
    }

    /// Messages sent by `user`, with their rows.
    pub fn messages_by_user<'a>(&'a self, user: &'a ParticipantId) -> impl Iterator<Item = (usize, &'a Message)> {
        self.timeline().iter().enumerate().filter(move |(_, m)| &m.sender.id == user)
    }

    /// Messages of one kind (tombstones have none), with their rows.
    pub fn messages_by_kind(&self, kind: MessageKind) -> impl Iterator<Item = (usize, &Message)> {
        self.timeline().iter().enumerate().filter(move |(_, m)| m.content.kind() == Some(kind))
    }

    /// The `size` confirmed rows just before the message `before` (the newest
    /// when `None` or not loaded), and whether older ones exist, loaded or
    /// on the server.
    pub fn page_before(&self, before: Option<&MessageId>, size: usize) -> (RowRange, bool) {
        let end = before.and_then(|id| self.timeline().position(id)).unwrap_or(self.timeline().len());
        let start = end.saturating_sub(size);
        (RowRange { start, end }, start > 0 || self.has_more())
    }

    /// The newest text message this participant may edit ("Up edits your
    /// last message"); searched from the newest back, only when asked.
    pub fn last_editable_text(&self) -> Option<&Message> {
        self.timeline()
            .iter()
            .rev()
            .find(|m| self.can_edit(m) && matches!(m.content, chat_protocol::Content::Text { .. }))
    }
}
