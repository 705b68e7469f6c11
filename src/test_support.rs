//! Builders for the widget's tests and benchmarks: a client that never
//! connects, fed frames exactly as the socket would, and numbered messages
//! from the protocol's shared test builder.

use chat_core::Input;
use chat_protocol::testing::{created, text_message, welcome};
use chat_protocol::{Message, Role};

use crate::client::ChatClient;

/// When message number 1 was sent; message `seq` follows `seq` seconds later.
pub const FIRST_MESSAGE_AT: i64 = chat_protocol::testing::FIRST_MESSAGE_AT;

/// A welcomed client ("me", with "bob" also here) holding `loaded` messages.
pub fn client_with(loaded: u64) -> ChatClient {
    let client =
        ChatClient::new("ws://127.0.0.1:1/ws", "t", "meeting-chat:test".into(), crate::client::browser::platform());
    client.feed(Input::Frame(welcome("me", Role::Participant, 0, &["bob"])));
    for seq in 1..=loaded {
        deliver(&client, seq);
    }
    client
}

/// Message number `seq`: "message number {seq}" from one of seven users.
pub fn numbered(seq: u64) -> Message {
    let mut message =
        text_message(&format!("m{seq}"), seq, &format!("user{}", seq % 7), &format!("message number {seq}"));
    message.sender.display_name = format!("User {}", seq % 7);
    message
}

/// Delivers message number `seq` as the server would.
pub fn deliver(client: &ChatClient, seq: u64) {
    deliver_message(client, numbered(seq));
}

/// Delivers `message` as the server would.
pub fn deliver_message(client: &ChatClient, message: Message) {
    client.feed(Input::Frame(created(message)));
}
