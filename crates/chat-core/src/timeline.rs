//! Confirmed messages in `seq` order, found by id.

use std::collections::{BTreeMap, HashMap};

use chat_protocol::{Message, MessageId, Seq};

/// Server messages ordered by the `seq` of their creation.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    by_seq: BTreeMap<Seq, Message>,
    seq_of: HashMap<MessageId, Seq>,
}

impl Timeline {
    /// Adds a message, or replaces the stored one with the same id.
    /// Returns whether it was new.
    pub fn upsert(&mut self, message: Message) -> bool {
        let new = match self.seq_of.insert(message.id.clone(), message.seq) {
            Some(old_seq) if old_seq != message.seq => {
                self.by_seq.remove(&old_seq);
                false
            }
            Some(_) => false,
            None => true,
        };
        self.by_seq.insert(message.seq, message);
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
        self.seq_of.get(id).and_then(|seq| self.by_seq.get(seq))
    }

    /// Changes the message with this id in place; returns whether it exists.
    pub fn update(&mut self, id: &MessageId, change: impl FnOnce(&mut Message)) -> bool {
        match self.seq_of.get(id).and_then(|seq| self.by_seq.get_mut(seq)) {
            Some(message) => {
                change(message);
                true
            }
            None => false,
        }
    }

    /// Removes a message; returns it.
    pub fn remove(&mut self, id: &MessageId) -> Option<Message> {
        let seq = self.seq_of.remove(id)?;
        self.by_seq.remove(&seq)
    }

    /// Messages, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.by_seq.values()
    }

    /// How many messages are loaded.
    pub fn len(&self) -> usize {
        self.by_seq.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.by_seq.is_empty()
    }

    /// The oldest loaded message's `seq`.
    pub fn oldest_seq(&self) -> Option<Seq> {
        self.by_seq.keys().next().copied()
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.by_seq.clear();
        self.seq_of.clear();
    }
}
