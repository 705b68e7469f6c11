//! The JS `messages` array, kept in step with the core by small edits:
//! a new message is one push (or one splice), an update one assignment, so
//! handling a message costs the same with 10 or 10,000 loaded. Only bulk
//! changes (a page, a reset) rebuild it.

use chat_core::{ChatState, LocalEcho};
use chat_protocol::{ClientId, MessageId, Seq};
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::message_object::{echo_to_js, message_to_js};

/// Confirmed messages by `seq`, then local echoes, as one JS array.
pub struct MessageList {
    array: Array,
    confirmed: Vec<(Seq, MessageId)>,
    echoes: Vec<ClientId>,
    http_base: String,
}

impl MessageList {
    /// An empty list whose links resolve against `http_base`.
    pub fn new(http_base: String) -> Self {
        Self { array: Array::new(), confirmed: Vec::new(), echoes: Vec::new(), http_base }
    }

    /// The live array (read it, do not change it).
    pub fn array(&self) -> &Array {
        &self.array
    }

    fn remove_at(&self, index: usize) {
        // js-sys's `splice` always inserts an item; removal calls it directly.
        if let Some(splice) =
            Reflect::get(&self.array, &"splice".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = splice.call2(&self.array, &(index as u32).into(), &1.into());
        }
    }

    fn insert_at(&self, index: usize, value: &JsValue) {
        if index == self.array.length() as usize {
            self.array.push(value);
        } else {
            self.array.splice(index as u32, 0, value);
        }
    }

    fn confirmed_index(&self, seq: Seq) -> Result<usize, usize> {
        self.confirmed.binary_search_by_key(&seq, |(s, _)| *s)
    }

    /// The JS object of a confirmed message, if listed.
    pub fn get(&self, id: &MessageId, state: &ChatState) -> Option<JsValue> {
        let seq = state.timeline().get(id)?.seq;
        let index = self.confirmed_index(seq).ok()?;
        Some(self.array.get(index as u32))
    }

    /// The JS object of an echo, if listed.
    pub fn get_echo(&self, client_id: &ClientId) -> Option<JsValue> {
        let index = self.echoes.iter().position(|c| c == client_id)?;
        Some(self.array.get((self.confirmed.len() + index) as u32))
    }

    /// Adds or refreshes a confirmed message; returns its object.
    pub fn upsert(&mut self, id: &MessageId, state: &ChatState) -> Option<JsValue> {
        let message = state.timeline().get(id)?;
        let object = message_to_js(message, &self.http_base);
        match self.confirmed_index(message.seq) {
            Ok(index) => self.array.set(index as u32, object.clone()),
            Err(index) => {
                self.confirmed.insert(index, (message.seq, id.clone()));
                self.insert_at(index, &object);
            }
        }
        Some(object)
    }

    /// Removes a confirmed message (deleted for me); returns its last object.
    pub fn remove(&mut self, id: &MessageId) -> Option<JsValue> {
        let index = self.confirmed.iter().rposition(|(_, listed)| listed == id)?;
        let object = self.array.get(index as u32);
        self.confirmed.remove(index);
        self.remove_at(index);
        Some(object)
    }

    /// Adds or refreshes a local echo; returns its object.
    pub fn upsert_echo(&mut self, echo: &LocalEcho, state: &ChatState) -> JsValue {
        let object = echo_to_js(echo, state.me(), &self.http_base);
        match self.echoes.iter().position(|c| c == &echo.client_id) {
            Some(index) => self.array.set((self.confirmed.len() + index) as u32, object.clone()),
            None => {
                self.echoes.push(echo.client_id.clone());
                self.array.push(&object);
            }
        }
        object
    }

    /// Removes a local echo.
    pub fn remove_echo(&mut self, client_id: &ClientId) {
        if let Some(index) = self.echoes.iter().position(|c| c == client_id) {
            self.echoes.remove(index);
            self.remove_at(self.confirmed.len() + index);
        }
    }

    /// Adds the timeline's messages that are not listed yet (a loaded page),
    /// leaving the listed ones alone; returns how many it added.
    pub fn add_missing(&mut self, state: &ChatState) -> usize {
        let missing: Vec<MessageId> =
            state.timeline().iter().filter(|m| self.confirmed_index(m.seq).is_err()).map(|m| m.id.clone()).collect();
        for id in &missing {
            self.upsert(id, state);
        }
        missing.len()
    }

    /// Rebuilds everything from the state, keeping the same array object.
    pub fn rebuild(&mut self, state: &ChatState) {
        self.array.set_length(0);
        self.confirmed.clear();
        self.echoes.clear();
        for message in state.timeline().iter() {
            self.confirmed.push((message.seq, message.id.clone()));
            self.array.push(&message_to_js(message, &self.http_base));
        }
        for echo in state.echoes() {
            self.echoes.push(echo.client_id.clone());
            self.array.push(&echo_to_js(echo, state.me(), &self.http_base));
        }
    }
}
