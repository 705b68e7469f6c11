//! `use_now`: the client's clock, ticking every second while `active`, for countdowns.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::use_chat::use_chat;

/// Milliseconds since the epoch, re-rendering each second while `active`.
/// Read fresh on every render while active, so a countdown that starts
/// mid-second shows its true value at once, not one second too many.
#[hook]
pub fn use_now(active: bool) -> i64 {
    let client = use_chat().client;
    let now = use_state(|| client.now());
    {
        let (now, client) = (now.clone(), client.clone());
        use_effect_with(active, move |active| {
            let interval = active.then(|| Interval::new(1_000, move || now.set(client.now())));
            move || drop(interval)
        });
    }
    if active {
        client.now()
    } else {
        *now
    }
}
