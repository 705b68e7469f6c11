//! The client session: owns the chat state, applies every input, sends the
//! frames the core asks for, hands other effects to a listener, and keeps
//! reconnecting (with backoff, resuming from the last `seq`) until closed or
//! refused. Generic over how a socket is opened, so it is tested natively.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use chat_core::{ChatState, ConnectionState, Effect, Input};
use chat_protocol::{ClientFrame, ServerFrame, PROTOCOL_VERSION};
use futures::channel::{mpsc, oneshot};
use futures::future::{self, Either, LocalBoxFuture};
use futures::{FutureExt, Sink, Stream};

use super::backoff::Backoff;
use super::socket_loop::{run_connection, LoopEnd, SocketEvent};

/// A socket being opened: its two halves, or why it could not open.
pub type Opening<S, R> = LocalBoxFuture<'static, Result<(S, R), String>>;

/// How a session opens sockets, waits and reads the clock.
pub trait Connector {
    /// The socket's sending half.
    type Sink: Sink<String> + Unpin;
    /// The socket's receiving half.
    type Stream: Stream<Item = SocketEvent> + Unpin;
    /// Opens a socket to `url`.
    fn connect(&self, url: &str) -> Opening<Self::Sink, Self::Stream>;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
    /// A uniform random number in [0, 1), for jitter.
    fn random(&self) -> f64;
}

/// Receives every effect but frames to send.
pub type Listener = Rc<dyn Fn(&Session, Effect)>;

struct Inner {
    state: RefCell<ChatState>,
    url: String,
    token: String,
    clock: Box<dyn Fn() -> i64>,
    outgoing: RefCell<Option<mpsc::UnboundedSender<String>>>,
    listener: RefCell<Option<Listener>>,
    wake: RefCell<Option<oneshot::Sender<()>>>,
    closed: Cell<bool>,
}

/// A handle on one chat session; clones share it.
#[derive(Clone)]
pub struct Session {
    inner: Rc<Inner>,
}

impl Session {
    /// A session for `url` with `token`; `clock` gives ms since the epoch.
    pub fn new(url: impl Into<String>, token: impl Into<String>, clock: impl Fn() -> i64 + 'static) -> Self {
        Self {
            inner: Rc::new(Inner {
                state: RefCell::new(ChatState::new()),
                url: url.into(),
                token: token.into(),
                clock: Box::new(clock),
                outgoing: RefCell::new(None),
                listener: RefCell::new(None),
                wake: RefCell::new(None),
                closed: Cell::new(false),
            }),
        }
    }

    /// Sets who hears about effects.
    pub fn set_listener(&self, listener: Listener) {
        *self.inner.listener.borrow_mut() = Some(listener);
    }

    /// The chat state, to read. Do not hold it across [`Session::apply`].
    pub fn state(&self) -> Ref<'_, ChatState> {
        self.inner.state.borrow()
    }

    /// The server URL.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// The token.
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    /// Applies one input and carries out its effects. No borrow of the state
    /// is held while the listener runs, so it may call back into the session.
    pub fn apply(&self, input: Input) {
        let now = (self.inner.clock)();
        let effects = self.inner.state.borrow_mut().apply(input, now);
        for effect in effects {
            match effect {
                Effect::Send(frame) => self.send_frame(&frame),
                other => {
                    let listener = self.inner.listener.borrow().clone();
                    if let Some(listener) = listener {
                        listener(self, other);
                    }
                }
            }
        }
    }

    fn send_frame(&self, frame: &ClientFrame) {
        let Ok(text) = serde_json::to_string(frame) else { return };
        if let Some(tx) = self.inner.outgoing.borrow().as_ref() {
            let _ = tx.unbounded_send(text);
        }
    }

    /// Drops the current connection and connects again at once.
    pub fn reconnect(&self) {
        self.inner.outgoing.borrow_mut().take();
        if let Some(wake) = self.inner.wake.borrow_mut().take() {
            let _ = wake.send(());
        }
    }

    /// Closes the session for good.
    pub fn close(&self) {
        self.inner.closed.set(true);
        self.reconnect();
    }

    /// Whether [`Session::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.get()
    }

    fn auth_frame(&self) -> String {
        let state = self.state();
        // Resume only a timeline this session already holds; a fresh one pages instead.
        let last_seq = state.me().is_some().then(|| state.last_seq());
        let frame = ClientFrame::Auth { v: PROTOCOL_VERSION, token: self.inner.token.clone(), last_seq };
        serde_json::to_string(&frame).unwrap_or_default()
    }

    /// Connects and keeps reconnecting until closed or the token is refused.
    pub async fn run<C: Connector>(&self, connector: C) {
        let mut backoff = Backoff::default();
        while !self.is_closed() {
            self.apply(Input::Connecting);
            let end = match connector.connect(&self.inner.url).await {
                Ok((sink, stream)) => {
                    let (tx, rx) = mpsc::unbounded();
                    *self.inner.outgoing.borrow_mut() = Some(tx);
                    let session = self.clone();
                    let backoff = &mut backoff;
                    let end = run_connection(sink, stream, self.auth_frame(), rx, move |frame| {
                        if matches!(frame, ServerFrame::Welcome { .. }) {
                            backoff.reset();
                        }
                        session.apply(Input::Frame(frame));
                    })
                    .await;
                    self.inner.outgoing.borrow_mut().take();
                    end
                }
                Err(_) => LoopEnd::Closed(None),
            };
            let code = match end {
                LoopEnd::Closed(code) => code,
                LoopEnd::Dropped => None,
            };
            self.apply(Input::Disconnected { code });
            if self.is_closed() {
                self.apply(Input::Closed);
                return;
            }
            if self.state().connection() == ConnectionState::AuthFailed {
                return;
            }
            if end == LoopEnd::Dropped {
                continue;
            }
            let (wake_tx, wake_rx) = oneshot::channel();
            *self.inner.wake.borrow_mut() = Some(wake_tx);
            let delay = connector.sleep(backoff.next_delay_ms(connector.random()));
            if let Either::Right(_) = future::select(delay, wake_rx.map(|_| ())).await {
                continue;
            }
            self.inner.wake.borrow_mut().take();
        }
    }
}

