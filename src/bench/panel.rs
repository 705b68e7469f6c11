//! The panel with many messages loaded: DOM size, the time to show one more
//! message, the time to show a reaction to one, and scroll frame times, each beside the same figure with 1,000
//! loaded measured in the same run (the machine is shared and noisy, so the
//! ratio is the figure to trust). A benchmark, not a test: `bash .ci/bench`
//! runs it. `BENCH_MESSAGES` sets the count at build time (default 100,000).
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use std::rc::Rc;

use crate::app::{ChatPanel, ChatPanelProps};
use crate::locale::Locale;
use crate::test_support::{client_with, deliver};

wasm_bindgen_test_configure!(run_in_browser);

/// Screen-sized scroll steps measured, upwards from the bottom.
const SCROLL_STEPS: usize = 30;
const APPENDS: u64 = 20;
const BASELINE_MESSAGES: u64 = 1_000;

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

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn p95(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * 0.95).round() as usize]
}

struct Figures {
    nodes: u32,
    rows: u32,
    nodes_after_scroll: u32,
    append: Vec<f64>,
    react: Vec<f64>,
    scroll: Vec<f64>,
}

/// Mounts a panel with `loaded` messages and measures it.
async fn measure(loaded: u64) -> Figures {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let host: web_sys::HtmlElement = document.create_element("div").expect("div").unchecked_into();
    host.set_attribute("style", "height:640px;width:400px;display:flex").expect("style");
    document.body().expect("body").append_child(&host).expect("append");
    let client = client_with(loaded);
    let props = ChatPanelProps { client: client.clone(), locale: Rc::new(Locale::default()), title: None };
    let app = yew::Renderer::<ChatPanel>::with_root_and_props(host.clone().into(), props).render();
    for _ in 0..10 {
        next_frame().await;
    }
    let nodes = host.query_selector_all("*").expect("query").length();
    let rows = host.query_selector_all("[data-row]").expect("query").length();

    // Time from a frame arriving to the new message being in the DOM.
    let mut append = Vec::new();
    for seq in loaded + 1..=loaded + APPENDS {
        let start = now();
        deliver(&client, seq);
        let wanted = format!("message number {seq}");
        loop {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if host.text_content().unwrap_or_default().contains(&wanted) {
                break;
            }
        }
        append.push(now() - start);
    }

    // Time from a reaction event on the newest message to its chip showing the count.
    let mut react = Vec::new();
    let newest = format!("m{}", loaded + APPENDS);
    for count in 1..=APPENDS {
        let start = now();
        let event = chat_protocol::Event::ReactionUpdated {
            id: newest.as_str().into(),
            emoji: "👍".into(),
            by: format!("user{count}").into(),
            added: true,
            count: count as u32,
        };
        client.feed(chat_core::Input::Frame(chat_protocol::testing::event(loaded + APPENDS + count, event)));
        let wanted = format!("👍{count}");
        loop {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let chip = host.query_selector(".mc-reaction").ok().flatten().and_then(|c| c.text_content());
            if chip.as_deref() == Some(wanted.as_str()) {
                break;
            }
        }
        react.push(now() - start);
    }

    // Scroll from the bottom towards the top in screen-sized steps; each
    // step is timed to the second frame after it, when rows measured in
    // the first have been laid out again.
    let list: web_sys::Element = host.query_selector(".mc-list").expect("query").expect("list");
    let mut scroll = Vec::new();
    let mut top = list.scroll_height() - 640;
    for _ in 0..SCROLL_STEPS {
        top = (top - 600).max(0);
        let start = now();
        list.set_scroll_top(top);
        next_frame().await;
        next_frame().await;
        scroll.push(now() - start);
    }
    let nodes_after_scroll = host.query_selector_all("*").expect("query").length();
    app.destroy();
    host.remove();
    Figures { nodes, rows, nodes_after_scroll, append, react, scroll }
}

#[wasm_bindgen_test]
#[ignore = "a benchmark; run with .ci/bench"]
async fn panel_with_many_messages() {
    let loaded: u64 = option_env!("BENCH_MESSAGES").and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(include_str!("../../www/meeting-chat.css")));
    document.head().expect("head").append_child(&style).expect("append");

    // Two idle frames: the floor under every scroll step.
    let mut idle = Vec::new();
    for _ in 0..SCROLL_STEPS {
        let start = now();
        next_frame().await;
        next_frame().await;
        idle.push(now() - start);
    }
    let base = measure(BASELINE_MESSAGES).await;
    let many = measure(loaded).await;
    let (idle, base_append, base_scroll) = (median(idle), median(base.append.clone()), median(base.scroll.clone()));
    let base_react = median(base.react.clone());
    web_sys::console::log_1(
        &format!(
            "BENCH panel with {loaded} messages (baseline {BASELINE_MESSAGES} in the same run): \
             {} DOM nodes ({} rows rendered), {} after scrolling (baseline {}); \
             append one message p50 {:.1} ms (baseline {base_append:.1}, ratio {:.2}); \
             show a reaction p50 {:.1} ms (baseline {base_react:.1}, ratio {:.2}); \
             scroll step (2 frames) p50 {:.1} ms p95 {:.1} ms (baseline {base_scroll:.1}, ratio {:.2}; two idle frames {idle:.1})",
            many.nodes,
            many.rows,
            many.nodes_after_scroll,
            base.nodes,
            median(many.append.clone()),
            median(many.append.clone()) / base_append,
            median(many.react.clone()),
            median(many.react.clone()) / base_react,
            median(many.scroll.clone()),
            p95(many.scroll.clone()),
            median(many.scroll.clone()) / base_scroll,
        )
        .into(),
    );
    assert!(many.nodes_after_scroll < 2_000, "the DOM stays small");
}
