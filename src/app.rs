//! The root component: subscribes to the chat, provides the contexts, and
//! lays out header, banners, pins, the message list and the composer.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::banner::Banner;
use crate::components::composer::Composer;
use crate::components::header::Header;
use crate::components::message_list::MessageList;
use crate::components::pinned_bar::PinnedBar;
use crate::js_api::Handle;
use crate::locale::Locale;
use crate::store::{ChatContext, UiState};

/// The panel's properties.
#[derive(Properties, Clone)]
pub struct ChatPanelProps {
    /// The chat to show.
    pub handle: Rc<Handle>,
    /// Its strings.
    pub locale: Rc<Locale>,
    /// The panel's title.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

impl PartialEq for ChatPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.handle, &other.handle) && self.locale == other.locale && self.title == other.title
    }
}

/// The whole chat panel.
#[function_component(ChatPanel)]
pub fn chat_panel(props: &ChatPanelProps) -> Html {
    let version = use_state(|| 0_u64);
    {
        let (handle, version) = (Rc::clone(&props.handle), version.clone());
        use_effect_with(Rc::as_ptr(&props.handle) as usize, move |_| {
            let counter = Rc::new(std::cell::Cell::new(0_u64));
            let id = handle.watch(Rc::new(move || {
                counter.set(counter.get() + 1);
                version.set(counter.get());
            }));
            move || handle.unwatch(id)
        });
    }
    let ui = use_reducer(UiState::default);
    let context = ChatContext { handle: Rc::clone(&props.handle), locale: Rc::clone(&props.locale), version: *version };
    let title = props.title.clone().unwrap_or_else(|| props.locale.t("title").into());
    html! {
        <ContextProvider<ChatContext> context={context}>
            <ContextProvider<crate::store::Ui> context={ui}>
                <section class="mc-panel" lang={props.locale.lang().to_owned()} aria-label={title.clone()}>
                    <Header title={title} />
                    <Banner />
                    <PinnedBar />
                    <MessageList />
                    <Composer />
                </section>
            </ContextProvider<crate::store::Ui>>
        </ContextProvider<ChatContext>>
    }
}

/// The panel with many messages loaded: DOM size, the time to show one more
/// message, and scroll frame times. A benchmark, not a test: `bash .ci/bench`
/// runs it and prints the figures. `BENCH_MESSAGES` sets the count (at build
/// time); it defaults to 20,000 because scrolling with 100,000 loaded does not
/// settle yet: each list render is O(n) and measuring rows while keeping the
/// scroll anchor re-renders repeatedly (open in issue 4).
#[cfg(test)]
mod bench {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;
    use crate::js_api::bench_support::{deliver, handle_with};

    wasm_bindgen_test_configure!(run_in_browser);

    async fn next_frame() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.request_animation_frame(&resolve);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    fn now() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }

    /// Screen-sized scroll steps measured, upwards from the bottom.
    const SCROLL_STEPS: usize = 15;

    fn percentile(sorted: &[f64], p: f64) -> f64 {
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }

    #[wasm_bindgen_test]
    #[ignore = "a benchmark; run with .ci/bench"]
    async fn panel_with_many_messages() {
        let loaded: u64 = option_env!("BENCH_MESSAGES").and_then(|v| v.parse().ok()).unwrap_or(20_000);
        let document = web_sys::window().and_then(|w| w.document()).expect("document");
        let host: web_sys::HtmlElement = document.create_element("div").expect("div").unchecked_into();
        host.set_attribute("style", "height:640px;width:400px;display:flex").expect("style");
        let style = document.create_element("style").expect("style");
        style.set_text_content(Some(include_str!("../www/meeting-chat.css")));
        document.head().expect("head").append_child(&style).expect("append");
        document.body().expect("body").append_child(&host).expect("append");
        let handle = handle_with(loaded);
        let props = ChatPanelProps { handle: Rc::clone(&handle), locale: Rc::new(Locale::default()), title: None };
        let app = yew::Renderer::<ChatPanel>::with_root_and_props(host.clone().into(), props).render();
        for _ in 0..10 {
            next_frame().await;
        }
        let nodes = host.query_selector_all("*").expect("query").length();
        let rows = host.query_selector_all("[data-row]").expect("query").length();

        // Time from a frame arriving to the new message being in the DOM.
        let mut appends = Vec::new();
        for seq in loaded + 1..=loaded + 20 {
            let start = now();
            deliver(&handle.session, seq);
            let wanted = format!("message number {seq}");
            loop {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if host.text_content().unwrap_or_default().contains(&wanted) {
                    break;
                }
            }
            appends.push(now() - start);
        }
        appends.sort_by(f64::total_cmp);

        // Scroll from the bottom towards the top in screen-sized steps.
        let list: web_sys::Element = host.query_selector(".mc-list").expect("query").expect("list");
        let mut frames = Vec::new();
        let mut top = list.scroll_height() - 640;
        for _ in 0..SCROLL_STEPS {
            top = (top - 600).max(0);
            let start = now();
            list.set_scroll_top(top);
            next_frame().await;
            next_frame().await;
            frames.push(now() - start);
        }
        frames.sort_by(f64::total_cmp);
        let nodes_after_scroll = host.query_selector_all("*").expect("query").length();
        web_sys::console::log_1(
            &format!(
                "BENCH panel with {loaded} messages: {nodes} DOM nodes ({rows} rows rendered), {nodes_after_scroll} after scrolling; \
                 append one message p50 {:.1} ms max {:.1} ms; scroll step (2 frames) p50 {:.1} ms p95 {:.1} ms max {:.1} ms",
                percentile(&appends, 0.5),
                appends.last().copied().unwrap_or(0.0),
                percentile(&frames, 0.5),
                percentile(&frames, 0.95),
                frames.last().copied().unwrap_or(0.0),
            )
            .into(),
        );
        assert!(nodes_after_scroll < 2_000, "the DOM stays small");
        app.destroy();
    }
}
