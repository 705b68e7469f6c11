//! The protocol's golden fixtures are what integrators copy ("one of each"):
//! every client frame among them, sent as it is written to a real server,
//! is read and answered, never refused as a bad frame or an old version.

mod support;

use std::path::PathBuf;

use chat_protocol::{ErrorCode, Role, ServerFrame};
use futures_util::SinkExt;
use serde_json::Value;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn client_fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chat-protocol/tests/fixtures");
    let mut fixtures: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("the fixtures folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("client_")))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a fixture");
            (path.display().to_string(), serde_json::from_str(&text).expect("JSON"))
        })
        .collect();
    fixtures.sort_by(|a, b| a.0.cmp(&b.0));
    fixtures
}

#[tokio::test]
async fn every_client_fixture_is_read_and_answered_by_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let fixtures = client_fixtures();
    assert!(fixtures.len() >= 15, "{} fixtures", fixtures.len());
    for (name, mut frame) in fixtures {
        let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url()).await.unwrap();
        let is_auth = frame["type"] == "auth";
        if is_auth {
            // The fixture's token is a placeholder; its version and its other fields are sent as written.
            frame["token"] = Value::from(token_for("ada", Role::Host));
            frame["lastSeq"] = Value::Null;
        } else {
            socket.send(WsMessage::Text(auth_frame(&token_for("ada", Role::Host), None).into())).await.unwrap();
            assert!(matches!(next_frame(&mut socket).await, Ok(ServerFrame::Welcome { .. })), "{name}: welcome");
        }
        socket.send(WsMessage::Text(frame.to_string().into())).await.unwrap();
        if is_auth {
            assert!(matches!(next_frame(&mut socket).await, Ok(ServerFrame::Welcome { .. })), "{name}: welcome");
            continue;
        }
        if frame["type"] == "typing" {
            // Typing is never answered; a ping after it is, once the typing was read.
            socket.send(WsMessage::Text(r#"{"type":"ping","reqId":99}"#.into())).await.unwrap();
        }
        loop {
            match next_frame(&mut socket).await {
                Ok(ServerFrame::Error(error)) => {
                    let refused = [ErrorCode::BadFrame, ErrorCode::UnsupportedVersion, ErrorCode::FrameTooLarge];
                    assert!(!refused.contains(&error.code), "{name}: {error:?}");
                    break;
                }
                Ok(ServerFrame::Ack { .. }) => break,
                Ok(_) => continue,
                Err(close) => panic!("{name}: the socket closed ({close:?})"),
            }
        }
    }
    server.stop().await;
}
