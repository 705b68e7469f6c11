//! A private message reaches its sender and targets only: live, on resume and in history.

mod support;

use chat_protocol::{ErrorCode, Event, NewContent, Role};
use support::*;

#[tokio::test]
async fn a_private_message_is_never_seen_by_a_non_target() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut ben = Client::connect(&server, "ben", Role::Participant).await;
    let mut cat = Client::connect(&server, "cat", Role::Host).await;
    let mut cat_resumes_from = None;

    let private = sent_id(&ann.send("p1", NewContent::Text { text: "psst, ben".into() }, vec!["ben"]).await.ack());
    let public = sent_id(&ann.send_text("p2", "hello all").await.ack());

    // Live: ben gets both, cat (even a host) only the public one.
    assert_eq!(created_message(&ben.next_event().await).id, private);
    assert_eq!(created_message(&ben.next_event().await).id, public);
    let cat_first = cat.next_event().await;
    assert_eq!(created_message(&cat_first).id, public);
    cat.assert_no_event().await;
    if let Some(seq) = cat.last_seq() {
        cat_resumes_from = Some(seq - 2);
    }

    // Sender and target see it in history; cat does not.
    for client in [&mut ann, &mut ben] {
        let history = client.all_history().await;
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].targets, vec!["ben".into()]);
    }
    let cat_history = cat.all_history().await;
    assert_eq!(cat_history.len(), 1);
    assert_eq!(cat_history[0].id, public);

    // Cat cannot act on it either: it does not exist for cat.
    let id = private.clone();
    let pin = cat.request(|req_id| chat_protocol::ClientFrame::Pin { req_id, id }).await.error();
    assert_eq!(pin.code, ErrorCode::NotFound);

    // Edits and pins of the private message stay private too.
    ann.request(|req_id| chat_protocol::ClientFrame::Edit {
        req_id,
        id: private.clone(),
        content: NewContent::Text { text: "psst, edited".into() },
        attachments: None,
    })
    .await
    .ack();
    assert!(matches!(ben.next_event().await.event, Event::MessageEdited { .. }));
    cat.assert_no_event().await;

    // On resume from before both messages, cat gets only the public one.
    let mut cat_again = Client::connect_token(&server, &token_for("cat", Role::Host), cat_resumes_from).await;
    let replayed = cat_again.next_event().await;
    assert_eq!(created_message(&replayed).id, public);
    cat_again.assert_no_event().await;
    server.stop().await;
}

#[tokio::test]
async fn a_private_message_to_oneself_only_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let error = ann.send("p1", NewContent::Text { text: "note".into() }, vec!["ann"]).await.error();
    assert_eq!(error.code, ErrorCode::InvalidRequest);
    server.stop().await;
}
