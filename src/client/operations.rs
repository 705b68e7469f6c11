//! Operations in flight: each intent the client hands the core gets an id
//! and a future, settled when the core resolves or rejects that id.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chat_core::{OpError, OpId, Outcome};
use chat_protocol::{MessageId, Participant};
use futures::channel::oneshot;
use futures::FutureExt;

use super::{closed, OpResult};

type Answer = Result<Outcome, OpError>;

/// The operations waiting for the server.
#[derive(Default)]
pub(super) struct Operations {
    waiting: RefCell<HashMap<OpId, oneshot::Sender<Answer>>>,
    next: Cell<OpId>,
}

impl Operations {
    /// A fresh operation id and the receiver of its answer.
    pub(super) fn open(&self) -> (OpId, oneshot::Receiver<Answer>) {
        let op = self.next.get() + 1;
        self.next.set(op);
        let (tx, rx) = oneshot::channel();
        self.waiting.borrow_mut().insert(op, tx);
        (op, rx)
    }

    /// Answers an operation; a caller that stopped waiting is no error.
    pub(super) fn settle(&self, op: OpId, answer: Answer) {
        let waiting = self.waiting.borrow_mut().remove(&op);
        if let Some(tx) = waiting {
            let _ = tx.send(answer);
        }
    }
}

pub(super) fn answered(rx: oneshot::Receiver<Answer>) -> impl std::future::Future<Output = Answer> {
    rx.map(|answer| answer.unwrap_or_else(|_| Err(closed())))
}

/// A send's outcome: the stored message's id.
pub(super) fn sent(rx: oneshot::Receiver<Answer>) -> OpResult<MessageId> {
    answered(rx)
        .map(|answer| match answer? {
            Outcome::Sent(id) => Ok(id),
            other => Err(unexpected(&other)),
        })
        .boxed_local()
}

/// A change's outcome.
pub(super) fn done(rx: oneshot::Receiver<Answer>) -> OpResult<()> {
    answered(rx).map(|answer| answer.map(|_| ())).boxed_local()
}

/// A page's outcome: how many messages were new, and whether older ones exist.
pub(super) fn page(rx: oneshot::Receiver<Answer>) -> OpResult<(usize, bool)> {
    answered(rx)
        .map(|answer| match answer? {
            Outcome::Page { added, has_more } => Ok((added, has_more)),
            other => Err(unexpected(&other)),
        })
        .boxed_local()
}

/// A page of participants, and where the next one starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ParticipantsPage {
    /// The page, by name.
    pub participants: Vec<Participant>,
    /// The `after` of the next page, if there is one.
    pub next: Option<String>,
    /// How many are connected.
    pub count: u32,
}

/// A participants page's outcome.
pub(super) fn participants(rx: oneshot::Receiver<Answer>) -> OpResult<ParticipantsPage> {
    answered(rx)
        .map(|answer| match answer? {
            Outcome::Participants { participants, next, count } => Ok(ParticipantsPage { participants, next, count }),
            other => Err(unexpected(&other)),
        })
        .boxed_local()
}

pub(super) fn unexpected(outcome: &Outcome) -> OpError {
    OpError::new("internal", format!("the operation ended unexpectedly: {outcome:?}"), false)
}
