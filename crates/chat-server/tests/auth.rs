//! The first frame authenticates: valid tokens join, everything else closes with 4001.

mod support;

use std::time::Duration;

use chat_protocol::{close_code, ErrorCode, MeetingId, Role, ServerFrame};
use chat_server::auth::TokenKeys;
use futures_util::SinkExt;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::test]
async fn a_valid_token_joins_its_meeting_with_welcome() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let alice = Client::connect(&server, "alice", Role::Host).await;
    match &alice.welcome {
        ServerFrame::Welcome { me, meeting_id, head_seq, participants, limits, .. } => {
            assert_eq!(me.id.as_str(), "alice");
            assert_eq!(me.role, Role::Host);
            assert_eq!(meeting_id.as_str(), MEETING);
            assert_eq!(*head_seq, 0);
            assert_eq!(participants.len(), 1);
            assert_eq!(limits.max_text_chars, 4_000);
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

async fn closed_after_auth_frame(server: &TestServer, frame: &str) -> Option<u16> {
    let mut socket = raw_socket(server).await;
    socket.send(WsMessage::Text(frame.to_owned().into())).await.unwrap();
    expect_close(&mut socket).await
}

#[tokio::test]
async fn bad_missing_and_expired_tokens_close_with_4001() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let wrong_key = TokenKeys::new(b"another-secret-entirely")
        .mint(&participant("mallory", Role::Host), &MeetingId::from(MEETING), 3600)
        .unwrap();
    let expired = TokenKeys::new(SECRET).mint(&participant("alice", Role::Host), &MeetingId::from(MEETING), 0).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for frame in [
        auth_frame("not-a-jwt", None),
        auth_frame("", None),
        auth_frame(&wrong_key, None),
        auth_frame(&expired, None),
        r#"{"type":"auth","v":1}"#.to_owned(),
    ] {
        assert_eq!(closed_after_auth_frame(&server, &frame).await, Some(close_code::AUTH_FAILED), "{frame}");
    }
    server.stop().await;
}

#[tokio::test]
async fn frames_before_auth_close_with_4001() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let send = r#"{"type":"send","reqId":1,"clientId":"c1","content":{"kind":"text","text":"hi"}}"#;
    assert_eq!(closed_after_auth_frame(&server, send).await, Some(close_code::AUTH_FAILED));
    assert_eq!(closed_after_auth_frame(&server, "{not json").await, Some(close_code::AUTH_FAILED));
    let mut socket = raw_socket(&server).await;
    socket.send(WsMessage::Binary(vec![1, 2, 3].into())).await.unwrap();
    assert_eq!(expect_close(&mut socket).await, Some(close_code::AUTH_FAILED));
    let mut history = Client::connect(&server, "alice", Role::Host).await;
    assert!(history.all_history().await.is_empty(), "nothing was stored by unauthenticated frames");
    server.stop().await;
}

#[tokio::test]
async fn silence_after_connecting_closes_with_4001_at_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut socket = raw_socket(&server).await;
    let started = std::time::Instant::now();
    assert_eq!(expect_close(&mut socket).await, Some(close_code::AUTH_FAILED));
    assert!(started.elapsed() >= Duration::from_millis(500), "closed too early: {:?}", started.elapsed());
    server.stop().await;
}

#[test]
fn the_default_auth_deadline_is_five_seconds() {
    assert_eq!(chat_server::Config::new("x", b"s".to_vec()).auth_timeout, Duration::from_secs(5));
}

#[tokio::test]
async fn an_unknown_or_older_protocol_version_is_refused_with_the_servers_version() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    // 1 is the version before attachments: its clients could not read today's frames.
    for version in [1, 99] {
        let mut socket = raw_socket(&server).await;
        let frame = format!(r#"{{"type":"auth","v":{version},"token":"{}"}}"#, token_for("alice", Role::Host));
        socket.send(WsMessage::Text(frame.into())).await.unwrap();
        match next_frame(&mut socket).await {
            Ok(ServerFrame::Error(e)) => {
                assert_eq!(e.code, ErrorCode::UnsupportedVersion);
                assert!(e.message.contains(&format!("speaks {}", chat_protocol::PROTOCOL_VERSION)), "{}", e.message);
            }
            other => panic!("expected an error frame, got {other:?}"),
        }
        assert_eq!(expect_close(&mut socket).await, Some(close_code::UNSUPPORTED_VERSION));
    }
    server.stop().await;
}

#[tokio::test]
async fn a_second_auth_frame_is_an_error_and_the_connection_stays() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut alice = Client::connect(&server, "alice", Role::Host).await;
    alice.send_raw(&auth_frame(&token_for("alice", Role::Host), None)).await;
    assert_eq!(alice.answer_to(None).await.error().code, ErrorCode::AlreadyAuthenticated);
    alice.send_text("c1", "still here").await.ack();
    server.stop().await;
}

#[tokio::test]
async fn presence_is_announced_when_participants_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut alice = Client::connect(&server, "alice", Role::Host).await;
    let bob = Client::connect(&server, "bob", Role::Participant).await;
    match &bob.welcome {
        ServerFrame::Welcome { participants, .. } => {
            let ids: Vec<&str> = participants.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids, ["alice", "bob"]);
        }
        other => panic!("{other:?}"),
    }
    // Alice's own join may come first, told to her like to anyone.
    let mut joined = alice.next_presence().await;
    if !joined.joined.iter().any(|p| p.id.as_str() == "bob") {
        joined = alice.next_presence().await;
    }
    assert!(joined.joined.iter().any(|p| p.id.as_str() == "bob") && joined.count == 2, "{joined:?}");
    drop(bob);
    let left = alice.next_presence().await;
    assert_eq!((left.left.iter().map(|id| id.as_str()).collect::<Vec<_>>(), left.count), (vec!["bob"], 1));
    server.stop().await;
}
