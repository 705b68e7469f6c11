//! Webhooks against a real receiver on 127.0.0.1:0 that verifies every
//! signature: each event type once and in order, with its audience; a
//! receiver that is down for a while gets everything once it is up; a
//! server killed with SIGKILL before delivering delivers after its restart;
//! a dead endpoint delays no other; a delivery too old is given up on and
//! recorded as dead.

mod support;

use std::collections::HashSet;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chat_protocol::{ClientFrame, DeleteScope, NewContent, Role, ServerFrame};
use chat_server::config::WebhookConfig;
use chat_server::signing::{verify, SIGNATURE_HEADER};
use chat_server::webhooks::{DELIVERY_HEADER, EVENT_HEADER};
use futures_util::SinkExt;
use serde_json::Value;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const WEBHOOK_SECRET: &str = "webhook-secret-for-tests";

/// One delivery as the receiver saw it.
#[derive(Clone, Debug)]
struct Delivery {
    id: String,
    kind: String,
    body: Value,
    signed: bool,
}

/// A webhook receiver: answers 503 while `up` is false, records what it took.
#[derive(Clone)]
struct Receiver {
    url: String,
    up: Arc<AtomicBool>,
    taken: Arc<Mutex<Vec<Delivery>>>,
    refused: Arc<Mutex<usize>>,
}

