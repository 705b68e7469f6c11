//! 180 text and 20 file messages per 60 s per participant; a refusal says
//! when to retry, and a notice follows when sending works again.

mod support;

use chat_protocol::{ErrorCode, NewContent, RateBucket, Role, ServerFrame};
use support::*;

#[tokio::test]
async fn the_181st_text_message_in_a_minute_is_refused_with_a_retry_time() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let started = std::time::Instant::now();
    for i in 0..180 {
        ann.send_text(&format!("t{i}"), "chatty").await.ack();
    }
    let refused = ann.send_text("t180", "one too many").await.error();
    assert_eq!(refused.code, ErrorCode::RateLimited);
    assert_eq!(refused.bucket, Some(RateBucket::Text));
    let retry = refused.retry_after_ms.expect("retry hint");
    let elapsed = started.elapsed().as_millis() as u64;
    assert!(retry <= 60_000 && retry + elapsed >= 59_000, "retry in {retry} ms after {elapsed} ms");
    server.stop().await;
}

#[tokio::test]
async fn a_refused_sender_is_told_when_the_window_lets_it_send_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.limits.text_messages_per_window = 5;
    config.limits.rate_window_secs = 2;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    for i in 0..5 {
        ann.send_text(&format!("t{i}"), "chatty").await.ack();
    }
    let refused = ann.send_text("t5", "one too many").await.error();
    assert_eq!(refused.code, ErrorCode::RateLimited);
    assert!(ann.send_text("t5", "again").await.error().code == ErrorCode::RateLimited);

    // Re-sending an already stored message is not throttled: it stores nothing.
    ann.send_text("t0", "chatty").await.ack();
    // Others keep their own allowance.
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    ben.send_text("b0", "hi").await.ack();

    let notice = loop {
        match ann.next().await {
            ServerFrame::RateLimitReset { bucket } => break bucket,
            _ => continue,
        }
    };
    assert_eq!(notice, RateBucket::Text);
    assert!(
        !ann.others.contains(&ServerFrame::RateLimitReset { bucket: RateBucket::Text }),
        "one notice for two refusals"
    );
    ann.send_text("t5", "now it fits").await.ack();
    server.stop().await;
}

#[tokio::test]
async fn the_21st_file_message_in_a_minute_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let token = token_for("ann", Role::Participant);
    let http = reqwest::Client::new();
    let mut ann = Client::connect_token(&server, &token, None).await;
    for i in 0..21 {
        let file: chat_protocol::FileRef = http
            .post(server.http_url("/api/v1/uploads"))
            .query(&[("name", format!("f{i}.txt"))])
            .bearer_auth(&token)
            .body(format!("file {i}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let answer = ann.send(&format!("f{i}"), NewContent::File { file_id: file.id }, vec![]).await;
        if i < 20 {
            answer.ack();
        } else {
            let e = answer.error();
            assert_eq!((e.code, e.bucket), (ErrorCode::RateLimited, Some(RateBucket::File)));
        }
    }
    // The text bucket is separate.
    ann.send_text("t", "text still works").await.ack();
    server.stop().await;
}
