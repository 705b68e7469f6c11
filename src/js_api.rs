//! The JS API: `MeetingChat.connect({ url, token })` resolves to a chat object
//! shaped like the seed's `meeting.chat`. A thin layer: each method becomes a
//! core intent, each core effect a promise settled or an event emitted.

mod errors;
mod event_bus;
mod message_list;
mod message_object;
pub(crate) mod options;
mod upload;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use chat_core::{Change, Draft, DraftContent, Effect, Input, Intent, OpId, OutboxEntry, Outcome};
use chat_protocol::{ClientId, Content, DeleteScope, MessageId, MessageKind, NewContent, ParticipantId, RateBucket};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File};

use self::errors::{invalid_argument, js_error, op_error, JsResult};
use self::event_bus::{EventBus, EVENTS};
use self::message_list::MessageList;
use self::options::{get, optional_string, string, SendOptions};
use crate::transport::browser::BrowserConnector;
use crate::transport::session::Session;

pub(crate) struct Settle {
    resolve: Function,
    reject: Function,
}

/// A file kept for an echo, so a failed upload can be retried.
pub(crate) struct HeldFile {
    blob: Blob,
    name: String,
    kind: MessageKind,
    options: Rc<SendOptions>,
    /// Aborts the upload, when this side started it (the panel).
    controller: Option<web_sys::AbortController>,
}

/// A file link as shown: server-relative links resolved against the server.
pub(crate) use message_object::absolute as message_link;

/// Something called after every change, with the id that removes it.
type Watcher = (u64, Rc<dyn Fn()>);

/// The client object shared by the JS API and the panel: the session, the
/// JS-side bookkeeping, and whoever watches for changes.
pub(crate) struct Handle {
    pub(crate) session: Session,
    pub(crate) http_base: String,
    storage_key: String,
    bus: EventBus,
    list: RefCell<MessageList>,
    ops: RefCell<HashMap<OpId, Settle>>,
    next_op: Cell<OpId>,
    files: RefCell<HashMap<ClientId, HeldFile>>,
    ready: RefCell<Option<Settle>>,
    watchers: RefCell<Vec<Watcher>>,
}

/// A connected meeting chat.
#[wasm_bindgen]
pub struct MeetingChat {
    handle: Rc<Handle>,
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

fn new_client_id() -> ClientId {
    let part = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    ClientId(format!("c{:08x}{:08x}{:08x}{:08x}", part(), part(), part(), part()))
}

/// `ws://host/ws` → `http://host`, the origin uploads and file links use.
fn http_base(ws_url: &str) -> String {
    let (scheme, rest) = ws_url.split_once("://").unwrap_or(("ws", ws_url));
    let host = rest.split('/').next().unwrap_or(rest);
    let scheme = if scheme == "wss" || scheme == "https" { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The meeting and participant a token names, read without verifying it:
/// they only key the outbox in this browser's storage.
fn token_subject(token: &str) -> Option<(String, String)> {
    let payload = token.split('.').nth(1)?;
    let mut base64 = payload.replace('-', "+").replace('_', "/");
    while base64.len() % 4 != 0 {
        base64.push('=');
    }
    let json = web_sys::window()?.atob(&base64).ok()?;
    let claims: serde_json::Value = serde_json::from_str(&json).ok()?;
    Some((claims["meeting"].as_str()?.to_owned(), claims["sub"].as_str()?.to_owned()))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Image => "image",
        MessageKind::Audio => "audio",
        MessageKind::File | MessageKind::Text => "file",
    }
}

fn parse_kind(name: &str) -> JsResult<MessageKind> {
    match name {
        "text" => Ok(MessageKind::Text),
        "image" => Ok(MessageKind::Image),
        "file" => Ok(MessageKind::File),
        "audio" => Ok(MessageKind::Audio),
        other => Err(invalid_argument(&format!("unknown message type {other:?}; use text, image, file or audio"))),
    }
}

fn blob_of(value: &JsValue) -> JsResult<(Blob, String)> {
    let blob: Blob = value.clone().dyn_into().map_err(|_| invalid_argument("expected a File or Blob"))?;
    let name = value.dyn_ref::<File>().map_or_else(|| "file".to_owned(), File::name);
    Ok((blob, name))
}

impl Handle {
    /// A handle over `session` that hears the session's effects. The session
    /// holds only a weak link back, so dropping the last handle frees both.
    fn new(session: Session, http_base: String, storage_key: String) -> Rc<Self> {
        let handle = Rc::new(Self {
            session: session.clone(),
            list: RefCell::new(MessageList::new(http_base.clone())),
            http_base,
            storage_key,
            bus: EventBus::default(),
            ops: RefCell::new(HashMap::new()),
            next_op: Cell::new(1),
            files: RefCell::new(HashMap::new()),
            ready: RefCell::new(None),
            watchers: RefCell::new(Vec::new()),
        });
        let weak: Weak<Handle> = Rc::downgrade(&handle);
        session.set_listener(Rc::new(move |_, effect| {
            if let Some(handle) = weak.upgrade() {
                handle.on_effect(effect);
            }
        }));
        handle
    }

    fn new_op(&self) -> (OpId, Promise) {
        let op = self.next_op.get();
        self.next_op.set(op + 1);
        let promise = Promise::new(&mut |resolve, reject| {
            self.ops.borrow_mut().insert(op, Settle { resolve, reject });
        });
        (op, promise)
    }

    pub(crate) fn settle(&self, op: OpId, result: Result<JsValue, JsValue>) {
        if let Some(settle) = self.ops.borrow_mut().remove(&op) {
            let _ = match result {
                Ok(value) => settle.resolve.call1(&JsValue::NULL, &value),
                Err(error) => settle.reject.call1(&JsValue::NULL, &error),
            };
        }
    }

    pub(crate) fn apply(&self, input: Input) {
        self.session.apply(input);
    }

    fn save_outbox(&self) {
        let outbox = self.session.state().outbox();
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&outbox)) {
            let _ = if outbox.is_empty() {
                storage.remove_item(&self.storage_key)
            } else {
                storage.set_item(&self.storage_key, &json)
            };
        }
    }

