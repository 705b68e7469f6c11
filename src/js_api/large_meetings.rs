//! What large meetings need from the JS API: the participant count, the
//! participant list searched and paged on the server, and the host's
//! settings (who may send, slow mode) with what they mean for this user now.

use chat_core::SettingsChange;
use chat_protocol::{PrivateChatPolicy, SendPolicy};
use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::errors::{invalid_argument, JsResult};
use super::options::{optional_bool, optional_string, optional_whole};
use super::{participant_to_js, promise, set, MeetingChat};

/// Participants per page unless `limit` says otherwise.
const DEFAULT_PAGE: u32 = 50;

#[wasm_bindgen]
impl MeetingChat {
    /// How many participants are connected, whether or not all are listed in `participants`.
    #[wasm_bindgen(getter, js_name = participantCount)]
    pub fn participant_count(&self) -> u32 {
        self.client_ref().state().participant_count()
    }

    /// The meeting's settings: `{ anyoneCanPin, whoCanSend, slowModeSecs, readReceipts, privateChat }`.
    #[wasm_bindgen(getter)]
    pub fn settings(&self) -> JsValue {
        let state = self.client_ref().state();
        let settings = state.settings();
        let object = Object::new();
        set(&object, "anyoneCanPin", settings.anyone_can_pin);
        set(&object, "whoCanSend", settings.who_can_send.as_str());
        set(&object, "slowModeSecs", settings.slow_mode_secs);
        set(&object, "readReceipts", settings.read_receipts);
        set(&object, "privateChat", settings.private_chat.as_str());
        object.into()
    }

    /// Whether this user may send now; otherwise why (`hosts_only`,
    /// `chat_off`, `muted` with `until` unless until unmuted, or `slow_mode`
    /// with `retryAfterMs`): `{ canSend, reason?, retryAfterMs?, until? }`.
    #[wasm_bindgen(getter, js_name = sendStatus)]
    pub fn send_status(&self) -> JsValue {
        let blocked = self.client_ref().state().send_blocked(js_sys::Date::now() as i64);
        let object = Object::new();
        set(&object, "canSend", blocked.is_none());
        if let Some(violation) = blocked {
            set(&object, "reason", violation.code().to_string());
            if let Some(wait) = violation.retry_after_ms() {
                set(&object, "retryAfterMs", wait as f64);
            }
            if let Some(until) = violation.until() {
                set(&object, "until", until as f64);
            }
        }
        object.into()
    }

    /// A page of the participants connected now, by name, searched on the
    /// server: `{ query?, after?, limit? }` resolves to
    /// `{ participants, next?, count }`; pass `next` as `after` for more.
    #[wasm_bindgen(js_name = searchParticipants)]
    pub fn search_participants(&self, options: JsValue) -> JsResult<Promise> {
        let query = optional_string(&options, "query")?;
        let after = optional_string(&options, "after")?;
        let max = self.client_ref().state().limits().max_page_size;
        let limit = optional_whole(&options, "limit", max)?.unwrap_or(DEFAULT_PAGE.min(max)).max(1);
        Ok(promise(self.client_ref().list_participants(query, after, limit), |page| {
            let object = Object::new();
            let participants: Array = page.participants.iter().map(participant_to_js).collect();
            set(&object, "participants", participants);
            if let Some(next) = page.next {
                set(&object, "next", next);
            }
            set(&object, "count", page.count);
            object.into()
        }))
    }

    /// Hosts: changes the settings given, keeping the others: `{ anyoneCanPin?,
    /// whoCanSend?: "everyone" | "hosts" | "nobody", slowModeSecs?, readReceipts?,
    /// privateChat?: "everyone" | "hosts" | "nobody" }`.
    #[wasm_bindgen(js_name = updateSettings)]
    pub fn update_settings(&self, settings: JsValue) -> JsResult<Promise> {
        let anyone_can_pin = optional_bool(&settings, "anyoneCanPin")?;
        let who_can_send = optional_policy(&settings, "whoCanSend", SendPolicy::from_name)?;
        let slow_mode_secs = optional_whole(&settings, "slowModeSecs", chat_protocol::rules::MAX_SLOW_MODE_SECS)?;
        let read_receipts = optional_bool(&settings, "readReceipts")?;
        let private_chat = optional_policy(&settings, "privateChat", PrivateChatPolicy::from_name)?;
        let change = SettingsChange { anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat };
        if change == SettingsChange::default() {
            return Err(invalid_argument(
                "give at least one of `anyoneCanPin`, `whoCanSend`, `slowModeSecs`, `readReceipts`, `privateChat`",
            ));
        }
        let outcome = self.client_ref().update_settings(change);
        Ok(promise(outcome, |()| JsValue::UNDEFINED))
    }
}

/// A policy named by `key` of `options`, if given: `"everyone"`, `"hosts"` or `"nobody"`.
fn optional_policy<P>(options: &JsValue, key: &str, from_name: fn(&str) -> Option<P>) -> JsResult<Option<P>> {
    match optional_string(options, key)? {
        None => Ok(None),
        Some(name) => from_name(&name)
            .map(Some)
            .ok_or_else(|| invalid_argument(&format!("`{key}` must be \"everyone\", \"hosts\" or \"nobody\""))),
    }
}
