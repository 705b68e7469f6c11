//! The bot's state: chat-core's reducer (resume, dedupe, the outbox) plus
//! what only a bot needs: its handler, callers waiting for their sends, and
//! retrying what failed for a while (rate limits, an unavailable hook)
//! without a person to press "retry".

use std::collections::HashMap;

use chat_core::{ChatState, Draft, EchoStatus, Effect, Input, Intent, MessageKey, OpId, Outcome};
use chat_protocol::{ClientFrame, ClientId, MessageId, RateBucket, ServerFrame};
use tokio::sync::oneshot;

use crate::checkpoint::{Checkpoint, UnsentMessage};
use crate::message::ChatMessage;
use crate::SendError;

/// Messages kept in memory; older ones are let go of once twice as many are held.
const KEEP_MESSAGES: usize = 500;

/// What the handler is.
pub(crate) type Handler = Box<dyn FnMut(&mut ChatMessage<'_>) + Send>;

/// Where a caller of `ChatService::message` hears how its send ended.
pub(crate) type Waiter = oneshot::Sender<Result<MessageId, SendError>>;

pub(crate) struct Driver {
    state: ChatState,
    handler: Option<Handler>,
    /// The message each operation sends.
    sends: HashMap<OpId, ClientId>,
    waiters: HashMap<ClientId, Waiter>,
    /// Sends the core refused before taking them (a rate limit it already
    /// knew of), to offer again on a later tick.
    deferred: Vec<(ClientId, Draft)>,
    next_op: OpId,
    /// Frames for the socket.
    outgoing: Vec<ClientFrame>,
}

impl Driver {
    pub(crate) fn new() -> Self {
        Self {
            state: ChatState::new(),
            handler: None,
            sends: HashMap::new(),
            waiters: HashMap::new(),
            deferred: Vec::new(),
            next_op: 1,
            outgoing: Vec::new(),
        }
    }

    /// The `lastSeq` to resume from: none before the first welcome, unless
    /// restored from a checkpoint.
    pub(crate) fn resume_from(&self) -> Option<chat_protocol::Seq> {
        self.state.resume_position()
    }

    /// Picks up where a checkpoint says an earlier run got to: resumes after
    /// its last event, and sends its unacknowledged messages again (with
    /// their client ids, so the server stores each once).
    pub(crate) fn restore(&mut self, checkpoint: Checkpoint, now: i64) {
        self.state.resume_at(checkpoint.last_seq);
        for UnsentMessage { message, as_sender } in checkpoint.unsent {
            let client_id = message.client_id.clone();
            self.submit(client_id, Draft { as_sender, ..message.into_draft() }, now);
        }
        // Nothing is connected yet: the outbox sends them after the welcome.
        self.outgoing.clear();
    }

    /// Where this run has got to, once it knows: the last event handled and
    /// what still waits for an acknowledgement.
    pub(crate) fn checkpoint(&self) -> Option<Checkpoint> {
        let last_seq = self.state.resume_position()?;
        let unsent = self
            .state
            .echoes()
            .iter()
            .filter(|echo| echo.uploaded() && !matches!(echo.status, EchoStatus::Failed { retryable: false, .. }))
            .map(|echo| UnsentMessage { message: echo.clone(), as_sender: echo.as_sender.clone() })
            .chain(self.deferred.iter().map(|(client_id, draft)| deferred_message(client_id, draft)))
            .collect();
        Some(Checkpoint { last_seq, unsent })
    }

    pub(crate) fn connection(&self) -> chat_core::ConnectionState {
        self.state.connection()
    }

    pub(crate) fn set_handler(&mut self, handler: Handler) {
        self.handler = Some(handler);
    }

    /// Applies an input; returns the frames to send.
    pub(crate) fn apply(&mut self, input: Input, now: i64) -> Vec<ClientFrame> {
        let effects = self.state.apply(input, now);
        self.perform(effects, now);
        if self.state.timeline().len() > 2 * KEEP_MESSAGES {
            let effects = self.state.apply(Input::Intent(Intent::Forget { keep: KEEP_MESSAGES }), now);
            self.perform(effects, now);
        }
        std::mem::take(&mut self.outgoing)
    }

    pub(crate) fn frame(&mut self, frame: ServerFrame, now: i64) -> Vec<ClientFrame> {
        self.apply(Input::Frame(frame), now)
    }

    /// Sends a message; `waiter` hears when it is stored or refused for good.
    pub(crate) fn send(
        &mut self,
        client_id: ClientId,
        draft: Draft,
        waiter: Option<Waiter>,
        now: i64,
    ) -> Vec<ClientFrame> {
        if let Some(waiter) = waiter {
            self.waiters.insert(client_id.clone(), waiter);
        }
        self.submit(client_id, draft, now);
        std::mem::take(&mut self.outgoing)
    }

    /// Once a second: lifts expired rate limits, offers deferred sends again
    /// and retries failed ones that may succeed; gives up on the others.
    pub(crate) fn tick(&mut self, now: i64) -> Vec<ClientFrame> {
        let effects = self.state.apply(Input::Tick, now);
        self.perform(effects, now);
        for (client_id, draft) in std::mem::take(&mut self.deferred) {
            self.submit(client_id, draft, now);
        }
        let failed: Vec<(ClientId, Option<SendError>)> = self
            .state
            .echoes()
            .iter()
            .filter_map(|echo| match &echo.status {
                EchoStatus::Failed { retryable: true, .. } => {
                    let bucket = RateBucket::of(echo.content.kind(), echo.attachments.len());
                    let limited = self.state.rate_limited_until(bucket).is_some_and(|until| until > now);
                    (!limited).then(|| (echo.client_id.clone(), None))
                }
                EchoStatus::Failed { code, reason, .. } => Some((
                    echo.client_id.clone(),
                    Some(SendError::Refused { code: code.clone(), message: reason.clone() }),
                )),
                _ => None,
            })
            .collect();
        for (client_id, refused) in failed {
            match refused {
                None => {
                    let op = self.op_for(&client_id);
                    self.apply_intent(Intent::Retry { op, client_id }, now);
                }
                Some(error) => {
                    self.apply_intent(Intent::Discard { client_id: client_id.clone() }, now);
                    self.settle(&client_id, Err(error));
                }
            }
        }
        std::mem::take(&mut self.outgoing)
    }

    fn submit(&mut self, client_id: ClientId, draft: Draft, now: i64) {
        let op = self.op_for(&client_id);
        let intent = Intent::Send { op, client_id: client_id.clone(), draft: draft.clone() };
        let effects = self.state.apply(Input::Intent(intent), now);
        // Refused before it became an echo: kept for a later tick, or given up on.
        let refused = effects.iter().find_map(|effect| match effect {
            Effect::Reject { op: refused, error } if *refused == op => Some(error.clone()),
            _ => None,
        });
        self.perform(effects, now);
        match refused {
            Some(error) if error.retryable => self.deferred.push((client_id, draft)),
            Some(error) => {
                self.settle(&client_id, Err(SendError::Refused { code: error.code, message: error.message }))
            }
            None => {}
        }
    }

    fn settle(&mut self, client_id: &ClientId, result: Result<MessageId, SendError>) {
        if let Some(waiter) = self.waiters.remove(client_id) {
            // The caller may have stopped waiting; nothing is lost by that.
            let _ = waiter.send(result);
        }
    }

    /// Shows a new message to the handler, unless it is the bot's own or
    /// another bot's (two bots must not answer each other forever).
    fn show(&mut self, id: &MessageId, now: i64) {
        let Some(mut handler) = self.handler.take() else { return };
        let me = self.state.me().map(|me| me.id.clone());
        let message = self.state.timeline().get(id).filter(|m| !m.sender.bot && Some(&m.sender.id) != me.as_ref());
        if let Some(message) = message.cloned() {
            let mut incoming = ChatMessage::new(&message, self.state.conversation_targets(&message));
            handler(&mut incoming);
            for (client_id, draft) in incoming.into_answers() {
                self.submit(client_id, draft, now);
            }
        }
        self.handler = Some(handler);
    }

    fn op_for(&mut self, client_id: &ClientId) -> OpId {
        let op = self.next_op;
        self.next_op += 1;
        self.sends.insert(op, client_id.clone());
        op
    }

    fn apply_intent(&mut self, intent: Intent, now: i64) {
        let effects = self.state.apply(Input::Intent(intent), now);
        self.perform(effects, now);
    }

    fn perform(&mut self, effects: Vec<Effect>, now: i64) {
        for effect in effects {
            match effect {
                Effect::Send(frame) => self.outgoing.push(frame),
                Effect::Changed(chat_core::Change::MessageAdded { key: MessageKey::Remote(id), .. }) => {
                    self.show(&id, now)
                }
                Effect::Resolve { op, outcome: Outcome::Sent(id) } => {
                    if let Some(client_id) = self.sends.remove(&op) {
                        self.settle(&client_id, Ok(id));
                    }
                }
                Effect::Reject { op, .. } => {
                    self.sends.remove(&op);
                }
                _ => {}
            }
        }
    }
}

/// A send the core refused for now (a rate limit it knew of), as a checkpoint keeps it.
fn deferred_message(client_id: &ClientId, draft: &Draft) -> UnsentMessage {
    let as_sender = draft.as_sender.clone();
    UnsentMessage { message: chat_core::LocalEcho::new(client_id.clone(), draft.clone(), 0), as_sender }
}
