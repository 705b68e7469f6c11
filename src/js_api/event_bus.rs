//! `on` / `off` / `once` and delivery of typed events to JS listeners.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::JsValue;

/// The events a chat emits.
pub const EVENTS: [&str; 17] = [
    "chatUpdate",
    "message",
    "conversationChange",
    "pinMessage",
    "unpinMessage",
    "deleteMessage",
    "rateLimited",
    "rateLimitReset",
    "connectionStateChange",
    "participantsUpdate",
    "settingsUpdate",
    "mutesUpdate",
    "reportsUpdate",
    "pollsUpdate",
    "typingUpdate",
    "reactionUpdate",
    "unreadUpdate",
];

struct Listener {
    event: String,
    callback: Function,
    once: bool,
}

/// Listeners by event name.
#[derive(Default)]
pub struct EventBus {
    listeners: RefCell<Vec<Listener>>,
}

impl EventBus {
    /// Adds a listener; `once` removes it after its first call.
    pub fn add(&self, event: &str, callback: Function, once: bool) {
        self.listeners.borrow_mut().push(Listener { event: event.to_owned(), callback, once });
    }

    /// Removes a listener (every registration of that function for that event).
    pub fn remove(&self, event: &str, callback: &Function) {
        self.listeners.borrow_mut().retain(|l| !(l.event == event && &l.callback == callback));
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.listeners.borrow_mut().clear();
    }

    /// Calls the listeners of `event` with `payload`. A listener that throws
    /// is reported on the console and does not stop the others.
    pub fn emit(&self, event: &str, payload: &JsValue) {
        let callbacks: Vec<Function> = {
            let mut listeners = self.listeners.borrow_mut();
            let callbacks = listeners.iter().filter(|l| l.event == event).map(|l| l.callback.clone()).collect();
            listeners.retain(|l| !(l.once && l.event == event));
            callbacks
        };
        for callback in callbacks {
            if let Err(error) = callback.call1(&JsValue::NULL, payload) {
                web_sys::console::error_2(&format!("meeting-chat: a {event} listener threw").into(), &error);
            }
        }
    }
}
