//! Reading what JS passes in: option objects (`{ url, token }`, send
//! options, `{ type, ... }` messages), files, type names, and the token's subject.

use std::rc::Rc;

use chat_protocol::{MessageId, MessageKind, ParticipantId};
use js_sys::{Array, Function, Object, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, File};

use super::errors::{invalid_argument, JsResult};
use crate::client::{FileSource, SendOptions};

/// Reads a property, treating `null` as absent.
pub fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Reads a required string property.
pub fn string(object: &JsValue, key: &str) -> JsResult<String> {
    get(object, key).and_then(|v| v.as_string()).ok_or_else(|| invalid_argument(&format!("`{key}` must be a string")))
}

/// Reads an optional string property.
pub fn optional_string(object: &JsValue, key: &str) -> JsResult<Option<String>> {
    match get(object, key) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| invalid_argument(&format!("`{key}` must be a string"))),
    }
}

/// Reads an optional boolean property.
pub fn optional_bool(options: &JsValue, key: &str) -> JsResult<Option<bool>> {
    get(options, key)
        .map(|v| v.as_bool().ok_or_else(|| invalid_argument(&format!("`{key}` must be a boolean"))))
        .transpose()
}

/// Reads an optional whole number from 0 to `max`.
pub fn optional_whole(options: &JsValue, key: &str, max: u32) -> JsResult<Option<u32>> {
    let Some(value) = get(options, key) else { return Ok(None) };
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(max)).contains(&n) => Ok(Some(n as u32)),
        _ => Err(invalid_argument(&format!("`{key}` must be a whole number from 0 to {max}"))),
    }
}

/// A JSON object argument (`metadata`, `details`) as serde_json reads it.
fn plain_object(value: &JsValue, key: &str) -> JsResult<Map<String, Value>> {
    let json: String = js_sys::JSON::stringify(value)
        .map_err(|_| invalid_argument(&format!("`{key}` must be JSON-serializable")))?
        .into();
    match serde_json::from_str(&json) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid_argument(&format!("`{key}` must be a plain object"))),
    }
}

/// The participant ids an option lists (none when it is absent).
fn participant_ids(options: &JsValue, key: &str) -> JsResult<Vec<ParticipantId>> {
    let Some(list) = get(options, key) else { return Ok(Vec::new()) };
    if !Array::is_array(&list) {
        return Err(invalid_argument(&format!("`{key}` must be an array of strings")));
    }
    Array::from(&list)
        .iter()
        .map(|id| {
            id.as_string().map(ParticipantId).ok_or_else(|| invalid_argument(&format!("`{key}` must hold strings")))
        })
        .collect()
}

/// Options of a send: `{ replyTo, targetUserIds, mentions, metadata, details, onProgress, signal }`.
#[derive(Default)]
pub struct JsSendOptions {
    /// Where the message goes and what it carries besides its content.
    pub send: SendOptions,
    /// Upload progress callback.
    pub on_progress: Option<Function>,
    /// Cancels an upload.
    pub signal: Option<web_sys::AbortSignal>,
}

impl JsSendOptions {
    /// Reads send options; `undefined` gives the defaults.
    pub fn read(options: &JsValue) -> JsResult<Self> {
        let mut read = Self::default();
        read.send.reply_to = optional_string(options, "replyTo")?.map(MessageId);
        read.send.targets = participant_ids(options, "targetUserIds")?;
        read.send.mentions = participant_ids(options, "mentions")?;
        if let Some(metadata) = get(options, "metadata") {
            read.send.metadata = plain_object(&metadata, "metadata")?;
        }
        if let Some(details) = get(options, "details") {
            read.send.details = plain_object(&details, "details")?;
        }
        if let Some(callback) = get(options, "onProgress") {
            read.on_progress =
                Some(callback.dyn_into().map_err(|_| invalid_argument("`onProgress` must be a function"))?);
        }
        if let Some(signal) = get(options, "signal") {
            read.signal = Some(signal.dyn_into().map_err(|_| invalid_argument("`signal` must be an AbortSignal"))?);
        }
        Ok(read)
    }
}

