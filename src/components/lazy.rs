//! Drawing the panel's lazily loaded parts: [`Lazy`] draws one (the part
//! itself once it is here; while it is wanted and still on its way a busy
//! line, and if it failed to load, words and a retry), and [`Prefetch`]
//! fetches them all once the panel has drawn its first messages. Each
//! feature declares its own part beside its component (`lazy_part!`).

use std::ptr;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::use_chat::use_chat;
use crate::hooks::use_selector::use_selector;
use crate::lazy_part::{Part, PartState, Request};

/// What draws a part, from its properties.
pub type Draw<P> = fn(P) -> Html;

/// Properties of [`Prefetch`].
#[derive(Properties)]
pub struct PrefetchProps {
    /// The parts to fetch.
    pub parts: &'static [&'static dyn Request],
}

impl PartialEq for PrefetchProps {
    fn eq(&self, other: &Self) -> bool {
        ptr::eq(self.parts, other.parts)
    }
}

/// Fetches `parts` once the panel has drawn its first messages (the welcome
/// brought them) and the browser is idle, so opening one is instant in
/// practice. Draws nothing.
#[function_component(Prefetch)]
pub fn prefetch(props: &PrefetchProps) -> Html {
    let welcomed = use_selector(|client| client.state().me().is_some());
    let parts = props.parts;
    use_effect_with(welcomed, move |welcomed| {
        if *welcomed {
            when_idle(move || parts.iter().for_each(|part| part.request()));
        }
    });
    html! {}
}

/// Runs `run` when the browser is idle.
fn when_idle(run: impl FnOnce() + 'static) {
    let run = Closure::once_into_js(run);
    let Some(window) = web_sys::window() else { return };
    // Safari has no requestIdleCallback: a timeout lets the first paint go first there.
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let _ = match idle {
        Some(request_idle) => request_idle.call1(&window, &run).map(drop),
        None => window.set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), 200).map(drop),
    };
}

/// Properties of [`Lazy`].
#[derive(Properties)]
pub struct LazyProps<P: PartialEq + 'static> {
    /// The part.
    pub part: &'static Part<Draw<P>>,
    /// Whether someone is reaching for it now (its dialog or box is open):
    /// then it is fetched at once, and its busy or failed state shows.
    pub wanted: bool,
    /// What the part is drawn with.
    pub props: P,
}

impl<P: PartialEq> PartialEq for LazyProps<P> {
    fn eq(&self, other: &Self) -> bool {
        ptr::eq(self.part, other.part) && self.wanted == other.wanted && self.props == other.props
    }
}

/// A lazily loaded part, drawn once it is here.
#[function_component(Lazy)]
pub fn lazy<P: PartialEq + Clone + 'static>(props: &LazyProps<P>) -> Html {
    let chat = use_chat();
    let update = use_force_update();
    let part = props.part;
    use_effect_with(props.wanted, move |wanted| {
        if *wanted {
            part.request();
        }
    });
    let state = part.state();
    if !matches!(state, PartState::Ready(_)) {
        part.watch(Callback::from(move |()| update.force_update()));
    }
    let t = |key: &str| chat.locale.t(key);
    match state {
        PartState::Ready(draw) => draw(props.props.clone()),
        PartState::Loading if props.wanted => html! {
            <p class="mc-part-status" role="status" aria-busy="true">{ t("loadingPart") }</p>
        },
        PartState::Failed if props.wanted => html! {
            <p class="mc-part-status" role="alert">
                { t("partFailed") }
                <button type="button" class="mc-button" onclick={Callback::from(move |_| part.request())}>{ t("tryAgain") }</button>
            </p>
        },
        _ => html! {},
    }
}
