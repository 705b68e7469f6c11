//! One participant of `chat-load`: what it does besides sending (typing,
//! asking the poll, voting in it), the run's shared counters, and its loop:
//! join, send and type on a schedule, vote once, and read every frame,
//! recording each message's send→receive latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_protocol::{close_code, rules, ClientFrame, NewContent, PROTOCOL_VERSION};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::frames::{seen, Seen};

/// How long after sending starts the voters vote (or the run's duration, if shorter).
pub(crate) const VOTE_WINDOW: Duration = Duration::from_secs(10);
/// The request ids of the poll's creation and of a vote, apart from the messages' (0, 1, 2…).
pub(crate) const CREATE_POLL_REQ: u64 = 1 << 40;
pub(crate) const VOTE_REQ: u64 = CREATE_POLL_REQ + 1;

/// What a participant does besides sending messages.
#[derive(Clone, Copy, Default)]
pub(crate) struct Duties {
    /// Types all along.
    pub(crate) typist: bool,
    /// Asks the poll as sending starts (a host).
    pub(crate) asks_poll: bool,
    /// Votes this long after sending starts.
    pub(crate) votes_after: Option<Duration>,
}

#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) joined: AtomicU64,
    pub(crate) sent: AtomicU64,
    pub(crate) acked: AtomicU64,
    pub(crate) errors: AtomicU64,
    /// Connections the server closed as slow consumers.
    pub(crate) slow_closes: AtomicU64,
    /// Connections the server closed for another reason.
    pub(crate) other_closes: AtomicU64,
    /// Frames received from the start of sending on, and of them typing notices or crowds.
    pub(crate) frames: AtomicU64,
    pub(crate) typing_frames: AtomicU64,
    /// Votes cast and acknowledged, and poll tallies received from the start of sending on.
    pub(crate) votes: AtomicU64,
    pub(crate) votes_acked: AtomicU64,
    pub(crate) tally_frames: AtomicU64,
}