/// The meeting and participant a token names, read without verifying it:
/// they only key the outbox in this browser's storage.
pub fn token_subject(token: &str) -> Option<(String, String)> {
    let payload = token.split('.').nth(1)?;
    let mut base64 = payload.replace('-', "+").replace('_', "/");
    while base64.len() % 4 != 0 {
        base64.push('=');
    }
    let json = web_sys::window()?.atob(&base64).ok()?;
    let claims: serde_json::Value = serde_json::from_str(&json).ok()?;
    Some((claims["meeting"].as_str()?.to_owned(), claims["sub"].as_str()?.to_owned()))
}

/// A message type name, refused with a clear error when unknown.
pub fn parse_kind(name: &str) -> JsResult<MessageKind> {
    name.parse().map_err(|e: chat_protocol::UnknownKind| invalid_argument(&e.to_string()))
}

/// The `attachments` of a message (`File`s or `Blob`s), each with the kind
/// its type suggests.
pub fn attachments_of(message: &JsValue) -> JsResult<Vec<(FileSource, MessageKind)>> {
    let Some(list) = get(message, "attachments") else { return Ok(Vec::new()) };
    if !Array::is_array(&list) {
        return Err(invalid_argument("`attachments` must be an array of files"));
    }
    Array::from(&list)
        .iter()
        .map(|item| {
            let kind =
                item.dyn_ref::<Blob>().map_or(MessageKind::File, |blob| MessageKind::of_content_type(&blob.type_()));
            Ok((file_source(&item)?, kind))
        })
        .collect()
}

/// A `File` or `Blob` argument as the client takes files.
pub fn file_source(value: &JsValue) -> JsResult<FileSource> {
    let blob: Blob = value.clone().dyn_into().map_err(|_| invalid_argument("expected a File or Blob"))?;
    let name = value.dyn_ref::<File>().map_or_else(|| "file".to_owned(), File::name);
    Ok(FileSource { size: blob.size() as u64, body: Rc::new(blob), name })
}

/// The attachments an edit keeps: `fileId`s, or attachment objects carrying one.
pub fn kept_attachments(message: &JsValue) -> JsResult<Option<Vec<chat_protocol::FileId>>> {
    let Some(list) = get(message, "attachments") else { return Ok(None) };
    if !Array::is_array(&list) {
        return Err(invalid_argument("`attachments` must be an array of file ids or attachments"));
    }
    let list = Array::from(&list);
    let ids = list.iter().map(|item| {
        item.as_string()
            .or_else(|| get(&item, "fileId").and_then(|v| v.as_string()))
            .map(chat_protocol::FileId)
            .ok_or_else(|| invalid_argument("each kept attachment is a fileId or an attachment object"))
    });
    ids.collect::<JsResult<Vec<_>>>().map(Some)
}

/// A JS `onProgress({ loaded, total })` as the client calls progress.
pub fn progress_callback(callback: Option<Function>) -> Option<crate::client::OnProgress> {
    callback.map(|callback| -> crate::client::OnProgress {
        Rc::new(move |loaded, total| {
            let progress = Object::new();
            super::set(&progress, "loaded", loaded as f64);
            super::set(&progress, "total", total as f64);
            if let Err(error) = callback.call1(&JsValue::NULL, &progress) {
                web_sys::console::error_2(&"meeting-chat: an onProgress callback threw".into(), &error);
            }
        })
    })
}

/// The file of a `{ type, image | file }` message: the seed names an image
/// `image` and any other file `file`; `file` is taken for every type too.
pub fn attached_file(message: &JsValue, kind: MessageKind) -> JsResult<JsValue> {
    let image = (kind == MessageKind::Image).then(|| get(message, "image")).flatten();
    image.or_else(|| get(message, "file")).ok_or_else(|| {
        let key = if kind == MessageKind::Image { "`image` (or `file`)" } else { "`file`" };
        invalid_argument(&format!("{key} is required"))
    })
}
