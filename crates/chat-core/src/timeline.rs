//! Confirmed messages in `seq` order, found by id or by position.
//!
//! A deque sorted by `seq`: new messages append at the back and older pages
//! prepend at the front, both O(1) each, and a view can read row `i` or find
//! a message's row in O(log n), which a virtualized list of 100,000 needs.
//! Pinned and private messages are indexed too, so the pinned bar and the
//! private chat selector never walk the whole timeline.

use std::collections::{HashMap, VecDeque};

use chat_protocol::{ClientId, Message, MessageId, ParticipantId, Seq};

use crate::seq_set::SeqSet;

/// Which indexes a message belongs in.
#[derive(Clone, Copy)]
struct Memberships {
    pinned: bool,
    private: bool,
}

impl Memberships {
    fn of(message: &Message) -> Self {
        Self { pinned: message.pinned, private: !message.targets.is_empty() }
    }
}

/// Server messages ordered by the `seq` of their creation.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    messages: VecDeque<Message>,
    seq_of: HashMap<MessageId, Seq>,
    /// By sender and client id, so a sender's message is found by the id its echo had.
    seq_of_client: HashMap<(ParticipantId, ClientId), Seq>,
    pinned: SeqSet,
    private: SeqSet,
    revision: u64,
}

impl Timeline {
    /// Adds a message, or replaces the stored one with the same id.
    /// Returns whether it was new.
    pub fn upsert(&mut self, message: Message) -> bool {
        let new = match self.seq_of.insert(message.id.clone(), message.seq) {
            Some(old_seq) if old_seq != message.seq => {
                if let Ok(index) = self.index_of_seq(old_seq) {
                    self.messages.remove(index);
                }
                self.pinned.remove(old_seq);
                self.private.remove(old_seq);
                self.revision += 1;
                false
            }
            Some(_) => false,
            None => true,
        };
        self.index(message.seq, Memberships::of(&message));
        self.seq_of_client.insert((message.sender.id.clone(), message.client_id.clone()), message.seq);
        match self.index_of_seq(message.seq) {
            Ok(index) => self.messages[index] = message,
            Err(index) if index == self.messages.len() => self.messages.push_back(message),
            Err(index) => {
                self.revision += 1;
                self.messages.insert(index, message);
            }
        }
        new
    }

    /// Adds a message only if its id is unknown; returns whether it did.
    pub fn insert_if_absent(&mut self, message: Message) -> bool {
        if self.seq_of.contains_key(&message.id) {
            return false;
        }
        self.upsert(message)
    }

    /// The message with this id.
    pub fn get(&self, id: &MessageId) -> Option<&Message> {
        self.position(id).map(|index| &self.messages[index])
    }

    /// The message at row `index`, oldest first.
    pub fn at(&self, index: usize) -> Option<&Message> {
        self.messages.get(index)
    }

    /// The row of the message with this id.
    pub fn position(&self, id: &MessageId) -> Option<usize> {
        self.seq_of.get(id).and_then(|seq| self.index_of_seq(*seq).ok())
    }

    /// The row of the message `sender` sent with `client_id`.
    pub fn position_by_client(&self, sender: &ParticipantId, client_id: &ClientId) -> Option<usize> {
        let seq = self.seq_of_client.get(&(sender.clone(), client_id.clone()))?;
        self.index_of_seq(*seq).ok()
    }

    /// Changes the message with this id in place; returns whether it exists.
    /// The change must not alter its `seq`, which orders the timeline.
    pub fn update(&mut self, id: &MessageId, change: impl FnOnce(&mut Message)) -> bool {
        match self.position(id) {
            Some(index) => {
                let message = &mut self.messages[index];
                let seq = message.seq;
                change(message);
                message.seq = seq;
                let memberships = Memberships::of(message);
                self.index(seq, memberships);
                true
            }
            None => false,
        }
    }

    /// Removes a message; returns it.
    pub fn remove(&mut self, id: &MessageId) -> Option<Message> {
        let seq = self.seq_of.remove(id)?;
        let index = self.index_of_seq(seq).ok()?;
        let message = &self.messages[index];
        self.seq_of_client.remove(&(message.sender.id.clone(), message.client_id.clone()));
        self.pinned.remove(seq);
        self.private.remove(seq);
        self.revision += 1;
        self.messages.remove(index)
    }

    /// Messages, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> + ExactSizeIterator {
        self.messages.iter()
    }

    /// How many messages are loaded.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The oldest loaded message's `seq`.
    pub fn oldest_seq(&self) -> Option<Seq> {
        self.messages.front().map(|m| m.seq)
    }

    /// A number that changes whenever messages already here change position:
    /// one added before the newest, one removed. A message appended after the
    /// newest leaves it as it is (the timeline just grows), and so does a
    /// change in place, so a view can tell an append from a reshuffle.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Drops the oldest `count` messages.
    pub fn forget_oldest(&mut self, count: usize) {
        for message in self.messages.drain(..count.min(self.messages.len())) {
            self.seq_of.remove(&message.id);
            self.seq_of_client.remove(&(message.sender.id, message.client_id));
            self.pinned.remove(message.seq);
            self.private.remove(message.seq);
        }
        self.revision += 1;
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.messages.clear();
        self.seq_of.clear();
        self.seq_of_client.clear();
        self.pinned.clear();
        self.private.clear();
        self.revision += 1;
    }

    /// Pinned messages, oldest first.
    pub fn pinned(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.pinned.iter().filter_map(|seq| self.by_seq(seq))
    }

    /// Private messages (those with targets), oldest first.
    pub fn private(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.private.iter().filter_map(|seq| self.by_seq(seq))
    }

    /// How many loaded messages were created before `seq`: the row a message
    /// at `seq` has or would have.
    pub fn rows_before(&self, seq: Seq) -> usize {
        self.messages.partition_point(|m| m.seq < seq)
    }

    /// The row of the message created at `seq`.
    pub fn position_of_seq(&self, seq: Seq) -> Option<usize> {
        self.index_of_seq(seq).ok()
    }

    fn by_seq(&self, seq: Seq) -> Option<&Message> {
        self.index_of_seq(seq).ok().map(|index| &self.messages[index])
    }

    /// Files the message at `seq` under the indexes it belongs to, and out of the others.
    fn index(&mut self, seq: Seq, memberships: Memberships) {
        for (set, member) in [(&mut self.pinned, memberships.pinned), (&mut self.private, memberships.private)] {
            if member {
                set.insert(seq);
            } else {
                set.remove(seq);
            }
        }
    }

    fn index_of_seq(&self, seq: Seq) -> Result<usize, usize> {
        self.messages.binary_search_by_key(&seq, |m| m.seq)
    }
}