/// One participant: joins, sends (and types, if a typist) on a schedule
/// until `stop_sending`, and records the latency of every message it
/// receives until `stop_reading`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn participant(
    index: usize,
    url: String,
    token: String,
    rate: f64,
    duties: Duties,
    join_at: Instant,
    epoch: Instant,
    start_sending: Instant,
    stop_sending: Instant,
    stop_reading: Instant,
    totals: Arc<Totals>,
) -> anyhow::Result<Vec<u32>> {
    tokio::time::sleep_until(tokio::time::Instant::from_std(join_at)).await;
    let (socket, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    totals.joined.fetch_add(1, Ordering::Relaxed);
    let (mut write, mut read) = socket.split();
    let auth = ClientFrame::Auth { v: PROTOCOL_VERSION, token, last_seq: None };
    write.send(WsMessage::Text(serde_json::to_string(&auth)?.into())).await?;
    let period = Duration::from_secs_f64(1.0 / rate);
    // Spread first sends over one period so participants do not send in lockstep.
    let phase = period.mul_f64(rand::random::<f64>());
    // Sending and reading run side by side, each with one timer: a timer made
    // per received frame would cost the generator more than the frame.
    let typing_period = Duration::from_millis(rules::TYPING_INTERVAL_MS.unsigned_abs() / 2);
    // The poll's id, once its creation arrives (the reader learns it, the sender votes in it).
    let poll_id = std::sync::OnceLock::<String>::new();
    let sending = async {
        let start = tokio::time::Instant::from_std(start_sending);
        let mut next_send = start + phase;
        let mut next_typing = duties.typist.then(|| start + typing_period.mul_f64(rand::random::<f64>()));
        let mut next_vote = duties.votes_after.map(|after| start + after);
        let stop = tokio::time::Instant::from_std(stop_sending);
        if duties.asks_poll {
            tokio::time::sleep_until(start).await;
            let options = vec!["Yes".to_owned(), "No".to_owned(), "Later".to_owned()];
            let ask = ClientFrame::CreatePoll {
                req_id: CREATE_POLL_REQ,
                question: "Ship it?".into(),
                options,
                anonymous: false,
                hide_votes: false,
                multiple: false,
            };
            write.send(WsMessage::Text(serde_json::to_string(&ask)?.into())).await?;
        }
        let mut n = 0u64;
        loop {
            let due = [Some(next_send), next_typing, next_vote].into_iter().flatten().min().unwrap_or(next_send);
            if due >= stop {
                break;
            }
            tokio::time::sleep_until(due).await;
            let frame = if next_vote == Some(due) {
                let Some(poll) = poll_id.get() else {
                    // Not here yet: look again shortly.
                    next_vote = Some(due + Duration::from_millis(50));
                    continue;
                };
                next_vote = None;
                totals.votes.fetch_add(1, Ordering::Relaxed);
                let option = u32::from(rand::random::<u8>() % 3);
                ClientFrame::Vote { req_id: VOTE_REQ, poll_id: poll.as_str().into(), options: vec![option] }
            } else if next_typing == Some(due) {
                next_typing = Some(due + typing_period);
                ClientFrame::Typing { targets: Vec::new() }
            } else {
                let sent_at = epoch.elapsed().as_micros();
                let content = NewContent::Text { text: format!("load message {n} from {index}") };
                totals.sent.fetch_add(1, Ordering::Relaxed);
                n += 1;
                next_send += period;
                ClientFrame::send(n - 1, format!("{index}-{}-{sent_at}", n - 1).into(), content)
            };
            // A socket the server closed ends the sending; the reader counts why.
            if write.send(WsMessage::Text(serde_json::to_string(&frame)?.into())).await.is_err() {
                break;
            }
        }
        anyhow::Ok(())
    };
    let reading = async {
        let mut latencies = Vec::new();
        let deadline = tokio::time::sleep_until(tokio::time::Instant::from_std(stop_reading));
        tokio::pin!(deadline);
        loop {
            let message = tokio::select! {
                biased;
                () = &mut deadline => break,
                message = read.next() => message,
            };
            let Some(message) = message else { break };
            let text = match message? {
                WsMessage::Text(text) => text,
                WsMessage::Close(frame) => {
                    let slow = frame.is_some_and(|f| u16::from(f.code) == close_code::SLOW_CONSUMER);
                    let counter = if slow { &totals.slow_closes } else { &totals.other_closes };
                    counter.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                _ => continue,
            };
            let seen = seen(&text);
            if Instant::now() >= start_sending {
                totals.frames.fetch_add(1, Ordering::Relaxed);
                match seen {
                    Seen::Typing => totals.typing_frames.fetch_add(1, Ordering::Relaxed),
                    Seen::Tally => totals.tally_frames.fetch_add(1, Ordering::Relaxed),
                    _ => 0,
                };
            }
            match seen {
                Seen::Created(client_id) => {
                    let sent_at: u128 = client_id.rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0);
                    let latency = epoch.elapsed().as_micros().saturating_sub(sent_at);
                    latencies.push(u32::try_from(latency).unwrap_or(u32::MAX));
                }
                Seen::Ack(Some(VOTE_REQ)) => {
                    totals.votes_acked.fetch_add(1, Ordering::Relaxed);
                }
                Seen::Ack(Some(CREATE_POLL_REQ)) => {}
                Seen::Ack(_) => {
                    totals.acked.fetch_add(1, Ordering::Relaxed);
                }
                Seen::PollCreated(id) => {
                    let _ = poll_id.set(id.to_owned());
                }
                Seen::Error => {
                    totals.errors.fetch_add(1, Ordering::Relaxed);
                    eprintln!("participant {index}: {text}");
                }
                Seen::Typing | Seen::Tally | Seen::Other => {}
            }
        }
        anyhow::Ok(latencies)
    };
    let (sent, latencies) = tokio::join!(sending, reading);
    sent?;
    let _ = write.close().await;
    latencies
}
