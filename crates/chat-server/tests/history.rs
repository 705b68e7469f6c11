//! History pages go backwards from a `seq`, at most 100 messages, with `hasMore`.

mod support;

use chat_protocol::Role;
use support::*;

#[tokio::test]
async fn pages_walk_back_through_all_messages_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.limits.text_messages_per_window = 1_000;
    let server = TestServer::start_with(config).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    for i in 0..250 {
        ann.send_text(&format!("m{i}"), &format!("message {i}")).await.ack();
    }
    let (newest, more) = ann.history(None, 100).await;
    assert!(more);
    assert_eq!(newest.len(), 100);
    assert_eq!(text_of(&newest[0]), "message 150");
    assert_eq!(text_of(&newest[99]), "message 249");
    let (middle, more) = ann.history(Some(newest[0].seq), 100).await;
    assert!(more);
    assert_eq!(text_of(&middle[0]), "message 50");
    let (oldest, more) = ann.history(Some(middle[0].seq), 100).await;
    assert!(!more);
    assert_eq!(oldest.len(), 50);
    assert_eq!(text_of(&oldest[0]), "message 0");
    let (before_first, more) = ann.history(Some(oldest[0].seq), 10).await;
    assert!(before_first.is_empty() && !more);
    server.stop().await;
}
