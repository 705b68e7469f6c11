//! `use_selector`: what a component reads of the chat. It picks a value from
//! the client and re-renders the component only when that value changes, so
//! a component never holds the client's state or listens by hand.
//!
//! The subscription itself is one hook for every value type
//! ([`use_rerender_when`]); only a small comparison is generic, which keeps
//! the wasm from carrying a copy of yew's hook machinery per selector.

use std::rc::Rc;

use yew::prelude::*;

use super::use_chat::use_chat;
use crate::client::ChatClient;

/// Tells whether what a component shows is out of date.
type Stale = Rc<dyn Fn(&ChatClient) -> bool>;

/// The value `select` picks from the chat, kept fresh: after every change
/// the client announces, `select` runs again and the component re-renders
/// if the value differs. `select` may capture props.
#[hook]
pub fn use_selector<T, F>(select: F) -> T
where
    T: PartialEq + Clone + 'static,
    F: Fn(&ChatClient) -> T + 'static,
{
    let chat = use_chat();
    let value = select(&chat.client);
    let shown = value.clone();
    use_rerender_when(Rc::new(move |client| select(client) != shown));
    value
}

/// Re-renders the component after a change for which the newest `stale` says yes.
#[hook]
fn use_rerender_when(stale: Stale) {
    let chat = use_chat();
    let latest = use_mut_ref(|| Rc::clone(&stale));
    *latest.borrow_mut() = stale;
    let update = use_force_update();
    use_effect_with(chat.client, move |client| {
        let watched = client.clone();
        let subscription = client.subscribe(Rc::new(move |_| {
            let stale = Rc::clone(&latest.borrow());
            if stale(&watched) {
                update.force_update();
            }
        }));
        move || drop(subscription)
    });
}
