//! A participant's conversations: the meeting's and the private ones, who
//! an answer goes to, and how far each one's pages reach.

use chat_protocol::{Message, MessageId, ParticipantId};

use super::ChatState;

/// A private conversation: the other participants in it and its latest message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Everyone in it but this participant, sorted.
    pub peers: Vec<ParticipantId>,
    /// Its most recent loaded message.
    pub last_message: MessageId,
    /// How many of its messages are loaded.
    pub count: usize,
}

impl ChatState {
    /// Private conversations, most recent first: each distinct group of
    /// other participants this one exchanged private messages with.
    pub fn private_conversations(&self) -> Vec<Conversation> {
        let Some(me) = self.me.as_ref() else { return Vec::new() };
        let mut conversations: Vec<Conversation> = Vec::new();
        for message in self.timeline.private() {
            let mut peers: Vec<ParticipantId> = message
                .targets
                .iter()
                .chain(std::iter::once(&message.sender.id))
                .filter(|p| *p != &me.id)
                .cloned()
                .collect();
            peers.sort();
            peers.dedup();
            match conversations.iter_mut().find(|c| c.peers == peers) {
                Some(conversation) => {
                    conversation.last_message = message.id.clone();
                    conversation.count += 1;
                }
                None => conversations.push(Conversation { peers, last_message: message.id.clone(), count: 1 }),
            }
        }
        conversations.sort_by_key(|c| std::cmp::Reverse(self.timeline.get(&c.last_message).map_or(0, |m| m.seq)));
        conversations
    }

    /// The recipients of a message in `message`'s conversation: none (everyone)
    /// for a meeting message; for a private one, its sender and recipients
    /// but this participant, so an answer keeps the same audience.
    pub fn conversation_targets(&self, message: &Message) -> Vec<ParticipantId> {
        if message.targets.is_empty() {
            return Vec::new();
        }
        let me = self.me.as_ref().map(|p| &p.id);
        let mut targets: Vec<ParticipantId> = Vec::with_capacity(message.targets.len() + 1);
        for id in message.targets.iter().chain(std::iter::once(&message.sender.id)) {
            if Some(id) != me && !targets.contains(id) {
                targets.push(id.clone());
            }
        }
        targets
    }

    /// Whether older messages of a conversation may exist on the server: the
    /// private one with `with`, or (with `None`) any.
    pub fn has_more_in(&self, with: Option<&ParticipantId>) -> bool {
        match with {
            None => self.has_more,
            Some(peer) => self.has_more && self.private_pages(peer).is_none_or(|pages| pages.has_more),
        }
    }

    /// The current conversation: the private one with this participant, or the meeting's.
    pub fn current_conversation(&self) -> Option<&ParticipantId> {
        self.current.as_ref()
    }
}
