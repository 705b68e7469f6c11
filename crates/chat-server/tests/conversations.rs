//! Private conversations over a real socket: a history request that names
//! the other participant returns that conversation alone, filtered for the
//! requester, and `details` travel like `metadata`.

mod support;

use chat_protocol::{AckResult, ClientFrame, NewContent, Role};
use serde_json::json;
use support::*;

async fn history_with(client: &mut Client, peer: &str, limit: u32) -> Answer {
    let peer = peer.into();
    client.request(move |req_id| ClientFrame::History { req_id, before: None, limit, with: Some(peer) }).await
}

#[tokio::test]
async fn history_with_a_participant_is_that_private_conversation_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut cat = Client::connect(&server, "cat", Role::Participant).await;
    let text = |t: &str| NewContent::Text { text: t.into() };
    ann.send("p1", text("to all"), vec![]).await.ack();
    ann.send("a1", text("ann to bob"), vec!["bob"]).await.ack();
    cat.send("c1", text("cat to ann"), vec!["ann"]).await.ack();
    bob.send("b1", text("bob to ann"), vec!["ann"]).await.ack();
    cat.send("c2", text("cat to bob"), vec!["bob"]).await.ack();
    ann.send("a2", text("ann to bob and cat"), vec!["bob", "cat"]).await.ack();

    let texts = |result: AckResult| match result {
        AckResult::History { messages, has_more } => {
            (messages.iter().map(|m| text_of(m).to_owned()).collect::<Vec<_>>(), has_more)
        }
        other => panic!("expected a page, got {other:?}"),
    };
    let (anns, more) = texts(history_with(&mut ann, "bob", 10).await.ack());
    assert_eq!(anns, ["ann to bob", "bob to ann", "ann to bob and cat"]);
    assert!(!more);
    let (bobs, _) = texts(history_with(&mut bob, "ann", 10).await.ack());
    assert_eq!(bobs, anns, "both sides see the same conversation");
    let (cats, _) = texts(history_with(&mut cat, "ann", 10).await.ack());
    assert_eq!(cats, ["cat to ann", "ann to bob and cat"], "Cat never sees Ann and Bob's pair");
    let (page, more) = texts(history_with(&mut ann, "bob", 2).await.ack());
    assert_eq!((page.as_slice(), more), (&["bob to ann".to_owned(), "ann to bob and cat".to_owned()][..], true));

    let sent = ann
        .request(|req_id| ClientFrame::Send {
            req_id,
            client_id: "d1".into(),
            content: text("with details"),
            reply_to: None,
            forwarded_from: None,
            targets: vec!["bob".into()],
            metadata: Default::default(),
            details: json!({ "kind": "greeting" }).as_object().cloned().unwrap_or_default(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        })
        .await
        .ack();
    let id = sent_id(&sent);
    let history = bob.all_history().await;
    let received = history.iter().find(|m| m.id == id).expect("Bob has it");
    assert_eq!(received.details.get("kind"), Some(&json!("greeting")));
    server.stop().await;
}