#[cfg(test)]
mod tests {
    use chat_core::{Draft, Intent};
    use chat_protocol::{close_code, AckResult, Role};
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use futures::StreamExt;

    use super::*;
    use crate::transport::fake_connector::FakeConnector;

    fn frame(frame: &ServerFrame) -> SocketEvent {
        SocketEvent::Text(serde_json::to_string(frame).unwrap())
    }

    fn welcome(head_seq: u64) -> ServerFrame {
        chat_protocol::testing::welcome("ann", Role::Participant, head_seq, &[])
    }

    fn drain(rx: &mut mpsc::UnboundedReceiver<String>) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        while let Ok(text) = rx.try_recv() {
            out.push(serde_json::from_str(&text).unwrap());
        }
        out
    }

    #[test]
    fn a_drop_reconnects_resumes_from_the_last_seq_and_resends_unacked_messages() {
        let mut pool = LocalPool::new();
        let connector = FakeConnector::default();
        let (mut first_out, first_in) = connector.prepare();
        let session = Session::new("ws://x", "TOKEN", || 1_000);
        let runner = session.clone();
        let run_connector = connector.clone();
        pool.spawner().spawn_local(async move { runner.run(run_connector).await }).unwrap();
        pool.run_until_stalled();

        let sent = drain(&mut first_out);
        assert_eq!(sent[0]["type"], "auth");
        assert_eq!(sent[0]["token"], "TOKEN");
        assert!(sent[0].get("lastSeq").is_none(), "a first connection does not resume");

        first_in.unbounded_send(frame(&welcome(7))).unwrap();
        pool.run_until_stalled();
        assert_eq!(session.state().connection(), ConnectionState::Connected);
        session.apply(Input::Intent(Intent::Send { op: 1, client_id: "c1".into(), draft: Draft::text("hi") }));
        pool.run_until_stalled();
        let sent = drain(&mut first_out);
        assert!(sent.iter().any(|f| f["type"] == "history"));
        assert!(sent.iter().any(|f| f["type"] == "send" && f["clientId"] == "c1"));

        // The socket drops before the ack.
        let (mut second_out, second_in) = connector.prepare();
        first_in.unbounded_send(SocketEvent::Closed(Some(1006))).unwrap();
        pool.run_until_stalled();
        let sent = drain(&mut second_out);
        assert_eq!(sent[0]["type"], "auth");
        assert_eq!(sent[0]["lastSeq"], 7, "resumes from the last seq");
        assert_eq!(connector.sleeps.borrow().len(), 1, "waited once before reconnecting");

        second_in.unbounded_send(frame(&welcome(7))).unwrap();
        pool.run_until_stalled();
        let resent: Vec<_> = drain(&mut second_out).into_iter().filter(|f| f["type"] == "send").collect();
        assert_eq!(resent.len(), 1);
        assert_eq!(resent[0]["clientId"], "c1", "same client id, so the server dedupes");
        let req_id = resent[0]["reqId"].as_u64().unwrap();
        let ack = ServerFrame::Ack {
            req_id,
            result: AckResult::Sent { client_id: "c1".into(), id: "m1".into(), seq: 8, time: 1, modified: Vec::new() },
        };
        second_in.unbounded_send(frame(&ack)).unwrap();
        pool.run_until_stalled();
        assert!(session.state().echoes().is_empty());
        assert_eq!(session.state().timeline().len(), 1);
        session.close();
        pool.run_until_stalled();
    }

    #[test]
    fn a_refused_token_stops_reconnecting() {
        let mut pool = LocalPool::new();
        let connector = FakeConnector::default();
        let (_out, first_in) = connector.prepare();
        connector.prepare();
        let session = Session::new("ws://x", "BAD", || 0);
        let (runner, run_connector) = (session.clone(), connector.clone());
        let done = Rc::new(Cell::new(false));
        let finished = Rc::clone(&done);
        pool.spawner()
            .spawn_local(async move {
                runner.run(run_connector).await;
                finished.set(true);
            })
            .unwrap();
        first_in.unbounded_send(SocketEvent::Closed(Some(close_code::AUTH_FAILED))).unwrap();
        pool.run_until_stalled();
        assert!(done.get());
        assert_eq!(session.state().connection(), ConnectionState::AuthFailed);
        assert_eq!(connector.sockets.borrow().len(), 1, "the second socket was never used");
    }

    #[test]
    fn reconnect_drops_the_socket_and_connects_again_without_waiting() {
        let mut pool = LocalPool::new();
        let connector = FakeConnector::default();
        let (_first_out, first_in) = connector.prepare();
        let (mut second_out, _second_in) = connector.prepare();
        let session = Session::new("ws://x", "T", || 0);
        let (runner, run_connector) = (session.clone(), connector.clone());
        pool.spawner().spawn_local(async move { runner.run(run_connector).await }).unwrap();
        first_in.unbounded_send(frame(&welcome(3))).unwrap();
        pool.run_until_stalled();
        session.reconnect();
        pool.run_until_stalled();
        let sent = drain(&mut second_out);
        assert_eq!(sent[0]["type"], "auth");
        assert!(connector.sleeps.borrow().is_empty());
        session.close();
        pool.run_until_stalled();
        assert!(second_out.next().now_or_never().is_some());
        assert_eq!(session.state().connection(), ConnectionState::Closed);
    }
}
