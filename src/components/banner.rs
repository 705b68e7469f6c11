//! Connection and rate-limit banners.

use chat_core::ConnectionState;
use chat_protocol::RateBucket;
use yew::prelude::*;

use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_now::use_now;
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;
use crate::text_format::clock_time;

/// Whole seconds from `now` until `until`, rounded up; none once it has passed.
fn seconds_left(until: Option<i64>, now: i64) -> Option<i64> {
    until.map(|until| ((until - now).max(0) + 999) / 1000).filter(|s| *s > 0)
}

/// Says when the chat is not connected, when sending is paused, and why
/// the last thing asked for did not work.
#[function_component(Banner)]
pub fn banner() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let (connection, limited_until, blocked, slowed_by, slow_until, my_mute) = use_selector(|client| {
        let state = client.state();
        let limited = [RateBucket::Text, RateBucket::File].iter().filter_map(|b| state.rate_limited_until(*b)).max();
        let blocked = state.write_blocked_here().map(|violation| violation.code());
        (state.connection(), limited, blocked, state.slowed_by(), state.slow_mode_until(), state.my_mute().cloned())
    });
    let muted_until = my_mute.as_ref().and_then(|mute| mute.until);
    let now = use_now(limited_until.is_some() || slow_until.is_some() || muted_until.is_some());
    let slow_wait = seconds_left(slow_until, now);
    // A removal says so in the connection's banner.
    let webinar_text = if let Some(mute) = my_mute.filter(|mute| mute.holds_at(now) && !mute.removed) {
        Some(match mute.until {
            Some(until) => {
                let time = clock_time(until, super::message_item::timezone_offset_minutes());
                chat.locale.t_with("mutedUntil", "time", &time)
            }
            None => chat.locale.t("muted"),
        })
    } else if let Some(code) = blocked {
        Some(chat.locale.t(&format!("error.{code}")))
    } else if let Some(seconds) = slow_wait {
        Some(chat.locale.t_with("slowModeWait", "s", &seconds.to_string()))
    } else {
        slowed_by.map(|every| chat.locale.t_with("slowModeOn", "s", &every.to_string()))
    };
    let connection_text = match connection {
        ConnectionState::Connected => None,
        ConnectionState::Connecting => Some(chat.locale.t("connecting")),
        ConnectionState::Reconnecting => Some(chat.locale.t("reconnecting")),
        ConnectionState::AuthFailed => Some(chat.locale.t("authFailed")),
        ConnectionState::Removed => Some(chat.locale.t("removed")),
        ConnectionState::Closed => Some(chat.locale.t("closed")),
    };
    let seconds = seconds_left(limited_until, now);
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::Notice(None)))
    };
    html! {
        <>
        if let Some(notice) = ui.notice.clone() {
            <p class="mc-banner mc-banner-error mc-notice" role="alert">
                <span>{ notice }</span>
                <button type="button" class="mc-link-button" onclick={dismiss}>{ chat.locale.t("dismiss") }</button>
            </p>
        }
        <div class="mc-banners" role="status" aria-live="polite">
            if let Some(text) = connection_text {
                <p class={classes!("mc-banner", matches!(connection, ConnectionState::AuthFailed | ConnectionState::Removed).then_some("mc-banner-error"))}>{ text }</p>
            }
            if let Some(seconds) = seconds {
                <p class="mc-banner mc-banner-warning">{ chat.locale.t_with("rateLimited", "s", &seconds.to_string()) }</p>
            }
            if let Some(text) = webinar_text {
                <p class="mc-banner mc-webinar">{ text }</p>
            }
        </div>
        </>
    }
}