    fn restore_outbox(&self) {
        let Some(json) = storage().and_then(|s| s.get_item(&self.storage_key).ok().flatten()) else { return };
        if let Ok(entries) = serde_json::from_str::<Vec<OutboxEntry>>(&json) {
            self.apply(Input::Intent(Intent::RestoreOutbox(entries)));
        }
    }

    fn chat_update(&self, action: &str, message: &JsValue) {
        let event = Object::new();
        set(&event, "action", action);
        set(&event, "message", message.clone());
        set(&event, "messages", self.list.borrow().array().clone());
        self.bus.emit("chatUpdate", &event);
    }

    fn message_event(&self, name: &str, message: JsValue) {
        let event = Object::new();
        set(&event, "message", message);
        self.bus.emit(name, &event);
    }

    /// Calls `watcher` after every change, until [`Handle::unwatch`].
    pub(crate) fn watch(&self, watcher: Rc<dyn Fn()>) -> u64 {
        let id = self.next_op.get();
        self.next_op.set(id + 1);
        self.watchers.borrow_mut().push((id, watcher));
        id
    }

    /// Stops a watcher.
    pub(crate) fn unwatch(&self, id: u64) {
        self.watchers.borrow_mut().retain(|(w, _)| *w != id);
    }

    fn notify_watchers(&self) {
        let watchers: Vec<Rc<dyn Fn()>> = self.watchers.borrow().iter().map(|(_, w)| Rc::clone(w)).collect();
        for watcher in watchers {
            watcher();
        }
    }

    fn on_effect(&self, effect: Effect) {
        match effect {
            Effect::Changed(change) => {
                self.on_change(change);
                self.notify_watchers();
            }
            Effect::Resolve { op, outcome } => {
                let value = match outcome {
                    Outcome::Sent(id) => {
                        self.list.borrow().get(&id, &self.session.state()).unwrap_or_else(|| id.as_str().into())
                    }
                    Outcome::Done => JsValue::UNDEFINED,
                    Outcome::Page { added, has_more } => {
                        let page = Object::new();
                        set(&page, "added", added as u32);
                        set(&page, "hasMore", has_more);
                        page.into()
                    }
                };
                self.settle(op, Ok(value));
            }
            Effect::Reject { op, error } => self.settle(op, Err(op_error(&error))),
            Effect::SaveOutbox => self.save_outbox(),
            Effect::Send(_) => {}
        }
    }

