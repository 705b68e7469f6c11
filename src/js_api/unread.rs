//! Read state, on the chat object: unread counts per conversation (the
//! server keeps each reader's position, so they follow them to every device),
//! marking a conversation read, and each message's `read` and, with read
//! receipts on, your own messages' `seenBy` (getters on the messages'
//! prototype, so they are always current).

use chat_protocol::{MessageId, Seq};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::errors::JsResult;
use super::{promise, set, MeetingChat};
use crate::client::ChatClient;

/// Every conversation's `{ addressId, count, mentions }` (`addressId` null for the meeting's).
pub(super) fn unread_counts(client: &ChatClient) -> Array {
    client
        .state()
        .reads()
        .iter()
        .map(|state| {
            let object = Object::new();
            set(&object, "addressId", state.with.as_ref().map_or(JsValue::NULL, |p| p.as_str().into()));
            set(&object, "count", state.unread);
            set(&object, "mentions", state.mentions);
            JsValue::from(object)
        })
        .collect()
}

fn field(this: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(this, &key.into()).ok()
}

/// Whether the message object `this` is read: its own, or up to its conversation's position.
pub(super) fn is_read(client: &ChatClient, this: &JsValue) -> bool {
    let field = |key: &str| field(this, key);
    let state = client.state();
    let id = field("id").and_then(|v| v.as_string()).map(MessageId);
    match id.and_then(|id| state.timeline().get(&id).map(|message| state.is_read(message))) {
        Some(read) => read,
        // Not loaded (a search hit) or not sent yet: by its seq in the meeting's conversation.
        None => field("seq").and_then(|v| v.as_f64()).is_none_or(|seq| seq as Seq <= state.read_position(None)),
    }
}

/// With read receipts on, how many others have read the message object
/// `this` (one of your own, loaded); otherwise `undefined`.
pub(super) fn seen_by(client: &ChatClient, this: &JsValue) -> JsValue {
    let state = client.state();
    let id = field(this, "id").and_then(|v| v.as_string()).map(MessageId);
    let message = id.and_then(|id| state.timeline().get(&id));
    match message.filter(|m| state.settings().read_receipts && state.me().is_some_and(|me| me.id == m.sender.id)) {
        Some(message) => state.seen_by(message).into(),
        None => JsValue::UNDEFINED,
    }
}

#[wasm_bindgen]
impl MeetingChat {
    /// Unread messages from others in every conversation together.
    #[wasm_bindgen(getter, js_name = unreadCount)]
    pub fn unread_count(&self) -> u32 {
        self.client_ref().state().reads().iter().map(|state| state.unread).sum()
    }

    /// Unread messages per conversation: `[{ addressId, count, mentions }]`,
    /// the meeting's first (`addressId` null); `unreadUpdate` says when they change.
    #[wasm_bindgen(getter, js_name = unreadCounts)]
    pub fn unread_counts(&self) -> Array {
        unread_counts(self.client_ref())
    }

    /// Marks a conversation read up to its newest message (`{ addressId }`
    /// names a private one): at once here, then on the server, which tells
    /// your other devices.
    #[wasm_bindgen(js_name = markRead)]
    pub fn mark_read(&self, options: JsValue) -> JsResult<Promise> {
        let with = self.address(&options)?;
        Ok(promise(self.client_ref().mark_read(with), |()| JsValue::UNDEFINED))
    }
}
