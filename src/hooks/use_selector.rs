//! `use_selector`: what a component reads of the chat. It picks a value from
//! the client and re-renders the component only when that value changes,
//! so a component never holds the client's state or listens by hand.

use std::rc::Rc;

use yew::prelude::*;

use super::use_chat::use_chat;
use crate::client::ChatClient;

type Selector<T> = Rc<dyn Fn(&ChatClient) -> T>;

/// The value `select` picks from the chat, kept fresh: after every change
/// the client announces, `select` runs again and the component re-renders
/// if the value differs. `select` may capture props; the newest one is used.
#[hook]
pub fn use_selector<T, F>(select: F) -> T
where
    T: PartialEq + Clone + 'static,
    F: Fn(&ChatClient) -> T + 'static,
{
    let chat = use_chat();
    let select: Selector<T> = Rc::new(select);
    let value = select(&chat.client);
    let latest = use_mut_ref(|| (Rc::clone(&select), value.clone()));
    *latest.borrow_mut() = (select, value.clone());
    let update = use_force_update();
    {
        let client = chat.client.clone();
        use_effect_with(client, move |client| {
            let watched = client.clone();
            let subscription = client.subscribe(Rc::new(move |_| {
                let mut latest = latest.borrow_mut();
                let fresh = (latest.0)(&watched);
                if fresh != latest.1 {
                    latest.1 = fresh;
                    update.force_update();
                }
            }));
            move || drop(subscription)
        });
    }
    value
}