    fn on_change(&self, change: Change) {
        let state = || self.session.state();
        match change {
            Change::MessageAdded(id) => {
                let object = self.list.borrow_mut().upsert(&id, &state());
                if let Some(object) = object {
                    self.chat_update("add", &object);
                }
            }
            Change::MessageUpdated(id) => {
                let object = self.list.borrow_mut().upsert(&id, &state());
                let deleted = state().timeline().get(&id).is_some_and(|m| m.content == Content::Deleted);
                if let Some(object) = object {
                    self.chat_update(if deleted { "delete" } else { "edit" }, &object);
                    if deleted {
                        let event = Object::new();
                        set(&event, "messageId", id.as_str());
                        set(&event, "forMe", false);
                        set(&event, "message", object);
                        self.bus.emit("deleteMessage", &event);
                    }
                }
            }
            Change::MessageRemoved(id) => {
                let object = self.list.borrow_mut().remove(&id).unwrap_or(JsValue::UNDEFINED);
                self.chat_update("remove", &object);
                let event = Object::new();
                set(&event, "messageId", id.as_str());
                set(&event, "forMe", true);
                set(&event, "message", object);
                self.bus.emit("deleteMessage", &event);
            }
            Change::EchoAdded(client_id) | Change::EchoUpdated(client_id) => {
                let echo = state().echo(&client_id).cloned();
                if let Some(echo) = echo {
                    let object = self.list.borrow_mut().upsert_echo(&echo, &state());
                    self.chat_update("pending", &object);
                }
            }
            Change::EchoConfirmed { client_id, id } => {
                self.files.borrow_mut().remove(&client_id);
                self.list.borrow_mut().remove_echo(&client_id);
                let object = self.list.borrow_mut().upsert(&id, &state());
                if let Some(object) = object {
                    self.chat_update("add", &object);
                }
            }
            Change::EchoDiscarded(client_id) => {
                self.files.borrow_mut().remove(&client_id);
                let object = self.list.borrow().get_echo(&client_id).unwrap_or(JsValue::UNDEFINED);
                self.list.borrow_mut().remove_echo(&client_id);
                self.chat_update("discard", &object);
            }
            Change::Pinned(id) | Change::Unpinned(id) => {
                let pinned = state().timeline().get(&id).is_some_and(|m| m.pinned);
                let object = self.list.borrow().get(&id, &state()).unwrap_or_else(|| id.as_str().into());
                self.message_event(if pinned { "pinMessage" } else { "unpinMessage" }, object);
            }
            Change::PageLoaded { added, .. } => {
                self.list.borrow_mut().add_missing(&state());
                if let Some(ready) = self.ready.borrow_mut().take() {
                    let _ = ready.resolve.call0(&JsValue::NULL);
                }
                if added > 0 {
                    self.chat_update("page", &JsValue::UNDEFINED);
                }
            }
            Change::TimelineReset => {
                self.list.borrow_mut().rebuild(&state());
                self.chat_update("reset", &JsValue::UNDEFINED);
            }
            Change::Connection => {
                let connection = state().connection();
                if connection == chat_core::ConnectionState::AuthFailed {
                    if let Some(ready) = self.ready.borrow_mut().take() {
                        let _ = ready
                            .reject
                            .call1(&JsValue::NULL, &js_error("auth_failed", "the server refused the token"));
                    }
                }
                let event = Object::new();
                set(&event, "state", connection.as_str());
                self.bus.emit("connectionStateChange", &event);
            }
            Change::Participants => self.bus.emit("participantsUpdate", &JsValue::UNDEFINED),
            Change::Settings => self.bus.emit("settingsUpdate", &JsValue::UNDEFINED),
            Change::RateLimited { bucket, until } => {
                let event = Object::new();
                set(&event, "bucket", bucket_name(bucket));
                set(&event, "retryAfterMs", (until - now_ms()).max(0) as f64);
                self.bus.emit("rateLimited", &event);
                self.schedule_tick(until);
            }
            Change::RateLimitReset(bucket) => {
                let event = Object::new();
                set(&event, "bucket", bucket_name(bucket));
                self.bus.emit("rateLimitReset", &event);
            }
        }
    }

