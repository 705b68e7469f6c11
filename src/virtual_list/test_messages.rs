//! Messages for the list's native tests, delivered as the server would.

use chat_core::{ChatState, Input};
use chat_protocol::{Content, Event, EventEnvelope, Message, Sender, ServerFrame};

/// Message `m{seq}` from `from`, private to `targets` unless empty.
pub fn message(seq: u64, from: &str, targets: &[&str]) -> Message {
    Message {
        id: format!("m{seq}").into(),
        client_id: format!("c{seq}").into(),
        seq,
        sender: Sender { id: from.into(), display_name: from.into() },
        time: 1_000 * seq as i64,
        content: Content::Text { text: format!("text {seq}") },
        reply_to: None,
        forwarded_from: None,
        targets: targets.iter().map(|t| (*t).into()).collect(),
        metadata: Default::default(),
        edited: false,
        edited_at: None,
        pinned: false,
    }
}

/// Applies the event that creates `message`.
pub fn deliver(state: &mut ChatState, message: Message) {
    let seq = message.seq;
    let event = Event::MessageCreated { message };
    state.apply(Input::Frame(ServerFrame::Event(EventEnvelope { seq, time: 0, event })), 0);
}
