//! The list both faces show, by position: confirmed messages in `seq` order,
//! then the local echoes. Each row has a [`MessageKey`] that stays the same
//! from local echo to confirmed message, so a view keeps the row (its DOM
//! node, its measured height, its focus) across the ack. Row `i` and a key's
//! row are found in O(log n) at most.

use std::fmt;

use chat_protocol::{ClientId, Message, MessageId, MessageKind, ParticipantId, Seq};

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

/// Some rows of one conversation, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationPage {
    /// Their rows (positions in the timeline).
    pub rows: Vec<usize>,
    /// Whether older messages of the conversation exist, loaded or on the server.
    pub has_older: bool,
    /// Whether newer ones are loaded.
    pub has_newer: bool,
}

/// Whether `message` is in a conversation: the meeting's own (`with` is
/// `None`: sent to everyone) or the private one with `with`.
pub fn in_conversation(message: &Message, with: Option<&ParticipantId>) -> bool {
    match with {
        None => message.targets.is_empty(),
        Some(peer) => message.in_conversation_with(peer),
    }
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

    /// Loaded rows of a conversation created before `before` (all when
    /// `None`), newest first. The meeting's conversation walks the timeline
    /// back from `before`, skipping private messages; a private one walks
    /// only the private index.
    fn conversation_rows_before<'a>(
        &'a self,
        with: Option<&'a ParticipantId>,
        before: Option<Seq>,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        let timeline = self.timeline();
        let end = before.map_or(timeline.len(), |seq| timeline.rows_before(seq));
        match with {
            None => Box::new((0..end).rev().filter(move |i| timeline.at(*i).is_some_and(|m| in_conversation(m, None)))),
            Some(peer) => Box::new(
                timeline
                    .private()
                    .rev()
                    .filter(move |m| m.in_conversation_with(peer))
                    .filter_map(move |m| timeline.position_of_seq(m.seq))
                    .filter(move |i| *i < end),
            ),
        }
    }

    /// Up to `size` messages of a conversation created before `before` (the
    /// newest when `None`), oldest first.
    pub fn conversation_before(
        &self,
        with: Option<&ParticipantId>,
        before: Option<Seq>,
        size: usize,
    ) -> ConversationPage {
        let mut rows: Vec<usize> = self.conversation_rows_before(with, before).take(size + 1).collect();
        let older_loaded = rows.len() > size;
        rows.truncate(size);
        rows.reverse();
        let newest = rows.last().and_then(|i| self.timeline().at(*i)).map(|m| m.seq);
        ConversationPage {
            has_older: older_loaded || self.has_more_in(with),
            has_newer: newest.is_some_and(|seq| self.has_newer_in(with, seq)),
            rows,
        }
    }

    /// Up to `size` messages of a conversation created after `after`, oldest first.
    pub fn conversation_after(&self, with: Option<&ParticipantId>, after: Seq, size: usize) -> ConversationPage {
        let timeline = self.timeline();
        let start = timeline.rows_before(after.saturating_add(1));
        let mut rows: Vec<usize> = (start..timeline.len())
            .filter(|i| timeline.at(*i).is_some_and(|m| in_conversation(m, with)))
            .take(size + 1)
            .collect();
        let has_newer = rows.len() > size;
        rows.truncate(size);
        ConversationPage { has_older: true, has_newer, rows }
    }

    fn has_newer_in(&self, with: Option<&ParticipantId>, seq: Seq) -> bool {
        let timeline = self.timeline();
        (timeline.rows_before(seq.saturating_add(1))..timeline.len())
            .any(|i| timeline.at(i).is_some_and(|m| in_conversation(m, with)))
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