    /// Lifts a rate limit locally at its time, in case the server's notice is lost.
    fn schedule_tick(&self, until: i64) {
        let session = self.session.clone();
        let wait = u32::try_from((until - now_ms()).max(0)).unwrap_or(u32::MAX);
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(wait.saturating_add(50)).await;
            session.apply(Input::Tick);
        });
    }

    fn send(self: &Rc<Self>, draft: Draft, file: Option<HeldFile>) -> Promise {
        self.send_tracked(draft, file).1
    }

    /// Sends and also returns the message's client id (to cancel its upload, say).
    pub(crate) fn send_tracked(self: &Rc<Self>, draft: Draft, file: Option<HeldFile>) -> (ClientId, Promise) {
        let (op, promise) = self.new_op();
        let client_id = new_client_id();
        if let Some(file) = file {
            self.files.borrow_mut().insert(client_id.clone(), file);
        }
        self.apply(Input::Intent(Intent::Send { op, client_id: client_id.clone(), draft }));
        self.upload_if_waiting(&client_id);
        (client_id, promise)
    }

    /// Starts the upload of an echo waiting for its file.
    pub(crate) fn upload_if_waiting(self: &Rc<Self>, client_id: &ClientId) {
        let waiting = self
            .session
            .state()
            .echo(client_id)
            .is_some_and(|e| matches!(e.status, chat_core::EchoStatus::Uploading { .. }));
        let files = self.files.borrow();
        let (Some(file), true) = (files.get(client_id), waiting) else { return };
        let request = upload::Upload {
            http_base: self.http_base.clone(),
            token: self.session.token().to_owned(),
            blob: file.blob.clone(),
            name: file.name.clone(),
            kind: kind_name(file.kind),
        };
        let on_progress = file.options.on_progress.clone();
        let signal = file.options.signal.clone();
        drop(files);
        let (progress_handle, done_handle) = (Rc::downgrade(self), Rc::downgrade(self));
        let (progress_id, done_id) = (client_id.clone(), client_id.clone());
        let started = upload::start(
            request,
            signal.as_ref(),
            move |loaded, total| {
                if let Some(handle) = progress_handle.upgrade() {
                    let (loaded, total) = (loaded as u64, total as u64);
                    handle.apply(Input::UploadProgress { client_id: progress_id.clone(), loaded, total });
                }
                if let Some(callback) = &on_progress {
                    let progress = Object::new();
                    set(&progress, "loaded", loaded);
                    set(&progress, "total", total);
                    let _ = callback.call1(&JsValue::NULL, &progress);
                }
            },
            move |result| {
                let Some(handle) = done_handle.upgrade() else { return };
                handle.apply(match result {
                    Ok(file) => Input::UploadDone { client_id: done_id, file },
                    Err(e) => Input::UploadFailed { client_id: done_id, reason: e.message, retryable: e.retryable },
                });
            },
        );
        if let Err(error) = started {
            let reason = error.as_string().unwrap_or_else(|| "the upload could not start".to_owned());
            self.apply(Input::UploadFailed { client_id: client_id.clone(), reason, retryable: true });
        }
    }

    fn file_draft(&self, value: &JsValue, kind: MessageKind, options: &JsValue) -> JsResult<(Draft, HeldFile)> {
        let (blob, name) = blob_of(value)?;
        Ok(Self::file_draft_with(blob, name, kind, SendOptions::read(options)?))
    }

    /// A file message's draft and the file kept for its upload.
    pub(crate) fn file_draft_with(
        blob: Blob,
        name: String,
        kind: MessageKind,
        options: SendOptions,
    ) -> (Draft, HeldFile) {
        let options = Rc::new(options);
        let draft = Draft {
            content: DraftContent::File {
                message_kind: kind,
                name: name.clone(),
                size: blob.size() as u64,
                file: None,
            },
            reply_to: options.reply_to.clone(),
            forwarded_from: None,
            targets: options.targets.clone(),
            metadata: options.metadata.clone(),
        };
        (draft, HeldFile { blob, name, kind, options, controller: None })
    }

    /// Sends a file from the panel, with an upload it can cancel.
    pub(crate) fn send_file(
        self: &Rc<Self>,
        blob: Blob,
        name: String,
        kind: MessageKind,
        reply_to: Option<MessageId>,
        targets: Vec<ParticipantId>,
    ) -> Option<Promise> {
        let controller = web_sys::AbortController::new().ok()?;
        let options = SendOptions { reply_to, targets, signal: Some(controller.signal()), ..SendOptions::default() };
        let (draft, mut held) = Self::file_draft_with(blob, name, kind, options);
        held.controller = Some(controller);
        Some(self.send_tracked(draft, Some(held)).1)
    }

    /// Cancels an upload the panel started.
    pub(crate) fn cancel_upload(&self, client_id: &ClientId) {
        if let Some(controller) = self.files.borrow().get(client_id).and_then(|f| f.controller.as_ref()) {
            controller.abort();
        }
    }

    /// Tries a failed message again, re-uploading its file if it never arrived.
    pub(crate) fn retry(self: &Rc<Self>, client_id: &ClientId) -> Promise {
        if let Some(file) = self.files.borrow_mut().get_mut(client_id) {
            if let Some(controller) = file.controller.as_mut() {
                // An aborted signal stays aborted: a retry needs a fresh one.
                if let Ok(fresh) = web_sys::AbortController::new() {
                    let mut options = SendOptions { signal: Some(fresh.signal()), ..SendOptions::default() };
                    options.targets = file.options.targets.clone();
                    options.reply_to = file.options.reply_to.clone();
                    file.options = Rc::new(options);
                    *controller = fresh;
                }
            }
        }
        let client_id = client_id.clone();
        let promise = self.op(|op| Intent::Retry { op, client_id: client_id.clone() });
        self.upload_if_waiting(&client_id);
        promise
    }

    /// Sends a copy of a loaded message, marked as forwarded.
    pub(crate) fn forward(self: &Rc<Self>, id: MessageId, targets: Vec<ParticipantId>) -> JsResult<Promise> {
        self.forward_with(id, SendOptions { targets, ..SendOptions::default() })
    }

    fn forward_with(self: &Rc<Self>, id: MessageId, options: SendOptions) -> JsResult<Promise> {
        let content = {
            let state = self.session.state();
            let message = state.timeline().get(&id).ok_or_else(|| js_error("not_found", "no such message loaded"))?;
            match &message.content {
                Content::Text { text } => DraftContent::Text { text: text.clone() },
                Content::Image { file } | Content::File { file } | Content::Audio { file } => DraftContent::File {
                    message_kind: message.content.kind().unwrap_or(MessageKind::File),
                    name: file.name.clone(),
                    size: file.size,
                    file: Some(file.clone()),
                },
                Content::Deleted => return Err(js_error("message_deleted", "a deleted message cannot be forwarded")),
            }
        };
        let draft = Draft {
            content,
            reply_to: options.reply_to,
            forwarded_from: Some(id),
            targets: options.targets,
            metadata: options.metadata,
        };
        Ok(self.send(draft, None))
    }

    fn text_draft(text: String, options: &JsValue) -> JsResult<Draft> {
        let options = SendOptions::read(options)?;
        Ok(Draft {
            content: DraftContent::Text { text },
            reply_to: options.reply_to,
            forwarded_from: None,
            targets: options.targets,
            metadata: options.metadata,
        })
    }

    pub(crate) fn op(&self, intent: impl FnOnce(OpId) -> Intent) -> Promise {
        let (op, promise) = self.new_op();
        self.apply(Input::Intent(intent(op)));
        promise
    }

    /// Uploads a file for an edit, then edits the message to point at it.
    pub(crate) fn edit_with_file(self: &Rc<Self>, id: String, value: &JsValue, kind: MessageKind) -> JsResult<Promise> {
        let (blob, name) = blob_of(value)?;
        let (op, promise) = self.new_op();
        let request = upload::Upload {
            http_base: self.http_base.clone(),
            token: self.session.token().to_owned(),
            blob,
            name,
            kind: kind_name(kind),
        };
        let handle = Rc::downgrade(self);
        let started = upload::start(
            request,
            None,
            |_, _| {},
            move |result| {
                let Some(handle) = handle.upgrade() else { return };
                match result {
                    Ok(file) => {
                        let file_id = file.id;
                        let content = match kind {
                            MessageKind::Image => NewContent::Image { file_id },
                            MessageKind::Audio => NewContent::Audio { file_id },
                            MessageKind::File | MessageKind::Text => NewContent::File { file_id },
                        };
                        handle.apply(Input::Intent(Intent::Edit { op, id: MessageId(id), content }));
                    }
                    Err(e) => handle.settle(op, Err(js_error(&e.code, &e.message))),
                }
            },
        );
        started?;
        Ok(promise)
    }

    fn messages_where(&self, keep: impl Fn(&chat_protocol::Message) -> bool) -> Array {
        let state = self.session.state();
        let list = self.list.borrow();
        state.timeline().iter().filter(|m| keep(m)).filter_map(|m| list.get(&m.id, &state)).collect()
    }
}

