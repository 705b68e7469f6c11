//! Sending, editing, deleting, pinning and replying, with each permission rule.

mod support;

use chat_protocol::{
    AckResult, ClientFrame, ClientId, Content, DeleteScope, ErrorCode, Event, MessageId, NewContent, Role,
};
use support::*;

async fn pair(server: &TestServer) -> (Client, Client) {
    let host = Client::connect(server, "hana", Role::Host).await;
    let guest = Client::connect(server, "gus", Role::Participant).await;
    (host, guest)
}

#[tokio::test]
async fn a_text_message_is_acked_to_its_sender_and_delivered_to_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let ack = gus.send_text("c-1", "hello team").await.ack();
    let AckResult::Sent { client_id, id, seq, time, .. } = ack else { panic!("{ack:?}") };
    assert_eq!(client_id.as_str(), "c-1");
    assert_eq!(seq, 1);
    assert!(time > 1_700_000_000_000);
    for client in [&mut hana, &mut gus] {
        let envelope = client.next_event().await;
        let message = created_message(&envelope);
        assert_eq!(message.id, id);
        assert_eq!(message.client_id.as_str(), "c-1");
        assert_eq!(text_of(message), "hello team");
        assert_eq!(message.sender.id.as_str(), "gus");
        assert_eq!(message.sender.display_name, "gus name");
        assert_eq!(message.time, time);
        assert!(!message.edited && !message.pinned);
    }
    server.stop().await;
}

#[tokio::test]
async fn resending_a_client_id_returns_the_original_ack_and_stores_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let first = gus.send_text("same", "once").await.ack();
    let second = gus.send_text("same", "once").await.ack();
    assert_eq!(first, second);
    let third = gus.send_text("same", "different text, same id").await.ack();
    assert_eq!(first, third);
    hana.next_event().await;
    hana.assert_no_event().await;
    gus.next_event().await;
    gus.assert_no_event().await;
    let history = hana.all_history().await;
    assert_eq!(history.len(), 1);
    assert_eq!(text_of(&history[0]), "once");
    assert_eq!(stored_count(&server, "SELECT COUNT(*) FROM messages").await, 1);
    // Another participant may use the same client id: ids are per sender.
    hana.send_text("same", "mine").await.ack();
    assert_eq!(hana.all_history().await.len(), 2);
    server.stop().await;
}

async fn edit(client: &mut Client, id: &MessageId, text: &str) -> Answer {
    let id = id.clone();
    let text = text.to_owned();
    client
        .request(|req_id| ClientFrame::Edit { req_id, id, content: NewContent::Text { text }, attachments: None })
        .await
}

async fn delete(client: &mut Client, id: &MessageId, scope: DeleteScope) -> Answer {
    let id = id.clone();
    client.request(|req_id| ClientFrame::Delete { req_id, id, scope }).await
}

async fn pin(client: &mut Client, id: &MessageId, pinned: bool) -> Answer {
    let id = id.clone();
    client
        .request(|req_id| if pinned { ClientFrame::Pin { req_id, id } } else { ClientFrame::Unpin { req_id, id } })
        .await
}

#[tokio::test]
async fn only_the_author_edits_and_everyone_sees_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let id = sent_id(&gus.send_text("c1", "teh typo").await.ack());
    hana.next_event().await;

    let refused = edit(&mut hana, &id, "hijacked").await.error();
    assert_eq!(refused.code, ErrorCode::Forbidden, "even a host may not edit another's message");
    let unchanged = hana.all_history().await;
    assert_eq!(text_of(&unchanged[0]), "teh typo");
    assert!(!unchanged[0].edited);

    edit(&mut gus, &id, "the fix").await.ack();
    let envelope = hana.next_event().await;
    let Event::MessageEdited { message } = &envelope.event else { panic!("{envelope:?}") };
    assert_eq!(text_of(message), "the fix");
    assert!(message.edited && message.edited_at.is_some());

    let kind_change = gus
        .request(|req_id| ClientFrame::Edit {
            req_id,
            id: id.clone(),
            content: NewContent::File { file_id: "x".into() },
            attachments: None,
        })
        .await
        .error();
    assert_eq!(kind_change.code, ErrorCode::InvalidRequest);
    assert_eq!(edit(&mut gus, &MessageId::from("nope"), "x").await.error().code, ErrorCode::NotFound);

    let history = hana.all_history().await;
    assert_eq!(text_of(&history[0]), "the fix");
    server.stop().await;
}

