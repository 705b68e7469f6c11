//! The WebSocket transport: the axum upgrade, and a socket loop generic over
//! `Sink`/`Stream` that authenticates, joins the meeting, then pumps frames
//! between the socket and the hub until either side stops.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chat_protocol::{
    close_code, parse_client_frame, ClientFrame, ErrorCode, ErrorFrame, RequestId, Seq, ServerFrame, PROTOCOL_VERSION,
};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use prometheus_client::metrics::counter::Counter;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::state::App;
use crate::auth::{Identity, TokenError};
use crate::error::DomainError;
use crate::hub::{Kick, Outbound, PresenceSlot};

/// Frames larger than this are refused by the WebSocket layer itself (the
/// connection closes with 1009); frames between the protocol limit and this
/// get a typed error and the connection stays.
const HARD_FRAME_LIMIT: usize = 1024 * 1024;

/// How long a closing handshake may take before the socket is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// `GET /ws`: upgrades to a chat connection, unless the server is draining:
/// then 503, which a front such as nginx (`proxy_next_upstream http_503`)
/// passes on to another node, since open-source nginx never reads `/readyz`.
pub async fn upgrade(State(app): State<App>, ws: WebSocketUpgrade) -> Response {
    if app.draining.load(Ordering::SeqCst) {
        let retry = [(header::RETRY_AFTER, "1")];
        return (StatusCode::SERVICE_UNAVAILABLE, retry, "draining: connect to another node").into_response();
    }
    // Buffers start small: at 10,000 connections tungstenite's 128 KiB
    // defaults alone would hold 2.5 GB. Larger frames grow them as needed.
    ws.max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .read_buffer_size(8 * 1024)
        .write_buffer_size(16 * 1024)
        .max_write_buffer_size(4 * 1024 * 1024)
        .on_upgrade(move |socket: WebSocket| {
            let (write, read) = socket.split();
            // Tracked, so a shutdown waits for each socket's close frame.
            let sockets = app.sockets.clone();
            sockets.track_future(serve_socket(app, write, read))
        })
}

fn close(code: u16, reason: &str) -> WsMessage {
    WsMessage::Close(Some(CloseFrame { code, reason: Utf8Bytes::from(reason) }))
}

fn text(frame: &ServerFrame) -> WsMessage {
    WsMessage::Text(Utf8Bytes::from(serde_json::to_string(frame).unwrap_or_default()))
}

/// The request id of a frame that failed to parse, when it has a readable one.
fn salvage_req_id(text: &str) -> Option<RequestId> {
    serde_json::from_str::<Value>(text).ok()?.get("reqId")?.as_u64()
}

enum AuthOutcome {
    Joined(Identity, Option<Seq>),
    Refused(WsMessage),
    Gone,
}

/// Reads the first frame, which must be a valid `Auth`, within the deadline.
async fn authenticate<W, R, E>(app: &App, write: &mut W, read: &mut R) -> AuthOutcome
where
    W: Sink<WsMessage> + Unpin,
    R: Stream<Item = Result<WsMessage, E>> + Unpin,
{
    let first = tokio::time::timeout(app.config.auth_timeout, async {
        while let Some(Ok(message)) = read.next().await {
            match message {
                WsMessage::Ping(_) | WsMessage::Pong(_) => continue,
                other => return Some(other),
            }
        }
        None
    })
    .await;
    let text = match first {
        Err(_) => return AuthOutcome::Refused(close(close_code::AUTH_FAILED, "no auth frame within the deadline")),
        Ok(None) | Ok(Some(WsMessage::Close(_))) => return AuthOutcome::Gone,
        Ok(Some(WsMessage::Text(text))) => text,
        Ok(Some(_)) => {
            return AuthOutcome::Refused(close(close_code::AUTH_FAILED, "the first frame must be an auth frame"))
        }
    };
    let Ok(ClientFrame::Auth { v, token, last_seq }) = parse_client_frame(&text) else {
        return AuthOutcome::Refused(close(close_code::AUTH_FAILED, "the first frame must be an auth frame"));
    };
    if v != PROTOCOL_VERSION {
        let message = format!("protocol version {v} is not supported; this server speaks {PROTOCOL_VERSION}");
        let _ = write.send(text_error(ErrorFrame::new(None, ErrorCode::UnsupportedVersion, message))).await;
        return AuthOutcome::Refused(close(close_code::UNSUPPORTED_VERSION, "unsupported protocol version"));
    }
    match app.keys.verify(&token) {
        Ok(identity) => AuthOutcome::Joined(identity, last_seq),
        Err(TokenError::Expired) => AuthOutcome::Refused(close(close_code::AUTH_FAILED, "token expired")),
        Err(TokenError::Invalid(_)) => AuthOutcome::Refused(close(close_code::AUTH_FAILED, "invalid token")),
    }
}

