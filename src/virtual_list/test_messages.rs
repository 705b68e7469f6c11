//! Messages for the list's native tests, from the protocol's shared builder,
//! delivered as the server would.

use chat_core::{ChatState, Input};
use chat_protocol::testing::{created, text_message};
use chat_protocol::Message;

/// Message `m{seq}` from `from`, private to `targets` unless empty.
pub fn message(seq: u64, from: &str, targets: &[&str]) -> Message {
    let mut message = text_message(&format!("m{seq}"), seq, from, &format!("text {seq}"));
    message.targets = targets.iter().map(|t| (*t).into()).collect();
    message
}

/// Applies the event that creates `message`.
pub fn deliver(state: &mut ChatState, message: Message) {
    state.apply(Input::Frame(created(message)), 0);
}
