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
    let expired = signer.dump_url(&MeetingId::from(MEETING), chat_server::signed_url::Dump::Chat, 1_000);
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

/// The moderation dump's rows as header name → value maps.
async fn audit(url: &str) -> Vec<std::collections::HashMap<String, String>> {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"moderation-{MEETING}.csv\""));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        ["id", "time", "action", "by", "participantId", "messageId", "until", "messagesDeleted", "reason", "settings"]
    );
    reader
        .records()
        .map(|record| header.iter().cloned().zip(record.unwrap().iter().map(str::to_owned)).collect())
        .collect()
}

#[tokio::test]
async fn the_moderation_dump_lists_who_did_what_to_whom_and_when_in_order() {
    use chat_protocol::{ClientFrame, DeleteScope, SendPolicy};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut cy = Client::connect(&server, "cy", Role::Participant).await;
    let spam = sent_id(&cy.send_text("c1", "buy now").await.ack());
    let rude = sent_id(&cy.send_text("c2", "rude").await.ack());
    bob.send_text("b1", "hello").await.ack();
    let reason = "spam, \"obviously\"";
    bob.request(|req_id| ClientFrame::Report { req_id, id: spam.clone(), reason: reason.into() }).await.ack();
    ann.request(|req_id| ClientFrame::DismissReports { req_id, id: spam.clone() }).await.ack();
    ann.request(|req_id| ClientFrame::Mute { req_id, participant_id: "bob".into(), minutes: Some(5) }).await.ack();
    ann.request(|req_id| ClientFrame::Unmute { req_id, participant_id: "bob".into() }).await.ack();
    ann.request(|req_id| ClientFrame::Delete { req_id, id: rude.clone(), scope: DeleteScope::Everyone }).await.ack();
    ann.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send: Some(SendPolicy::Hosts),
        slow_mode_secs: None,
        read_receipts: None,
        private_chat: None,
    })
    .await
    .ack();
    ann.request(|req_id| ClientFrame::Remove { req_id, participant_id: "cy".into(), delete_messages: true })
        .await
        .ack();

    let answer: Value = link_for(&server, &token_for("app", Role::Service)).await.json().await.unwrap();
    let url = answer["data"]["moderation_download_url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/moderation.csv?"), "{url}");
    let rows = audit(url).await;
    let actions: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["action"].as_str(), r["by"].as_str(), r["participantId"].as_str())).collect();
    assert_eq!(
        actions,
        [
            ("reported", "bob", "cy"),
            ("dismissed", "ann", "cy"),
            ("muted", "ann", "bob"),
            ("unmuted", "ann", "bob"),
            ("deleted", "ann", "cy"),
            ("settings", "ann", ""),
            ("removed", "ann", "cy"),
        ],
        "no message sent is in it, only what was done to them"
    );
    assert_eq!((rows[0]["messageId"].as_str(), rows[0]["reason"].as_str()), (spam.as_str(), reason));
    assert_eq!(rows[4]["messageId"], rude.as_str());
    assert!(rows[2]["until"].ends_with('Z') && rows[2]["until"] > rows[2]["time"], "{:?}", rows[2]);
    assert!(rows[3]["until"].is_empty());
    assert_eq!(json(&rows[5]["settings"])["whoCanSend"], "hosts");
    assert_eq!((rows[6]["messagesDeleted"].as_str(), rows[5]["messagesDeleted"].as_str()), ("true", "false"));
    let ids: Vec<u64> = rows.iter().map(|r| r["id"].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in the order it happened: {ids:?}");

    // Each link opens its own dump only, and only until it expires.
    let chat_url = answer["data"]["chat_download_url"].as_str().unwrap();
    let swapped = chat_url.replace("/chat.csv?", "/moderation.csv?");
    assert_eq!(reqwest::get(&swapped).await.unwrap().status(), 403, "the chat link's signature is not the audit's");
    assert_eq!(reqwest::get(url.replace("sig=", "sig=00")).await.unwrap().status(), 403);
    let signer = UrlSigner::new(SECRET, Duration::from_secs(60), None);
    let expired = signer.dump_url(&MeetingId::from(MEETING), chat_server::signed_url::Dump::Moderation, 1_000);
    assert_eq!(reqwest::get(server.http_url(&expired)).await.unwrap().status(), 403);
    server.stop().await;
}
