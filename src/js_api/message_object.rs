//! Messages as JS objects with the seed API's field names: `id, type, userId,
//! displayName, time, isEdited, pinned, targetUserIds, message | link, name,
//! size`, plus `replyTo, forwardedFrom, metadata, status, reactions, mentions`. Their methods
//! (`respond`, `message`) live on one prototype per chat, so they cost no
//! closure per message and stay out of `JSON.stringify`.

use chat_core::{DraftContent, EchoStatus, LocalEcho};
use chat_protocol::{Content, FileRef, Message, MessageId, Participant, Reaction};
use js_sys::{Array, Date, Object, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::client::ChatClient;

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

fn date(ms: i64) -> Date {
    Date::new(&JsValue::from_f64(ms as f64))
}

pub(super) fn json_object(map: &Map<String, Value>) -> JsValue {
    serde_json::to_string(map).ok().and_then(|s| js_sys::JSON::parse(&s).ok()).unwrap_or_else(|| Object::new().into())
}

fn set_file(object: &Object, file: &FileRef, client: &ChatClient) {
    set(object, "link", client.link(&file.url));
    set(object, "name", file.name.as_str());
    set(object, "size", file.size as f64);
    set(object, "contentType", file.content_type.as_str());
    set(object, "fileId", file.id.as_str());
    if let (Some(width), Some(height)) = (file.width, file.height) {
        set(object, "width", width);
        set(object, "height", height);
    }
    if let Some(blurhash) = &file.blurhash {
        set(object, "blurhash", blurhash.as_str());
    }
    if let Some(thumbnail) = &file.thumbnail_url {
        set(object, "thumbnailLink", client.link(thumbnail));
    }
}

/// `replyTo`, `forwardedFrom`, `metadata` and `details`, shared by sent and local messages.
fn set_relations(
    object: &Object,
    reply_to: Option<&MessageId>,
    forwarded_from: Option<&MessageId>,
    metadata: &Map<String, Value>,
    details: &Map<String, Value>,
) {
    if let Some(reply_to) = reply_to {
        set(object, "replyTo", reply_to.as_str());
    }
    if let Some(forwarded_from) = forwarded_from {
        set(object, "forwardedFrom", forwarded_from.as_str());
    }
    set(object, "metadata", json_object(metadata));
    set(object, "details", json_object(details));
}

fn string_array<'a>(items: impl Iterator<Item = &'a str>) -> Array {
    items.map(JsValue::from_str).collect()
}

/// A message's attachments as JS objects, with the fields of a file message.
fn attachments_to_js(files: &[FileRef], client: &ChatClient) -> Array {
    files
        .iter()
        .map(|file| {
            let object = Object::new();
            set(&object, "type", chat_protocol::MessageKind::of_content_type(&file.content_type).as_str());
            set_file(&object, file, client);
            JsValue::from(object)
        })
        .collect()
}

/// `[{ emoji, count, me }]`, one per emoji.
fn reactions_to_js(reactions: &[Reaction]) -> Array {
    let list = Array::new();
    for reaction in reactions {
        let object = Object::new();
        set(&object, "emoji", reaction.emoji.as_str());
        set(&object, "count", reaction.count);
        set(&object, "me", reaction.me);
        list.push(&object);
    }
    list
}

