//! The message hook over real sockets, with a real HTTP receiver on
//! 127.0.0.1:0 that checks every request's signature and answers by the
//! text it is shown: accept, reject, rewrite, take too long, or babble; and
//! by a report's reason: accept or reject.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use chat_protocol::{AckResult, ErrorCode, Event, Role};
use chat_server::config::{HookConfig, HookPolicy};
use chat_server::signing::{verify, SIGNATURE_HEADER};
use serde_json::{json, Value};
use support::*;

const HOOK_SECRET: &[u8] = b"hook-secret-0123456789";

/// What the receiver saw: each request's body, and whether its signature held.
type Seen = Arc<Mutex<Vec<(Value, bool)>>>;

async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = Arc::clone(&log);
            async move {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
                let signed = verify(HOOK_SECRET, header, &body, now, 300).is_ok();
                let draft: Value = serde_json::from_slice(&body).unwrap_or_default();
                log.lock().unwrap().push((draft.clone(), signed));
                let text = draft["text"].as_str().unwrap_or_default().to_owned();
                if draft["type"] == "message.report"
                    && draft["reason"].as_str().is_some_and(|r| r.starts_with("reject"))
                {
                    return json!({ "action": "reject", "reason": "that report is not one" }).to_string();
                }
                if text.starts_with("slow") {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                }
                match text.as_str() {
                    t if t.starts_with("reject") => {
                        json!({ "action": "reject", "reason": "no spoilers here" }).to_string()
                    }
                    t if t.starts_with("garbage") => "this is not a verdict".to_owned(),
                    t if t.starts_with("rewrite") => {
                        json!({ "action": "rewrite", "text": format!("{t} lol~"), "metadata": { "hooked": true } })
                            .to_string()
                    }
                    _ => json!({ "action": "accept" }).to_string(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn server_with_hook(dir: &std::path::Path, url: &str, policy: HookPolicy) -> TestServer {
    let mut config = test_config(dir);
    config.hook = Some(HookConfig {
        url: url.to_owned(),
        secret: HOOK_SECRET.to_vec(),
        timeout: Duration::from_millis(800),
        policy,
    });
    TestServer::start_with(config).await
}

async fn next_created(client: &mut Client) -> chat_protocol::Message {
    loop {
        if let Event::MessageCreated { message } = client.next_event().await.event {
            return message;
        }
    }
}

#[tokio::test]
async fn the_hook_accepts_rejects_and_rewrites_and_the_sender_learns_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = receiver().await;
    let server = server_with_hook(dir.path(), &url, HookPolicy::Closed).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;

    let ok = ann.send_text("c1", "hello").await.ack();
    assert!(matches!(&ok, AckResult::Sent { modified, .. } if modified.is_empty()));
    assert_eq!(text_of(&next_created(&mut bob).await), "hello");

    let refused = ann.send_text("c2", "reject: the ending").await.error();
    assert_eq!((refused.code, refused.message.as_str()), (ErrorCode::Rejected, "no spoilers here"));

    let rewritten = ann.send_text("c3", "rewrite me").await.ack();
    let AckResult::Sent { modified, .. } = rewritten else { panic!("{rewritten:?}") };
    assert_eq!(modified, ["text", "metadata"], "the ack says what the server changed");
    let stored = next_created(&mut bob).await;
    assert_eq!((text_of(&stored), stored.metadata.get("hooked")), ("rewrite me lol~", Some(&json!(true))));
    assert!(bob.all_history().await.iter().all(|m| text_of(m) != "reject: the ending" && text_of(m) != "rewrite me"));

    // An edit is asked too, and rewritten like a new message.
    let id = sent_id(&ok);
    let edit = ann
        .request(|req_id| chat_protocol::ClientFrame::Edit {
            req_id,
            id: id.clone(),
            content: chat_protocol::NewContent::Text { text: "rewrite the edit".into() },
            attachments: None,
        })
        .await;
    edit.ack();
    let history = bob.all_history().await;
    assert_eq!(text_of(history.iter().find(|m| m.id == id).unwrap()), "rewrite the edit lol~");

    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().all(|(_, signed)| *signed), "every request carries a signature the receiver verifies");
    let first = &seen[0].0;
    assert_eq!(
        (first["type"].as_str(), first["sender"]["id"].as_str(), first["kind"].as_str()),
        (Some("message.create"), Some("ann"), Some("text"))
    );
    assert_eq!(seen.last().unwrap().0["type"], "message.edit");
    server.stop().await;
}

#[tokio::test]
async fn a_slow_or_babbling_hook_is_handled_by_the_policy_and_never_holds_up_other_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = receiver().await;
    let closed = server_with_hook(&dir.path().join("closed"), &url, HookPolicy::Closed).await;
    let mut ann = Client::connect(&closed, "ann", Role::Participant).await;
    let late = ann.send_text("c1", "slow down").await.error();
    assert_eq!(late.code, ErrorCode::HookUnavailable);
    assert!(late.code.is_retryable(), "a closed hook's refusal can be retried");
    assert_eq!(ann.send_text("c2", "garbage please").await.error().code, ErrorCode::HookUnavailable);
    assert!(ann.all_history().await.is_empty(), "nothing stored");
    closed.stop().await;

    let open = server_with_hook(&dir.path().join("open"), &url, HookPolicy::Open).await;
    let mut ann = Client::connect(&open, "ann", Role::Participant).await;
    ann.send_text("c1", "slow but sure").await.ack();
    ann.send_text("c2", "garbage, kept").await.ack();
    let texts: Vec<String> = ann.all_history().await.iter().map(|m| text_of(m).to_owned()).collect();
    assert_eq!(texts, ["slow but sure", "garbage, kept"], "an open hook's silence keeps messages as sent");

    // A slow answer in one meeting while another meeting's message goes through.
    let mut cat = Client::connect_token(&open, &token_in("cat", Role::Participant, "other"), None).await;
    let started = Instant::now();
    let (_, quick) = tokio::join!(ann.send_text("c3", "slow again"), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let answer = cat.send_text("k1", "quick one").await;
        (answer, started.elapsed())
    });
    quick.0.ack();
    assert!(quick.1 < Duration::from_millis(700), "the other meeting waited {:?}", quick.1);
    open.stop().await;
}