impl Receiver {
    async fn start(up: bool) -> Self {
        let receiver = Self {
            url: String::new(),
            up: Arc::new(AtomicBool::new(up)),
            taken: Arc::default(),
            refused: Arc::default(),
        };
        let state = receiver.clone();
        let app = axum::Router::new().route(
            "/events",
            post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    if !state.up.load(Ordering::SeqCst) {
                        *state.refused.lock().unwrap() += 1;
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let header =
                        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                    let signed = verify(WEBHOOK_SECRET.as_bytes(), &header(SIGNATURE_HEADER), &body, now, 300).is_ok();
                    let delivery = Delivery {
                        id: header(DELIVERY_HEADER),
                        kind: header(EVENT_HEADER),
                        body: serde_json::from_slice(&body).unwrap_or_default(),
                        signed,
                    };
                    state.taken.lock().unwrap().push(delivery);
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/events", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, ..receiver }
    }

    /// Waits until `count` distinct deliveries arrived; returns them, first arrivals in order.
    async fn wait_for(&self, count: usize) -> Vec<Delivery> {
        for _ in 0..200 {
            let distinct = self.distinct();
            if distinct.len() >= count {
                return distinct;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("waited for {count} deliveries, got {:?}", self.distinct());
    }

    fn distinct(&self) -> Vec<Delivery> {
        let mut seen = HashSet::new();
        self.taken.lock().unwrap().iter().filter(|d| seen.insert(d.id.clone())).cloned().collect()
    }
}

fn with_webhooks(dir: &std::path::Path, urls: Vec<String>) -> chat_server::Config {
    let mut config = test_config(dir);
    let mut webhooks = WebhookConfig::new(urls, WEBHOOK_SECRET.as_bytes().to_vec());
    webhooks.max_backoff = Duration::from_millis(200);
    config.webhooks = Some(webhooks);
    config
}

fn kinds(deliveries: &[Delivery]) -> Vec<&str> {
    deliveries.iter().map(|d| d.kind.as_str()).collect()
}

#[tokio::test]
async fn every_event_type_arrives_once_in_order_signed_with_its_audience() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start(true).await;
    let server = TestServer::start_with(with_webhooks(dir.path(), vec![receiver.url.clone()])).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    let mut bob_here = Client::connect(&server, "bob", Role::Participant).await;

    let id = sent_id(&ann.send_text("c1", "hello").await.ack());
    ann.request(|req_id| ClientFrame::Edit {
        req_id,
        id: id.clone(),
        content: NewContent::Text { text: "hello, all".into() },
        attachments: None,
    })
    .await
    .ack();
    ann.request(|req_id| ClientFrame::Pin { req_id, id: id.clone() }).await.ack();
    ann.request(|req_id| ClientFrame::Unpin { req_id, id: id.clone() }).await.ack();
    ann.request(|req_id| ClientFrame::Delete { req_id, id: id.clone(), scope: DeleteScope::Everyone }).await.ack();
    ann.send("c2", NewContent::Text { text: "just you".into() }, vec!["bob"]).await.ack();
    let photo = upload_ok(&server, &token_for("ann", Role::Host), "cat.png", "image", png(4, 4)).await;
    let image = NewContent::with_file(chat_protocol::MessageKind::Image, photo.id);
    let reported = sent_id(&ann.send("c3", image, Vec::new()).await.ack());
    let bob = chat_protocol::ParticipantId::from("bob");
    ann.request(|req_id| ClientFrame::Mute { req_id, participant_id: bob.clone(), minutes: Some(5) }).await.ack();
    ann.request(|req_id| ClientFrame::Unmute { req_id, participant_id: bob.clone() }).await.ack();
    let report = |req_id| ClientFrame::Report { req_id, id: reported.clone(), reason: "not a cat".into() };
    bob_here.request(report).await.ack();
    ann.request(|req_id| ClientFrame::DismissReports { req_id, id: reported.clone() }).await.ack();
    let remove = |req_id| ClientFrame::Remove { req_id, participant_id: bob.clone(), delete_messages: true };
    ann.request(remove).await.ack();

    let got = receiver.wait_for(12).await;
    assert_eq!(
        kinds(&got),
        [
            "message.created",
            "message.edited",
            "message.pinned",
            "message.unpinned",
            "message.deleted",
            "message.created",
            "message.created",
            "participant.muted",
            "participant.unmuted",
            "message.reported",
            "message.reportsDismissed",
            "participant.removed"
        ]
    );
    let report = &got[9].body;
    let said = &report["data"]["report"];
    assert_eq!((said["by"].as_str(), said["reason"].as_str()), (Some("bob"), Some("not a cat")));
    assert_eq!(report["audience"], serde_json::json!(["bob"]), "a report is for its reporter (and the hosts)");
    assert_eq!(got[10].body["data"]["by"], "ann", "who dismissed it, in the audit trail");
    let removed = &got[11].body;
    assert_eq!((removed["data"]["participantId"].as_str(), removed["data"]["by"].as_str()), (Some("bob"), Some("ann")));
    assert_eq!(removed["data"]["messagesDeleted"], true);
    assert_eq!(removed["audience"], Value::Null, "everyone drops the removed participant's messages");
    let muted = &got[7].body;
    assert_eq!((muted["data"]["participantId"].as_str(), muted["data"]["by"].as_str()), (Some("bob"), Some("ann")));
    assert!(muted["data"]["until"].as_i64().is_some(), "the audit trail says until when: {muted}");
    assert_eq!(muted["audience"], serde_json::json!(["bob"]), "a mute is for the muted participant (and the hosts)");
    let link = got[6].body["data"]["message"]["file"]["url"].as_str().unwrap();
    assert_eq!(reqwest::get(server.http_url(link)).await.unwrap().status(), 200, "file links are signed: {link}");
    assert!(got.iter().all(|d| d.signed), "every delivery verifies");
    let seqs: Vec<u64> = got.iter().map(|d| d.body["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in seq order: {seqs:?}");
    assert!(got.iter().all(|d| d.body["id"] == d.id.as_str() && d.body["meetingId"] == MEETING));
    assert_eq!(got[0].body["audience"], Value::Null, "a meeting message is for everyone");
    let mut audience: Vec<&str> =
        got[5].body["audience"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    audience.sort_unstable();
    assert_eq!(audience, ["ann", "bob"], "a private message names who may see it");
    assert_eq!(got[5].body["data"]["message"]["targets"][0], "bob");

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.taken.lock().unwrap().len(), 12, "nothing more, nothing twice");
    server.stop().await;
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_everything_once_up_and_a_dead_one_delays_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let late = Receiver::start(false).await;
    let steady = Receiver::start(true).await;
    // A port nobody listens on: every attempt fails at once.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/events", listener.local_addr().unwrap())
    };
    let urls = vec![dead, late.url.clone(), steady.url.clone()];
    let server = TestServer::start_with(with_webhooks(dir.path(), urls)).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    for n in 0..10 {
        ann.send_text(&format!("c{n}"), &format!("message {n}")).await.ack();
    }
    let on_time = steady.wait_for(10).await;
    assert_eq!(on_time.len(), 10, "the steady endpoint is not held up by the others");
    assert!(late.taken.lock().unwrap().is_empty());
    assert!(*late.refused.lock().unwrap() > 0, "the late one was tried");

    late.up.store(true, Ordering::SeqCst);
    let got = late.wait_for(10).await;
    let texts: Vec<&str> = got.iter().map(|d| d.body["data"]["message"]["text"].as_str().unwrap()).collect();
    let expected: Vec<String> = (0..10).map(|n| format!("message {n}")).collect();
    assert_eq!(texts, expected, "every event, in order, once it is up");
    server.stop().await;
}

#[tokio::test]
async fn a_delivery_too_old_is_given_up_on_and_recorded_as_dead() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start(false).await;
    let mut config = with_webhooks(dir.path(), vec![receiver.url.clone()]);
    if let Some(webhooks) = config.webhooks.as_mut() {
        webhooks.give_up_after = Duration::from_millis(700);
    }
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    ann.send_text("c1", "nobody hears this").await.ack();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    receiver.up.store(true, Ordering::SeqCst);
    ann.send_text("c2", "this one is heard").await.ack();
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].body["data"]["message"]["text"], "this one is heard");
    let dead = stored_rows(&server, "SELECT endpoint, reason FROM webhook_dead").await;
    server.stop().await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0][0].as_deref(), Some(receiver.url.as_str()));
    assert!(dead[0][1].as_deref().is_some_and(|reason| reason.contains("503")), "{dead:?}");
}

