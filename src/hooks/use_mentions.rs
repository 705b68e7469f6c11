//! `use_mentions`: the composer's `@` suggestions, a listbox the textarea
//! drives (`aria-autocomplete="list"`, `aria-activedescendant`; a textarea
//! may not take the combobox role): typing `@` and a name's start lists who
//! matches; ArrowDown and ArrowUp move, Enter or Tab picks, Escape closes;
//! picking writes `@Name` into the text, and the mentions the text still
//! holds go with it.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use chat_protocol::{Participant, ParticipantId};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::use_selector::use_selector;
use crate::case_fold::folded;
use crate::mentions::{byte_offset, insert, kept, query_at, suggest, utf16_len};

/// Numbers each panel's list, so two panels on a page keep their ids apart.
static NEXT_LIST: AtomicU32 = AtomicU32::new(1);

/// The `@` being completed.
#[derive(Clone, Debug, PartialEq)]
struct Open {
    /// Where its `@` is, in bytes.
    at: usize,
    query: String,
    active: usize,
}

/// The composer's handle on its mentions.
#[derive(Clone)]
pub struct Mentions {
    open: UseStateHandle<Option<Open>>,
    picked: Rc<RefCell<Vec<(ParticipantId, String)>>>,
    list_id: Rc<str>,
    suggestions: Vec<Participant>,
}

/// The suggestions for the `@` being typed, and what the composer needs to show and send them.
#[hook]
pub fn use_mentions() -> Mentions {
    let open = use_state(|| None::<Open>);
    let picked = use_mut_ref(Vec::new);
    let list_id = use_memo((), |()| format!("mc-mentions-{}", NEXT_LIST.fetch_add(1, Ordering::Relaxed)));
    let query = (*open).as_ref().map(|o| o.query.clone());
    // Only while a list is open is anyone matched.
    let suggestions = use_selector(move |client| {
        let Some(query) = &query else { return Vec::new() };
        let state = client.state();
        let me = state.me().map(|m| m.id.clone());
        suggest(state.participants(), me.as_ref(), query, folded).into_iter().cloned().collect()
    });
    Mentions { open, picked, list_id: Rc::from(list_id.as_str()), suggestions }
}

impl Mentions {
    /// Follows the text and caret after an input.
    pub fn on_input(&self, textarea: &HtmlTextAreaElement) {
        let text = textarea.value();
        let caret = byte_offset(&text, textarea.selection_start().ok().flatten().unwrap_or(0) as usize);
        let next = query_at(&text, caret).map(|(at, query)| Open { at, query: query.to_owned(), active: 0 });
        if *self.open != next {
            self.open.set(next);
        }
    }

    /// Handles the keys the open list takes; `true` when it took this one
    /// (the composer then does nothing else with it).
    pub fn on_keydown(
        &self,
        event: &KeyboardEvent,
        textarea: &HtmlTextAreaElement,
        text: &UseStateHandle<String>,
    ) -> bool {
        let Some(open) = (*self.open).clone() else { return false };
        let count = self.suggestions.len();
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                let step = if event.key() == "ArrowDown" { 1 } else { count - 1 };
                self.open.set(Some(Open { active: (open.active + step) % count, ..open }));
            }
            "Enter" | "Tab" if count > 0 && !event.is_composing() => {
                self.pick(&self.suggestions[open.active.min(count - 1)], textarea, text);
            }
            "Escape" => self.open.set(None),
            _ => return false,
        }
        event.prevent_default();
        true
    }

    fn pick(&self, participant: &Participant, textarea: &HtmlTextAreaElement, text: &UseStateHandle<String>) {
        let Some(open) = (*self.open).as_ref() else { return };
        let value = textarea.value();
        let caret = byte_offset(&value, textarea.selection_start().ok().flatten().unwrap_or(0) as usize);
        let (written, caret) = insert(&value, open.at, caret, &participant.display_name);
        self.picked.borrow_mut().push((participant.id.clone(), participant.display_name.clone()));
        textarea.set_value(&written);
        let caret = utf16_len(&written[..caret]) as u32;
        let _ = textarea.set_selection_range(caret, caret);
        text.set(written);
        self.open.set(None);
    }

    /// The mentions `text` still holds, forgetting the picked ones (it is being sent).
    pub fn take(&self, text: &str) -> Vec<ParticipantId> {
        let ids = kept(&self.picked.borrow(), text);
        self.picked.borrow_mut().clear();
        self.open.set(None);
        ids
    }

    /// Whether the list shows.
    fn expanded(&self) -> bool {
        self.open.is_some() && !self.suggestions.is_empty()
    }

    /// The list's id while it shows, for `aria-controls`.
    pub fn list_id(&self) -> Option<AttrValue> {
        self.expanded().then(|| AttrValue::from(self.list_id.to_string()))
    }

    /// The active option's id, for `aria-activedescendant`.
    pub fn active_id(&self) -> Option<AttrValue> {
        let open = (*self.open).as_ref().filter(|_| self.expanded())?;
        Some(AttrValue::from(format!("{}-{}", self.list_id, open.active)))
    }

    /// The list, named `label`, while open; a click picks (the textarea keeps the focus).
    pub fn view(&self, textarea: &NodeRef, text: &UseStateHandle<String>, label: String) -> Html {
        let Some(open) = (*self.open).as_ref().filter(|_| self.expanded()) else { return html! {} };
        let options = self.suggestions.iter().enumerate().map(|(index, participant)| {
            let (mentions, participant_for_pick) = (self.clone(), participant.clone());
            let (textarea, text) = (textarea.clone(), text.clone());
            let onclick = Callback::from(move |_| {
                if let Some(element) = textarea.cast::<HtmlTextAreaElement>() {
                    mentions.pick(&participant_for_pick, &element, &text);
                    let _ = element.focus();
                }
            });
            html! {
                <li id={format!("{}-{index}", self.list_id)} role="option" aria-selected={(index == open.active).to_string()}
                    class={classes!("mc-mention-option", (index == open.active).then_some("mc-active"))}
                    onmousedown={Callback::from(|event: MouseEvent| event.prevent_default())} {onclick}>
                    { participant.display_name.clone() }
                </li>
            }
        });
        html! {
            <ul id={self.list_id.to_string()} class="mc-mention-list" role="listbox" aria-label={label}>{ for options }</ul>
        }
    }
}
