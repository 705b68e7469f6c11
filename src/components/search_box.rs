//! The search box: words searched on the server in the conversation shown,
//! hits listed newest first (more on demand), and a hit picked loads the
//! history down to it, however far back, for the list to scroll to.

use chat_protocol::{Message, Seq};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::lazy::Draw;
use crate::client::Hits;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_selector::use_selector;
use crate::lazy_part::lazy_part;
use crate::markdown;
use crate::store::UiAction;

/// Hits per page.
const PAGE: u32 = 20;

/// The words searched and what was found so far.
#[derive(Clone, PartialEq)]
struct Found {
    query: String,
    hits: Vec<Message>,
    has_more: bool,
}

lazy_part!(
    /// The search box and its pages of hits, loaded when first opened.
    pub PART in search_box: Draw<()> = |()| html! { <SearchBox /> }
);

/// The search box, when open.
#[function_component(SearchBox)]
pub fn search_box() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let conversation = use_selector(|client| client.state().current_conversation().cloned());
    let found = use_state(|| None::<Found>);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(ui.searching, move |open| {
            if let (true, Some(input)) = (*open, input.cast::<HtmlInputElement>()) {
                let _ = input.focus();
            }
        });
    }
    if !ui.searching {
        return html! {};
    }
    let search = {
        let (client, intents, found, conversation) =
            (chat.client.clone(), intents.clone(), found.clone(), conversation.clone());
        move |query: String, before: Option<Seq>, mut earlier: Vec<Message>| {
            let found = found.clone();
            let outcome = client.search(query.clone(), before, PAGE, conversation.clone());
            intents.run_then(outcome, move |Hits { messages, has_more }| {
                earlier.extend(messages);
                found.set(Some(Found { query, hits: earlier, has_more }));
            });
        }
    };
    let onsubmit = {
        let (search, input) = (search.clone(), input.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let query = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            if !query.trim().is_empty() {
                search(query, None, Vec::new());
            }
        })
    };
    let onkeydown = {
        let ui = ui.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                ui.dispatch(UiAction::ToggleSearch);
            }
        })
    };
    let pick = |seq: Seq| {
        let (client, intents, ui, conversation) =
            (chat.client.clone(), intents.clone(), ui.clone(), conversation.clone());
        let gone = chat.locale.t("messageGone").to_owned();
        Callback::from(move |_| {
            let ui = ui.clone();
            let gone = gone.clone();
            intents.run_then(client.load_through(seq, conversation.clone()), move |row| match row {
                Some(_) => ui.dispatch(UiAction::Reveal(Some(seq))),
                None => ui.dispatch(UiAction::Notice(Some(gone))),
            });
        })
    };
    let t = |key: &str| chat.locale.t(key);
    let results = (*found).clone().map(|Found { query, hits, has_more }| {
        let more = {
            let (search, query, hits) = (search.clone(), query.clone(), hits.clone());
            let before = hits.last().map(|m| m.seq);
            Callback::from(move |_| search(query.clone(), before, hits.clone()))
        };
        html! {
            if hits.is_empty() {
                <p class="mc-search-empty" role="status">{ t("noResults") }</p>
            } else {
                <ul class="mc-hits" aria-label={t("searchResults")}>
                    { for hits.iter().map(|hit| {
                        let text = match &hit.content {
                            chat_protocol::Content::Text { text } => markdown::plain(text),
                            _ => String::new(),
                        };
                        html! {
                            <li key={hit.id.0.clone()}>
                                <button type="button" class="mc-hit" onclick={pick(hit.seq)}>
                                    <span class="mc-hit-name">{ hit.sender.display_name.clone() }</span>
                                    <span class="mc-hit-text">{ text }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if has_more {
                    <button type="button" class="mc-link-button mc-more-hits" onclick={more}>{ t("moreResults") }</button>
                }
            }
        }
    });
    html! {
        <div class="mc-search" role="search" {onkeydown}>
            <form class="mc-search-form" {onsubmit}>
                <input ref={input} type="search" class="mc-search-input" aria-label={t("searchMessages")}
                    placeholder={t("searchMessages")} maxlength="200" />
            </form>
            { for results }
        </div>
    }
}
