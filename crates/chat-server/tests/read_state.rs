//! Read positions over real sockets: each participant's position per
//! conversation is kept by the server, comes with every welcome with what is
//! unread (mentions counted apart; private messages in their own
//! conversation; what came before joining, deleted or hidden messages and
//! one's own never), only moves forward, and reaches the participant's other
//! connections at once. Run with `CHAT_TEST_ENGINE=postgres` for PostgreSQL.

mod support;

use chat_protocol::{
    AckResult, ClientFrame, DeleteScope, ErrorCode, NewContent, ParticipantId, ReadState, Role, Seen, Seq, ServerFrame,
};
use support::*;

fn reads_of(client: &Client) -> Vec<ReadState> {
    match &client.welcome {
        ServerFrame::Welcome { reads, .. } => reads.clone(),
        other => panic!("expected a welcome, got {other:?}"),
    }
}

fn state(with: Option<&str>, seq: Seq, unread: u32, mentions: u32) -> ReadState {
    ReadState { with: with.map(ParticipantId::from), seq, unread, mentions }
}

async fn mark_read(client: &mut Client, with: Option<&str>, seq: Seq) -> Answer {
    let with = with.map(ParticipantId::from);
    client.request(|req_id| ClientFrame::MarkRead { req_id, with, seq }).await
}

/// The next frame that is not an event or presence.
async fn next_other(client: &mut Client) -> ServerFrame {
    loop {
        match client.next().await {
            ServerFrame::Event(_) | ServerFrame::Presence(_) => {}
            frame => return frame,
        }
    }
}

#[tokio::test]
async fn unread_counts_come_with_the_welcome_and_read_positions_follow_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let bob = Client::connect(&server, "bob", Role::Participant).await;
    let joined = bob.head_seq();
    assert_eq!(reads_of(&bob), [state(None, joined, 0, 0)]);

    let text = |t: &str| NewContent::Text { text: t.into() };
    ann.send_text("c1", "one").await.ack();
    ann.request(|req_id| {
        let mut frame = send_frame(req_id, "c2", text("two @bob"), Vec::new());
        if let ClientFrame::Send { mentions, .. } = &mut frame {
            mentions.push("bob".into());
        }
        frame
    })
    .await
    .ack();
    let private = ann.send("c3", text("psst"), vec!["bob"]).await.ack();
    let gone = sent_id(&ann.send_text("c4", "oops").await.ack());
    ann.request(|req_id| ClientFrame::Delete { req_id, id: gone, scope: DeleteScope::Everyone }).await.ack();
    let hidden = sent_id(&ann.send_text("c5", "hide me").await.ack());
    drop(bob);

    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let id = hidden.clone();
    bob.request(|req_id| ClientFrame::Delete { req_id, id, scope: DeleteScope::Me }).await.ack();
    bob.send_text("b1", "mine never counts").await.ack();
    let mut phone = Client::connect(&server, "bob", Role::Participant).await;
    assert_eq!(reads_of(&phone), [state(None, joined, 2, 1), state(Some("ann"), joined, 1, 0)]);

    // Reading the meeting's conversation on one device tells the other at once.
    let AckResult::Sent { seq: psst_seq, .. } = private else { panic!("sent") };
    assert_eq!(mark_read(&mut bob, None, psst_seq).await.ack(), AckResult::Done { seq: None });
    assert_eq!(next_other(&mut phone).await, ServerFrame::Read { with: None, seq: psst_seq });
    // Never backwards, and nothing to tell then.
    mark_read(&mut bob, None, joined).await.ack();
    // Past the head is the head.
    mark_read(&mut bob, Some("ann"), 1_000_000).await.ack();
    let head = phone.head_seq().max(psst_seq);
    match next_other(&mut phone).await {
        ServerFrame::Read { with: Some(peer), seq } => assert_eq!((peer.as_str(), seq >= head), ("ann", true)),
        other => panic!("expected the private conversation read, got {other:?}"),
    }
    let again = Client::connect(&server, "bob", Role::Participant).await;
    let reads = reads_of(&again);
    assert_eq!(reads[0], state(None, psst_seq, 0, 0));
    assert_eq!((reads[1].with.as_ref().map(|p| p.as_str()), reads[1].unread), (Some("ann"), 0));

    // Someone joining late has read what came before.
    let cat = Client::connect(&server, "cat", Role::Participant).await;
    assert_eq!(reads_of(&cat), [state(None, cat.head_seq(), 0, 0)]);
    assert_eq!(mark_read(&mut bob, Some("bob"), 1).await.error().code, ErrorCode::InvalidRequest);
    assert_eq!(mark_read(&mut bob, Some(""), 1).await.error().code, ErrorCode::InvalidRequest);
}

fn seen_of(client: &Client) -> Vec<Seen> {
    match &client.welcome {
        ServerFrame::Welcome { seen, .. } => seen.clone(),
        other => panic!("expected a welcome, got {other:?}"),
    }
}

#[tokio::test]
async fn with_read_receipts_on_the_conversations_members_learn_how_far_others_read() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Host).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let hello = match ann.send_text("c1", "hello").await.ack() {
        AckResult::Sent { seq, .. } => seq,
        other => panic!("expected a send, got {other:?}"),
    };
    mark_read(&mut bob, None, hello).await.ack();
    let late = Client::connect(&server, "cat", Role::Participant).await;
    assert_eq!(seen_of(&late), [], "receipts are off unless a host turns them on");

    ann.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: None,
        who_can_send: None,
        slow_mode_secs: None,
        read_receipts: Some(true),
        private_chat: None,
    })
    .await
    .ack();
    let mut cat = Client::connect(&server, "cat", Role::Participant).await;
    assert_eq!(seen_of(&cat), [Seen { by: "bob".into(), private: false, seq: hello }]);

    let psst = match ann.send("c2", NewContent::Text { text: "psst".into() }, vec!["bob"]).await.ack() {
        AckResult::Sent { seq, .. } => seq,
        other => panic!("expected a send, got {other:?}"),
    };
    mark_read(&mut bob, Some("ann"), psst).await.ack();
    assert_eq!(next_other(&mut ann).await, ServerFrame::Seen(Seen { by: "bob".into(), private: true, seq: psst }));
    mark_read(&mut cat, None, psst).await.ack();
    let everyone = ServerFrame::Seen(Seen { by: "cat".into(), private: false, seq: psst });
    assert_eq!(next_other(&mut ann).await, everyone);
    assert_eq!(next_other(&mut bob).await, everyone, "his own read is not echoed back to the connection that made it");
}
