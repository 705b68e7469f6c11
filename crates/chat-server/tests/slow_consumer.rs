//! A connection that stops reading is closed with 4008 once its bounded
//! queue fills, while everyone else carries on; it recovers by resuming.

mod support;

use chat_protocol::{close_code, ClientFrame, NewContent, Role, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use support::*;
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::test]
async fn a_reader_that_stalls_is_closed_with_4008_and_can_resume() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.send_queue_frames = 16;
    // The stalled reader reads only once the sender is done, which on a busy
    // machine can be long after it was closed: keep its close frame waiting.
    config.slow_consumer_close_wait = std::time::Duration::from_secs(120);
    config.limits.text_messages_per_window = 100_000;
    let server = TestServer::start_with(config).await;

    let mut slow = raw_socket_small_buffer(&server).await;
    slow.send(WsMessage::Text(auth_frame(&token_for("slow", Role::Participant), None).into())).await.unwrap();
    let ServerFrame::Welcome { .. } = next_frame(&mut slow).await.unwrap() else { panic!("welcome expected") };

    // A fast sender pipelines large messages, a few unacknowledged at a time,
    // reading its own socket as it goes: however busy the machine, its queue
    // never holds more than a window's acks and echoes, so it is never slow.
    const WINDOW: u64 = 4;
    let ann = Client::connect(&server, "ann", Role::Participant).await;
    let (mut write, mut read) = ann.socket.split();
    let text = "x".repeat(3_900);
    let (mut sent, mut acked) = (0u64, 0u64);
    while acked < 4_000 {
        if sent < 4_000 && sent - acked < WINDOW {
            let frame = ClientFrame::send(sent, format!("m{sent}").into(), NewContent::Text { text: text.clone() });
            write.send(WsMessage::Text(serde_json::to_string(&frame).unwrap().into())).await.unwrap();
            sent += 1;
            continue;
        }
        let Some(Ok(WsMessage::Text(text))) = read.next().await else { panic!("the sender's socket closed") };
        if let ServerFrame::Ack { .. } = serde_json::from_str(&text).unwrap() {
            acked += 1;
        }
    }

    // The stalled reader now reads: what was buffered, then the 4008 close.
    assert_eq!(expect_close(&mut slow).await, Some(close_code::SLOW_CONSUMER));

    // The sender was unaffected: its stream is still open and it can still talk.
    drop((write, read));
    let mut ann = Client::connect(&server, "ann", Role::Participant).await;
    ann.request(|req_id| ClientFrame::Ping { req_id }).await.ack();

    // The slow client resumes from where it was and catches up without a gap.
    let mut back = Client::connect_token(&server, &token_for("slow", Role::Participant), None).await;
    let (page, _) = back.history(None, 100).await;
    assert_eq!(page.len(), 100);
    server.stop().await;
}
