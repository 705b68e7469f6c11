//! The JS face's state beside the client: the `messages` array, the
//! listeners, and the methods every message object inherits. Each change the
//! client announces becomes one edit of the array and the seed API's events
//! (`chatUpdate`, `message`, `pinMessage`, `deleteMessage`, ...), with no chat
//! logic of its own.

use std::rc::{Rc, Weak};

use chat_core::{Change, OpError};
use chat_protocol::{MessageId, ParticipantId};
use futures::future::LocalBoxFuture;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use super::conversation_message::conversation_chat_message;
use super::errors::{invalid_argument, JsResult};
use super::event_bus::EventBus;
use super::message_list::MessageList;
use super::options::JsSendOptions;
use super::promise;
use crate::client::{ChatClient, Subscription};

/// A message method: (the message, text, options) to a promise of the sent message.
type Answer = Closure<dyn Fn(JsValue, JsValue, JsValue) -> JsResult<JsValue>>;

/// What the JS API keeps for one chat.
pub struct JsFace {
    /// The client.
    pub client: ChatClient,
    /// The `messages` array.
    pub list: MessageList,
    /// JS listeners.
    pub bus: EventBus,
    subscription: std::cell::RefCell<Option<Subscription>>,
    /// Kept alive for the prototype's methods, which call them.
    _answers: [Answer; 2],
    _read_state: Closure<dyn Fn(JsValue, u32) -> JsValue>,
    /// `subscribe` callbacks: id, conversation, `onMessage`.
    subscribers: std::cell::RefCell<Vec<(u64, Option<ParticipantId>, Function)>>,
    next_subscriber: std::cell::Cell<u64>,
    self_view: Function,
}

/// The prototype's methods call the face's closures with `this`, so one pair
/// of closures serves every message.
const PROTOTYPE: &str = "return { \
    respond(text, options) { return respond(this, text, options); }, \
    message(text, options) { return message(this, text, options); }, \
    get read() { return readState(this, 0); }, \
    get seenBy() { return readState(this, 1); } };";

/// The `message` event's view of a message, shaped like Self's: the text as
/// `body`, and `message(text)` callable even on a text message, whose own
/// `message` field (RealtimeKit's text) would hide the prototype's.
const SELF_VIEW: &str = "const view = Object.create(m); \
    Object.defineProperty(view, 'body', { value: m.message ?? '', enumerable: true }); \
    Object.defineProperty(view, 'message', { value: Object.getPrototypeOf(m).message }); \
    return view;";

