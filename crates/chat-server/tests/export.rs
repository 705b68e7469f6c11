//! The chat export (RealtimeKit's chat replay API): a service gets a signed,
//! expiring link; the CSV it streams parses with the csv crate and matches
//! history, with a session id per connection; private messages only when
//! configured, with their recipients; an expired or tampered link and a
//! token that is not a service's are refused.

mod support;

use std::time::Duration;

use chat_protocol::{MeetingId, NewContent, Role};
use chat_server::signed_url::UrlSigner;
use serde_json::Value;
use support::*;

/// The dump's rows as header name → value maps.
async fn dump(url: &str) -> Vec<std::collections::HashMap<String, String>> {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "id",
            "participantId",
            "sessionId",
            "meetingId",
            "displayName",
            "pinned",
            "isEdited",
            "payloadType",
            "payload",
            "createdAt",
            "recipients"
        ]
    );
    reader
        .records()
        .map(|record| header.iter().cloned().zip(record.unwrap().iter().map(str::to_owned)).collect())
        .collect()
}

async fn link_for(server: &TestServer, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.http_url(&format!("/api/v1/meetings/{MEETING}/chat")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_service_gets_a_link_whose_csv_matches_history() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    ann.send_text("a1", "hello, \"world\"\nsecond line").await.ack();
    bob.send_text("b1", "hi ann").await.ack();
    ann.send("a2", NewContent::Text { text: "just bob".into() }, vec!["bob"]).await.ack();
    ann.send_text("a3", "bye").await.ack();

    assert_eq!(link_for(&server, "not-a-token").await.status(), 401);
    assert_eq!(link_for(&server, &token_for("bob", Role::Participant)).await.status(), 403);
    let answer: Value = link_for(&server, &token_for("app", Role::Service)).await.json().await.unwrap();
    assert_eq!(answer["success"], true);
    let url = answer["data"]["chat_download_url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(answer["data"]["chat_download_url_expiry"].as_str().unwrap().ends_with('Z'));

    let rows = dump(url).await;
    let public: Vec<_> = ann.all_history().await.into_iter().filter(|m| m.targets.is_empty()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, public.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), "history without the private one");
    assert_eq!(rows[0]["payload"], "hello, \"world\"\nsecond line");
    assert_eq!((rows[0]["payloadType"].as_str(), rows[0]["meetingId"].as_str()), ("TEXT_MESSAGE", MEETING));
    assert_eq!((rows[1]["participantId"].as_str(), rows[1]["displayName"].as_str()), ("bob", "bob name"));
    assert!(!rows[0]["sessionId"].is_empty());
    assert_eq!(rows[0]["sessionId"], rows[2]["sessionId"], "one connection, one session");
    assert_ne!(rows[0]["sessionId"], rows[1]["sessionId"], "another connection, another session");

    let tampered = url.replace("sig=", "sig=00");
    assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);
    let signer = UrlSigner::new(SECRET, Duration::from_secs(60), None);
    let (expired, _) = signer.dump_url(&MeetingId::from(MEETING), Duration::ZERO, 1_000);
    assert_eq!(reqwest::get(server.http_url(&expired)).await.unwrap().status(), 403);
    server.stop().await;
}

#[tokio::test]
async fn private_messages_are_in_the_dump_only_when_configured_with_their_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.export_private = true;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    ann.send("a1", NewContent::Text { text: "just bob".into() }, vec!["bob"]).await.ack();
    let answer: Value = link_for(&server, &token_for("app", Role::Service)).await.json().await.unwrap();
    let rows = dump(answer["data"]["chat_download_url"].as_str().unwrap()).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["payload"].as_str(), rows[0]["recipients"].as_str()), ("just bob", "bob"));
    server.stop().await;
}
