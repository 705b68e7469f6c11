//! `chat-load`: a load generator. N participants join one meeting on a
//! server on this machine (spread over a join window, as an all-hands that
//! starts at a fixed time), each sends text messages at a given rate for a
//! bounded time, and the run prints deliveries per second, send→receive
//! latency (p50, p99, max), the frames each participant received and how
//! many connections the server closed. With `--typists N` the first N also
//! type all along, one notice per half typing interval (the most the server
//! passes on). With `--voters N` the first participant hosts and asks a poll
//! as sending starts, and N others vote in it once each, at random moments of
//! its first ten seconds. A benchmark, not a test.
//!
//! Without `--url` it starts its own server on 127.0.0.1:0 over a temporary
//! SQLite file, on separate threads, so one command measures the whole path.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chat_protocol::{
    close_code, rules, ClientFrame, MeetingId, NewContent, Participant, ParticipantId, Role, PROTOCOL_VERSION,
};
use chat_server::auth::TokenKeys;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

mod frames;

use frames::{seen, Seen};

/// Load-test a chat server on this machine.
#[derive(Debug, Parser)]
struct Args {
    /// WebSocket URL of a running server (loopback only); omit to start one in-process.
    #[arg(long)]
    url: Option<String>,
    /// The secret of that server, to mint tokens.
    #[arg(long, env = "CHAT_SECRET")]
    secret: Option<String>,
    /// Participants in the meeting.
    #[arg(long, default_value_t = 100)]
    participants: usize,
    /// Messages per second each participant sends (the server allows 3).
    #[arg(long, default_value_t = 0.5)]
    rate: f64,
    /// Seconds of sending (at most 300).
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Seconds over which the participants join, evenly spread; sending
    /// starts when all have. Default: 2 s plus 4 ms per participant.
    #[arg(long)]
    join_within: Option<f64>,
    /// How many of the participants also type in the meeting's conversation
    /// all along while sending.
    #[arg(long, default_value_t = 0)]
    typists: usize,
    /// How many of the participants vote in a poll the first one (then a
    /// host) asks as sending starts, each once within its first ten seconds.
    #[arg(long, default_value_t = 0)]
    voters: usize,
}

/// How long after sending starts the voters vote (or the run's duration, if shorter).
const VOTE_WINDOW: Duration = Duration::from_secs(10);
/// The request ids of the poll's creation and of a vote, apart from the messages' (0, 1, 2…).
const CREATE_POLL_REQ: u64 = 1 << 40;
const VOTE_REQ: u64 = CREATE_POLL_REQ + 1;

/// What a participant does besides sending messages.
#[derive(Clone, Copy, Default)]
struct Duties {
    /// Types all along.
    typist: bool,
    /// Asks the poll as sending starts (a host).
    asks_poll: bool,
    /// Votes this long after sending starts.
    votes_after: Option<Duration>,
}

const MAX_DURATION_SECS: u64 = 300;
const MAX_PARTICIPANTS: usize = 20_000;
const MAX_JOIN_WITHIN_SECS: f64 = 300.0;
const DRAIN: Duration = Duration::from_secs(3);

fn check_loopback(url: &str) -> anyhow::Result<()> {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?']).next())
        .and_then(|authority| authority.rsplit_once(':').map_or(Some(authority), |(h, _)| Some(h)))
        .context("cannot read the host from --url")?
        .trim_matches(['[', ']']);
    let loopback = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("refusing to load {host}: chat-load only targets servers on this machine");
    }
    Ok(())
}

/// Starts a server on its own runtime and threads; returns its URL and secret.
fn start_local_server() -> anyhow::Result<(String, String, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let secret = hex::encode(rand::random::<[u8; 32]>());
    let mut config = chat_server::Config::new(dir.path(), secret.clone().into_bytes());
    config.limits.text_messages_per_window = 10_000;
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            if let Err(e) =
                chat_server::api::app::serve(listener, config, tokio_util::sync::CancellationToken::new()).await
            {
                eprintln!("server failed: {e:#}");
            }
        });
    });
    Ok((format!("ws://{addr}/ws"), secret, dir))
}

#[derive(Default)]
struct Totals {
    joined: AtomicU64,
    sent: AtomicU64,
    acked: AtomicU64,
    errors: AtomicU64,
    /// Connections the server closed as slow consumers.
    slow_closes: AtomicU64,
    /// Connections the server closed for another reason.
    other_closes: AtomicU64,
    /// Frames received from the start of sending on, and of them typing notices or crowds.
    frames: AtomicU64,
    typing_frames: AtomicU64,
    /// Votes cast and acknowledged, and poll tallies received from the start of sending on.
    votes: AtomicU64,
    votes_acked: AtomicU64,
    tally_frames: AtomicU64,
}

