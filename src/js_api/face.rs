//! The JS face's state beside the client: the `messages` array and the
//! listeners. Each change the client announces becomes one edit of the array
//! and the seed API's events (`chatUpdate`, `pinMessage`, `deleteMessage`,
//! ...), with no chat logic of its own.

use std::rc::{Rc, Weak};

use chat_core::Change;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::event_bus::EventBus;
use super::message_list::MessageList;
use crate::client::{ChatClient, Subscription};

/// What the JS API keeps for one chat.
pub struct JsFace {
    /// The client.
    pub client: ChatClient,
    /// The `messages` array.
    pub list: MessageList,
    /// JS listeners.
    pub bus: EventBus,
    subscription: std::cell::RefCell<Option<Subscription>>,
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

impl JsFace {
    /// A face over `client`, following its changes from now on.
    pub fn new(client: ChatClient) -> Rc<Self> {
        let face = Rc::new(Self {
            client: client.clone(),
            list: MessageList::default(),
            bus: EventBus::default(),
            subscription: std::cell::RefCell::new(None),
        });
        let weak: Weak<JsFace> = Rc::downgrade(&face);
        let subscription = client.subscribe(Rc::new(move |change: &Change| {
            if let Some(face) = weak.upgrade() {
                face.on_change(change);
            }
        }));
        *face.subscription.borrow_mut() = Some(subscription);
        face
    }

    fn chat_update(&self, action: &str, message: &JsValue) {
        let event = Object::new();
        set(&event, "action", action);
        set(&event, "message", message.clone());
        set(&event, "messages", self.list.array().clone());
        self.bus.emit("chatUpdate", &event);
    }

    fn emit(&self, name: &str, fields: &[(&str, JsValue)]) {
        let event = Object::new();
        for (key, value) in fields {
            set(&event, key, value.clone());
        }
        self.bus.emit(name, &event);
    }

    fn on_change(&self, change: &Change) {
        let client = &self.client;
        match change {
            Change::MessageAdded { key, index } => self.chat_update("add", &self.list.insert(client, *index, key)),
            Change::MessageUpdated { key, index } | Change::MessageEdited { key, index } => {
                self.chat_update("edit", &self.list.refresh(client, *index, key))
            }
            Change::MessageDeleted { key, index } => {
                let message = self.list.refresh(client, *index, key);
                self.chat_update("delete", &message);
                let id = Reflect::get(&message, &"id".into()).unwrap_or(JsValue::UNDEFINED);
                self.emit("deleteMessage", &[("messageId", id), ("forMe", false.into()), ("message", message)]);
            }
            Change::MessageRemoved { index, id, .. } => {
                let message = self.list.remove(*index);
                self.chat_update("remove", &message);
                let fields = [("messageId", id.as_str().into()), ("forMe", true.into()), ("message", message)];
                self.emit("deleteMessage", &fields);
            }
            Change::Pinned { key, index } | Change::Unpinned { key, index } => {
                let message = self.list.refresh(client, *index, key);
                self.chat_update("edit", &message);
                let name = if matches!(change, Change::Pinned { .. }) { "pinMessage" } else { "unpinMessage" };
                self.emit(name, &[("message", message)]);
            }
            Change::EchoAdded { key, index } => self.chat_update("pending", &self.list.insert(client, *index, key)),
            Change::EchoUpdated { key, index } => self.chat_update("pending", &self.list.refresh(client, *index, key)),
            Change::EchoConfirmed { key, from, index, .. } => {
                self.list.remove(*from);
                self.chat_update("add", &self.list.insert(client, *index, key));
            }
            Change::EchoDiscarded { index, .. } => self.chat_update("discard", &self.list.remove(*index)),
            Change::PageLoaded { inserted, .. } => {
                let state = client.state();
                let keys: Vec<_> = inserted.iter().filter_map(|i| Some((*i, state.row_key(state.row(*i)?)))).collect();
                drop(state);
                for (index, key) in &keys {
                    self.list.insert(client, *index, key);
                }
                if !keys.is_empty() {
                    self.chat_update("page", &JsValue::UNDEFINED);
                }
            }
            Change::TimelineReset => {
                self.list.rebuild(client);
                self.chat_update("reset", &JsValue::UNDEFINED);
            }
            Change::Connection => {
                let state = client.state().connection().as_str();
                self.emit("connectionStateChange", &[("state", state.into())]);
            }
            Change::Participants => self.bus.emit("participantsUpdate", &JsValue::UNDEFINED),
            Change::Settings => self.bus.emit("settingsUpdate", &JsValue::UNDEFINED),
            Change::RateLimited { bucket, until } => {
                let wait = (until - client.now()).max(0) as f64;
                self.emit("rateLimited", &[("bucket", bucket.as_str().into()), ("retryAfterMs", wait.into())]);
            }
            Change::RateLimitReset(bucket) => self.emit("rateLimitReset", &[("bucket", bucket.as_str().into())]),
        }
    }
}
