//! The reconnect loop: connect, authenticate (resuming), pump frames, and
//! after a drop wait with backoff, until closed or refused.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chat_protocol::{ClientFrame, Seq, ServerFrame, PROTOCOL_VERSION};
use futures::channel::{mpsc, oneshot};
use futures::future::{self, Either};
use futures::{FutureExt, Sink, Stream};

use crate::backoff::Backoff;
use crate::connection::{run_connection, LoopEnd, SocketEvent};

/// How a link opens sockets, waits and draws jitter.
pub trait Connector {
    /// The socket's sending half.
    type Sink: Sink<String> + Unpin;
    /// The socket's receiving half.
    type Stream: Stream<Item = SocketEvent> + Unpin;
    /// Opens a socket to `url`: its two halves, or why it could not open.
    fn connect(&self, url: &str) -> impl Future<Output = Result<(Self::Sink, Self::Stream), String>>;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> impl Future<Output = ()>;
    /// A uniform random number in [0, 1), for jitter.
    fn random(&self) -> f64;
}

/// Whether to keep reconnecting after a connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Connect again (after the backoff, unless the link dropped it on purpose).
    Retry,
    /// Stop: the server refused this peer for good.
    Stop,
}

/// What a link keeps connected: the chat state behind it.
pub trait Peer {
    /// A connection is being opened.
    fn connecting(&self);
    /// The `seq` to resume after in the auth frame; `None` starts fresh.
    fn resume_from(&self) -> Option<Seq>;
    /// A frame arrived.
    fn frame(&self, frame: ServerFrame);
    /// The connection ended: with the socket's close code if there was one,
    /// and words for a log.
    fn ended(&self, code: Option<u16>, reason: &str) -> Next;
    /// The link was closed for good ([`Link::close`]).
    fn closed(&self);
}

/// A connection to one server that keeps reconnecting; frames go out
/// through [`Link::send`] while a connection is up. Shareable across threads
/// (a bot's tasks) and cheap on one (the browser).
pub struct Link {
    url: String,
    token: String,
    outgoing: Mutex<Option<mpsc::UnboundedSender<String>>>,
    wake: Mutex<Option<oneshot::Sender<()>>>,
    closed: AtomicBool,
}

impl Link {
    /// A link to `url` (`ws://host/ws`) authenticating with `token`.
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            token: token.into(),
            outgoing: Mutex::new(None),
            wake: Mutex::new(None),
            closed: AtomicBool::new(false),
        }
    }

    /// The server URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Queues a frame on the current connection; `false` when there is none
    /// (the peer's outbox sends it again after the next welcome).
    pub fn send(&self, frame: &ClientFrame) -> bool {
        let Ok(text) = serde_json::to_string(frame) else { return false };
        lock(&self.outgoing).as_ref().is_some_and(|tx| tx.unbounded_send(text).is_ok())
    }

    /// Drops the current connection and connects again at once.
    pub fn reconnect(&self) {
        lock(&self.outgoing).take();
        if let Some(wake) = lock(&self.wake).take() {
            let _ = wake.send(());
        }
    }

    /// Closes the link for good.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.reconnect();
    }

    /// Whether [`Link::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    fn auth_frame(&self, last_seq: Option<Seq>) -> String {
        let frame = ClientFrame::Auth { v: PROTOCOL_VERSION, token: self.token.clone(), last_seq };
        serde_json::to_string(&frame).unwrap_or_default()
    }

    /// Connects and keeps reconnecting until closed or `peer` says stop.
    pub async fn run<C: Connector, P: Peer>(&self, connector: &C, peer: &P) {
        let mut backoff = Backoff::default();
        while !self.is_closed() {
            peer.connecting();
            let (end, reason) = match connector.connect(&self.url).await {
                Ok((sink, stream)) => {
                    let (tx, rx) = mpsc::unbounded();
                    *lock(&self.outgoing) = Some(tx);
                    let auth = self.auth_frame(peer.resume_from());
                    let backoff = &mut backoff;
                    let end = run_connection(sink, stream, auth, rx, |frame| {
                        if matches!(frame, ServerFrame::Welcome { .. }) {
                            backoff.reset();
                        }
                        peer.frame(frame);
                    })
                    .await;
                    lock(&self.outgoing).take();
                    let reason = match &end {
                        LoopEnd::Closed(Some(code)) => format!("closed ({code})"),
                        LoopEnd::Closed(None) => "the connection was lost".to_owned(),
                        LoopEnd::Dropped => "dropped to reconnect".to_owned(),
                    };
                    (end, reason)
                }
                Err(error) => (LoopEnd::Closed(None), error),
            };
            let code = match end {
                LoopEnd::Closed(code) => code,
                LoopEnd::Dropped => None,
            };
            let next = peer.ended(code, &reason);
            if self.is_closed() {
                peer.closed();
                return;
            }
            if next == Next::Stop {
                return;
            }
            if end == LoopEnd::Dropped {
                continue;
            }
            let (wake_tx, wake_rx) = oneshot::channel();
            *lock(&self.wake) = Some(wake_tx);
            let delay = std::pin::pin!(connector.sleep(backoff.next_delay_ms(connector.random())));
            if let Either::Right(_) = future::select(delay, wake_rx.map(|_| ())).await {
                continue;
            }
            lock(&self.wake).take();
        }
    }
}

/// A lock nobody holds across an await or a panic-prone step: a poisoned one
/// is as good as any.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
