//! `getMessages`: pages of one conversation (the meeting's, or the private
//! one with `addressId`) as `{ data, hasNext, hasPrev, nextPage(), prevPage() }`
//! of SignalWire's `ConversationChatMessage`s: next goes to older messages,
//! prev to newer ones; the client fills a page from the server when it must.

use std::rc::Rc;

use chat_core::ConversationPage;
use chat_protocol::ParticipantId;
use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::conversation_message::conversation_chat_message;
use super::face::JsFace;
use super::{promise, set};
use crate::client::PageFrom;

/// A page of the conversation with `with`, from `from`, as a JS page object.
pub fn page(face: Rc<JsFace>, with: Option<ParticipantId>, from: PageFrom, size: usize) -> Promise {
    let loaded = face.client.page(with.clone(), from, size);
    promise(loaded, move |page| page_object(face, with, page, size))
}

fn page_object(face: Rc<JsFace>, with: Option<ParticipantId>, page: ConversationPage, size: usize) -> JsValue {
    let data: Array = {
        let state = face.client.state();
        let conversation = face.address_id(with.as_ref());
        let messages = page.rows.iter().filter_map(|index| state.timeline().at(*index));
        messages.map(|message| conversation_chat_message(message, &conversation)).collect()
    };
    let seq_at = |index: Option<&usize>| index.and_then(|i| face.client.state().timeline().at(*i).map(|m| m.seq));
    let (oldest, newest) = (seq_at(page.rows.first()), seq_at(page.rows.last()));
    let object = Object::new();
    set(&object, "data", data);
    set(&object, "hasNext", page.has_older && oldest.is_some());
    set(&object, "hasPrev", page.has_newer && newest.is_some());
    let turn = |seq: Option<u64>, more: bool, from: fn(u64) -> PageFrom| {
        let (face, with) = (Rc::clone(&face), with.clone());
        Closure::once_into_js(move || -> JsValue {
            match seq.filter(|_| more) {
                Some(seq) => self::page(face, with, from(seq), size).into(),
                None => Promise::resolve(&JsValue::NULL).into(),
            }
        })
    };
    set(&object, "nextPage", turn(oldest, page.has_older, |seq| PageFrom::Before(Some(seq))));
    set(&object, "prevPage", turn(newest, page.has_newer, PageFrom::After));
    object.into()
}
