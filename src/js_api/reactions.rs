//! Reactions, on the chat object: adding and taking off one's own (each
//! message's `reactions` says `[{ emoji, count, me }]`, and the
//! `reactionUpdate` event says when they change).

use chat_protocol::MessageId;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::{promise, MeetingChat};

#[wasm_bindgen]
impl MeetingChat {
    /// Adds your reaction with `emoji` (one emoji) to a message; resolves
    /// once stored. A message carries at most 20 different emoji.
    pub fn react(&self, id: String, emoji: String) -> Promise {
        promise(self.client_ref().react(MessageId(id), emoji, true), |()| JsValue::UNDEFINED)
    }

    /// Takes your reaction with `emoji` off a message.
    pub fn unreact(&self, id: String, emoji: String) -> Promise {
        promise(self.client_ref().react(MessageId(id), emoji, false), |()| JsValue::UNDEFINED)
    }
}
