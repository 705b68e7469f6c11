//! Every kind of bad input gets a typed error, keeps the connection, and
//! leaves stored data as it was.

mod support;

use chat_protocol::{ClientFrame, ErrorCode, NewContent, Role};
use futures_util::SinkExt;
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

async fn assert_stored_untouched(client: &mut Client, expected_text: &str) {
    let history = client.all_history().await;
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(text_of(&history[0]), expected_text);
}

#[tokio::test]
async fn malformed_unknown_oversized_and_binary_frames_are_errors_not_disconnects() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    ann.send_text("c1", "keep me").await.ack();

    ann.send_raw("{this is not json").await;
    let e = ann.answer_to(None).await.error();
    assert_eq!(e.code, ErrorCode::BadFrame);

    ann.send_raw(r#"{"type":"launchMissiles","reqId":7}"#).await;
    let e = ann.answer_to(Some(7)).await.error();
    assert_eq!(e.code, ErrorCode::BadFrame, "unknown type answers with the salvaged reqId");

    ann.send_raw(r#"{"type":"send","reqId":8,"clientId":"c2"}"#).await;
    assert_eq!(ann.answer_to(Some(8)).await.error().code, ErrorCode::BadFrame, "missing content");

    ann.send_raw(r#"{"type":"send","reqId":9,"clientId":"c3","content":{"kind":"text","text":"x"},"sneaky":1}"#).await;
    assert_eq!(ann.answer_to(Some(9)).await.error().code, ErrorCode::BadFrame, "unknown fields are refused");

    let huge = format!(
        r#"{{"type":"send","reqId":10,"clientId":"c4","content":{{"kind":"text","text":"{}"}}}}"#,
        "a".repeat(100_000)
    );
    ann.send_raw(&huge).await;
    let e = ann.answer_to(None).await.error();
    assert_eq!(e.code, ErrorCode::FrameTooLarge);

    ann.socket.send(WsMessage::Binary(vec![0xde, 0xad].into())).await.unwrap();
    assert_eq!(ann.answer_to(None).await.error().code, ErrorCode::BadFrame);

    assert_stored_untouched(&mut ann, "keep me").await;
    server.stop().await;
}

#[tokio::test]
async fn oversized_text_metadata_ids_and_page_sizes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    ann.send_text("c1", "keep me").await.ack();

    let e = ann.send_text("c2", &"x".repeat(4_001)).await.error();
    assert_eq!(e.code, ErrorCode::TextTooLong);
    assert!(e.message.contains("4001") && e.message.contains("4000"), "{}", e.message);
    assert_eq!(ann.send_text("c3", "   ").await.error().code, ErrorCode::InvalidRequest);
    assert_eq!(ann.send_text("", "no id").await.error().code, ErrorCode::InvalidRequest);

    let big_metadata = serde_json::json!({ "blob": "m".repeat(5_000) });
    let e = ann
        .request(|req_id| ClientFrame::Send {
            req_id,
            client_id: "c4".into(),
            content: NewContent::Text { text: "with metadata".into() },
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: big_metadata.as_object().cloned().unwrap(),
            details: Default::default(),
            attachments: Vec::new(),
            as_sender: None,
            mentions: Vec::new(),
        })
        .await
        .error();
    assert_eq!(e.code, ErrorCode::MetadataTooLarge);

    ann.send_raw(r#"{"type":"send","reqId":50,"clientId":"c5","content":{"kind":"text","text":"x"},"metadata":[1,2]}"#)
        .await;
    assert_eq!(ann.answer_to(Some(50)).await.error().code, ErrorCode::BadFrame, "metadata must be an object");

    let many: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
    let e = ann
        .send("c6", NewContent::Text { text: "to many".into() }, many.iter().map(String::as_str).collect())
        .await
        .error();
    assert_eq!(e.code, ErrorCode::TooManyTargets);

    for limit in [0, 501] {
        let e = ann.request(|req_id| ClientFrame::History { req_id, before: None, limit, with: None }).await.error();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
    }

    let e =
        ann.send("c7", NewContent::Image { file_id: "0123456789abcdef0123456789abcdef".into() }, vec![]).await.error();
    assert_eq!(e.code, ErrorCode::InvalidAttachment);

    assert_stored_untouched(&mut ann, "keep me").await;
    server.stop().await;
}