/// Starts the real binary on `dir` with webhooks to `url`; returns it and its address.
async fn start_binary_telling(dir: &std::path::Path, url: &str) -> (Child, String) {
    let secret = std::str::from_utf8(SECRET).unwrap();
    let webhooks = ["--webhook-url", url, "--webhook-secret", WEBHOOK_SECRET, "--webhook-max-backoff-ms", "200"];
    start_binary(&[&["--secret", secret][..], &webhooks].concat(), dir).await
}

#[tokio::test]
async fn a_server_killed_before_delivering_delivers_after_its_restart() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start(false).await;
    let (mut child, addr) = start_binary_telling(dir.path(), &receiver.url).await;
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.unwrap();
    socket.send(WsMessage::Text(auth_frame(&token_for("ann", Role::Participant), None).into())).await.unwrap();
    assert!(matches!(next_frame(&mut socket).await, Ok(ServerFrame::Welcome { .. })));
    for n in 0..5u64 {
        let frame = ClientFrame::send(n + 1, format!("c{n}").into(), NewContent::Text { text: format!("kept {n}") });
        socket.send(WsMessage::Text(serde_json::to_string(&frame).unwrap().into())).await.unwrap();
        loop {
            match next_frame(&mut socket).await {
                Ok(ServerFrame::Ack { .. }) => break,
                Ok(_) => {}
                Err(close) => panic!("closed before the ack: {close:?}"),
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(receiver.taken.lock().unwrap().is_empty(), "nothing was delivered before the kill");

    receiver.up.store(true, Ordering::SeqCst);
    let (mut restarted, _) = start_binary_telling(dir.path(), &receiver.url).await;
    let got = receiver.wait_for(5).await;
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    let texts: Vec<&str> = got.iter().map(|d| d.body["data"]["message"]["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["kept 0", "kept 1", "kept 2", "kept 3", "kept 4"]);
}

#[tokio::test]
async fn two_nodes_on_one_postgres_database_deliver_each_item_once_in_order() {
    let receiver = Receiver::start(true).await;
    let url = support::postgres::Postgres::shared().fresh_database();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut nodes = Vec::new();
    for dir in [&dir_a, &dir_b] {
        let mut config = with_webhooks(dir.path(), vec![receiver.url.clone()]);
        config.database_url = Some(url.clone());
        nodes.push(TestServer::start_with(config).await);
    }
    // Both nodes have claimed or tried the endpoint before anything is sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ann = Client::connect(&nodes[0], "ann", Role::Participant).await;
    let mut bob = Client::connect(&nodes[1], "bob", Role::Participant).await;
    for n in 0..10 {
        let (sender, name) = if n % 2 == 0 { (&mut ann, "a") } else { (&mut bob, "b") };
        sender.send_text(&format!("{name}{n}"), &format!("message {n}")).await.ack();
    }
    let got = receiver.wait_for(10).await;
    // Give a second deliverer, if there were one, time to repeat something.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let taken = receiver.taken.lock().unwrap().clone();
    println!("deliveries: {} taken, {} distinct", taken.len(), got.len());
    assert_eq!(taken.len(), 10, "each item delivered by one node, once");
    let seqs: Vec<u64> = got.iter().map(|d| d.body["seq"].as_u64().expect("seq")).collect();
    assert_eq!(seqs, (1..=10).collect::<Vec<_>>(), "in seq order");
    for node in nodes {
        node.stop().await;
    }
}
