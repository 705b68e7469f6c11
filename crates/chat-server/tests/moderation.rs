//! Moderation over real sockets: a host turns the chat off (hosts and apps
//! still speak) and chooses whom participants may message privately; each
//! refusal is a typed error for sends, reactions and typing alike, and the
//! settings outlast a restart.

mod support;

use chat_protocol::{
    AckResult, ClientFrame, ErrorCode, Event, NewContent, PrivateChatPolicy, Role, SendPolicy, ServerFrame,
};
use support::*;

async fn set_policies(host: &mut Client, who_can_send: Option<SendPolicy>, private_chat: Option<PrivateChatPolicy>) {
    host.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send,
        slow_mode_secs: None,
        read_receipts: None,
        private_chat,
    })
    .await
    .ack();
}

async fn react(client: &mut Client, id: &chat_protocol::MessageId) -> Answer {
    client.request(|req_id| ClientFrame::React { req_id, id: id.clone(), emoji: "👍".into() }).await
}

fn text(text: &str) -> NewContent {
    NewContent::Text { text: text.into() }
}

#[tokio::test]
async fn with_the_chat_off_participants_neither_send_react_nor_type_while_hosts_and_apps_do() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "hana", Role::Host).await;
    let mut guest = Client::connect(&server, "gus", Role::Participant).await;
    let mut bot = Client::connect(&server, "quizbot", Role::Bot).await;
    let before = sent_id(&host.send_text("h0", "before the break").await.ack());

    set_policies(&mut host, Some(SendPolicy::Nobody), None).await;
    let envelope = guest.next_event().await;
    assert!(matches!(envelope.event, Event::MessageCreated { .. }));
    let Event::SettingsChanged { settings } = guest.next_event().await.event else { panic!("settings event") };
    assert_eq!(settings.who_can_send, SendPolicy::Nobody);

    let refused = guest.send_text("g1", "may I?").await.error();
    assert_eq!(refused.code, ErrorCode::ChatOff);
    assert!(refused.message.contains("chat is off"), "{}", refused.message);
    assert!(!refused.code.is_retryable());
    assert_eq!(react(&mut guest, &before).await.error().code, ErrorCode::ChatOff);
    guest.typing(&[]).await;
    assert_eq!(guest.answer_to(None).await.error().code, ErrorCode::ChatOff);
    let private = guest.send("g2", text("psst"), vec!["hana"]).await.error();
    assert_eq!(private.code, ErrorCode::ChatOff, "the chat off holds for private messages too");

    host.send_text("h1", "we are back in five").await.ack();
    react(&mut host, &before).await.ack();
    bot.send_text("b1", "quiz starts soon").await.ack();
    assert!(guest.all_history().await.iter().all(|m| m.sender.id.as_str() != "gus"), "nothing of gus was stored");

    // A webinar (hosts only) still lets its audience react.
    set_policies(&mut host, Some(SendPolicy::Hosts), None).await;
    assert_eq!(guest.send_text("g3", "now?").await.error().code, ErrorCode::HostsOnly);
    react(&mut guest, &before).await.ack();

    set_policies(&mut host, Some(SendPolicy::Nobody), None).await;
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let again = Client::connect(&server, "gus", Role::Participant).await;
    let ServerFrame::Welcome { settings, .. } = &again.welcome else { panic!("a welcome") };
    assert_eq!(settings.who_can_send, SendPolicy::Nobody, "a restart keeps the chat off");
    server.stop().await;
}

#[tokio::test]
async fn the_private_chat_policy_lets_participants_message_hosts_only_or_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "hana", Role::Host).await;
    let mut gus = Client::connect(&server, "gus", Role::Participant).await;
    let mut ivy = Client::connect(&server, "ivy", Role::Participant).await;
    let to_ivy = sent_id(&gus.send("p1", text("lunch?"), vec!["ivy"]).await.ack());
    let to_gus = sent_id(&host.send("h1", text("a word?"), vec!["gus"]).await.ack());

    set_policies(&mut host, None, Some(PrivateChatPolicy::Hosts)).await;
    let refused = gus.send("p2", text("still there?"), vec!["ivy"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(refused.message.contains("only the hosts"), "{}", refused.message);
    let mixed = gus.send("p3", text("both of you"), vec!["hana", "ivy"]).await.error();
    assert_eq!(mixed.code, ErrorCode::PrivateChatRestricted, "every recipient must be a host");
    gus.send("p4", text("yes, go on"), vec!["hana"]).await.ack();
    gus.send_text("p5", "the meeting's conversation stays open").await.ack();
    assert_eq!(react(&mut gus, &to_ivy).await.error().code, ErrorCode::PrivateChatRestricted);
    react(&mut gus, &to_gus).await.ack();
    gus.typing(&["ivy"]).await;
    assert_eq!(gus.answer_to(None).await.error().code, ErrorCode::PrivateChatRestricted);
    gus.typing(&["hana"]).await;
    assert_eq!(host.next_typing().await.participant_id.as_str(), "gus");
    let host_writes = host.send("h2", text("hosts write to anyone"), vec!["ivy"]).await.ack();
    assert!(matches!(host_writes, AckResult::Sent { .. }));

    set_policies(&mut host, None, Some(PrivateChatPolicy::Nobody)).await;
    let refused = gus.send("p6", text("to the host"), vec!["hana"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(refused.message.contains("not message anyone"), "{}", refused.message);
    assert_eq!(react(&mut gus, &to_gus).await.error().code, ErrorCode::PrivateChatRestricted);
    gus.send_text("p7", "here is fine").await.ack();

    // A host who left is no longer someone to message under `hosts`.
    set_policies(&mut host, None, Some(PrivateChatPolicy::Hosts)).await;
    gus.send("p8", text("one more"), vec!["hana"]).await.ack();
    drop(host);
    while !gus.next_presence().await.left.iter().any(|id| id.as_str() == "hana") {}
    let refused = gus.send("p9", text("are you there?"), vec!["hana"]).await.error();
    assert_eq!(refused.code, ErrorCode::PrivateChatRestricted);
    assert!(ivy.all_history().await.iter().all(|m| m.client_id.as_str() != "p2"), "nothing refused was stored");
    server.stop().await;
}
