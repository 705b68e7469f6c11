//! Typing notices over real sockets: passed on to the conversation's other
//! members only, never to the typist, at most one per typist per half
//! interval, refused with a typed error (and no answer otherwise); in a
//! large meeting's own conversation, coalesced into crowds.

mod support;

use std::time::{Duration, Instant};

use chat_protocol::{rules, ClientFrame, ErrorCode, ParticipantId, Role, SendPolicy, ServerFrame, TypingNotice};
use support::*;

#[tokio::test]
async fn a_notice_reaches_the_conversation_but_not_the_typist_or_outsiders() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    let mut cat = Client::connect(&server, "cat", Role::Participant).await;

    ann.typing(&[]).await;
    let everyone =
        TypingNotice { participant_id: "ann".into(), display_name: ann.me.display_name.clone(), targets: vec![] };
    assert_eq!(ben.next_typing().await, everyone);
    assert_eq!(cat.next_typing().await, everyone);
    assert_eq!(ann.typing_so_far().await, vec![], "never back to the typist");

    // A private conversation: only its members hear of it.
    ben.typing(&["ann"]).await;
    let private = ann.next_typing().await;
    assert_eq!(private.participant_id, ParticipantId::from("ben"));
    assert_eq!(private.targets, vec![ParticipantId::from("ann")]);
    assert_eq!(cat.typing_so_far().await, vec![], "cat is not in ben's private conversation");

    // Nothing is stored: a resume replays no typing, and history has nothing.
    let mut cat_again = Client::connect_token(&server, &token_for("cat", Role::Participant), Some(0)).await;
    cat_again.assert_no_event().await;
    assert!(cat_again.others.iter().all(|f| !matches!(f, ServerFrame::Typing(_))));
    assert_eq!(cat_again.history(None, 50).await.0.len(), 0);
}

#[tokio::test]
async fn notices_faster_than_half_the_interval_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    for _ in 0..20 {
        ann.typing(&[]).await;
    }
    let heard = ben.typing_so_far().await;
    // The first passes; the others come within far less than half the interval.
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(ann.typing_so_far().await.is_empty());
}

#[tokio::test]
async fn bad_targets_and_a_hosts_only_meeting_are_refused_with_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut host = Client::connect(&server, "host", Role::Host).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;

    ann.typing(&["ann"]).await;
    assert_eq!(ann.answer_to(None).await.error().code, ErrorCode::InvalidRequest, "only oneself is no conversation");
    ann.send_raw(r#"{"type":"typing","targets":"everyone"}"#).await;
    assert_eq!(ann.answer_to(None).await.error().code, ErrorCode::BadFrame);

    host.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send: Some(SendPolicy::Hosts),
        slow_mode_secs: None,
        read_receipts: None,
        private_chat: None,
    })
    .await
    .ack();
    ann.typing(&[]).await;
    assert_eq!(ann.answer_to(None).await.error().code, ErrorCode::HostsOnly);
    assert!(host.typing_so_far().await.is_empty(), "a participant who may not send is not typing a message");
    host.typing(&[]).await;
    assert_eq!(ann.next_typing().await.participant_id, ParticipantId::from("host"));
}

#[tokio::test]
async fn a_large_meeting_hears_of_its_typists_as_a_few_crowds() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.presence_list_limit = 3;
    config.presence_interval = Duration::from_millis(200);
    let server = TestServer::start_with(config).await;
    let mut watcher = Client::connect(&server, "watcher", Role::Participant).await;
    let mut typists = Vec::new();
    for id in ["t1", "t2", "t3", "t4", "t5"] {
        typists.push(Client::connect(&server, id, Role::Participant).await);
    }
    let started = Instant::now();
    for typist in &mut typists {
        typist.typing(&[]).await;
    }
    let first = watcher.next_typing_crowd().await;
    // The notices came within one interval, so one crowd carries them all.
    let named: Vec<&str> = first.named.iter().map(|t| t.participant_id.as_str()).collect();
    assert_eq!((named.len(), first.count), (rules::TYPING_CROWD_NAMED, 5), "{first:?}");
    assert!(named.iter().all(|id| id.starts_with('t')));
    assert!(watcher.typing_so_far().await.is_empty(), "no notice per typist");

    // A typist's own connection hears the crowd too (counting them); private typing stays at once.
    assert_eq!(typists[0].next_typing_crowd().await.count, 5);
    watcher.typing(&["t1"]).await;
    assert_eq!(typists[0].next_typing().await.participant_id, ParticipantId::from("watcher"));

    // A message ends its sender's typing: the next crowd counts one less.
    typists[4].send_text("c1", "done").await.ack();
    let mut crowd = watcher.next_typing_crowd().await;
    while crowd.count == 5 {
        crowd = watcher.next_typing_crowd().await;
    }
    assert_eq!(crowd.count, 4);

    // Silence: the typists fade after the shown time, and one empty crowd says so.
    while crowd.count > 0 {
        crowd = watcher.next_typing_crowd().await;
    }
    assert!(started.elapsed() >= Duration::from_millis(rules::TYPING_SHOWN_MS as u64));
    let crowds = crowds_within(&mut watcher, Duration::from_millis(600)).await;
    assert_eq!(crowds, 0, "nothing more once everyone stopped");
    server.stop().await;
}

/// How many typing crowds reach `client` within `wait`.
async fn crowds_within(client: &mut Client, wait: Duration) -> usize {
    client.others.clear();
    tokio::time::sleep(wait).await;
    client.request(|req_id| ClientFrame::Ping { req_id }).await.ack();
    client.others.iter().filter(|frame| matches!(frame, ServerFrame::TypingCrowd(_))).count()
}