fn answer(face: Weak<JsFace>, reply: bool) -> Answer {
    Closure::new(move |to: JsValue, text: JsValue, options: JsValue| {
        let face = face.upgrade().ok_or_else(|| invalid_argument("the chat is gone"))?;
        face.answer(&to, text, &options, reply).map(JsValue::from)
    })
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

impl JsFace {
    /// A face over `client`, following its changes from now on.
    pub fn new(client: ChatClient) -> Rc<Self> {
        let face = Rc::new_cyclic(|weak: &Weak<JsFace>| {
            let answers = [answer(weak.clone(), true), answer(weak.clone(), false)];
            let read_by = weak.clone();
            let read_state = Closure::<dyn Fn(JsValue, u32) -> JsValue>::new(move |this: JsValue, what: u32| {
                let Some(face) = read_by.upgrade() else { return JsValue::UNDEFINED };
                match what {
                    0 => super::unread::is_read(&face.client, &this).into(),
                    _ => super::unread::seen_by(&face.client, &this),
                }
            });
            let factory = Function::new_with_args("respond, message, readState", PROTOTYPE);
            let proto = factory
                .call3(&JsValue::NULL, answers[0].as_ref(), answers[1].as_ref(), read_state.as_ref())
                .map_or_else(|_| Object::new(), Object::from);
            Self {
                client: client.clone(),
                list: MessageList::new(proto),
                bus: EventBus::default(),
                subscription: std::cell::RefCell::new(None),
                _answers: answers,
                _read_state: read_state,
                subscribers: std::cell::RefCell::new(Vec::new()),
                next_subscriber: std::cell::Cell::new(0),
                self_view: Function::new_with_args("m", SELF_VIEW),
            }
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

    /// A send's promise, resolved with the confirmed message's object.
    pub fn sent(self: &Rc<Self>, future: LocalBoxFuture<'static, Result<MessageId, OpError>>) -> Promise {
        let face = Rc::clone(self);
        promise(future, move |id| {
            let index = face.client.state().timeline().position(&id);
            index.map_or_else(|| id.as_str().into(), |index| face.list.get(index))
        })
    }

    /// `message.respond(text, options)` (`reply`) or `message.message(text,
    /// options)`: a text in the conversation of the message `to`, to the
    /// same audience.
    fn answer(self: &Rc<Self>, to: &JsValue, text: JsValue, options: &JsValue, reply: bool) -> JsResult<Promise> {
        let text = text.as_string().ok_or_else(|| invalid_argument("`text` must be a string"))?;
        let mut send = JsSendOptions::read(options)?.send;
        let id = Reflect::get(to, &"id".into()).ok().and_then(|v| v.as_string()).map(MessageId);
        let targets = {
            let state = self.client.state();
            let message = id.as_ref().and_then(|id| state.timeline().get(id));
            let message =
                message.ok_or_else(|| invalid_argument("only a message the server confirmed can be answered"))?;
            state.conversation_targets(message)
        };
        send.targets = targets;
        if reply {
            send.reply_to = id;
        }
        Ok(self.sent(self.client.send_text(text, send)))
    }

    /// Calls `on_message` with each new message of the conversation with
    /// `with` (the meeting's with `None`), once, until the returned id is
    /// passed to [`JsFace::unsubscribe`].
    pub fn subscribe(&self, with: Option<ParticipantId>, on_message: Function) -> u64 {
        let id = self.next_subscriber.get() + 1;
        self.next_subscriber.set(id);
        self.subscribers.borrow_mut().push((id, with, on_message));
        id
    }

    /// The `addressId` that names the conversation with `with` (the
    /// meeting's own id for the meeting's), as SignalWire's messages carry it.
    pub fn address_id(&self, with: Option<&ParticipantId>) -> String {
        match with {
            Some(peer) => peer.as_str().to_owned(),
            None => self.client.state().meeting().map(|m| m.as_str().to_owned()).unwrap_or_default(),
        }
    }

    /// Stops a subscription.
    pub fn unsubscribe(&self, id: u64) {
        self.subscribers.borrow_mut().retain(|(s, _, _)| *s != id);
    }

    /// Hands a new message (at row `index`) to the subscribers of its conversation.
    /// Each gets SignalWire's `ConversationChatMessage`, named by the address it subscribed with.
    fn deliver_new(&self, index: usize) {
        let deliveries: Vec<(Function, JsValue)> = {
            let state = self.client.state();
            let Some(message) = state.timeline().at(index) else { return };
            let subscribers = self.subscribers.borrow();
            subscribers
                .iter()
                .filter(|(_, with, _)| chat_core::in_conversation(message, with.as_ref()))
                .map(|(_, with, callback)| {
                    let conversation = self.address_id(with.as_ref());
                    (callback.clone(), conversation_chat_message(message, &conversation))
                })
                .collect()
        };
        for (callback, object) in deliveries {
            if let Err(error) = callback.call1(&JsValue::NULL, &object) {
                web_sys::console::error_2(&"meeting-chat: an onMessage callback threw".into(), &error);
            }
        }
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
            Change::MessageAdded { key, index } => {
                let message = self.list.insert(client, *index, key);
                self.chat_update("add", &message);
                self.deliver_new(*index);
                // Someone else's: one's own arrive confirmed, as `EchoConfirmed`.
                if matches!(key, chat_core::MessageKey::Remote(_)) {
                    let view = self.self_view.call1(&JsValue::NULL, &message).unwrap_or(message);
                    self.bus.emit("message", &view);
                }
            }
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
            Change::Reacted { key, index, emoji, by, added } => {
                let message = self.list.refresh(client, *index, key);
                self.chat_update("edit", &message);
                let fields = [
                    ("message", message),
                    ("emoji", emoji.as_str().into()),
                    ("participantId", by.as_str().into()),
                    ("added", (*added).into()),
                ];
                self.emit("reactionUpdate", &fields);
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
                let message = self.list.insert(client, *index, key);
                self.chat_update("add", &message);
                self.deliver_new(*index);
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
            Change::TimelineReset | Change::Forgotten { .. } => {
                self.list.rebuild(client);
                self.chat_update("reset", &JsValue::UNDEFINED);
            }
            Change::Conversation => {
                let address = client.state().current_conversation().map(|p| JsValue::from(p.as_str()));
                self.emit("conversationChange", &[("addressId", address.unwrap_or(JsValue::UNDEFINED))]);
            }
            Change::Connection => {
                let state = client.state().connection().as_str();
                self.emit("connectionStateChange", &[("state", state.into())]);
            }
            Change::Participants => self.bus.emit("participantsUpdate", &JsValue::UNDEFINED),
            Change::Settings => self.bus.emit("settingsUpdate", &JsValue::UNDEFINED),
            Change::Mutes => self.bus.emit("mutesUpdate", &JsValue::UNDEFINED),
            Change::Reports => self.bus.emit("reportsUpdate", &JsValue::UNDEFINED),
            Change::Polls { new } => self.bus.emit("pollsUpdate", &super::polls::polls_update(client, new.is_some())),
            Change::RateLimited { bucket, until } => {
                let wait = (until - client.now()).max(0) as f64;
                self.emit("rateLimited", &[("bucket", bucket.as_str().into()), ("retryAfterMs", wait.into())]);
            }
            Change::RateLimitReset(bucket) => self.emit("rateLimitReset", &[("bucket", bucket.as_str().into())]),
            Change::Typing => self.emit(
                "typingUpdate",
                &[
                    ("typists", super::typing::typists(client).into()),
                    ("count", super::typing::typing_count(client).into()),
                ],
            ),
            Change::Reads => self.emit("unreadUpdate", &[("counts", super::unread::unread_counts(client).into())]),
        }
    }
}
