//! The widget's session: owns the chat state, applies every input, and hands
//! every effect to one listener (the client routes them all, frames to send
//! included); the shared [`chat_session::Link`] keeps it connected (backoff,
//! resume from the last `seq`). Generic over how a socket is opened, so it is
//! tested natively.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use chat_core::{ChatState, ConnectionState, Effect, Input};
use chat_protocol::{ClientFrame, Seq, ServerFrame};
use chat_session::{Connector, Link, Next, Peer};

/// Receives every effect, in order.
pub type Listener = Rc<dyn Fn(&Session, Effect)>;

struct Inner {
    state: RefCell<ChatState>,
    clock: Box<dyn Fn() -> i64>,
    link: Link,
    listener: RefCell<Option<Listener>>,
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
                clock: Box::new(clock),
                link: Link::new(url, token),
                listener: RefCell::new(None),
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
        self.inner.link.url()
    }

    /// The token.
    pub fn token(&self) -> &str {
        self.inner.link.token()
    }

    /// Applies one input and hands its effects to the listener. No borrow of
    /// the state is held while the listener runs, so it may call back in.
    pub fn apply(&self, input: Input) {
        let now = (self.inner.clock)();
        let effects = self.inner.state.borrow_mut().apply(input, now);
        let listener = self.inner.listener.borrow().clone();
        if let Some(listener) = listener {
            for effect in effects {
                listener(self, effect);
            }
        }
    }

    /// Sends a frame on the current connection (dropped while there is none:
    /// the core sends what matters again after the next welcome).
    pub fn send_frame(&self, frame: &ClientFrame) {
        self.inner.link.send(frame);
    }

    /// Drops the current connection and connects again at once.
    pub fn reconnect(&self) {
        self.inner.link.reconnect();
    }

    /// Closes the session for good.
    pub fn close(&self) {
        self.inner.link.close();
    }

    /// Whether [`Session::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.link.is_closed()
    }

    /// Connects and keeps reconnecting until closed or the token is refused.
    pub async fn run<C: Connector>(&self, connector: C) {
        self.inner.link.run(&connector, self).await;
    }
}

impl Peer for Session {
    fn connecting(&self) {
        self.apply(Input::Connecting);
    }

    fn resume_from(&self) -> Option<Seq> {
        let state = self.state();
        // Resume only a timeline this session already holds; a fresh one pages instead.
        state.me().is_some().then(|| state.last_seq())
    }

    fn frame(&self, frame: ServerFrame) {
        self.apply(Input::Frame(frame));
    }

    fn ended(&self, code: Option<u16>, _reason: &str) -> Next {
        self.apply(Input::Disconnected { code });
        match self.state().connection() {
            ConnectionState::AuthFailed | ConnectionState::Removed => Next::Stop,
            _ => Next::Retry,
        }
    }

    fn closed(&self) {
        self.apply(Input::Closed);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use chat_core::{Draft, Intent};
    use chat_protocol::{close_code, AckResult, Role, ServerFrame};
    use chat_session::SocketEvent;
    use futures::channel::mpsc;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use futures::{FutureExt, StreamExt};

    use super::*;
    use crate::transport::fake_connector::FakeConnector;

    /// A session whose listener sends the frames its effects ask for.
    fn sending_session(token: &str) -> Session {
        let session = Session::new("ws://x", token, || 1_000);
        session.set_listener(Rc::new(|session, effect| {
            if let Effect::Send(frame) = effect {
                session.send_frame(&frame);
            }
        }));
        session
    }

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
        let session = sending_session("TOKEN");
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
        let session = sending_session("BAD");
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
        let session = sending_session("T");
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
