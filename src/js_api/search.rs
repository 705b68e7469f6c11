//! `searchMessages(query, { addressId?, limit? })`: search on the server,
//! resolving to `{ messages, hasMore, nextPage() }` with hits newest first;
//! `nextPage()` resolves to the older page (or `null` when there is none).

use std::rc::Rc;

use chat_protocol::rules::MAX_SEARCH_QUERY_CHARS;
use chat_protocol::ParticipantId;
use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;

use super::errors::{invalid_argument, JsResult};
use super::face::JsFace;
use super::options::optional_whole;
use super::{promise, set, MeetingChat};
use crate::client::Hits;

/// Hits per page unless `limit` says otherwise.
const DEFAULT_PAGE: u32 = 20;

/// What a search asked for, kept for its next page.
#[derive(Clone)]
struct Query {
    words: String,
    limit: u32,
    with: Option<ParticipantId>,
}

#[wasm_bindgen]
impl MeetingChat {
    /// Searches the messages you may see (private ones only yours, deleted
    /// ones never): every word of `query` must start a word of a message's
    /// text, whatever its case. `{ addressId?, limit? }` narrows it to one
    /// private conversation and sets the page size (at most the server's page).
    #[wasm_bindgen(js_name = searchMessages)]
    pub fn search_messages(&self, query: String, options: JsValue) -> JsResult<Promise> {
        // The server checks the words; this side only what costs the wasm no Unicode tables.
        if query.trim().is_empty() || query.chars().count() > MAX_SEARCH_QUERY_CHARS {
            return Err(invalid_argument(&format!(
                "`query` must be words, at most {MAX_SEARCH_QUERY_CHARS} characters"
            )));
        }
        let max = self.client_ref().state().limits().max_page_size;
        let limit = optional_whole(&options, "limit", max)?.unwrap_or(DEFAULT_PAGE.min(max)).max(1);
        let with = self.address(&options)?;
        Ok(search_page(Rc::clone(&self.face), Query { words: query, limit, with }, None))
    }
}

fn search_page(face: Rc<JsFace>, query: Query, before: Option<u64>) -> Promise {
    let found = face.client.search(query.words.clone(), before, query.limit, query.with.clone());
    promise(found, move |hits| hits_object(face, query, hits))
}

fn hits_object(face: Rc<JsFace>, query: Query, hits: Hits) -> JsValue {
    let messages: Array = hits.messages.iter().map(|message| face.list.detached(&face.client, message)).collect();
    let next = hits.messages.last().map(|oldest| oldest.seq).filter(|_| hits.has_more);
    let object = Object::new();
    set(&object, "messages", messages);
    set(&object, "hasMore", next.is_some());
    let next_page = Closure::once_into_js(move || -> JsValue {
        match next {
            Some(before) => search_page(face, query, Some(before)).into(),
            None => Promise::resolve(&JsValue::NULL).into(),
        }
    });
    set(&object, "nextPage", next_page);
    object.into()
}
