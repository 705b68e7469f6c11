//! Reactions over real sockets: stored and delivered as sequenced events to
//! everyone who sees the message, counted per emoji with the reader's own
//! marked in history and on resume, and refused with typed errors.

mod support;

use chat_protocol::{AckResult, ClientFrame, ErrorCode, Event, MessageId, NewContent, Reaction, Role};
use support::*;

fn react(id: &MessageId, emoji: &str) -> impl FnOnce(u64) -> ClientFrame {
    let (id, emoji) = (id.clone(), emoji.to_owned());
    move |req_id| ClientFrame::React { req_id, id, emoji }
}

fn unreact(id: &MessageId, emoji: &str) -> impl FnOnce(u64) -> ClientFrame {
    let (id, emoji) = (id.clone(), emoji.to_owned());
    move |req_id| ClientFrame::Unreact { req_id, id, emoji }
}

/// The next event, which must be a reaction: (emoji, by, added, count).
async fn next_reaction(client: &mut Client) -> (String, String, bool, u32) {
    match client.next_event().await.event {
        Event::ReactionUpdated { emoji, by, added, count, .. } => (emoji, by.0, added, count),
        other => panic!("expected a reaction, got {other:?}"),
    }
}

fn reaction(emoji: &str, count: u32, me: bool) -> Reaction {
    Reaction { emoji: emoji.into(), count, me }
}

#[tokio::test]
async fn reactions_are_counted_per_emoji_and_reach_everyone_who_sees_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let id = sent_id(&ann.send_text("c1", "lunch?").await.ack());
    ann.next_event().await;
    bob.next_event().await;

    let AckResult::Done { seq: Some(_) } = bob.request(react(&id, "👍")).await.ack() else { panic!("stored") };
    for client in [&mut ann, &mut bob] {
        assert_eq!(next_reaction(client).await, ("👍".into(), "bob".into(), true, 1));
    }
    ann.request(react(&id, "👍")).await.ack();
    ann.request(react(&id, "🎉")).await.ack();
    assert_eq!(next_reaction(&mut bob).await, ("👍".into(), "ann".into(), true, 2));
    assert_eq!(next_reaction(&mut bob).await, ("🎉".into(), "ann".into(), true, 1));
    // Reacting again changes nothing and stores nothing.
    assert_eq!(bob.request(react(&id, "👍")).await.ack(), AckResult::Done { seq: None });
    bob.assert_no_event().await;

    // History marks the reader's own.
    assert_eq!(bob.all_history().await[0].reactions, [reaction("👍", 2, true), reaction("🎉", 1, false)]);
    assert_eq!(ann.all_history().await[0].reactions, [reaction("👍", 2, true), reaction("🎉", 1, true)]);

    ann.request(unreact(&id, "🎉")).await.ack();
    assert_eq!(next_reaction(&mut bob).await, ("🎉".into(), "ann".into(), false, 0));
    assert_eq!(bob.all_history().await[0].reactions, [reaction("👍", 2, true)]);

    // A resume replays the reactions; the message it replays marks the reader's own.
    let mut again = Client::connect_token(&server, &token_for("bob", Role::Participant), Some(0)).await;
    match &again.next_event().await.event {
        Event::MessageCreated { message } => assert_eq!(message.reactions, [reaction("👍", 2, true)]),
        other => panic!("expected the message, got {other:?}"),
    }
    let replayed = [next_reaction(&mut again).await, next_reaction(&mut again).await];
    assert_eq!(replayed[0], ("👍".into(), "bob".into(), true, 2), "counts are as they are now");
    assert_eq!(replayed[1].0, "👍");
}

#[tokio::test]
async fn a_private_messages_reactions_stay_private_and_bad_ones_get_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.limits.max_reactions_per_message = 2;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;
    let mut cat = Client::connect(&server, "cat", Role::Host).await;
    let private = sent_id(&ann.send("p1", NewContent::Text { text: "psst".into() }, vec!["bob"]).await.ack());
    ann.next_event().await;
    bob.next_event().await;

    bob.request(react(&private, "🤫")).await.ack();
    assert_eq!(next_reaction(&mut ann).await.0, "🤫");
    cat.assert_no_event().await;
    assert_eq!(cat.request(react(&private, "👀")).await.error().code, ErrorCode::NotFound, "cat cannot see it");

    for (emoji, code) in [("lol", ErrorCode::InvalidRequest), ("👍 👍", ErrorCode::InvalidRequest)] {
        assert_eq!(bob.request(react(&private, emoji)).await.error().code, code, "{emoji:?}");
    }
    bob.request(react(&private, "🙂")).await.ack();
    let full = bob.request(react(&private, "🙃")).await.error();
    assert_eq!(full.code, ErrorCode::TooManyReactions);
    assert!(matches!(ann.request(react(&private, "🤫")).await, Answer::Ack(_)), "a known emoji still may");

    let id = private.clone();
    ann.request(|req_id| ClientFrame::Delete { req_id, id, scope: chat_protocol::DeleteScope::Everyone }).await.ack();
    assert_eq!(bob.request(react(&private, "🤫")).await.error().code, ErrorCode::MessageDeleted);
}