#[tokio::test]
async fn deleting_for_everyone_leaves_a_tombstone_and_erases_the_body_from_storage() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let mut bea = Client::connect(&server, "bea", Role::Participant).await;
    let id = sent_id(&gus.send_text("c1", "secret launch date").await.ack());
    hana.next_event().await;
    bea.next_event().await;

    assert_eq!(delete(&mut bea, &id, DeleteScope::Everyone).await.error().code, ErrorCode::Forbidden);
    assert_eq!(text_of(&bea.all_history().await[0]), "secret launch date", "a refused delete changes nothing");
    delete(&mut gus, &id, DeleteScope::Everyone).await.ack();
    for client in [&mut hana, &mut bea] {
        let envelope = client.next_event().await;
        let Event::MessageDeleted { id: deleted, by } = &envelope.event else { panic!("{envelope:?}") };
        assert_eq!((deleted, by.as_str()), (&id, "gus"));
    }
    let history = bea.all_history().await;
    assert_eq!(history[0].content, Content::Deleted);
    assert_eq!(edit(&mut gus, &id, "revive").await.error().code, ErrorCode::MessageDeleted);

    // A late joiner resuming from 0 sees the creation event without the body.
    let mut late = Client::connect_token(&server, &token_for("late", Role::Participant), Some(0)).await;
    let created = late.next_event().await;
    assert_eq!(created_message(&created).content, Content::Deleted);

    let text = stored_rows(&server, &format!("SELECT text FROM messages WHERE id = '{}'", id.as_str())).await;
    assert_eq!(text, vec![vec![None]]);
    assert_eq!(stored_count(&server, "SELECT COUNT(*) FROM events WHERE payload LIKE '%launch%'").await, 0);
    server.stop().await;
}

#[tokio::test]
async fn a_host_deletes_anyones_message_for_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let id = sent_id(&gus.send_text("c1", "spam").await.ack());
    hana.next_event().await;
    delete(&mut hana, &id, DeleteScope::Everyone).await.ack();
    assert!(matches!(gus.next_event().await.event, Event::MessageCreated { .. }));
    assert!(matches!(gus.next_event().await.event, Event::MessageDeleted { .. }));
    server.stop().await;
}

#[tokio::test]
async fn deleting_for_me_hides_the_message_from_me_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let id = sent_id(&hana.send_text("c1", "for all").await.ack());
    gus.next_event().await;
    let AckResult::Done { seq: Some(_) } = delete(&mut gus, &id, DeleteScope::Me).await.ack() else { panic!() };
    let envelope = gus.next_event().await;
    assert_eq!(envelope.event, Event::MessageHidden { id: id.clone() });
    assert!(gus.all_history().await.is_empty());
    assert_eq!(hana.all_history().await.len(), 1);
    // Hana saw her own message created and nothing else.
    hana.next_event().await;
    hana.assert_no_event().await;
    // Later changes to the hidden message do not reach Gus, and he can no longer act on it.
    edit(&mut hana, &id, "edited").await.ack();
    gus.assert_no_event().await;
    assert_eq!(delete(&mut gus, &id, DeleteScope::Me).await.error().code, ErrorCode::NotFound);
    server.stop().await;
}

