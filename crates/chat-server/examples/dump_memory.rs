//! Measures what exporting a large meeting costs in memory: stores 100,000
//! messages (or the count given) in a fresh SQLite file, serves it on
//! 127.0.0.1, downloads the chat dump through its signed link, and prints
//! the process's resident memory before and its peak after, beside the
//! CSV's size. A benchmark, run by hand or by `.ci/bench`.
//!
//! `cargo run --release -p chat-server --example dump_memory -- [messages]`

use std::sync::Arc;

use anyhow::Context;
use chat_protocol::{MeetingId, MessageId, Participant, ParticipantId, Role, Sender};
use chat_server::auth::TokenKeys;
use chat_server::store::sqlite::SqliteStore;
use chat_server::store::{Messages, NewMessage, StoredContent};
use futures_util::StreamExt;

/// A line of /proc/self/status, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args().nth(1).map_or(Ok(100_000), |n| n.parse()).context("a message count")?;
    let dir = tempfile::tempdir()?;
    let secret = b"dump-memory-secret-0123456789".to_vec();
    let config = chat_server::Config::new(dir.path(), secret.clone());
    let meeting = MeetingId::from("big");
    {
        let store = Arc::new(SqliteStore::open(&config.database_path())?);
        for n in 0..count {
            let sender = format!("p{}", n % 50);
            store
                .insert_message(NewMessage {
                    meeting: meeting.clone(),
                    id: MessageId(format!("m{n}")),
                    client_id: format!("c{n}").into(),
                    sender: Sender { id: ParticipantId(sender.clone()), display_name: sender, bot: false },
                    time: 1_795_420_000_000 + n as i64,
                    session_id: format!("s{}", n % 50),
                    content: StoredContent::Text(format!("message number {n}, with a comma and \"quotes\"")),
                    reply_to: None,
                    forwarded_from: None,
                    targets: Vec::new(),
                    metadata: Default::default(),
                    details: Default::default(),
                    attachments: Vec::new(),
                    mentions: Vec::new(),
                })
                .await?;
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(chat_server::api::app::serve(listener, config, shutdown.clone()));
    let service =
        Participant { id: ParticipantId::from("exporter"), display_name: "Exporter".into(), role: Role::Service };
    let token = TokenKeys::new(&secret).mint(&service, &meeting, 600)?;
    let client = reqwest::Client::new();
    let answer: serde_json::Value =
        client.get(format!("http://{addr}/api/v1/meetings/big/chat")).bearer_auth(token).send().await?.json().await?;
    let link = answer["data"]["chat_download_url"].as_str().context("a download link")?.to_owned();
    let before = status_kib("VmRSS:");
    let peak_before = status_kib("VmHWM:");
    let mut body = client.get(&link).send().await?.bytes_stream();
    let (mut bytes, mut rows) = (0usize, 0usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        bytes += chunk.len();
        rows += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let peak = status_kib("VmHWM:");
    println!("messages stored     {count}");
    println!("CSV                 {:.1} MiB, {rows} lines", bytes as f64 / 1_048_576.0);
    println!(
        "RSS before export   {:.1} MiB (peak so far {:.1} MiB)",
        before as f64 / 1024.0,
        peak_before as f64 / 1024.0
    );
    println!("peak RSS after      {:.1} MiB", peak as f64 / 1024.0);
    shutdown.cancel();
    server.await??;
    Ok(())
}
