//! One message a bot is shown, and what it answers: `respond` replies to it
//! (privately when it was private), `message` speaks to the meeting.

use chat_protocol::{ClientFrame, ClientId, Message, NewContent, ParticipantId, Puppet, RequestId};

/// A message from someone else, and the answers the handler gives.
pub struct Incoming<'a> {
    message: &'a Message,
    answers: Vec<Answer>,
}

/// An answer to be sent.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Answer {
    text: String,
    reply_to: Option<chat_protocol::MessageId>,
    targets: Vec<ParticipantId>,
    as_sender: Option<Puppet>,
}

impl<'a> Incoming<'a> {
    pub(crate) fn new(message: &'a Message) -> Self {
        Self { message, answers: Vec::new() }
    }

    /// The message.
    pub fn message(&self) -> &Message {
        self.message
    }

    /// Its text, or `None` for a file or an image.
    pub fn text(&self) -> Option<&str> {
        match &self.message.content {
            chat_protocol::Content::Text { text } => Some(text),
            _ => None,
        }
    }

    /// Replies to the message: to its sender alone when it was private (a
    /// private message's readers are its sender and targets), else to all.
    pub fn respond(&mut self, text: impl Into<String>) {
        let targets = if self.message.targets.is_empty() { Vec::new() } else { vec![self.message.sender.id.clone()] };
        self.answers.push(Answer {
            text: text.into(),
            reply_to: Some(self.message.id.clone()),
            targets,
            as_sender: None,
        });
    }

    /// Says something to the whole meeting.
    pub fn say(&mut self, text: impl Into<String>) {
        self.answers.push(Answer { text: text.into(), reply_to: None, targets: Vec::new(), as_sender: None });
    }

    /// Says something as a character of the service's own (services only;
    /// the server refuses it from anyone else), to `targets` or to all.
    pub fn say_as(&mut self, puppet: Puppet, text: impl Into<String>, targets: Vec<ParticipantId>) {
        self.answers.push(Answer { text: text.into(), reply_to: None, targets, as_sender: Some(puppet) });
    }

    /// The answers as frames, each with a client id made of the message's
    /// id and its place: handling the same message again after a reconnect
    /// names the same ids, and the server stores nothing twice.
    pub(crate) fn into_frames(self) -> Vec<(ClientId, Answer)> {
        let id = &self.message.id;
        self.answers
            .into_iter()
            .enumerate()
            .map(|(n, answer)| (ClientId::from(format!("bot:{}:{n}", id.0)), answer))
            .collect()
    }
}

impl Answer {
    pub(crate) fn frame(&self, req_id: RequestId, client_id: ClientId) -> ClientFrame {
        ClientFrame::Send {
            req_id,
            client_id,
            content: NewContent::Text { text: self.text.clone() },
            reply_to: self.reply_to.clone(),
            forwarded_from: None,
            targets: self.targets.clone(),
            metadata: Default::default(),
            details: Default::default(),
            attachments: Vec::new(),
            as_sender: self.as_sender.clone(),
        }
    }
}
