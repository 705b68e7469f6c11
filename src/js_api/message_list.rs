//! The JS `messages` array, kept in step with the core's rows by applying
//! the row changes it announces: a new message is one push (or one splice),
//! an update one assignment, so handling a message costs the same with 10 or
//! 10,000 loaded. It holds no order of its own: positions come from the core.

use chat_core::{ChatState, MessageKey, Row};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::message_object::{echo_to_js, message_to_js};
use crate::client::ChatClient;

/// Confirmed messages by `seq`, then local echoes, as one JS array of
/// objects that inherit from `proto`.
pub struct MessageList {
    array: Array,
    proto: Object,
}

impl MessageList {
    /// An empty list whose messages inherit `proto`'s methods.
    pub fn new(proto: Object) -> Self {
        Self { array: Array::new(), proto }
    }

    fn object(&self, client: &ChatClient, state: &ChatState, row: Row<'_>) -> JsValue {
        match row {
            Row::Sent(message) => message_to_js(message, client, &self.proto),
            Row::Local(echo) => echo_to_js(echo, state.me(), client, &self.proto),
        }
    }

    /// An object for a message that is not in the list (a search hit).
    pub fn detached(&self, client: &ChatClient, message: &chat_protocol::Message) -> JsValue {
        message_to_js(message, client, &self.proto)
    }

    /// The live array (read it, do not change it).
    pub fn array(&self) -> &Array {
        &self.array
    }

    /// The object at row `index`.
    pub fn get(&self, index: usize) -> JsValue {
        self.array.get(index as u32)
    }

    /// Adds the row now at `index`; returns its object. A row that is not
    /// the one announced means the copy drifted, and it is rebuilt.
    pub fn insert(&self, client: &ChatClient, index: usize, key: &MessageKey) -> JsValue {
        let state = client.state();
        match state.row(index).filter(|row| &state.row_key(*row) == key) {
            Some(row) => {
                let value = self.object(client, &state, row);
                if index == self.array.length() as usize {
                    self.array.push(&value);
                } else {
                    self.array.splice(index as u32, 0, &value);
                }
                value
            }
            None => {
                drop(state);
                self.rebuild(client);
                JsValue::UNDEFINED
            }
        }
    }

    /// Refreshes row `index` if it still shows `key`; returns its object.
    pub fn refresh(&self, client: &ChatClient, index: usize, key: &MessageKey) -> JsValue {
        let state = client.state();
        if let Some(row) = state.row(index).filter(|row| &state.row_key(*row) == key) {
            self.array.set(index as u32, self.object(client, &state, row));
        }
        self.get(index)
    }

    /// Removes row `index`; returns its last object.
    pub fn remove(&self, index: usize) -> JsValue {
        let value = self.get(index);
        // js-sys's `splice` always inserts an item; removal calls it directly.
        if let Some(splice) =
            Reflect::get(&self.array, &"splice".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = splice.call2(&self.array, &(index as u32).into(), &1.into());
        }
        value
    }

    /// Rebuilds everything from the client's rows, keeping the same array object.
    pub fn rebuild(&self, client: &ChatClient) {
        let state = client.state();
        self.array.set_length(0);
        for index in 0..state.row_count() {
            if let Some(row) = state.row(index) {
                self.array.push(&self.object(client, &state, row));
            }
        }
    }
}
