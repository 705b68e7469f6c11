//! Picks a participant in a meeting of any size: a search box over a list
//! that draws only the rows in view. While the client knows everyone, it
//! searches locally; in a large meeting the server searches, a page at a
//! time, as the list is scrolled.

use std::rc::Rc;

use chat_protocol::Participant;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::lazy::Draw;
use crate::case_fold::folded;
use crate::hooks::use_chat::use_chat;
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_selector::use_selector;
use crate::lazy_part::lazy_part;

/// Each row's height in pixels (the stylesheet gives rows the same).
const ROW_PX: f64 = 36.0;
/// Rows the list shows at once.
const VISIBLE_ROWS: usize = 8;
/// Rows drawn beyond the visible ones, each way, so a fast scroll shows no gap.
const OVERSCAN: usize = 4;
/// Participants asked for per page.
const PAGE: u32 = 50;

/// Properties of [`ParticipantPicker`].
#[derive(Properties, Clone, PartialEq)]
pub struct ParticipantPickerProps {
    /// Called with the participant picked.
    pub on_pick: Callback<Participant>,
    /// The label of each row, before the name.
    pub label: AttrValue,
}

lazy_part!(
    /// The participant finder, loaded when first opened.
    pub PART in participant_picker: Draw<ParticipantPickerProps> = |props| html! { <ParticipantPicker ..props /> }
);

/// What the server answered so far, for one search.
#[derive(Clone, Default, PartialEq)]
struct Found {
    query: String,
    rows: Vec<Participant>,
    next: Option<String>,
    loading: bool,
}

/// The searchable, virtualized participant list.
#[function_component(ParticipantPicker)]
pub fn participant_picker(props: &ParticipantPickerProps) -> Html {
    let chat = use_chat();
    let intents = use_intent();
    let query = use_state(String::new);
    let scroll_top = use_state(|| 0.0);
    let found = use_mut_ref(Found::default);
    let redraw = use_force_update();
    let (local, me) = use_selector(|client| {
        let state = client.state();
        let local = state.knows_all_participants().then(|| state.participants().to_vec());
        (local, state.me().map(|p| p.id.clone()))
    });

    // Asks the server for the page after what was found, for the current query.
    let fetch = {
        let (client, intents, found, redraw) = (chat.client.clone(), intents.clone(), found.clone(), redraw.clone());
        Rc::new(move |query: String, fresh: bool| {
            let after = {
                let mut found = found.borrow_mut();
                if fresh || found.query != query {
                    *found = Found { query: query.clone(), ..Found::default() };
                } else if found.loading || found.next.is_none() {
                    return;
                }
                found.loading = true;
                found.next.clone()
            };
            let page = client.list_participants((!query.is_empty()).then(|| query.clone()), after, PAGE);
            let (found, redraw) = (found.clone(), redraw.clone());
            intents.run(Box::pin(async move {
                let result = page.await;
                let mut found = found.borrow_mut();
                // A newer search replaced this one: drop its answer.
                if found.query == query {
                    found.loading = false;
                    if let Ok(page) = &result {
                        found.rows.extend(page.participants.iter().cloned());
                        found.next = page.next.clone();
                    }
                    redraw.force_update();
                }
                result.map(|_| ())
            }));
        })
    };
    {
        let (fetch, query) = (fetch.clone(), (*query).clone());
        use_effect_with((local.is_none(), query), move |(remote, query)| {
            if *remote {
                fetch(query.clone(), true);
            }
        });
    }

    let rows: Vec<Participant> = match &local {
        Some(everyone) => {
            let needle = folded(&query);
            let mut matching: Vec<(String, Participant)> = everyone
                .iter()
                .map(|p| (folded(&p.display_name), p.clone()))
                .filter(|(name, _)| name.contains(&needle))
                .collect();
            matching.sort_by(|(a, p), (b, q)| a.cmp(b).then_with(|| p.id.cmp(&q.id)));
            matching.into_iter().map(|(_, p)| p).collect()
        }
        None => found.borrow().rows.clone(),
    };
    let rows: Vec<Participant> = rows.into_iter().filter(|p| Some(&p.id) != me.as_ref()).collect();

    let first = ((*scroll_top / ROW_PX) as usize).saturating_sub(OVERSCAN).min(rows.len());
    let last = (first + VISIBLE_ROWS + 2 * OVERSCAN).min(rows.len());
    let onscroll = {
        let (scroll_top, fetch, query, remote, total) =
            (scroll_top.clone(), fetch.clone(), (*query).clone(), local.is_none(), rows.len());
        Callback::from(move |event: Event| {
            let list: Element = event.target_unchecked_into();
            let top = f64::from(list.scroll_top());
            scroll_top.set(top);
            // Near the end of what was found: ask for the next page.
            if remote && top + ROW_PX * (VISIBLE_ROWS + OVERSCAN) as f64 >= ROW_PX * total as f64 {
                fetch(query.clone(), false);
            }
        })
    };
    let oninput = {
        let (query, scroll_top) = (query.clone(), scroll_top.clone());
        Callback::from(move |event: InputEvent| {
            query.set(event.target_unchecked_into::<HtmlInputElement>().value());
            scroll_top.set(0.0);
        })
    };
    let t = |key: &str| chat.locale.t(key);
    let spacer = |rows: usize| html! { <li class="mc-people-spacer" aria-hidden="true" style={format!("height:{}px", rows as f64 * ROW_PX)} /> };
    html! {
        <div class="mc-picker">
            <input type="search" class="mc-picker-search" placeholder={t("searchPeople")} aria-label={t("searchPeople")}
                value={(*query).clone()} {oninput} />
            <ul class="mc-people" style={format!("max-height:{}px", ROW_PX * VISIBLE_ROWS as f64)} {onscroll}>
                { spacer(first) }
                { for rows[first..last].iter().map(|participant| {
                    let on_pick = props.on_pick.clone();
                    let picked = participant.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_pick.emit(picked.clone()));
                    html! { <li><button type="button" class="mc-destination" {onclick}>{ format!("{} {}", props.label, participant.display_name) }</button></li> }
                }) }
                { spacer(rows.len() - last) }
            </ul>
            if rows.is_empty() && !found.borrow().loading {
                <p class="mc-picker-empty">{ t("nobodyFound") }</p>
            }
        </div>
    }
}
