//! `use_now`: the current time, ticking every second while `active`, for countdowns.

use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Milliseconds since the epoch, re-rendering each second while `active`.
/// Read fresh on every render while active, so a countdown that starts
/// mid-second shows its true value at once, not one second too many.
#[hook]
pub fn use_now(active: bool) -> i64 {
    let now = use_state(|| js_sys::Date::now() as i64);
    {
        let now = now.clone();
        use_effect_with(active, move |active| {
            let interval = active.then(|| Interval::new(1_000, move || now.set(js_sys::Date::now() as i64)));
            move || drop(interval)
        });
    }
    if active {
        js_sys::Date::now() as i64
    } else {
        *now
    }
}
