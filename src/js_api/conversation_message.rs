//! SignalWire's `ConversationChatMessage`, what its Chat namespace hands
//! over (`getMessages` pages, `subscribe`'s `onMessage`): `id`,
//! `conversation_id` (the `addressId` the reader names the conversation
//! by), `user_id`, `ts` (Unix epoch seconds), `details`, `type`
//! (`"message"`), `subtype` (`"chat"`) and `text`, plus `metadata`. The other
//! calls keep RealtimeKit's message shape.

use chat_protocol::{Content, Message};
use js_sys::Object;
use wasm_bindgen::JsValue;

use super::message_object::json_object;
use super::set;

/// `message` as SignalWire's docs write it, in the conversation its reader
/// names `conversation_id`. A file message's text is the file's name.
pub fn conversation_chat_message(message: &Message, conversation_id: &str) -> JsValue {
    let object = Object::new();
    set(&object, "id", message.id.as_str());
    set(&object, "conversation_id", conversation_id);
    set(&object, "user_id", message.sender.id.as_str());
    set(&object, "ts", message.time as f64 / 1000.0);
    set(&object, "details", json_object(&message.details));
    set(&object, "type", "message");
    set(&object, "subtype", "chat");
    let text = match &message.content {
        Content::Text { text } => text.as_str(),
        Content::Image { file } | Content::File { file } | Content::Audio { file } => file.name.as_str(),
        Content::Deleted => "",
    };
    set(&object, "text", text);
    set(&object, "metadata", json_object(&message.metadata));
    object.into()
}
