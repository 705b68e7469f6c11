//! `use_now`: the current time, ticking every second while `active`, for countdowns.

use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Milliseconds since the epoch, refreshed each second while `active`.
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
    *now
}
