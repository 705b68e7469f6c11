//! Apps in the chat over real sockets and real HTTP: bots are marked, a
//! service speaks as its puppets (privately too) and is never seen in
//! presence, nobody else may wear a puppet, and a service without a socket
//! posts over REST with its token.

mod support;

use chat_protocol::{ClientFrame, ClientId, ErrorCode, NewContent, ParticipantId, Puppet, Role, ServerFrame};
use serde_json::{json, Value};
use support::*;

fn as_puppet(req_id: chat_protocol::RequestId, text: &str, targets: &[&str]) -> ClientFrame {
    ClientFrame::Send {
        req_id,
        client_id: ClientId::from(format!("puppet-{text}")),
        content: NewContent::Text { text: text.to_owned() },
        reply_to: None,
        forwarded_from: None,
        targets: targets.iter().map(|t| ParticipantId::from(*t)).collect(),
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        as_sender: Some(Puppet { id: ParticipantId::from("cat"), display_name: "Cat".into() }),
        mentions: Vec::new(),
    }
}

#[tokio::test]
async fn a_service_speaks_privately_as_its_puppet_and_stays_out_of_presence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let mut service = Client::connect(&server, "game", Role::Service).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let ServerFrame::Welcome { participants, .. } = &bob.welcome else { panic!("no welcome") };
    let present: Vec<&str> = participants.iter().map(|p| p.id.0.as_str()).collect();
    assert!(!present.contains(&"game"), "a service is not in presence: {present:?}");

    service.request(|req_id| as_puppet(req_id, "meow", &["alice"])).await.ack();
    let message = created_message(&alice.next_event().await).clone();
    assert_eq!(text_of(&message), "meow");
    assert_eq!((message.sender.id.0.as_str(), message.sender.display_name.as_str()), ("cat", "Cat"));
    assert!(message.sender.bot, "a puppet is marked as a bot");
    bob.assert_no_event().await;
    let seen_by_bob = bob.all_history().await;
    assert!(seen_by_bob.iter().all(|m| text_of(m) != "meow"), "bob's history must not hold alice's private message");

    // A puppet's name follows the display-name rule every name does.
    for (name, len) in [("   ", 0), (&*"x".repeat(65), 65)] {
        let refused = service
            .request(|req_id| {
                let mut frame = as_puppet(req_id, "unnamed", &["alice"]);
                if let ClientFrame::Send { as_sender: Some(puppet), .. } = &mut frame {
                    puppet.display_name = name.to_owned();
                }
                frame
            })
            .await
            .error();
        assert_eq!(refused.code, ErrorCode::InvalidRequest);
        assert!(refused.message.contains(&format!("this one is {len}")), "{}", refused.message);
    }
    server.stop().await;
}

#[tokio::test]
async fn bots_are_marked_and_nobody_else_may_wear_a_puppet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let mut bot = Client::connect(&server, "helper", Role::Bot).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;

    bot.send_text("b1", "hello, I am a bot").await.ack();
    let message = created_message(&alice.next_event().await).clone();
    assert!(message.sender.bot);
    assert_eq!(message.sender.id.0, "helper");

    let refused = alice.request(|req_id| as_puppet(req_id, "pretend", &[])).await.error();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let refused = bot.request(|req_id| as_puppet(req_id, "pretend", &[])).await.error();
    assert_eq!(refused.code, ErrorCode::Forbidden, "a bot speaks only as itself");
    alice.send_text("a1", "and I am not").await.ack();
    let own = created_message(&alice.next_event().await).clone();
    assert!(!own.sender.bot);
    server.stop().await;
}

async fn post(server: &TestServer, meeting: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().post(server.http_url(&format!("/api/v1/meetings/{meeting}/messages"))).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json body"))
}

#[tokio::test]
async fn a_service_posts_over_rest_with_its_token_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start(dir.path()).await;
    let mut alice = Client::connect(&server, "alice", Role::Participant).await;
    let service = token_for("digest", Role::Service);
    let text = json!({ "content": { "kind": "text", "text": "daily digest" } });

    let (status, body) = post(&server, MEETING, Some(&service), text.clone()).await;
    assert_eq!(status, 200, "{body}");
    // Read as a JSON value, whose members are sorted: an `AckResult` takes its tag first.
    assert_eq!(body["kind"], "sent", "{body}");
    let message = created_message(&alice.next_event().await).clone();
    assert_eq!(body["id"], message.id.as_str());
    assert_eq!((text_of(&message), message.sender.bot), ("daily digest", true));

    let puppet = json!({
        "clientId": "rest-1", "content": { "kind": "text", "text": "psst" },
        "targets": ["alice"], "asSender": { "id": "owl", "displayName": "Owl" }
    });
    let (status, first) = post(&server, MEETING, Some(&service), puppet.clone()).await;
    assert_eq!(status, 200, "{first}");
    let (_, again) = post(&server, MEETING, Some(&service), puppet).await;
    assert_eq!(first, again, "a retried clientId returns the original ack");
    let message = created_message(&alice.next_event().await).clone();
    assert_eq!((message.sender.id.0.as_str(), text_of(&message)), ("owl", "psst"));
    alice.assert_no_event().await;

    let (status, body) = post(&server, MEETING, None, text.clone()).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let (status, _) = post(&server, MEETING, Some(&token_for("alice", Role::Participant)), text.clone()).await;
    assert_eq!(status, 403, "a participant's token does not open REST");
    let (status, _) = post(&server, MEETING, Some(&token_in("digest", Role::Service, "other")), text.clone()).await;
    assert_eq!(status, 403, "the token's meeting must be the path's");
    let (status, body) = post(&server, MEETING, Some(&service), json!({ "content": { "kind": "text" } })).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")), "{body}");
    let (status, body) =
        post(&server, MEETING, Some(&service), json!({ "reqId": 9, "content": text["content"] })).await;
    assert_eq!(status, 400, "{body}");
    let long = json!({ "content": { "kind": "text", "text": "x".repeat(100_000) } });
    let (status, body) = post(&server, MEETING, Some(&service), long).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("text_too_long")), "{body}");
    alice.assert_no_event().await;

    alice.send_text("a-hello", "hello").await.ack();
    alice.next_event().await;
    let url = |query: &str| server.http_url(&format!("/api/v1/meetings/{MEETING}/messages{query}"));
    let http = reqwest::Client::new();
    let page: Value =
        http.get(url("?limit=1")).bearer_auth(&service).send().await.expect("get").json().await.expect("json");
    assert_eq!((page["kind"].as_str(), page["hasMore"].as_bool()), (Some("history"), Some(true)), "{page}");
    let all: Value = http.get(url("")).bearer_auth(&service).send().await.expect("get").json().await.expect("json");
    let texts: Vec<&str> =
        all["messages"].as_array().expect("messages").iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(texts.contains(&"daily digest"), "{texts:?}");
    let refused = http.get(url("")).send().await.expect("get");
    assert_eq!(refused.status().as_u16(), 401);
    let refused = http.get(url("")).bearer_auth(token_for("alice", Role::Participant)).send().await.expect("get");
    assert_eq!(refused.status().as_u16(), 403);
    let refused = http.get(url("?limit=0")).bearer_auth(&service).send().await.expect("get");
    assert_eq!(refused.status().as_u16(), 400);
    server.stop().await;
}