fn bucket_name(bucket: RateBucket) -> &'static str {
    match bucket {
        RateBucket::Text => "text",
        RateBucket::File => "file",
    }
}

impl MeetingChat {
    /// The shared client, for the panel.
    pub(crate) fn handle(&self) -> Rc<Handle> {
        Rc::clone(&self.handle)
    }
}

#[wasm_bindgen]
impl MeetingChat {
    /// Connects to a chat server.
    ///
    /// ```js
    /// const chat = await MeetingChat.connect({ url: "wss://chat.example.com/ws", token });
    /// chat.on("chatUpdate", ({ action, message }) => render(chat.messages));
    /// await chat.sendTextMessage("Hello!");
    /// ```
    ///
    /// Resolves once joined and the newest messages are loaded; rejects with
    /// `code: "auth_failed"` if the token is refused. `storageKey` overrides
    /// where unsent messages are kept across reloads.
    pub fn connect(options: JsValue) -> JsResult<Promise> {
        let url = string(&options, "url")?;
        let token = string(&options, "token")?;
        let storage_key = match optional_string(&options, "storageKey")? {
            Some(key) => key,
            None => {
                let (meeting, sub) = token_subject(&token).unwrap_or_default();
                format!("meeting-chat:outbox:{url}:{meeting}:{sub}")
            }
        };
        let session = Session::new(url.clone(), token, now_ms);
        let handle = Handle::new(session.clone(), http_base(&url), storage_key);
        let chat = MeetingChat { handle: Rc::clone(&handle) };
        let ready = Promise::new(&mut |resolve, reject| {
            *handle.ready.borrow_mut() = Some(Settle { resolve, reject });
        });
        handle.restore_outbox();
        wasm_bindgen_futures::spawn_local(async move { session.run(BrowserConnector).await });
        Ok(wasm_bindgen_futures::future_to_promise(async move {
            wasm_bindgen_futures::JsFuture::from(ready).await?;
            Ok(chat.into())
        }))
    }

    /// Every loaded message, oldest first, then unsent ones. The same array
    /// object is kept up to date; treat it as read-only.
    #[wasm_bindgen(getter)]
    pub fn messages(&self) -> Array {
        self.handle.list.borrow().array().clone()
    }

    /// Pinned messages, oldest first.
    #[wasm_bindgen(getter)]
    pub fn pinned(&self) -> Array {
        self.handle.messages_where(|m| m.pinned)
    }

    /// This participant's id.
    #[wasm_bindgen(getter, js_name = selfId)]
    pub fn self_id(&self) -> Option<String> {
        self.handle.session.state().me().map(|p| p.id.0.clone())
    }

    /// This participant: `{ id, displayName, role }`.
    #[wasm_bindgen(getter, js_name = self)]
    pub fn me(&self) -> JsValue {
        self.handle.session.state().me().map_or(JsValue::NULL, participant_to_js)
    }

    /// Participants connected now.
    #[wasm_bindgen(getter)]
    pub fn participants(&self) -> Array {
        self.handle.session.state().participants().iter().map(participant_to_js).collect()
    }

    /// `connecting`, `connected`, `reconnecting`, `authFailed` or `closed`.
    #[wasm_bindgen(getter, js_name = connectionState)]
    pub fn connection_state(&self) -> String {
        self.handle.session.state().connection().as_str().to_owned()
    }

    /// The meeting's id.
    #[wasm_bindgen(getter, js_name = meetingId)]
    pub fn meeting_id(&self) -> Option<String> {
        self.handle.session.state().meeting().map(|m| m.0.clone())
    }

    /// Whether this participant may pin and unpin.
    #[wasm_bindgen(getter, js_name = canPin)]
    pub fn can_pin(&self) -> bool {
        self.handle.session.state().can_pin()
    }

    /// Sends a text message. Resolves with the confirmed message.
    #[wasm_bindgen(js_name = sendTextMessage)]
    pub fn send_text_message(&self, text: String, options: JsValue) -> JsResult<Promise> {
        Ok(self.handle.send(Handle::text_draft(text, &options)?, None))
    }

