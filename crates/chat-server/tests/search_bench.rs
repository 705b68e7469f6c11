//! A benchmark, not a test (ignored by default): search latency over
//! 100,000 messages in one SQLite meeting, against a page of history read
//! in the same run as the baseline.
//!
//! `cargo test --release -p chat-server --test search_bench -- --ignored --nocapture`

use std::time::{Duration, Instant};

use chat_protocol::{MeetingId, MessageId, ParticipantId, Sender};
use chat_server::store::sqlite::SqliteStore;
use chat_server::store::{MessageSearch, Messages, NewMessage, PageQuery, StoredContent};

const MESSAGES: usize = 100_000;
const RUNS: usize = 100;
const PAGE: u32 = 50;
const WORDS: [&str; 12] = [
    "standup", "deploy", "review", "lunch", "budget", "design", "release", "customer", "bug", "meeting", "plan", "demo",
];

fn message(index: usize) -> NewMessage {
    // Every message has three common words; one in 10,000 has a rare one.
    let mut text = format!("{} the {} before {} #{index}", WORDS[index % 12], WORDS[index % 7], WORDS[index % 5]);
    if index % 10_000 == 7 {
        text.push_str(" zanzibar");
    }
    let sender = format!("p{}", index % 40);
    NewMessage {
        meeting: MeetingId::from("bench"),
        id: MessageId::from(format!("m{index}").as_str()),
        client_id: format!("c{index}").as_str().into(),
        sender: Sender { id: sender.as_str().into(), display_name: sender.clone(), bot: false },
        time: index as i64,
        session_id: "s".into(),
        content: StoredContent::Text(text),
        reply_to: None,
        forwarded_from: None,
        targets: if index % 50 == 0 { vec![ParticipantId::from("p1")] } else { Vec::new() },
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        mentions: Vec::new(),
    }
}

/// How many messages p7 may see have every word of `query` starting one of theirs.
fn visible_hits(query: &str) -> usize {
    (0..MESSAGES)
        .map(message)
        .filter(|m| m.targets.is_empty())
        .filter(|m| {
            let text = m.content.text().unwrap_or_default().to_lowercase();
            query.split_whitespace().all(|word| text.split(' ').any(|have| have.starts_with(word)))
        })
        .count()
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() * 95 / 100]))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn search_latency_over_100_000_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("chat.db")).expect("sqlite");
    let filling = Instant::now();
    for index in 0..MESSAGES {
        store.insert_message(message(index)).await.expect("insert");
    }
    println!("BENCH filled {MESSAGES} messages in {:.1} s", filling.elapsed().as_secs_f64());
    let meeting = MeetingId::from("bench");
    let viewer = ParticipantId::from("p7");
    let page = PageQuery { before: None, limit: PAGE, with: None };
    let history = || store.history(&meeting, &viewer, &page);
    let mut baseline = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        history().await.expect("history");
        baseline.push(started.elapsed());
    }
    let (base_p50, base_p95) = percentiles(baseline);
    println!("BENCH history page of {PAGE}: p50 {base_p50:.2} ms, p95 {base_p95:.2} ms (baseline)");
    for (label, query) in [
        ("a rare word", "zanzibar"),
        ("a common word", "deploy"),
        ("a prefix of a common word", "depl"),
        ("two common words", "deploy budget"),
        ("no hit", "quetzal"),
    ] {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            hits = store.search(&meeting, &viewer, query, &page).await.expect("search").messages.len();
            times.push(started.elapsed());
        }
        let (p50, p95) = percentiles(times);
        println!(
            "BENCH search {label} ({} hits, {hits} on the page): p50 {p50:.2} ms, p95 {p95:.2} ms, \
             ratio to history {:.2}",
            visible_hits(query),
            p50 / base_p50
        );
    }
}