/// A confirmed message, inheriting the chat's message methods from `proto`.
pub fn message_to_js(message: &Message, client: &ChatClient, proto: &Object) -> JsValue {
    let object = Object::create(proto);
    set(&object, "id", message.id.as_str());
    set(&object, "clientId", message.client_id.as_str());
    set(&object, "seq", message.seq as f64);
    set(&object, "userId", message.sender.id.as_str());
    set(&object, "displayName", message.sender.display_name.as_str());
    if message.sender.bot {
        set(&object, "isBot", true);
    }
    set(&object, "time", date(message.time));
    set(&object, "isEdited", message.edited);
    if let Some(at) = message.edited_at {
        set(&object, "editedAt", date(at));
    }
    set(&object, "pinned", message.pinned);
    set(&object, "reactions", reactions_to_js(&message.reactions));
    set(&object, "mentions", string_array(message.mentions.iter().map(|m| m.as_str())));
    set(&object, "targetUserIds", string_array(message.targets.iter().map(|t| t.as_str())));
    set(&object, "isPrivate", !message.targets.is_empty());
    set(&object, "status", "sent");
    match &message.content {
        Content::Text { text } => {
            set(&object, "type", "text");
            set(&object, "message", text.as_str());
        }
        Content::Image { file } | Content::File { file } | Content::Audio { file } => {
            set(&object, "type", message.content.kind().map_or("file", |k| k.as_str()));
            set_file(&object, file, client);
        }
        Content::Deleted => {
            set(&object, "type", "deleted");
            set(&object, "isDeleted", true);
        }
    }
    if !message.attachments.is_empty() {
        set(&object, "attachments", attachments_to_js(&message.attachments, client));
    }
    let meeting = client.state().meeting().cloned().unwrap_or_default();
    set(&object, "conversationId", message.conversation_id(&meeting));
    let (reply_to, forwarded_from) = (message.reply_to.as_ref(), message.forwarded_from.as_ref());
    set_relations(&object, reply_to, forwarded_from, &message.metadata, &message.details);
    object.into()
}

/// A local echo: shown at once, with its `status`, until confirmed.
pub fn echo_to_js(echo: &LocalEcho, me: Option<&Participant>, client: &ChatClient, proto: &Object) -> JsValue {
    let object = Object::create(proto);
    set(&object, "id", echo.client_id.as_str());
    set(&object, "clientId", echo.client_id.as_str());
    set(&object, "userId", me.map_or("", |p| p.id.as_str()));
    set(&object, "displayName", me.map_or("", |p| p.display_name.as_str()));
    set(&object, "time", date(echo.created_at));
    set(&object, "isEdited", false);
    set(&object, "pinned", false);
    set(&object, "reactions", Array::new());
    set(&object, "mentions", string_array(echo.mentions.iter().map(|m| m.as_str())));
    set(&object, "targetUserIds", string_array(echo.targets.iter().map(|t| t.as_str())));
    set(&object, "isPrivate", !echo.targets.is_empty());
    if let (Some(meeting), Some(me)) = (client.state().meeting(), me) {
        set(&object, "conversationId", chat_protocol::conversation_id(meeting, &me.id, &echo.targets));
    }
    set(&object, "type", echo.content.kind().as_str());
    match &echo.content {
        DraftContent::Text { text } => set(&object, "message", text.as_str()),
        DraftContent::File { file: Some(file), .. } => set_file(&object, file, client),
        DraftContent::File { name, size, file: None, .. } => {
            set(&object, "name", name.as_str());
            set(&object, "size", *size as f64);
        }
    }
    if !echo.attachments.is_empty() {
        let attachments: Array = echo
            .attachments
            .iter()
            .map(|attachment| match &attachment.file {
                Some(file) => attachments_to_js(std::slice::from_ref(file), client).get(0),
                None => {
                    let object = Object::new();
                    set(&object, "name", attachment.name.as_str());
                    set(&object, "size", attachment.size as f64);
                    let progress = Object::new();
                    set(&progress, "loaded", attachment.loaded as f64);
                    set(&progress, "total", attachment.size as f64);
                    set(&object, "progress", progress);
                    object.into()
                }
            })
            .collect();
        set(&object, "attachments", attachments);
    }
    match &echo.status {
        EchoStatus::Uploading { loaded, total } => {
            set(&object, "status", "uploading");
            let progress = Object::new();
            set(&progress, "loaded", *loaded as f64);
            set(&progress, "total", *total as f64);
            set(&object, "progress", progress);
        }
        EchoStatus::Pending => set(&object, "status", "pending"),
        EchoStatus::Failed { reason, code, retryable, .. } => {
            set(&object, "status", "failed");
            let error = Object::new();
            set(&error, "code", code.as_str());
            set(&error, "message", reason.as_str());
            set(&error, "retryable", *retryable);
            set(&object, "error", error);
        }
    }
    set_relations(&object, echo.reply_to.as_ref(), echo.forwarded_from.as_ref(), &echo.metadata, &echo.details);
    object.into()
}
