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
}