    /// Uploads an image (PNG, JPEG, GIF or WebP) and sends it.
    /// `options.onProgress({ loaded, total })` reports the upload;
    /// `options.signal` (an `AbortSignal`) cancels it.
    #[wasm_bindgen(js_name = sendImageMessage)]
    pub fn send_image_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        let (draft, held) = self.handle.file_draft(&file, MessageKind::Image, &options)?;
        Ok(self.handle.send(draft, Some(held)))
    }

    /// Uploads any file and sends it.
    #[wasm_bindgen(js_name = sendFileMessage)]
    pub fn send_file_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        let (draft, held) = self.handle.file_draft(&file, MessageKind::File, &options)?;
        Ok(self.handle.send(draft, Some(held)))
    }

    /// Uploads a recording and sends it.
    #[wasm_bindgen(js_name = sendAudioMessage)]
    pub fn send_audio_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        let (draft, held) = self.handle.file_draft(&file, MessageKind::Audio, &options)?;
        Ok(self.handle.send(draft, Some(held)))
    }

    /// Sends `{ type: "text", message }` or `{ type: "image" | "file" | "audio", file }`,
    /// with the send options on the same object.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, message: JsValue) -> JsResult<Promise> {
        match parse_kind(&string(&message, "type")?)? {
            MessageKind::Text => self.send_text_message(string(&message, "message")?, message),
            kind => {
                let file = get(&message, "file").ok_or_else(|| invalid_argument("`file` is required"))?;
                let (draft, held) = self.handle.file_draft(&file, kind, &message)?;
                Ok(self.handle.send(draft, Some(held)))
            }
        }
    }

    /// Replaces the text of one's own text message.
    #[wasm_bindgen(js_name = editTextMessage)]
    pub fn edit_text_message(&self, id: String, text: String) -> Promise {
        self.handle.op(|op| Intent::Edit { op, id: MessageId(id), content: NewContent::Text { text } })
    }

    /// Replaces the image of one's own image message.
    #[wasm_bindgen(js_name = editImageMessage)]
    pub fn edit_image_message(&self, id: String, file: JsValue) -> JsResult<Promise> {
        self.handle.edit_with_file(id, &file, MessageKind::Image)
    }

    /// Replaces the file of one's own file message.
    #[wasm_bindgen(js_name = editFileMessage)]
    pub fn edit_file_message(&self, id: String, file: JsValue) -> JsResult<Promise> {
        self.handle.edit_with_file(id, &file, MessageKind::File)
    }

    /// Edits with `{ type: "text", message }` or `{ type, file }`.
    #[wasm_bindgen(js_name = editMessage)]
    pub fn edit_message(&self, id: String, message: JsValue) -> JsResult<Promise> {
        match parse_kind(&string(&message, "type")?)? {
            MessageKind::Text => Ok(self.edit_text_message(id, string(&message, "message")?)),
            kind => {
                let file = get(&message, "file").ok_or_else(|| invalid_argument("`file` is required"))?;
                self.handle.edit_with_file(id, &file, kind)
            }
        }
    }

    /// Deletes a message for everyone, or with `{ forMe: true }` only for oneself.
    #[wasm_bindgen(js_name = deleteMessage)]
    pub fn delete_message(&self, id: String, options: JsValue) -> Promise {
        let for_me = get(&options, "forMe").and_then(|v| v.as_bool()).unwrap_or(false);
        let scope = if for_me { DeleteScope::Me } else { DeleteScope::Everyone };
        self.handle.op(|op| Intent::Delete { op, id: MessageId(id), scope })
    }

    /// Pins a message (hosts, or everyone when the meeting allows).
    pub fn pin(&self, id: String) -> Promise {
        self.handle.op(|op| Intent::SetPinned { op, id: MessageId(id), pinned: true })
    }

    /// Unpins a message.
    pub fn unpin(&self, id: String) -> Promise {
        self.handle.op(|op| Intent::SetPinned { op, id: MessageId(id), pinned: false })
    }

    /// Hosts: lets everyone pin, or only hosts.
    #[wasm_bindgen(js_name = updateSettings)]
    pub fn update_settings(&self, settings: JsValue) -> JsResult<Promise> {
        let anyone_can_pin = get(&settings, "anyoneCanPin")
            .and_then(|v| v.as_bool())
            .ok_or_else(|| invalid_argument("`anyoneCanPin` must be a boolean"))?;
        Ok(self.handle.op(|op| Intent::UpdateSettings { op, anyone_can_pin }))
    }

    /// Sends a copy of a message, marked as forwarded, with the send options.
    #[wasm_bindgen(js_name = forwardMessage)]
    pub fn forward_message(&self, id: String, options: JsValue) -> JsResult<Promise> {
        self.handle.forward_with(MessageId(id), SendOptions::read(&options)?)
    }

    /// Tries a failed message again (re-uploading its file if needed).
    #[wasm_bindgen(js_name = retryMessage)]
    pub fn retry_message(&self, client_id: String) -> Promise {
        self.handle.retry(&ClientId(client_id))
    }

    /// Drops a failed or unsent message.
    #[wasm_bindgen(js_name = discardMessage)]
    pub fn discard_message(&self, client_id: String) {
        self.handle.apply(Input::Intent(Intent::Discard { client_id: ClientId(client_id) }));
    }

    /// Loaded messages sent by `userId`.
    #[wasm_bindgen(js_name = getMessagesByUser)]
    pub fn get_messages_by_user(&self, user_id: String) -> Array {
        let user = ParticipantId(user_id);
        self.handle.messages_where(|m| m.sender.id == user)
    }

    /// Loaded messages of one type: `text`, `image`, `file` or `audio`.
    #[wasm_bindgen(js_name = getMessagesByType)]
    pub fn get_messages_by_type(&self, kind: String) -> JsResult<Array> {
        let kind = parse_kind(&kind)?;
        Ok(self.handle.messages_where(|m| m.content.kind() == Some(kind)))
    }

    /// A page of messages older than `before` (a message id; the newest when
    /// absent), fetched from the server when not loaded yet. Resolves to
    /// `{ data, hasNext, nextPage() }`.
    #[wasm_bindgen(js_name = getMessages)]
    pub fn get_messages(&self, options: JsValue) -> JsResult<Promise> {
        let page_size = get(&options, "pageSize").and_then(|v| v.as_f64()).unwrap_or(50.0);
        if !(1.0..=100.0).contains(&page_size) || page_size.fract() != 0.0 {
            return Err(invalid_argument("`pageSize` must be a whole number from 1 to 100"));
        }
        let before = optional_string(&options, "before")?.map(MessageId);
        Ok(page(Rc::clone(&self.handle), page_size as usize, before))
    }

    /// The loaded chat as CSV: `id, participantId, sessionId, meetingId,
    /// displayName, pinned, isEdited, payloadType, payload, createdAt`.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> JsResult<String> {
        crate::csv_export::export_csv(&self.handle.session.state()).map_err(|e| js_error("internal", &e.to_string()))
    }

    /// Listens to an event: `chatUpdate`, `pinMessage`, `unpinMessage`,
    /// `deleteMessage`, `rateLimited`, `rateLimitReset`,
    /// `connectionStateChange`, `participantsUpdate`, `settingsUpdate`.
    pub fn on(&self, event: String, callback: Function) -> JsResult<()> {
        check_event(&event)?;
        self.handle.bus.add(&event, callback, false);
        Ok(())
    }

    /// Listens to one occurrence of an event.
    pub fn once(&self, event: String, callback: Function) -> JsResult<()> {
        check_event(&event)?;
        self.handle.bus.add(&event, callback, true);
        Ok(())
    }

    /// Stops listening.
    pub fn off(&self, event: String, callback: Function) {
        self.handle.bus.remove(&event, &callback);
    }

    /// Drops the connection and reconnects at once (e.g. after a network change).
    pub fn reconnect(&self) {
        self.handle.session.reconnect();
    }

    /// Disconnects for good and removes every listener.
    pub fn disconnect(&self) {
        self.handle.session.close();
        self.handle.bus.clear();
    }
}

