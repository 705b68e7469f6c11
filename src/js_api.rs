//! The JS API: `MeetingChat.connect({ url, token })` resolves to a chat object
//! shaped like the seed's `meeting.chat`. A thin wrapper over
//! [`ChatClient`]: each method reads its arguments, calls the client, and
//! turns the future into a promise and its error into a JS `Error`.

mod conversation_message;
mod conversations;
mod errors;
mod event_bus;
pub(crate) mod face;
mod large_meetings;
mod message_list;
mod message_object;
mod moderation;
pub(crate) mod options;
mod paging;
mod polls;
mod reactions;
mod search;
mod typing;
mod unread;

use std::rc::Rc;

use chat_core::OpError;
use chat_protocol::{ClientId, DeleteScope, MessageId, MessageKind, ParticipantId};
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use self::errors::{invalid_argument, op_error, JsResult};
use self::event_bus::EVENTS;
use self::face::JsFace;
use self::options::{
    attached_file, attachments_of, file_source, get, kept_attachments, optional_string, parse_kind, progress_callback,
    string, token_subject, JsSendOptions,
};
use crate::client::browser::platform;
use crate::client::ChatClient;
use crate::transport::browser::BrowserConnector;

/// A connected meeting chat.
#[wasm_bindgen]
pub struct MeetingChat {
    face: Rc<JsFace>,
}

pub(crate) fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

/// A client future as a promise: its value turned by `to_js`, its error a JS `Error`.
pub(crate) fn promise<T: 'static>(
    future: LocalBoxFuture<'static, Result<T, OpError>>,
    to_js: impl FnOnce(T) -> JsValue + 'static,
) -> Promise {
    settle(future.map(move |outcome| outcome.map(to_js).map_err(|e| op_error(&e))).boxed_local())
}

/// The one promise every API call's future becomes: made for one future type,
/// the promise machinery (its task, its unwinding guard) is in the wasm once
/// rather than once per call (about 0.6 KB each).
fn settle(future: LocalBoxFuture<'static, Result<JsValue, JsValue>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(future)
}

pub(crate) fn participant_to_js(participant: &chat_protocol::Participant) -> JsValue {
    let object = Object::new();
    set(&object, "id", participant.id.as_str());
    set(&object, "displayName", participant.display_name.as_str());
    set(&object, "role", participant.role.as_str());
    object.into()
}

impl MeetingChat {
    /// The client, for the panel.
    pub(crate) fn client(&self) -> ChatClient {
        self.face.client.clone()
    }

    fn client_ref(&self) -> &ChatClient {
        &self.face.client
    }

    /// Resolves a send with the confirmed message's object.
    fn sent(&self, future: LocalBoxFuture<'static, Result<MessageId, OpError>>) -> Promise {
        self.face.sent(future)
    }

    fn send_file(&self, file: &JsValue, kind: MessageKind, options: &JsValue) -> JsResult<Promise> {
        let file = file_source(file)?;
        let options = JsSendOptions::read(options)?;
        let on_progress = progress_callback(options.on_progress);
        let (client_id, outcome) = self.client_ref().send_file(file, kind, options.send, on_progress);
        if let Some(signal) = options.signal {
            self.cancel_on_abort(&signal, client_id);
        }
        Ok(self.sent(outcome))
    }

    fn cancel_on_abort(&self, signal: &web_sys::AbortSignal, client_id: ClientId) {
        let client = self.client();
        if signal.aborted() {
            client.cancel_upload(&client_id);
            return;
        }
        let on_abort = Closure::once_into_js(move || client.cancel_upload(&client_id));
        let _ = signal.add_event_listener_with_callback("abort", on_abort.unchecked_ref());
    }

    fn objects(&self, rows: impl Iterator<Item = usize>) -> Array {
        rows.map(|index| self.face.list.get(index)).collect()
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
        let client = ChatClient::new(&url, &token, storage_key, platform());
        let face = JsFace::new(client.clone());
        let ready = client.ready();
        client.start(BrowserConnector);
        Ok(promise(ready, move |()| MeetingChat { face }.into()))
    }

    /// Every loaded message, oldest first, then unsent ones. The same array
    /// object is kept up to date; treat it as read-only.
    #[wasm_bindgen(getter)]
    pub fn messages(&self) -> Array {
        self.face.list.array().clone()
    }

    /// Pinned messages, oldest first.
    #[wasm_bindgen(getter)]
    pub fn pinned(&self) -> Array {
        let rows: Vec<usize> = self.client_ref().state().pinned_rows().map(|(index, _)| index).collect();
        self.objects(rows.into_iter())
    }

    /// This participant's id.
    #[wasm_bindgen(getter, js_name = selfId)]
    pub fn self_id(&self) -> Option<String> {
        self.client_ref().state().me().map(|p| p.id.0.clone())
    }

    /// This participant: `{ id, displayName, role }`.
    #[wasm_bindgen(getter, js_name = self)]
    pub fn me(&self) -> JsValue {
        self.client_ref().state().me().map_or(JsValue::NULL, participant_to_js)
    }

