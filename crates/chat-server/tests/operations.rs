//! What an operator relies on: `/healthz`, `/readyz` (false while draining,
//! before sockets close), `/metrics` parsed by a Prometheus text parser with
//! counters moving as traffic flows (and on its own address when asked), a
//! shutdown that a stalled upload cannot hold past its deadline, a request
//! timeout that ends a trickling upload, a header deadline that ends a client
//! dribbling its headers, and the JSON log format.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chat_protocol::{close_code, Role};
use support::*;
use tokio::io::AsyncWriteExt;

/// The samples of `/metrics` at `url`, by name and labels.
async fn scrape(url: &str) -> prometheus_parse::Scrape {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().contains("openmetrics-text"));
    let body = response.text().await.unwrap();
    let lines = body.lines().map(|line| Ok(line.to_owned()));
    prometheus_parse::Scrape::parse(lines).expect("the exposition parses")
}

fn value(scrape: &prometheus_parse::Scrape, name: &str, label: Option<(&str, &str)>) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn health_readiness_and_metrics_that_move_with_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.limits.text_messages_per_window = 3;
    let server = TestServer::start_with(config).await;
    assert_eq!(reqwest::get(server.http_url("/healthz")).await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(reqwest::get(server.http_url("/readyz")).await.unwrap().status(), 200);
    let before = scrape(&server.http_url("/metrics")).await;
    assert_eq!(value(&before, "chat_messages_stored_total", None), 0.0);

    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let _bob = Client::connect(&server, "bob", Role::Participant).await;
    for n in 0..3 {
        ann.send_text(&format!("c{n}"), "hello").await.ack();
    }
    let refused = ann.send_text("c3", "one too many").await.error();
    assert_eq!(refused.code, chat_protocol::ErrorCode::RateLimited);

    let after = scrape(&server.http_url("/metrics")).await;
    assert_eq!(value(&after, "chat_messages_stored_total", None), 3.0);
    assert_eq!(value(&after, "chat_deliveries_total", None), 6.0, "three messages to two members");
    assert_eq!(value(&after, "chat_connections", None), 2.0);
    assert_eq!(value(&after, "chat_meetings", None), 1.0);
    assert_eq!(value(&after, "chat_frames_in_total", None), 4.0);
    assert!(value(&after, "chat_frames_out_total", None) >= 8.0);
    assert_eq!(value(&after, "chat_errors_total", Some(("code", "rate_limited"))), 1.0);
    let timed = value(&after, "chat_http_request_seconds_count", Some(("route", "/healthz")));
    assert_eq!(timed, 1.0, "requests are timed by route");
    server.stop().await;
}

#[tokio::test]
async fn metrics_can_live_on_their_own_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    config.metrics_addr = Some(free);
    let server = TestServer::start_with(config).await;
    assert_eq!(reqwest::get(server.http_url("/metrics")).await.unwrap().status(), 404, "not on the public address");
    let scraped = scrape(&format!("http://{free}/metrics")).await;
    assert_eq!(value(&scraped, "chat_connections", None), 0.0);
    server.stop().await;
}

#[tokio::test]
async fn readiness_goes_false_before_sockets_close_and_a_stalled_upload_cannot_hold_the_exit() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.drain_delay = Duration::from_millis(800);
    config.shutdown_deadline = Duration::from_secs(1);
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    // An upload that sent its headers and 3 of 1,000,000 bytes, then stalled.
    let mut stalled = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let token = token_for("ann", Role::Participant);
    let head = format!(
        "POST /api/v1/uploads?name=a.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 1000000\r\n\r\nabc"
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let asked = Instant::now();
    server.begin_stop();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ready = reqwest::get(server.http_url("/readyz")).await.unwrap();
    assert_eq!((ready.status().as_u16(), ready.text().await.unwrap()), (503, "draining".to_owned()));
    assert_eq!(expect_close(&mut ann.socket).await, Some(close_code::GOING_AWAY));
    assert!(asked.elapsed() >= Duration::from_millis(700), "sockets close after the drain delay");
    server.stop().await;
    assert!(asked.elapsed() < Duration::from_secs(5), "exited by the deadline: {:?}", asked.elapsed());
    drop(stalled);
}

#[tokio::test]
async fn a_trickling_upload_is_cut_off_at_the_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.request_timeout = Duration::from_millis(700);
    let server = TestServer::start_with(config).await;
    let token = token_for("ann", Role::Participant);
    let mut trickle = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/uploads?name=a.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 100\r\n\r\n"
    );
    trickle.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    for _ in 0..30 {
        if trickle.write_all(b"x").await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(1), tokio::io::AsyncReadExt::read(&mut trickle, &mut buf)).await
        {
            answer.extend_from_slice(&buf[..n]);
            if n == 0 || !answer.is_empty() {
                break;
            }
        }
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "answered {answer:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "cut off after {:?}", started.elapsed());
    server.stop().await;
}

#[tokio::test]
async fn a_client_dribbling_its_headers_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.header_timeout = Duration::from_millis(500);
    let server = TestServer::start_with(config).await;
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let mut closed = false;
    for _ in 0..40 {
        if slow.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        let read = tokio::io::AsyncReadExt::read(&mut slow, &mut buf);
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(100), read).await {
            closed = true;
            break;
        }
    }
    assert!(closed, "the connection was not closed");
    assert!(started.elapsed() < Duration::from_secs(2), "closed after {:?}", started.elapsed());
    server.stop().await;
}

#[test]
fn logs_are_json_lines_when_asked_and_never_coloured_into_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chat-server"))
            .args(["--addr", "127.0.0.1:0", "--dev", "--log-format", format, "--data-dir"])
            .arg(dir.path())
            .env("RUST_LOG", "info")
            .env_remove("NO_COLOR")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chat-server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = loop {
            let line = lines.next().expect("a log line").unwrap();
            if line.contains("chat-server listening") {
                break line;
            }
        };
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!line.contains('\u{1b}'), "no escape codes into a pipe: {line:?}");
        if format == "json" {
            let parsed: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
            assert_eq!(parsed["level"], "INFO");
            assert_eq!(parsed["fields"]["message"], "chat-server listening");
            assert!(parsed["fields"]["addr"].as_str().is_some_and(|a| a.starts_with("127.0.0.1:")));
        }
    }
}
