//! SignalWire's Chat namespace on the chat object: conversations addressed
//! by participant id (the meeting's own without one), paged both ways,
//! subscribed to, and joined.

use std::rc::Rc;

use chat_protocol::{MessageId, ParticipantId};
use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::{invalid_argument, JsResult};
use super::options::{get, optional_string};
use super::paging::page;
use super::{set, MeetingChat};
use crate::client::PageFrom;

impl MeetingChat {
    /// The conversation an `addressId` names: a participant's private one,
    /// or the meeting's (no id, or the meeting's own id).
    pub(super) fn address(&self, options: &JsValue) -> JsResult<Option<ParticipantId>> {
        let Some(address) = optional_string(options, "addressId")? else { return Ok(None) };
        let state = self.client_ref().state();
        if state.meeting().is_some_and(|m| m.as_str() == address) {
            return Ok(None);
        }
        if state.me().is_some_and(|me| me.id.as_str() == address) {
            return Err(invalid_argument("`addressId` names yourself; use another participant's id or the meeting's"));
        }
        Ok(Some(ParticipantId(address)))
    }
}

/// Messages a page of `getMessages` holds unless `pageSize` says otherwise.
const DEFAULT_PAGE_SIZE: f64 = 10.0;

#[wasm_bindgen]
impl MeetingChat {
    /// A page of a conversation, the newest first: the meeting's, or with
    /// `addressId` the private one with that participant (filtered by the
    /// server); `pageSize` messages (10 unless given, as SignalWire's docs
    /// say). `before` (a message id) starts older than that message. Resolves
    /// to `{ data, hasNext, hasPrev, nextPage(), prevPage() }` of SignalWire's
    /// `ConversationChatMessage`s, each page's oldest to newest; next pages
    /// are older, previous ones newer.
    #[wasm_bindgen(js_name = getMessages)]
    pub fn get_messages(&self, options: JsValue) -> JsResult<Promise> {
        let page_size = get(&options, "pageSize").and_then(|v| v.as_f64()).unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1.0..=100.0).contains(&page_size) || page_size.fract() != 0.0 {
            return Err(invalid_argument("`pageSize` must be a whole number from 1 to 100"));
        }
        let with = self.address(&options)?;
        let before = optional_string(&options, "before")?.map(MessageId);
        let before = before.and_then(|id| self.client_ref().state().timeline().get(&id).map(|m| m.seq));
        Ok(page(Rc::clone(&self.face), with, PageFrom::Before(before), page_size as usize))
    }

    /// Calls `onMessage` with each new message of a conversation (the
    /// meeting's, or with `addressId` the private one with that participant)
    /// as SignalWire's `ConversationChatMessage`, once, one's own included,
    /// history pages not. Returns `{ cancel() }`.
    pub fn subscribe(&self, options: JsValue) -> JsResult<Object> {
        let with = self.address(&options)?;
        let on_message: Function = get(&options, "onMessage")
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| invalid_argument("`onMessage` must be a function"))?;
        let id = self.face.subscribe(with, on_message);
        let face = Rc::downgrade(&self.face);
        let cancel = Closure::<dyn Fn()>::new(move || {
            if let Some(face) = face.upgrade() {
                face.unsubscribe(id);
            }
        });
        let handle = Object::new();
        set(&handle, "cancel", cancel.into_js_value());
        Ok(handle)
    }

    /// Makes a conversation current without sending (the panel shows it):
    /// `{ addressId }` names a participant; without one, the meeting's.
    pub fn join(&self, options: JsValue) -> JsResult<Promise> {
        let with = self.address(&options)?;
        self.client_ref().join(with);
        Ok(Promise::resolve(&JsValue::UNDEFINED))
    }
}
