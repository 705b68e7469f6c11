//! Typing, on the chat object: telling the conversation being viewed (see
//! `join`) that you are typing, and who is typing in it (also as the
//! `typingUpdate` event).

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::MeetingChat;
use crate::client::ChatClient;

/// The display names of who is typing in the conversation being viewed.
pub(super) fn typists(client: &ChatClient) -> Array {
    client.state().typing(client.now()).into_iter().map(JsValue::from).collect()
}

/// How many are typing in the conversation being viewed, named or not.
pub(super) fn typing_count(client: &ChatClient) -> u32 {
    u32::try_from(client.state().typing_count(client.now())).unwrap_or(u32::MAX)
}

#[wasm_bindgen]
impl MeetingChat {
    /// Tells the conversation being viewed that you are typing. Call it on
    /// every keystroke: a notice goes out at most once every 3 s. Returns
    /// whether one went now (not while throttled or disconnected).
    pub fn typing(&self) -> bool {
        self.client_ref().typing()
    }

    /// Who is typing in the conversation being viewed, by display name, first typist first.
    #[wasm_bindgen(getter)]
    pub fn typists(&self) -> Array {
        typists(self.client_ref())
    }

    /// How many are typing in the conversation being viewed: `typists.length`,
    /// or more in a large meeting, where only the first three are named.
    #[wasm_bindgen(getter, js_name = typingCount)]
    pub fn typing_count(&self) -> u32 {
        typing_count(self.client_ref())
    }
}
