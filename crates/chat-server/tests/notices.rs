//! Notices for apps through webhooks, against a real receiver on
//! 127.0.0.1:0: `meeting.chatSynced` after the last person leaves (unless
//! someone returns in time), and `notification.offline` (SAMA's push) to
//! exactly the away members who may see a message, once per burst, and not
//! to a member back within the grace period.

mod support;

use std::collections::HashMap;

use std::time::Duration;

use chat_protocol::{ClientFrame, NewContent, Role};
use chat_server::config::WebhookConfig;
use serde_json::Value;
use support::*;

async fn server_telling(url: String, dir: &std::path::Path, grace: Duration) -> TestServer {
    let mut config = test_config(dir);
    config.webhooks = Some(WebhookConfig::new(vec![url], b"webhook-secret-for-tests".to_vec()));
    config.chat_synced_grace = grace;
    config.offline_grace = grace;
    TestServer::start_with(config).await
}

#[tokio::test]
async fn the_last_leave_brings_chat_synced_unless_someone_returns_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = collecting_receiver().await;
    let server = server_telling(url, dir.path(), Duration::from_millis(600)).await;

    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    ann.send_text("a1", "before the break").await.ack();
    drop(ann);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let back = Client::connect(&server, "ann", Role::Host).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert!(of_type(&seen, "meeting.chatSynced").is_empty(), "ann came back within the grace period");

    let bot = Client::connect(&server, "pinger", Role::Bot).await;
    drop(back);
    let mut notice = None;
    for _ in 0..60 {
        notice = of_type(&seen, "meeting.chatSynced").into_iter().next();
        if notice.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let notice = notice.expect("meeting.chatSynced after the last person left, though a bot stays");
    assert_eq!(notice["meetingId"], MEETING);
    let link = notice["data"]["chat_download_url"].as_str().unwrap();
    let csv = reqwest::get(server.http_url(link)).await.unwrap().text().await.unwrap();
    assert!(csv.lines().nth(1).is_some_and(|row| row.contains("before the break")), "{csv}");
    let audit = notice["data"]["moderation_download_url"].as_str().unwrap();
    let audit = reqwest::get(server.http_url(audit)).await.unwrap();
    assert_eq!(audit.status(), 200, "the moderation dump's link comes with it");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(of_type(&seen, "meeting.chatSynced").len(), 1, "once");
    drop(bot);
    server.stop().await;
}

#[tokio::test]
async fn away_members_who_may_see_a_message_are_notified_once_per_burst() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = collecting_receiver().await;
    let server = server_telling(url, dir.path(), Duration::from_millis(700)).await;
    // Members: carol, dave and erin joined and left; bob stays; a bot and a service never count.
    for away in ["carol", "dave", "erin"] {
        drop(Client::connect(&server, away, Role::Participant).await);
    }
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    drop(Client::connect(&server, "helper", Role::Bot).await);
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    ann.send_text("a1", "hello all").await.ack();
    // Erin is mentioned in one message of the burst: her one notice says so.
    ann.request(|req_id| {
        let mut frame = send_frame(req_id, "a0", NewContent::Text { text: "@Erin, see above".into() }, Vec::new());
        if let ClientFrame::Send { mentions, .. } = &mut frame {
            *mentions = vec!["erin".into()];
        }
        frame
    })
    .await
    .ack();
    ann.send("a2", NewContent::Text { text: "carol, one".into() }, vec!["carol"]).await.ack();
    ann.send("a3", NewContent::Text { text: "carol, two".into() }, vec!["carol"]).await.ack();
    // Bob writes to carol too: her one notice names both senders, and says who wrote the newest.
    bob.send("b1", NewContent::Text { text: "carol, from bob".into() }, vec!["carol"]).await.ack();
    // Dave is back within the grace period: he got them on resume.
    let _dave = Client::connect(&server, "dave", Role::Participant).await;

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let notices = of_type(&seen, "notification.offline");
    let by_member: HashMap<&str, &Value> =
        notices.iter().map(|n| (n["data"]["memberId"].as_str().unwrap(), &n["data"])).collect();
    assert_eq!(notices.len(), 2, "{notices:#?}");
    let carol = by_member["carol"];
    assert_eq!((carol["count"].as_u64(), carol["body"].as_str()), (Some(5), Some("bob name: carol, from bob")));
    assert_eq!(carol["mentioned"], Value::Bool(false));
    assert_eq!((carol["title"].as_str(), carol["cid"].as_str()), (Some("ann name, bob name"), Some(MEETING)));
    assert_eq!(carol["senderIds"], serde_json::json!(["ann", "bob"]));
    assert_eq!(carol["firstAttachmentUrl"], Value::Null);
    let erin = by_member["erin"];
    assert_eq!(
        (erin["count"].as_u64(), erin["body"].as_str(), erin["title"].as_str()),
        (Some(2), Some("@Erin, see above"), Some("ann name")),
        "not the private ones: one sender, named alone"
    );
    assert_eq!(erin["mentioned"], Value::Bool(true), "the burst mentions her");
    server.stop().await;
}
