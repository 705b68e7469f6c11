//! Builders for core tests: server frames as the server sends them, and a
//! joined state to start from.
#![allow(dead_code)]

use chat_core::{ChatState, Draft, Effect, Input, Intent, MessageKey};
use chat_protocol::{
    testing, AckResult, ClientFrame, Content, ErrorCode, ErrorFrame, Event, Message, RateBucket, RequestId, Role, Seq,
    ServerFrame,
};

pub const NOW: i64 = testing::FIRST_MESSAGE_AT;

#[allow(unused_imports)]
pub use chat_protocol::testing::{participant, text_message as message};

pub fn welcome(me: &str, role: Role, head_seq: Seq) -> ServerFrame {
    testing::welcome(me, role, head_seq, &[])
}

pub fn event(seq: Seq, event: Event) -> Input {
    Input::Frame(testing::event(seq, event))
}

pub fn created(message: Message) -> Input {
    Input::Frame(testing::created(message))
}

pub fn ack(req_id: RequestId, result: AckResult) -> Input {
    Input::Frame(ServerFrame::Ack { req_id, result })
}

pub fn error(req_id: RequestId, code: ErrorCode) -> Input {
    Input::Frame(ServerFrame::Error(ErrorFrame::new(Some(req_id), code, format!("{code}"))))
}

pub fn rate_limited(req_id: RequestId, bucket: RateBucket, retry_after_ms: u64) -> Input {
    let mut frame = ErrorFrame::new(Some(req_id), ErrorCode::RateLimited, "slow down");
    frame.retry_after_ms = Some(retry_after_ms);
    frame.bucket = Some(bucket);
    Input::Frame(ServerFrame::Error(frame))
}

/// A state welcomed into a meeting with `head_seq` events, its first page answered empty.
pub fn joined(me: &str, role: Role, head_seq: Seq) -> ChatState {
    let mut state = ChatState::new();
    state.apply(Input::Connecting, NOW);
    let fx = state.apply(Input::Frame(welcome(me, role, head_seq)), NOW);
    let req = history_request(&fx).expect("the first welcome asks for the newest page");
    state.apply(ack(req, AckResult::History { messages: Vec::new(), has_more: false }), NOW);
    state
}

pub fn sent_frames(fx: &[Effect]) -> Vec<&ClientFrame> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(frame) => Some(frame),
            _ => None,
        })
        .collect()
}

pub fn history_request(fx: &[Effect]) -> Option<RequestId> {
    sent_frames(fx).into_iter().find_map(|f| match f {
        ClientFrame::History { req_id, .. } => Some(*req_id),
        _ => None,
    })
}

/// The request id and client id of the one send frame in `fx`.
pub fn send_request(fx: &[Effect]) -> (RequestId, String) {
    let sends: Vec<_> = sent_frames(fx)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Send { req_id, client_id, .. } => Some((*req_id, client_id.0.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(sends.len(), 1, "expected one send in {fx:?}");
    sends[0].clone()
}

pub fn request_id(fx: &[Effect]) -> RequestId {
    let frames = sent_frames(fx);
    assert_eq!(frames.len(), 1, "expected one frame in {fx:?}");
    frames[0].req_id().expect("a request")
}

pub fn send_text(state: &mut ChatState, op: u64, client_id: &str, text: &str) -> Vec<Effect> {
    state.apply(Input::Intent(Intent::Send { op, client_id: client_id.into(), draft: Draft::text(text) }), NOW)
}

pub fn texts(state: &ChatState) -> Vec<String> {
    state
        .timeline()
        .iter()
        .map(|m| match &m.content {
            Content::Text { text } => text.clone(),
            Content::Deleted => "<deleted>".into(),
            other => format!("<{:?}>", other.kind()),
        })
        .collect()
}

/// The key of one of this participant's messages, by client id.
pub fn local(client_id: &str) -> MessageKey {
    MessageKey::Local(client_id.into())
}

/// The key of someone else's message, by id.
pub fn remote(id: &str) -> MessageKey {
    MessageKey::Remote(id.into())
}
