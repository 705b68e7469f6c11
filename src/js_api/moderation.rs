//! Moderation from the JS API: hosts mute a participant in the chat (for a
//! while or until unmuted) or remove them (optionally with every message they
//! sent), and lift either; everyone reads who is muted (themselves when they
//! are; hosts, everyone, the removed marked), and hears `mutesUpdate` when it
//! changes. Anyone reports a message to the hosts; hosts read the open
//! reports (`reportsUpdate`) and dismiss them.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::errors::JsResult;
use super::options::{optional_bool, optional_whole};
use super::{promise, set, MeetingChat};

#[wasm_bindgen]
impl MeetingChat {
    /// Who is muted in the chat now: `[{ participantId, until?, removed? }]`
    /// (`until` in ms since the epoch; absent until a host unmutes them;
    /// `removed: true` for those removed from the chat). A participant sees
    /// only their own mute; a host, everyone's.
    #[wasm_bindgen(getter)]
    pub fn mutes(&self) -> Array {
        let state = self.client_ref().state();
        let now = js_sys::Date::now() as i64;
        state
            .mutes()
            .iter()
            .filter(|mute| mute.holds_at(now))
            .map(|mute| {
                let object = Object::new();
                set(&object, "participantId", mute.participant_id.as_str());
                if let Some(until) = mute.until {
                    set(&object, "until", until as f64);
                }
                if mute.removed {
                    set(&object, "removed", true);
                }
                JsValue::from(object)
            })
            .collect()
    }

    /// Hosts: mutes `participantId` in the chat, `{ minutes? }` (1 to 1,440;
    /// none: until unmuted). Their sends, reactions and typing are refused
    /// with `muted`; nobody else is told. Muting again replaces the time.
    #[wasm_bindgen(js_name = muteInChat)]
    pub fn mute_in_chat(&self, participant_id: String, options: JsValue) -> JsResult<Promise> {
        let minutes = optional_whole(&options, "minutes", chat_protocol::rules::MAX_MUTE_MINUTES)?;
        let outcome = self.client_ref().mute(participant_id.into(), minutes);
        Ok(promise(outcome, |()| JsValue::UNDEFINED))
    }

    /// Hosts: removes `participantId` from the chat, `{ deleteMessages? }`:
    /// their connections close (`connectionState` `"removed"` on their side)
    /// and are refused until a host lets them back with `unmuteInChat`; with
    /// `deleteMessages`, every message they sent is deleted for everyone.
    #[wasm_bindgen(js_name = removeFromChat)]
    pub fn remove_from_chat(&self, participant_id: String, options: JsValue) -> JsResult<Promise> {
        let delete_messages = optional_bool(&options, "deleteMessages")?.unwrap_or(false);
        let outcome = self.client_ref().remove(participant_id.into(), delete_messages);
        Ok(promise(outcome, |()| JsValue::UNDEFINED))
    }

    /// Open reports: `[{ messageId, by, byName, reason, time }]`, oldest first; your
    /// own, or for a host everyone's.
    #[wasm_bindgen(getter)]
    pub fn reports(&self) -> Array {
        let state = self.client_ref().state();
        state
            .reports()
            .iter()
            .map(|report| {
                let object = Object::new();
                set(&object, "messageId", report.message_id.as_str());
                set(&object, "by", report.by.as_str());
                set(&object, "byName", report.by_name.as_str());
                set(&object, "reason", report.reason.as_str());
                set(&object, "time", report.time as f64);
                JsValue::from(object)
            })
            .collect()
    }

    /// Reports message `id` to the hosts with `reason` (1 to 500 characters);
    /// never your own, once per message.
    #[wasm_bindgen(js_name = reportMessage)]
    pub fn report_message(&self, id: String, reason: String) -> Promise {
        promise(self.client_ref().report(id.into(), reason), |()| JsValue::UNDEFINED)
    }

    /// Hosts: closes message `id`'s open reports, keeping the message.
    #[wasm_bindgen(js_name = dismissReports)]
    pub fn dismiss_reports(&self, id: String) -> Promise {
        promise(self.client_ref().dismiss_reports(id.into()), |()| JsValue::UNDEFINED)
    }

    /// Hosts: lifts `participantId`'s mute in the chat, or lets them back after a removal.
    #[wasm_bindgen(js_name = unmuteInChat)]
    pub fn unmute_in_chat(&self, participant_id: String) -> Promise {
        promise(self.client_ref().unmute(participant_id.into()), |()| JsValue::UNDEFINED)
    }
}