fn text_error(error: ErrorFrame) -> WsMessage {
    text(&ServerFrame::Error(error))
}

/// Serves one connection from its first frame to its end.
pub async fn serve_socket<W, R, E>(app: App, mut write: W, mut read: R)
where
    W: Sink<WsMessage> + Unpin + Send + 'static,
    R: Stream<Item = Result<WsMessage, E>> + Unpin + Send,
{
    let (identity, last_seq) = match authenticate(&app, &mut write, &mut read).await {
        AuthOutcome::Joined(identity, last_seq) => (identity, last_seq),
        AuthOutcome::Refused(frame) => {
            let _ = write.send(frame).await;
            return;
        }
        AuthOutcome::Gone => return,
    };
    let (session, queue) = match app.hub.join(identity, last_seq).await {
        Ok(joined) => joined,
        Err(DomainError::Removed) => {
            let _ = write.send(close(close_code::REMOVED, "a host removed you from this meeting's chat")).await;
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "could not join a meeting");
            let _ = write.send(close(1011, "the server could not load the meeting")).await;
            return;
        }
    };
    let metrics = Arc::clone(app.hub.metrics());
    metrics.connections.inc();
    let reader_done = CancellationToken::new();
    let writer = tokio::spawn(write_frames(
        write,
        queue,
        session.presence(),
        Batching { large: session.large_meeting_size(), linger: app.config.large_meeting_linger },
        Closing {
            kicked: session.kicked().clone(),
            shutdown: app.shutdown.clone(),
            reader_done: reader_done.clone(),
            slow_consumer_wait: app.config.slow_consumer_close_wait,
            frames_out: metrics.frames_out.clone(),
        },
    ));
    let max_frame = app.config.limits.max_frame_bytes;
    loop {
        let next = tokio::select! {
            next = read.next() => next,
            () = session.kicked().cancelled() => break,
            () = app.shutdown.cancelled() => break,
        };
        if let Some(Ok(WsMessage::Text(_) | WsMessage::Binary(_))) = &next {
            metrics.frames_in.inc();
        }
        match next {
            Some(Ok(WsMessage::Text(text))) if text.len() > max_frame => {
                let message = format!("frame of {} bytes exceeds the limit of {max_frame}", text.len());
                session.send_error(ErrorFrame::new(None, ErrorCode::FrameTooLarge, message));
            }
            Some(Ok(WsMessage::Text(text))) => match parse_client_frame(&text) {
                Ok(frame) => session.handle(frame).await,
                Err(e) => {
                    session.send_error(ErrorFrame::new(salvage_req_id(&text), ErrorCode::BadFrame, e.to_string()))
                }
            },
            Some(Ok(WsMessage::Binary(_))) => {
                session.send_error(ErrorFrame::new(
                    None,
                    ErrorCode::BadFrame,
                    "binary frames are not supported; send JSON text",
                ));
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => {}
            Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
        }
    }
    reader_done.cancel();
    session.leave().await;
    let _ = writer.await;
    metrics.connections.dec();
}

/// Most frames written before one flush: under load a busy meeting's frames
/// go out in a few large writes instead of one system call each.
const MAX_BATCH: usize = 64;