fn check_event(event: &str) -> JsResult<()> {
    if EVENTS.contains(&event) {
        Ok(())
    } else {
        Err(invalid_argument(&format!("unknown event {event:?}; events are {}", EVENTS.join(", "))))
    }
}

fn participant_to_js(participant: &chat_protocol::Participant) -> JsValue {
    let object = Object::new();
    set(&object, "id", participant.id.as_str());
    set(&object, "displayName", participant.display_name.as_str());
    set(&object, "role", if participant.role == chat_protocol::Role::Host { "host" } else { "participant" });
    object.into()
}

/// Builds a page from loaded messages, loading older ones from the server
/// until the page is full or there are none.
fn page(handle: Rc<Handle>, size: usize, before: Option<MessageId>) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        loop {
            let (data, enough) = {
                let state = handle.session.state();
                let list = handle.list.borrow();
                let limit_seq = before.as_ref().and_then(|id| state.timeline().get(id)).map(|m| m.seq);
                let older: Vec<&chat_protocol::Message> =
                    state.timeline().iter().filter(|m| limit_seq.is_none_or(|s| m.seq < s)).collect();
                let start = older.len().saturating_sub(size);
                let data: Array = older[start..].iter().filter_map(|m| list.get(&m.id, &state)).collect();
                (data, older.len() >= size || !state.has_more())
            };
            if enough {
                let has_next = data.length() as usize == size
                    && (handle.session.state().has_more() || first_seq(&data) > oldest_loaded(&handle));
                return Ok(page_object(handle, size, data, has_next));
            }
            let loaded = handle.op(|op| Intent::LoadOlder { op, limit: 100 });
            let result = wasm_bindgen_futures::JsFuture::from(loaded).await?;
            let added = Reflect::get(&result, &"added".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            if added == 0.0 && !handle.session.state().has_more() {
                continue;
            }
        }
    })
}