/// One participant: joins, sends (and types, if a typist) on a schedule
/// until `stop_sending`, and records the latency of every message it
/// receives until `stop_reading`.
#[allow(clippy::too_many_arguments)]
async fn participant(
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

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.duration == 0 || args.duration > MAX_DURATION_SECS {
        bail!("--duration must be 1 to {MAX_DURATION_SECS} seconds");
    }
    if args.participants == 0 || args.participants > MAX_PARTICIPANTS {
        bail!("--participants must be 1 to {MAX_PARTICIPANTS}");
    }
    if args.join_within.is_some_and(|secs| !(0.0..=MAX_JOIN_WITHIN_SECS).contains(&secs)) {
        bail!("--join-within must be 0 to {MAX_JOIN_WITHIN_SECS} seconds");
    }
    if args.typists > args.participants {
        bail!("--typists must be at most --participants");
    }
    if args.voters > 0 && args.voters >= args.participants {
        bail!("--voters must be fewer than --participants (the first participant asks the poll)");
    }
    if !(args.rate > 0.0 && args.rate <= 50.0) {
        bail!("--rate must be above 0 and at most 50 messages per second");
    }
    let (url, secret, _server_dir) = match args.url {
        Some(url) => {
            check_loopback(&url)?;
            let secret = args.secret.context("--secret (or CHAT_SECRET) is needed with --url")?;
            (url, secret, None)
        }
        None => {
            let (url, secret, dir) = start_local_server()?;
            (url, secret, Some(dir))
        }
    };
    let keys = TokenKeys::new(secret.as_bytes());
    let meeting = MeetingId(format!("load-{}", rand::random::<u32>()));
    let totals = Arc::new(Totals::default());

    // Everyone joins before anyone sends, so every participant can receive
    // every message; a second's grace after the last join.
    let join_window = match args.join_within {
        Some(secs) => Duration::from_secs_f64(secs),
        None => Duration::from_secs(1) + Duration::from_millis(args.participants as u64 * 4),
    };
    let epoch = Instant::now();
    let start_sending = epoch + join_window + Duration::from_secs(1);
    let stop_sending = start_sending + Duration::from_secs(args.duration);
    let stop_reading = stop_sending + DRAIN;
    let mut tasks = Vec::with_capacity(args.participants);
    let vote_window = VOTE_WINDOW.min(Duration::from_secs(args.duration));
    for index in 0..args.participants {
        let asks_poll = args.voters > 0 && index == 0;
        let duties = Duties {
            typist: index < args.typists,
            asks_poll,
            votes_after: (1..=args.voters).contains(&index).then(|| vote_window.mul_f64(rand::random::<f64>())),
        };
        let who = Participant {
            id: ParticipantId(format!("load-{index}")),
            display_name: format!("Load {index}"),
            role: if asks_poll { Role::Host } else { Role::Participant },
        };
        let token = keys.mint(&who, &meeting, 3600)?;
        let (url, totals) = (url.clone(), Arc::clone(&totals));
        let join_at = epoch + join_window.mul_f64(index as f64 / args.participants as f64);
        tasks.push(tokio::spawn(participant(
            index,
            url,
            token,
            args.rate,
            duties,
            join_at,
            epoch,
            start_sending,
            stop_sending,
            stop_reading,
            totals,
        )));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    for task in tasks {
        match task.await? {
            Ok(mut own) => latencies.append(&mut own),
            Err(e) => {
                failed += 1;
                eprintln!("participant failed: {e:#}");
            }
        }
    }
    latencies.sort_unstable();
    let sent = totals.sent.load(Ordering::Relaxed);
    let acked = totals.acked.load(Ordering::Relaxed);
    let expected = acked * args.participants as u64;
    let delivered = latencies.len() as u64;
    let secs = args.duration as f64;
    println!("participants        {}", args.participants);
    println!(
        "send rate           {:.2} msg/s each, {:.0} msg/s total",
        args.rate,
        args.rate * args.participants as f64
    );
    println!("joined              {} within {:.1} s", totals.joined.load(Ordering::Relaxed), join_window.as_secs_f64());
    println!("typists             {} (a notice every {} ms each)", args.typists, rules::TYPING_INTERVAL_MS / 2);
    println!(
        "voters              {} ({} votes cast, {} acked, within {} s)",
        args.voters,
        totals.votes.load(Ordering::Relaxed),
        totals.votes_acked.load(Ordering::Relaxed),
        vote_window.as_secs()
    );
    println!("duration            {} s (+{} s drain)", args.duration, DRAIN.as_secs());
    println!(
        "closed by server    {} as slow consumers, {} otherwise",
        totals.slow_closes.load(Ordering::Relaxed),
        totals.other_closes.load(Ordering::Relaxed)
    );
    println!(
        "messages sent       {sent} ({acked} acked, {} errors, {failed} participants failed)",
        totals.errors.load(Ordering::Relaxed)
    );
    println!(
        "deliveries          {delivered} of {expected} expected ({:.2}%)",
        100.0 * delivered as f64 / expected.max(1) as f64
    );
    println!("delivered/s         {:.0}", delivered as f64 / secs);
    let per_participant = |n: u64| n as f64 / args.participants as f64 / (secs + DRAIN.as_secs_f64());
    println!(
        "frames received     {:.1} per participant per second ({:.1} of them typing, {:.2} poll tallies)",
        per_participant(totals.frames.load(Ordering::Relaxed)),
        per_participant(totals.typing_frames.load(Ordering::Relaxed)),
        per_participant(totals.tally_frames.load(Ordering::Relaxed))
    );
    println!(
        "latency ms          p50 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().map_or(0.0, |m| f64::from(*m) / 1000.0)
    );
    Ok(())
}