/// Writes `first` and whatever else is already queued, then flushes once.
async fn write_batch<W>(
    write: &mut W,
    first: Outbound,
    queue: &mut mpsc::Receiver<Outbound>,
    frames_out: &Counter,
) -> bool
where
    W: Sink<WsMessage> + Unpin,
{
    let frame = |text: Outbound| WsMessage::Text(Utf8Bytes::from(&*text));
    if write.feed(frame(first)).await.is_err() {
        return false;
    }
    let mut fed = 1;
    for _ in 1..MAX_BATCH {
        let Ok(next) = queue.try_recv() else { break };
        if write.feed(frame(next)).await.is_err() {
            return false;
        }
        fed += 1;
    }
    frames_out.inc_by(fed);
    write.flush().await.is_ok()
}

/// When a connection's writer waits to gather frames: in a large meeting,
/// after the first, so one write carries what arrived meanwhile; `linger` at
/// [`LINGER_FULL_AT`] participants, proportionally less below.
struct Batching {
    large: Arc<AtomicU32>,
    linger: Duration,
}

/// The meeting size at which a writer lingers the whole configured time.
const LINGER_FULL_AT: u32 = 10_000;

impl Batching {
    fn linger(&self) -> Option<Duration> {
        let size = self.large.load(Ordering::Relaxed).min(LINGER_FULL_AT);
        (size > 0).then(|| self.linger.mul_f64(f64::from(size) / f64::from(LINGER_FULL_AT)))
    }
}

/// What ends a connection's writer, and how long its close frame may wait.
struct Closing {
    /// Set when the server ends the connection (slow, or removed by a host).
    kicked: Kick,
    /// Set when the server shuts down.
    shutdown: CancellationToken,
    /// Set when the client's side has gone.
    reader_done: CancellationToken,
    /// How long a slow consumer's close frame may wait behind its buffered data.
    slow_consumer_wait: Duration,
    /// Counts the frames written.
    frames_out: Counter,
}

/// Writes queued frames until the connection ends, closing it with the
/// reason: slow consumer, server shutdown, or nothing when the client left.
///
/// The queue goes first: a page of participants answered before a presence
/// frame was offered reaches the client before it, so the client never
/// re-adds someone the presence frame said had left. Presence waits in its
/// slot meanwhile, collapsing.
async fn write_frames<W>(
    mut write: W,
    mut queue: mpsc::Receiver<Outbound>,
    presence: Arc<PresenceSlot>,
    batching: Batching,
    closing: Closing,
) where
    W: Sink<WsMessage> + Unpin,
{
    let Closing { kicked, shutdown, reader_done, slow_consumer_wait, frames_out } = closing;
    // Made once, not per frame: at 10,000 connections the writers wake
    // 200,000 times a second, and each new waiter costs a lock.
    let stop = async {
        tokio::select! {
            () = kicked.cancelled() => {}
            () = shutdown.cancelled() => {}
        }
    };
    let client_gone = reader_done.cancelled();
    let presence_ready = presence.ready();
    tokio::pin!(stop, client_gone, presence_ready);
    loop {
        let frame = tokio::select! {
            biased;
            () = &mut stop => break,
            () = &mut client_gone => break,
            next = queue.recv() => match next {
                Some(frame) => frame,
                None => break,
            },
            () = &mut presence_ready => {
                presence_ready.set(presence.ready());
                match presence.take() {
                    Some(frame) => frame,
                    None => continue,
                }
            }
        };
        let sent = tokio::select! {
            sent = async {
                if let Some(linger) = batching.linger() {
                    tokio::time::sleep(linger).await;
                }
                write_batch(&mut write, frame, &mut queue, &frames_out).await
            } => sent,
            () = &mut stop => false,
        };
        if !sent {
            break;
        }
    }
    let closing = if kicked.removed() {
        Some((close(close_code::REMOVED, "a host removed you from this meeting's chat"), CLOSE_TIMEOUT))
    } else if kicked.is_kicked() {
        Some((close(close_code::SLOW_CONSUMER, "too slow to receive; resume to catch up"), slow_consumer_wait))
    } else if shutdown.is_cancelled() {
        Some((close(close_code::GOING_AWAY, "server shutting down"), CLOSE_TIMEOUT))
    } else {
        None
    };
    if let Some((frame, timeout)) = closing {
        let _ = tokio::time::timeout(timeout, write.send(frame)).await;
    }
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, write.close()).await;
}
