//! `chat-load`: a load generator. N participants join one meeting on a
//! server on this machine, each sends text messages at a given rate for a
//! bounded time, and the run prints deliveries per second and send→receive
//! latency (p50, p99, max). A benchmark, not a test.
//!
//! Without `--url` it starts its own server on 127.0.0.1:0 over a temporary
//! SQLite file, on separate threads, so one command measures the whole path.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chat_protocol::{
    ClientFrame, Event, MeetingId, NewContent, Participant, ParticipantId, Role, ServerFrame, PROTOCOL_VERSION,
};
use chat_server::auth::TokenKeys;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

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
}

const MAX_DURATION_SECS: u64 = 300;
const MAX_PARTICIPANTS: usize = 5_000;
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
            if let Err(e) = chat_server::app::serve(listener, config, tokio_util::sync::CancellationToken::new()).await
            {
                eprintln!("server failed: {e:#}");
            }
        });
    });
    Ok((format!("ws://{addr}/ws"), secret, dir))
}

struct Totals {
    sent: AtomicU64,
    acked: AtomicU64,
    errors: AtomicU64,
}

/// One participant: joins, sends on a schedule until `stop_sending`, and
/// records the latency of every message it receives until `stop_reading`.
#[allow(clippy::too_many_arguments)]
async fn participant(
    index: usize,
    url: String,
    token: String,
    rate: f64,
    epoch: Instant,
    start_sending: Instant,
    stop_sending: Instant,
    stop_reading: Instant,
    totals: Arc<Totals>,
) -> anyhow::Result<Vec<u32>> {
    let (socket, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let (mut write, mut read) = socket.split();
    let auth = ClientFrame::Auth { v: PROTOCOL_VERSION, token, last_seq: None };
    write.send(WsMessage::Text(serde_json::to_string(&auth)?.into())).await?;
    let period = Duration::from_secs_f64(1.0 / rate);
    // Spread first sends over one period so participants do not send in lockstep.
    let phase = period.mul_f64(rand::random::<f64>());
    let mut next_send = tokio::time::Instant::from_std(start_sending) + phase;
    let mut latencies = Vec::new();
    let mut n = 0u64;
    loop {
        let now = Instant::now();
        if now >= stop_reading {
            break;
        }
        let sending = now < stop_sending;
        tokio::select! {
            () = tokio::time::sleep_until(next_send), if sending => {
                let sent_at = epoch.elapsed().as_micros();
                let frame = ClientFrame::send(n, format!("{index}-{n}-{sent_at}").into(), NewContent::Text { text: format!("load message {n} from {index}") });
                write.send(WsMessage::Text(serde_json::to_string(&frame)?.into())).await?;
                totals.sent.fetch_add(1, Ordering::Relaxed);
                n += 1;
                next_send += period;
            }
            () = tokio::time::sleep_until(tokio::time::Instant::from_std(stop_reading)) => break,
            message = read.next() => {
                let Some(message) = message else { break };
                let WsMessage::Text(text) = message? else { continue };
                match serde_json::from_str::<ServerFrame>(&text)? {
                    ServerFrame::Event(envelope) => {
                        if let Event::MessageCreated { message } = envelope.event {
                            let sent_at: u128 = message.client_id.as_str().rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0);
                            let latency = epoch.elapsed().as_micros().saturating_sub(sent_at);
                            latencies.push(u32::try_from(latency).unwrap_or(u32::MAX));
                        }
                    }
                    ServerFrame::Ack { .. } => {
                        totals.acked.fetch_add(1, Ordering::Relaxed);
                    }
                    ServerFrame::Error(e) => {
                        totals.errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("participant {index}: {} {}", e.code, e.message);
                    }
                    _ => {}
                }
            }
        }
    }
    let _ = write.close().await;
    Ok(latencies)
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
    let totals = Arc::new(Totals { sent: AtomicU64::new(0), acked: AtomicU64::new(0), errors: AtomicU64::new(0) });

    // Everyone joins before anyone sends, so every participant can receive every message.
    let join_time = Duration::from_secs(2) + Duration::from_millis(args.participants as u64 * 4);
    let epoch = Instant::now();
    let start_sending = epoch + join_time;
    let stop_sending = start_sending + Duration::from_secs(args.duration);
    let stop_reading = stop_sending + DRAIN;
    let mut tasks = Vec::with_capacity(args.participants);
    for index in 0..args.participants {
        let who = Participant {
            id: ParticipantId(format!("load-{index}")),
            display_name: format!("Load {index}"),
            role: Role::Participant,
        };
        let token = keys.mint(&who, &meeting, 3600)?;
        let (url, totals) = (url.clone(), Arc::clone(&totals));
        tasks.push(tokio::spawn(participant(
            index,
            url,
            token,
            args.rate,
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
    println!("duration            {} s (+{} s drain)", args.duration, DRAIN.as_secs());
    println!(
        "messages sent       {sent} ({acked} acked, {} errors, {failed} participants failed)",
        totals.errors.load(Ordering::Relaxed)
    );
    println!(
        "deliveries          {delivered} of {expected} expected ({:.2}%)",
        100.0 * delivered as f64 / expected.max(1) as f64
    );
    println!("delivered/s         {:.0}", delivered as f64 / secs);
    println!(
        "latency ms          p50 {:.2}  p99 {:.2}  max {:.2}",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().map_or(0.0, |m| f64::from(*m) / 1000.0)
    );
    Ok(())
}