/// Send → ack latencies of `count` sends, in microseconds, sorted.
async fn latencies(client: &mut Client, count: usize, label: &str) -> Vec<u128> {
    let mut took = Vec::with_capacity(count);
    for index in 0..count {
        let started = Instant::now();
        client.send_text(&format!("{label}-{index}"), "hello").await.ack();
        took.push(started.elapsed().as_micros());
    }
    took.sort_unstable();
    took
}

/// The latency an accepting hook on loopback adds to a send, beside the same
/// server without one in the same run. A benchmark, not a test: `bash .ci/bench` runs it.
#[tokio::test]
#[ignore = "a benchmark; run with .ci/bench"]
async fn hook_latency_over_a_thousand_sends() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = receiver().await;
    let plain = TestServer::start(&dir.path().join("plain")).await;
    let hooked = server_with_hook(&dir.path().join("hooked"), &url, HookPolicy::Closed).await;
    let percentile = |v: &[u128], p: f64| v[((v.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0;
    // The rate limit allows 180 texts a minute per participant: a new sender per 150.
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for round in 0..7 {
        let id = format!("bench{round}");
        let mut a = Client::connect(&plain, &id, Role::Participant).await;
        let mut b = Client::connect(&hooked, &id, Role::Participant).await;
        without.extend(latencies(&mut a, 143, "p").await);
        with.extend(latencies(&mut b, 143, "h").await);
    }
    without.sort_unstable();
    with.sort_unstable();
    println!(
        "BENCH send with an accepting hook over {} sends: p50 {:.2} ms, p99 {:.2} ms; without a hook p50 {:.2} ms, p99 {:.2} ms",
        with.len(),
        percentile(&with, 0.5),
        percentile(&with, 0.99),
        percentile(&without, 0.5),
        percentile(&without, 0.99)
    );
    plain.stop().await;
    hooked.stop().await;
}

#[tokio::test]
async fn the_hook_sees_who_reported_what_and_why_and_may_refuse_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = receiver().await;
    let server = server_with_hook(dir.path(), &url, HookPolicy::Closed).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let id = sent_id(&ann.send_text("a1", "buy cheap watches").await.ack());
    let report = |reason: &str| {
        let (id, reason) = (id.clone(), reason.to_owned());
        move |req_id| chat_protocol::ClientFrame::Report { req_id, id, reason }
    };

    let refused = bob.request(report("reject me")).await.error();
    assert_eq!((refused.code, refused.message.as_str()), (ErrorCode::Rejected, "that report is not one"));
    assert!(matches!(bob.request(report("spam")).await.ack(), AckResult::Done { seq: Some(_) }));
    let shown: Vec<Value> = seen.lock().unwrap().iter().map(|(draft, _)| draft.clone()).collect();
    let last = shown.last().expect("the hook saw the report");
    assert_eq!(last["type"], "message.report");
    assert_eq!((last["messageId"].as_str(), last["reporter"].as_str()), (Some(id.as_str()), Some("bob")));
    assert_eq!((last["reason"].as_str(), last["text"].as_str()), (Some("spam"), Some("buy cheap watches")));
    assert_eq!(last["sender"]["id"], "ann");
    assert!(seen.lock().unwrap().iter().all(|(_, signed)| *signed));
    server.stop().await;
}
