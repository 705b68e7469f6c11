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
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chat_protocol::{rules, MeetingId, Participant, ParticipantId, Role};
use chat_server::auth::TokenKeys;
use clap::Parser;

mod frames;
mod participant;

use participant::{participant, Duties, Totals, VOTE_WINDOW};

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
