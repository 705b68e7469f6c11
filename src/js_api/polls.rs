//! Polls from the JS API, in RealtimeKit's `meeting.polls` shape:
//! `chat.polls.items`, `create(question, options, anonymous, hideVotes)`,
//! `vote(pollId, optionIndex)` and `pollsUpdate` (`{ polls, newPoll }`);
//! beyond it, multiple choice (`create`'s fifth argument, `vote` with an
//! array), `close(pollId)` for hosts, and each poll's `closed` and `chosen`.

use std::rc::Rc;

use chat_core::NewPoll;
use chat_protocol::{Poll, PollOption};
use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;

use super::errors::{invalid_argument, JsResult};
use super::face::JsFace;
use super::{promise, set, MeetingChat};
use crate::client::ChatClient;

/// The one event a poll list emits.
const POLLS_UPDATE: &str = "pollsUpdate";

/// A meeting's polls (`chat.polls`).
#[wasm_bindgen]
pub struct ChatPolls {
    face: Rc<JsFace>,
}

#[wasm_bindgen]
impl MeetingChat {
    /// The meeting's polls: `items`, `create`, `vote`, `close`, and `pollsUpdate`.
    #[wasm_bindgen(getter)]
    pub fn polls(&self) -> ChatPolls {
        ChatPolls { face: Rc::clone(&self.face) }
    }
}

#[wasm_bindgen]
impl ChatPolls {
    /// Every poll, oldest first: `{ id, question, options: [{ text, votes:
    /// [{ id, name }], count }], anonymous, hideVotes, multiple, createdBy,
    /// createdByUserId, voted, chosen, closed, time }`.
    #[wasm_bindgen(getter)]
    pub fn items(&self) -> Array {
        polls_to_js(&self.face.client)
    }

    /// Hosts: asks `question` with 2 to 10 `options`; `anonymous` keeps who
    /// voted what from everyone, `hideVotes` shows the counts only to hosts
    /// until the poll closes, `multiple` lets a ballot choose several options.
    pub fn create(
        &self,
        question: String,
        options: JsValue,
        anonymous: Option<bool>,
        hide_votes: Option<bool>,
        multiple: Option<bool>,
    ) -> JsResult<Promise> {
        if !Array::is_array(&options) {
            return Err(invalid_argument("`options` must be an array of strings"));
        }
        let options = Array::from(&options)
            .iter()
            .map(|option| option.as_string().ok_or_else(|| invalid_argument("`options` must hold strings")))
            .collect::<JsResult<Vec<_>>>()?;
        let poll = NewPoll {
            question,
            options,
            anonymous: anonymous.unwrap_or(false),
            hide_votes: hide_votes.unwrap_or(false),
            multiple: multiple.unwrap_or(false),
        };
        Ok(promise(self.face.client.create_poll(poll), |()| JsValue::UNDEFINED))
    }

    /// Votes in poll `pollId` for option `optionIndex` (or an array of them,
    /// where the poll allows several); once per poll.
    pub fn vote(&self, poll_id: String, option_index: JsValue) -> JsResult<Promise> {
        let index = |value: JsValue| {
            value
                .as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
                .map(|n| n as u32)
                .ok_or_else(|| invalid_argument("an option index is a whole number from 0"))
        };
        let options = match Array::is_array(&option_index) {
            true => Array::from(&option_index).iter().map(index).collect::<JsResult<Vec<_>>>()?,
            false => vec![index(option_index)?],
        };
        Ok(promise(self.face.client.vote(poll_id.into(), options), |()| JsValue::UNDEFINED))
    }

    /// Hosts: closes poll `pollId`: no more votes, and its counts are shown to everyone.
    pub fn close(&self, poll_id: String) -> Promise {
        promise(self.face.client.close_poll(poll_id.into()), |()| JsValue::UNDEFINED)
    }

    /// Listens to `pollsUpdate`: `({ polls, newPoll })`, `newPoll` true when a poll was just created.
    pub fn on(&self, event: String, callback: Function) -> JsResult<()> {
        check_polls_event(&event)?;
        self.face.bus.add(&event, callback, false);
        Ok(())
    }

    /// Listens to one `pollsUpdate`.
    pub fn once(&self, event: String, callback: Function) -> JsResult<()> {
        check_polls_event(&event)?;
        self.face.bus.add(&event, callback, true);
        Ok(())
    }

    /// Stops listening.
    pub fn off(&self, event: String, callback: Function) {
        self.face.bus.remove(&event, &callback);
    }
}

fn check_polls_event(event: &str) -> JsResult<()> {
    match event {
        POLLS_UPDATE => Ok(()),
        _ => Err(invalid_argument(&format!("unknown event {event:?}; polls emit {POLLS_UPDATE}"))),
    }
}

/// The `pollsUpdate` payload: every poll, and whether one was just created.
pub(super) fn polls_update(client: &ChatClient, new_poll: bool) -> JsValue {
    let payload = Object::new();
    set(&payload, "polls", polls_to_js(client));
    set(&payload, "newPoll", new_poll);
    payload.into()
}

fn polls_to_js(client: &ChatClient) -> Array {
    client.state().polls().iter().map(poll_to_js).collect()
}

fn poll_to_js(poll: &Poll) -> JsValue {
    let object = Object::new();
    set(&object, "id", poll.id.as_str());
    set(&object, "question", poll.question.as_str());
    set(&object, "options", poll.options.iter().map(option_to_js).collect::<Array>());
    set(&object, "anonymous", poll.anonymous);
    set(&object, "hideVotes", poll.hide_votes);
    set(&object, "multiple", poll.multiple);
    set(&object, "createdBy", poll.created_by.as_str());
    set(&object, "createdByUserId", poll.created_by_user_id.as_str());
    set(&object, "voted", poll.voted.iter().map(|id| JsValue::from(id.as_str())).collect::<Array>());
    set(&object, "chosen", poll.chosen.iter().map(|index| JsValue::from(*index)).collect::<Array>());
    set(&object, "closed", poll.closed);
    set(&object, "time", poll.time as f64);
    object.into()
}

fn option_to_js(option: &PollOption) -> JsValue {
    let object = Object::new();
    set(&object, "text", option.text.as_str());
    let votes = option.votes.iter().map(|vote| {
        let voter = Object::new();
        set(&voter, "id", vote.id.as_str());
        set(&voter, "name", vote.name.as_str());
        JsValue::from(voter)
    });
    set(&object, "votes", votes.collect::<Array>());
    set(&object, "count", option.count);
    object.into()
}