fn first_seq(data: &Array) -> f64 {
    Reflect::get(&data.get(0), &"seq".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
}

fn oldest_loaded(handle: &Handle) -> f64 {
    handle.session.state().timeline().oldest_seq().map_or(0.0, |s| s as f64)
}

fn page_object(handle: Rc<Handle>, size: usize, data: Array, has_next: bool) -> JsValue {
    let object = Object::new();
    let before = Reflect::get(&data.get(0), &"id".into()).ok().and_then(|v| v.as_string()).map(MessageId);
    set(&object, "data", data);
    set(&object, "hasNext", has_next);
    let next = Closure::once_into_js(move || -> JsValue {
        if has_next {
            page(handle, size, before).into()
        } else {
            Promise::resolve(&JsValue::NULL).into()
        }
    });
    set(&object, "nextPage", next);
    object.into()
}

/// Builders for benchmarks and component tests: a chat handle that never
/// connects, fed frames directly, exactly as the socket would.
#[cfg(test)]
pub(crate) mod test_support {
    use chat_protocol::{
        Event, EventEnvelope, Limits, MeetingSettings, Message, Participant, Role, Sender, ServerFrame,
    };

    use super::*;

    /// When message number 1 was sent; message `seq` follows `seq` seconds later.
    pub(crate) const FIRST_MESSAGE_AT: i64 = 1_795_420_000_000;

    /// A welcomed handle with `loaded` messages.
    pub(crate) fn handle_with(loaded: u64) -> Rc<Handle> {
        let session = Session::new("ws://127.0.0.1:1/ws", "t", now_ms);
        let handle = Handle::new(session.clone(), "http://127.0.0.1:1".into(), "bench".into());
        handle.bus.add("chatUpdate", Function::new_with_args("e", "e.messages.length"), false);
        let me = Participant { id: "me".into(), display_name: "Me".into(), role: Role::Participant };
        let bob = Participant { id: "bob".into(), display_name: "Bob".into(), role: Role::Participant };
        session.apply(Input::Frame(ServerFrame::Welcome {
            v: 1,
            me: me.clone(),
            meeting_id: "bench".into(),
            head_seq: 0,
            settings: MeetingSettings::default(),
            participants: vec![me, bob],
            limits: Limits::default(),
        }));
        for seq in 1..=loaded {
            deliver(&session, seq);
        }
        handle
    }

    /// Message number `seq`: "message number {seq}" from one of seven users.
    pub(crate) fn numbered(seq: u64) -> Message {
        Message {
            id: format!("m{seq}").into(),
            client_id: format!("c{seq}").into(),
            seq,
            sender: Sender { id: format!("user{}", seq % 7).into(), display_name: format!("User {}", seq % 7) },
            time: FIRST_MESSAGE_AT + seq as i64 * 1_000,
            content: Content::Text { text: format!("message number {seq}") },
            reply_to: None,
            forwarded_from: None,
            targets: Vec::new(),
            metadata: Default::default(),
            edited: false,
            edited_at: None,
            pinned: false,
        }
    }

    /// Delivers message number `seq` as the server would.
    pub(crate) fn deliver(session: &Session, seq: u64) {
        deliver_message(session, numbered(seq));
    }

    /// Delivers `message` as the server would.
    pub(crate) fn deliver_message(session: &Session, message: Message) {
        let seq = message.seq;
        session.apply(Input::Frame(ServerFrame::Event(EventEnvelope {
            seq,
            time: 0,
            event: Event::MessageCreated { message },
        })));
    }
}

/// The cost of one incoming message with 10 and with 10,000 loaded, through
/// the same path a socket frame takes (core, JS array, `chatUpdate`). A
/// benchmark, not a test: `bash .ci/bench` runs it and prints the figures.
#[cfg(test)]
mod bench {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::test_support::{deliver, handle_with};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Microseconds per incoming message, over `count` messages.
    fn per_message_us(loaded: u64, count: u64) -> f64 {
        let handle = handle_with(loaded);
        let performance = web_sys::window().and_then(|w| w.performance()).expect("performance");
        let start = performance.now();
        for seq in loaded + 1..=loaded + count {
            deliver(&handle.session, seq);
        }
        let elapsed = performance.now() - start;
        assert_eq!(handle.list.borrow().array().length() as u64, loaded + count);
        elapsed * 1000.0 / count as f64
    }

    #[wasm_bindgen_test]
    #[ignore = "a benchmark; run with .ci/bench"]
    fn incoming_message_cost_at_10_and_10_000_loaded() {
        let count = 2_000;
        // Alternate the two sizes so machine noise hits both alike.
        let mut small = Vec::new();
        let mut large = Vec::new();
        for _ in 0..3 {
            small.push(per_message_us(10, count));
            large.push(per_message_us(10_000, count));
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (small, large) = (median(&mut small), median(&mut large));
        // The baseline avoided: rebuilding the whole array for one event.
        let handle = handle_with(10_000);
        let performance = web_sys::window().and_then(|w| w.performance()).expect("performance");
        let start = performance.now();
        handle.list.borrow_mut().rebuild(&handle.session.state());
        let rebuild = (performance.now() - start) * 1000.0;
        web_sys::console::log_1(
            &format!(
                "BENCH incoming message: {small:.1} us with 10 loaded, {large:.1} us with 10,000 loaded \
                 (ratio {:.2}); rebuilding the array once at 10,000 costs {rebuild:.0} us ({:.0}x one message)",
                large / small,
                rebuild / large
            )
            .into(),
        );
    }
}
