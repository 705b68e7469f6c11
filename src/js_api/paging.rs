//! `getMessages`: pages of loaded history as `{ data, hasNext, nextPage() }`,
//! the client filling each page from the server when it must.

use std::rc::Rc;

use chat_protocol::MessageId;
use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::face::JsFace;
use super::{promise, set};

/// A page of messages before `before`, with `nextPage()` for the one before it.
pub fn page(face: Rc<JsFace>, size: usize, before: Option<MessageId>) -> Promise {
    let loaded = face.client.page(before, size);
    promise(loaded, move |page| {
        let data = face.list.slice(page.rows);
        let first = face.client.state().timeline().at(page.rows.start).map(|m| m.id.clone());
        let object = Object::new();
        set(&object, "data", data);
        set(&object, "hasNext", page.has_next);
        let has_next = page.has_next;
        let next = Closure::once_into_js(move || -> JsValue {
            if has_next {
                self::page(face, size, first).into()
            } else {
                Promise::resolve(&JsValue::NULL).into()
            }
        });
        set(&object, "nextPage", next);
        object.into()
    })
}
