//! One message a bot is shown, as Self's chat service hands it over: read it
//! (it derefs to the [`Message`]), and answer with `respond` (a reply in the
//! same conversation), `message` (the same conversation, no reply) or `send`.

use std::ops::Deref;

use chat_core::Draft;
use chat_protocol::{ClientId, Message, MessageId, ParticipantId, Puppet};
use serde_json::{Map, Value};

/// Who a message goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// The whole meeting.
    Everyone,
    /// Only these participants (and the sender): a private message.
    Only(Vec<ParticipantId>),
}

impl From<ParticipantId> for Recipient {
    fn from(participant: ParticipantId) -> Self {
        Self::Only(vec![participant])
    }
}

/// What else a message says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageOptions {
    /// The message this one answers (Self's `rid`).
    pub reply_to: Option<MessageId>,
    /// The character to send as (services only; the server refuses it from
    /// anyone else with `forbidden`).
    pub as_sender: Option<Puppet>,
    /// Application data.
    pub metadata: Map<String, Value>,
}

impl MessageOptions {
    /// Options that answer `message`.
    pub fn reply_to(message: &MessageId) -> Self {
        Self { reply_to: Some(message.clone()), ..Self::default() }
    }

    /// Options that send as `puppet`.
    pub fn as_puppet(puppet: Puppet) -> Self {
        Self { as_sender: Some(puppet), ..Self::default() }
    }
}

/// The draft for `text` to `to` with `options`.
pub(crate) fn draft(to: Recipient, text: String, options: MessageOptions) -> Draft {
    let targets = match to {
        Recipient::Everyone => Vec::new(),
        Recipient::Only(participants) => participants,
    };
    Draft {
        reply_to: options.reply_to,
        targets,
        metadata: options.metadata,
        as_sender: options.as_sender,
        ..Draft::text(text)
    }
}

/// A new message from someone else, and the answers its handler gives.
pub struct ChatMessage<'a> {
    message: &'a Message,
    /// Who shares its conversation besides the bot: an answer goes to them.
    conversation: Recipient,
    answers: Vec<Draft>,
}

impl<'a> ChatMessage<'a> {
    pub(crate) fn new(message: &'a Message, conversation: Vec<ParticipantId>) -> Self {
        let conversation = if conversation.is_empty() { Recipient::Everyone } else { Recipient::Only(conversation) };
        Self { message, conversation, answers: Vec::new() }
    }

    /// Its text, or `None` for a file or an image.
    pub fn body(&self) -> Option<&str> {
        match &self.message.content {
            chat_protocol::Content::Text { text } => Some(text),
            _ => None,
        }
    }

    /// Replies to it in its conversation: privately to the same people when
    /// it was private, else to everyone.
    pub fn respond(&mut self, text: impl Into<String>) {
        let options = MessageOptions::reply_to(&self.message.id);
        self.send(self.conversation.clone(), text, options);
    }

    /// Says something in its conversation, not as a reply.
    pub fn message(&mut self, text: impl Into<String>) {
        self.send(self.conversation.clone(), text, MessageOptions::default());
    }

    /// Sends anything to anyone, e.g. as a puppet to the sender alone.
    pub fn send(&mut self, to: Recipient, text: impl Into<String>, options: MessageOptions) {
        self.answers.push(draft(to, text.into(), options));
    }

    /// The answers, each with a client id made of the message's id and its
    /// place: were the same message handled again, the same ids would be
    /// named and the server would store nothing twice.
    pub(crate) fn into_answers(self) -> Vec<(ClientId, Draft)> {
        let id = &self.message.id;
        self.answers
            .into_iter()
            .enumerate()
            .map(|(n, answer)| (ClientId::from(format!("bot:{}:{n}", id.0)), answer))
            .collect()
    }
}

impl Deref for ChatMessage<'_> {
    type Target = Message;

    fn deref(&self) -> &Message {
        self.message
    }
}
