//! Mentions over real sockets: stored with the message and delivered with
//! it; a private message mentions only its members; too many, or a bad id,
//! is refused with a typed error.

mod support;

use chat_protocol::{ClientFrame, ErrorCode, NewContent, ParticipantId, Role};
use support::*;

fn with_mentions(text: &str, targets: &[&str], mentions: &[&str]) -> impl FnOnce(u64) -> ClientFrame {
    let ids = |list: &[&str]| list.iter().map(|id| ParticipantId::from(*id)).collect::<Vec<_>>();
    let (text, targets, mentions) = (text.to_owned(), ids(targets), ids(mentions));
    move |req_id| {
        let mut frame = send_frame(req_id, &format!("c-{text}"), NewContent::Text { text }, targets);
        if let ClientFrame::Send { mentions: slot, .. } = &mut frame {
            *slot = mentions;
        }
        frame
    }
}

#[tokio::test]
async fn mentions_travel_with_the_message_and_stay_inside_a_private_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    let mut bob = Client::connect(&server, "bob", Role::Participant).await;

    ann.request(with_mentions("hi @bob @cat", &[], &["bob", "cat", "bob"])).await.ack();
    let live = created_message(&bob.next_event().await).clone();
    assert_eq!(live.mentions, [ParticipantId::from("bob"), ParticipantId::from("cat")], "deduplicated, in order");
    assert_eq!(bob.all_history().await[0].mentions, live.mentions, "stored with it");

    // Cat is not in Ann's private conversation with Bob: the mention is dropped.
    ann.request(with_mentions("psst @bob @cat", &["bob"], &["cat", "bob"])).await.ack();
    assert_eq!(created_message(&bob.next_event().await).mentions, [ParticipantId::from("bob")]);

    let many: Vec<String> = (0..=100).map(|i| format!("p{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(ann.request(with_mentions("everyone", &[], &many)).await.error().code, ErrorCode::InvalidRequest);
    assert_eq!(ann.request(with_mentions("bad id", &[], &[""])).await.error().code, ErrorCode::InvalidRequest);
}