    /// Participants connected now.
    #[wasm_bindgen(getter)]
    pub fn participants(&self) -> Array {
        self.client_ref().state().participants().iter().map(participant_to_js).collect()
    }

    /// `connecting`, `connected`, `reconnecting`, `authFailed` or `closed`.
    #[wasm_bindgen(getter, js_name = connectionState)]
    pub fn connection_state(&self) -> String {
        self.client_ref().state().connection().as_str().to_owned()
    }

    /// The meeting's id.
    #[wasm_bindgen(getter, js_name = meetingId)]
    pub fn meeting_id(&self) -> Option<String> {
        self.client_ref().state().meeting().map(|m| m.0.clone())
    }

    /// Whether this participant may pin and unpin.
    #[wasm_bindgen(getter, js_name = canPin)]
    pub fn can_pin(&self) -> bool {
        self.client_ref().state().can_pin()
    }

    /// Sends a text message. Resolves with the confirmed message.
    #[wasm_bindgen(js_name = sendTextMessage)]
    pub fn send_text_message(&self, text: String, options: JsValue) -> JsResult<Promise> {
        let options = JsSendOptions::read(&options)?;
        Ok(self.sent(self.client_ref().send_text(text, options.send)))
    }

    /// Uploads an image (PNG, JPEG, GIF or WebP) and sends it.
    /// `options.onProgress({ loaded, total })` reports the upload;
    /// `options.signal` (an `AbortSignal`) cancels it.
    #[wasm_bindgen(js_name = sendImageMessage)]
    pub fn send_image_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        self.send_file(&file, MessageKind::Image, &options)
    }

    /// Uploads any file and sends it.
    #[wasm_bindgen(js_name = sendFileMessage)]
    pub fn send_file_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        self.send_file(&file, MessageKind::File, &options)
    }

    /// Uploads a recording and sends it.
    #[wasm_bindgen(js_name = sendAudioMessage)]
    pub fn send_audio_message(&self, file: JsValue, options: JsValue) -> JsResult<Promise> {
        self.send_file(&file, MessageKind::Audio, &options)
    }

    /// Sends `{ type: "text", message }`, `{ type: "image", image }` or
    /// `{ type: "file" | "audio", file }` (a `file` is taken for any type),
    /// with the send options on the same object (RealtimeKit's shapes); or
    /// `{ addressId?, text, metadata?, details? }` (SignalWire's), a text in
    /// the conversation `addressId` names.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, message: JsValue) -> JsResult<Promise> {
        if get(&message, "type").is_none() && get(&message, "text").is_some() {
            let mut send = JsSendOptions::read(&message)?.send;
            send.targets = self.address(&message)?.into_iter().collect();
            return Ok(self.sent(self.client_ref().send_text(string(&message, "text")?, send)));
        }
        match parse_kind(&string(&message, "type")?)? {
            MessageKind::Text => {
                let files = attachments_of(&message)?;
                if files.is_empty() {
                    return self.send_text_message(string(&message, "message")?, message);
                }
                let text = optional_string(&message, "message")?.unwrap_or_default();
                let options = JsSendOptions::read(&message)?;
                let on_progress = progress_callback(options.on_progress);
                let (client_id, outcome) =
                    self.client_ref().send_with_attachments(text, files, options.send, on_progress);
                if let Some(signal) = options.signal {
                    self.cancel_on_abort(&signal, client_id);
                }
                Ok(self.sent(outcome))
            }
            kind => self.send_file(&attached_file(&message, kind)?, kind, &message),
        }
    }

    /// Replaces the text of one's own text message.
    #[wasm_bindgen(js_name = editTextMessage)]
    pub fn edit_text_message(&self, id: String, text: String) -> Promise {
        promise(self.client_ref().edit_text(MessageId(id), text), |()| JsValue::UNDEFINED)
    }

    /// Replaces the image of one's own image message.
    #[wasm_bindgen(js_name = editImageMessage)]
    pub fn edit_image_message(&self, id: String, file: JsValue) -> JsResult<Promise> {
        self.edit_message_file(id, &file, MessageKind::Image)
    }

    /// Replaces the file of one's own file message.
    #[wasm_bindgen(js_name = editFileMessage)]
    pub fn edit_file_message(&self, id: String, file: JsValue) -> JsResult<Promise> {
        self.edit_message_file(id, &file, MessageKind::File)
    }

    fn edit_message_file(&self, id: String, file: &JsValue, kind: MessageKind) -> JsResult<Promise> {
        let file = file_source(file)?;
        Ok(promise(self.client_ref().edit_file(MessageId(id), file, kind), |()| JsValue::UNDEFINED))
    }

    /// Edits with `{ type: "text", message, attachments? }` (the attachments
    /// to keep, by `fileId` or as the message's attachment objects),
    /// `{ type: "image", image }` or `{ type, file }`.
    #[wasm_bindgen(js_name = editMessage)]
    pub fn edit_message(&self, id: String, message: JsValue) -> JsResult<Promise> {
        match parse_kind(&string(&message, "type")?)? {
            MessageKind::Text => match kept_attachments(&message)? {
                Some(keep) => {
                    let text = optional_string(&message, "message")?.unwrap_or_default();
                    let edit = self.client_ref().edit_text_keeping(MessageId(id), text, keep);
                    Ok(promise(edit, |()| JsValue::UNDEFINED))
                }
                None => Ok(self.edit_text_message(id, string(&message, "message")?)),
            },
            kind => self.edit_message_file(id, &attached_file(&message, kind)?, kind),
        }
    }

    /// Deletes a message for everyone, or with `{ forMe: true }` only for oneself.
    #[wasm_bindgen(js_name = deleteMessage)]
    pub fn delete_message(&self, id: String, options: JsValue) -> Promise {
        let for_me = get(&options, "forMe").and_then(|v| v.as_bool()).unwrap_or(false);
        let scope = if for_me { DeleteScope::Me } else { DeleteScope::Everyone };
        promise(self.client_ref().delete(MessageId(id), scope), |()| JsValue::UNDEFINED)
    }

    /// Pins a message (hosts, or everyone when the meeting allows).
    pub fn pin(&self, id: String) -> Promise {
        promise(self.client_ref().set_pinned(MessageId(id), true), |()| JsValue::UNDEFINED)
    }

    /// Unpins a message.
    pub fn unpin(&self, id: String) -> Promise {
        promise(self.client_ref().set_pinned(MessageId(id), false), |()| JsValue::UNDEFINED)
    }

    /// Sends a copy of a message, marked as forwarded, with the send options.
    #[wasm_bindgen(js_name = forwardMessage)]
    pub fn forward_message(&self, id: String, options: JsValue) -> JsResult<Promise> {
        let options = JsSendOptions::read(&options)?;
        Ok(self.sent(self.client_ref().forward(MessageId(id), options.send)))
    }

    /// Tries a failed message again (re-uploading its file if needed).
    #[wasm_bindgen(js_name = retryMessage)]
    pub fn retry_message(&self, client_id: String) -> Promise {
        self.sent(self.client_ref().retry(&ClientId(client_id)))
    }

    /// Drops a failed or unsent message.
    #[wasm_bindgen(js_name = discardMessage)]
    pub fn discard_message(&self, client_id: String) {
        self.client_ref().discard(&ClientId(client_id));
    }

    /// Loaded messages sent by `userId`.
    #[wasm_bindgen(js_name = getMessagesByUser)]
    pub fn get_messages_by_user(&self, user_id: String) -> Array {
        let user = ParticipantId(user_id);
        let rows: Vec<usize> = self.client_ref().state().messages_by_user(&user).map(|(index, _)| index).collect();
        self.objects(rows.into_iter())
    }

    /// Loaded messages of one type: `text`, `image`, `file` or `audio`.
    #[wasm_bindgen(js_name = getMessagesByType)]
    pub fn get_messages_by_type(&self, kind: String) -> JsResult<Array> {
        let kind = parse_kind(&kind)?;
        let rows: Vec<usize> = self.client_ref().state().messages_by_kind(kind).map(|(index, _)| index).collect();
        Ok(self.objects(rows.into_iter()))
    }

    /// The loaded chat as CSV: `id, participantId, sessionId, meetingId,
    /// displayName, pinned, isEdited, payloadType, payload, createdAt`.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> String {
        let client = self.client_ref();
        crate::csv_export::export_csv(&client.state(), &|url| client.link(url))
    }

    /// Listens to an event: `chatUpdate`, `message` (each new message from
    /// someone else, to answer with `message.respond(text)`), `pinMessage`, `unpinMessage`,
    /// `deleteMessage`, `rateLimited`, `rateLimitReset`,
    /// `connectionStateChange`, `participantsUpdate`, `settingsUpdate`, `typingUpdate`,
    /// `reactionUpdate`.
    pub fn on(&self, event: String, callback: Function) -> JsResult<()> {
        check_event(&event)?;
        self.face.bus.add(&event, callback, false);
        Ok(())
    }

    /// Listens to one occurrence of an event.
    pub fn once(&self, event: String, callback: Function) -> JsResult<()> {
        check_event(&event)?;
        self.face.bus.add(&event, callback, true);
        Ok(())
    }

    /// Stops listening.
    pub fn off(&self, event: String, callback: Function) {
        self.face.bus.remove(&event, &callback);
    }

    /// Drops the connection and reconnects at once (e.g. after a network change).
    pub fn reconnect(&self) {
        self.client_ref().reconnect();
    }

    /// Disconnects for good and removes every listener.
    pub fn disconnect(&self) {
        self.client_ref().close();
        self.face.bus.clear();
    }
}

fn check_event(event: &str) -> JsResult<()> {
    if EVENTS.contains(&event) {
        Ok(())
    } else {
        Err(invalid_argument(&format!("unknown event {event:?}; events are {}", EVENTS.join(", "))))
    }
}