#[tokio::test]
async fn hosts_pin_and_unpin_and_participants_may_not_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let id = sent_id(&gus.send_text("c1", "agenda").await.ack());
    hana.next_event().await;

    assert_eq!(pin(&mut gus, &id, true).await.error().code, ErrorCode::Forbidden);
    assert!(!gus.all_history().await[0].pinned, "a refused pin changes nothing");
    pin(&mut hana, &id, true).await.ack();
    assert!(matches!(gus.next_event().await.event, Event::MessageCreated { .. }));
    let envelope = gus.next_event().await;
    assert_eq!(envelope.event, Event::MessagePinned { id: id.clone(), by: "hana".into() });
    assert!(gus.all_history().await[0].pinned);
    assert_eq!(pin(&mut hana, &id, true).await.ack(), AckResult::Done { seq: None }, "pinning twice changes nothing");

    let refused = gus
        .request(|req_id| ClientFrame::UpdateSettings {
            req_id,
            anyone_can_pin: Some(true),
            who_can_send: None,
            slow_mode_secs: None,
            read_receipts: None,
            private_chat: None,
        })
        .await
        .error();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    hana.request(|req_id| ClientFrame::UpdateSettings {
        req_id,
        anyone_can_pin: Some(true),
        who_can_send: None,
        slow_mode_secs: None,
        read_receipts: None,
        private_chat: None,
    })
    .await
    .ack();
    let envelope = gus.next_event().await;
    assert!(matches!(envelope.event, Event::SettingsChanged { ref settings } if settings.anyone_can_pin));

    pin(&mut gus, &id, false).await.ack();
    assert!(matches!(hana.next_event().await.event, Event::MessagePinned { .. }));
    assert!(matches!(hana.next_event().await.event, Event::SettingsChanged { .. }));
    let envelope = hana.next_event().await;
    assert_eq!(envelope.event, Event::MessageUnpinned { id: id.clone(), by: "gus".into() });
    server.stop().await;
}

#[tokio::test]
async fn replies_and_forwards_refer_to_visible_messages_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let (mut hana, mut gus) = pair(&server).await;
    let original = sent_id(&hana.send_text("c1", "question?").await.ack());
    let private = sent_id(&hana.send("c2", NewContent::Text { text: "just for bea".into() }, vec!["bea"]).await.ack());
    let reply = |client_id: &str, reply_to: MessageId| ClientFrame::Send {
        req_id: 0,
        client_id: ClientId::from(client_id),
        content: NewContent::Text { text: "answer".into() },
        reply_to: Some(reply_to),
        forwarded_from: None,
        targets: Vec::new(),
        metadata: Default::default(),
        details: Default::default(),
        attachments: Vec::new(),
        as_sender: None,
        mentions: Vec::new(),
    };
    let with_req = |mut frame: ClientFrame, id| {
        if let ClientFrame::Send { req_id, .. } = &mut frame {
            *req_id = id;
        }
        frame
    };
    let ok = gus.request(|id| with_req(reply("r1", original.clone()), id)).await.ack();
    let missing = gus.request(|id| with_req(reply("r2", private.clone()), id)).await.error();
    assert_eq!(missing.code, ErrorCode::NotFound, "replying to a private message one cannot see reveals nothing");

    let forwarded = gus
        .request(|req_id| ClientFrame::Send {
            req_id,
            client_id: "f1".into(),
            content: NewContent::Text { text: "question?".into() },
            reply_to: None,
            forwarded_from: Some(original.clone()),
            targets: Vec::new(),
            metadata: serde_json::from_str(r#"{"source":"forward"}"#).unwrap(),
            details: Default::default(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        })
        .await
        .ack();
    let history = hana.all_history().await;
    let by_id = |id: &MessageId| history.iter().find(|m| &m.id == id).cloned().unwrap();
    assert_eq!(by_id(&sent_id(&ok)).reply_to.as_ref(), Some(&original));
    let fwd = by_id(&sent_id(&forwarded));
    assert_eq!(fwd.forwarded_from.as_ref(), Some(&original));
    assert_eq!(fwd.metadata["source"], "forward");
    server.stop().await;
}
