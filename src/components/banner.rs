//! Connection and rate-limit banners.

use chat_core::ConnectionState;
use chat_protocol::RateBucket;
use yew::prelude::*;

use crate::hooks::use_chat::use_chat;
use crate::hooks::use_now::use_now;

/// Says when the chat is not connected, or sending is paused.
#[function_component(Banner)]
pub fn banner() -> Html {
    let chat = use_chat();
    let state = chat.handle.session.state();
    let connection = state.connection();
    let limited_until = [RateBucket::Text, RateBucket::File].iter().filter_map(|b| state.rate_limited_until(*b)).max();
    drop(state);
    let now = use_now(limited_until.is_some());
    let connection_text = match connection {
        ConnectionState::Connected => None,
        ConnectionState::Connecting => Some(chat.locale.t("connecting")),
        ConnectionState::Reconnecting => Some(chat.locale.t("reconnecting")),
        ConnectionState::AuthFailed => Some(chat.locale.t("authFailed")),
        ConnectionState::Closed => Some(chat.locale.t("closed")),
    };
    let seconds = limited_until.map(|until| ((until - now).max(0) + 999) / 1000).filter(|s| *s > 0);
    html! {
        <div class="mc-banners" role="status" aria-live="polite">
            if let Some(text) = connection_text {
                <p class={classes!("mc-banner", (connection == ConnectionState::AuthFailed).then_some("mc-banner-error"))}>{ text }</p>
            }
            if let Some(seconds) = seconds {
                <p class="mc-banner mc-banner-warning">{ chat.locale.t_with("rateLimited", "s", &seconds.to_string()) }</p>
            }
        </div>
    }
}
