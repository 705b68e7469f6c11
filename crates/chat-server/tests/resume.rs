//! Reconnecting clients resume from their last `seq` with no gap and no
//! duplicate; too far behind they are told to reset; a restart loses nothing.

mod support;

use chat_protocol::{Event, Role, ServerFrame};
use support::*;

#[tokio::test]
async fn a_dropped_connection_resumes_with_no_gap_and_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    for i in 0..5 {
        ann.send_text(&format!("a{i}"), &format!("before {i}")).await.ack();
        ben.next_event().await;
    }
    let last_seen = ben.last_seq().unwrap();
    drop(ben);
    for i in 0..7 {
        ann.send_text(&format!("b{i}"), &format!("while away {i}")).await.ack();
    }
    let mut ben = Client::connect_token(&server, &token_for("ben", Role::Participant), Some(last_seen)).await;
    // Messages sent while ben replays must follow the replay in order.
    ann.send_text("c0", "after return").await.ack();
    let mut seqs = Vec::new();
    for _ in 0..8 {
        seqs.push(ben.next_event().await.seq);
    }
    let expected: Vec<u64> = (last_seen + 1..=last_seen + 8).collect();
    assert_eq!(seqs, expected);
    ben.assert_no_event().await;
    server.stop().await;
}

#[tokio::test]
async fn resuming_too_far_back_or_ahead_is_told_to_reset() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.resume_window = 3;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    for i in 0..5 {
        ann.send_text(&format!("a{i}"), "x").await.ack();
    }
    let mut ben = Client::connect_token(&server, &token_for("ben", Role::Participant), Some(1)).await;
    assert_eq!(ben.next().await, ServerFrame::Reset { head_seq: 5 });
    let mut cat = Client::connect_token(&server, &token_for("cat", Role::Participant), Some(99)).await;
    assert_eq!(cat.next().await, ServerFrame::Reset { head_seq: 5 });
    let mut dan = Client::connect_token(&server, &token_for("dan", Role::Participant), Some(2)).await;
    assert_eq!(dan.next_event().await.seq, 3);
    server.stop().await;
}

#[tokio::test]
async fn history_and_events_survive_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    let kept = sent_id(&ann.send_text("k1", "kept").await.ack());
    let gone = sent_id(&ann.send_text("k2", "gone").await.ack());
    let id = kept.clone();
    ann.request(|req_id| chat_protocol::ClientFrame::Pin { req_id, id }).await.ack();
    let id = gone.clone();
    ann.request(|req_id| chat_protocol::ClientFrame::Delete {
        req_id,
        id,
        scope: chat_protocol::DeleteScope::Everyone,
    })
    .await
    .ack();
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let mut ben = Client::connect_token(&server, &token_for("ben", Role::Participant), Some(0)).await;
    assert_eq!(ben.head_seq(), 4);
    let kinds: Vec<String> = {
        let mut kinds = Vec::new();
        for _ in 0..4 {
            let event = ben.next_event().await.event;
            kinds.push(
                match event {
                    Event::MessageCreated { .. } => "created",
                    Event::MessagePinned { .. } => "pinned",
                    Event::MessageDeleted { .. } => "deleted",
                    _ => "other",
                }
                .to_owned(),
            );
        }
        kinds
    };
    assert_eq!(kinds, ["created", "created", "pinned", "deleted"]);
    let history = ben.all_history().await;
    assert_eq!(history.len(), 2);
    assert!(history[0].pinned && text_of(&history[0]) == "kept");
    assert_eq!(history[1].content, chat_protocol::Content::Deleted);
    // New events continue the sequence.
    let ack = ben.send_text("n1", "after restart").await.ack();
    assert!(matches!(ack, chat_protocol::AckResult::Sent { seq: 5, .. }), "{ack:?}");
    server.stop().await;
}
