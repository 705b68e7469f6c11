//! Measures what uploads cost in memory: 20 concurrent uploads of 25 MiB
//! (or the count and size given) to a server on 127.0.0.1, and the
//! process's peak resident memory before and after. Upload bodies are
//! written to the file store as they arrive, so the peak should grow by far
//! less than the 500 MiB uploaded. A benchmark, run by hand or by `.ci/bench`.
//!
//! `cargo run --release -p chat-server --example upload_memory -- [count] [MiB each]`

use anyhow::Context;
use chat_protocol::{MeetingId, Participant, ParticipantId, Role};
use chat_server::auth::TokenKeys;

static CHUNK: [u8; 64 * 1024] = [0x5a; 64 * 1024];

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(Ok(20), |n| n.parse()).context("an upload count")?;
    let mib: usize = args.next().map_or(Ok(25), |n| n.parse()).context("a size in MiB")?;
    let dir = tempfile::tempdir()?;
    let secret = b"upload-memory-secret-0123456789".to_vec();
    let mut config = chat_server::Config::new(dir.path(), secret.clone());
    config.limits.max_upload_bytes = (mib * 1024 * 1024) as u64;
    config.uploads_per_window = u32::try_from(count).unwrap_or(u32::MAX);
    config.upload_bytes_per_hour = u64::MAX;
    config.meeting_upload_bytes = u64::MAX;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(chat_server::api::app::serve(listener, config, shutdown.clone()));
    let keys = TokenKeys::new(&secret);
    let before = peak_rss_kib();
    let mut uploads = Vec::new();
    for n in 0..count {
        let who =
            Participant { id: ParticipantId(format!("u{n}")), display_name: format!("U{n}"), role: Role::Participant };
        let token = keys.mint(&who, &MeetingId::from("big"), 600)?;
        // Each body streams one static 64 KiB chunk over and over, so the
        // senders hold no copy and the peak is the server's.
        let chunks = (0..mib * 16).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&CHUNK)));
        let request = reqwest::Client::new()
            .post(format!("http://{addr}/api/v1/uploads?name=blob{n}.bin&kind=file"))
            .bearer_auth(token)
            .header("content-length", mib * 1024 * 1024)
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)));
        uploads.push(tokio::spawn(request.send()));
    }
    for upload in uploads {
        let response = upload.await??;
        anyhow::ensure!(response.status().is_success(), "an upload failed: {}", response.status());
    }
    let after = peak_rss_kib();
    println!("uploads             {count} concurrent of {mib} MiB ({} MiB in all)", count * mib);
    println!("peak RSS before     {:.1} MiB", before as f64 / 1024.0);
    println!("peak RSS after      {:.1} MiB (+{:.1} MiB)", after as f64 / 1024.0, (after - before) as f64 / 1024.0);
    shutdown.cancel();
    server.await??;
    Ok(())
}
