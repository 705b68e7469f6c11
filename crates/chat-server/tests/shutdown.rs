//! The real binary: flags, dev tokens, and a graceful stop on SIGTERM that
//! closes sockets with 1001.

mod support;

use std::process::Command;
use std::time::Duration;

use chat_protocol::{close_code, ServerFrame};
use futures_util::SinkExt;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::test]
async fn the_binary_serves_dev_tokens_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = start_binary(&["--dev"], dir.path()).await;

    let minted: serde_json::Value =
        reqwest::get(format!("http://{addr}/dev/token?name=Ada%20L&role=host")).await.unwrap().json().await.unwrap();
    let token = minted["token"].as_str().unwrap();
    assert_eq!(minted["participant"]["displayName"], "Ada L");

    let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.unwrap();
    socket.send(WsMessage::Text(auth_frame(token, None).into())).await.unwrap();
    let Ok(ServerFrame::Welcome { me, .. }) = next_frame(&mut socket).await else { panic!("welcome expected") };
    assert_eq!(me.display_name, "Ada L");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert_eq!(expect_close(&mut socket).await, Some(close_code::GOING_AWAY));
    let exit = tokio::task::spawn_blocking(move || {
        for _ in 0..100 {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        None
    })
    .await
    .unwrap();
    assert!(exit.expect("exits within 10 s of SIGTERM").success());
}

#[tokio::test]
async fn without_dev_mode_there_are_no_dev_tokens_and_a_secret_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_chat-server"))
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env_remove("CHAT_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--secret"));

    let server = TestServer::start(dir.path()).await;
    let response = reqwest::get(server.http_url("/dev/token?name=x")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    server.stop().await;
}
