//! The seeds' own samples against the real server, in headless Chromium:
//! RealtimeKit's chat guide verbatim (`seed_samples.js`), and Self's
//! answer-from-the-message.
#![cfg(target_arch = "wasm32")]

mod support;

use support::{connect, prop, unique_meeting, until};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/seed_samples.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = runRealtimeKitSamples)]
    async fn run_realtimekit_samples(ann: &JsValue, freddie: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = runSignalWire)]
    async fn run_signalwire(connect: &js_sys::Function) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = runSamaAttachments)]
    async fn run_sama_attachments(ann: &JsValue, bob: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = runSelfRespond)]
    async fn run_self_respond(bot: &JsValue, ann: &JsValue, bob: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen_test]
async fn every_javascript_sample_of_the_realtimekit_guide_does_what_it_says() {
    let meeting = unique_meeting("rtk-samples");
    let ann = connect("Ann", &meeting, "host").await;
    let freddie = connect("Freddie", &meeting, "participant").await;
    // The samples look Freddie up among Ann's participants: presence reaches her coalesced, a moment later.
    until("ann sees freddie", || prop(&ann, "participantCount").as_f64() == Some(2.0)).await;
    if let Err(error) = run_realtimekit_samples(&ann, &freddie).await {
        panic!("{}", js_sys::Error::from(error).message());
    }
}

#[wasm_bindgen_test]
async fn an_app_answers_a_message_from_the_message_keeping_its_audience() {
    let meeting = unique_meeting("self-respond");
    let bot = connect("Bot", &meeting, "participant").await;
    let ann = connect("Ann", &meeting, "participant").await;
    let bob = connect("Bob", &meeting, "participant").await;
    if let Err(error) = run_self_respond(&bot, &ann, &bob).await {
        panic!("{}", js_sys::Error::from(error).message());
    }
}

#[wasm_bindgen_test]
async fn conversations_by_address_page_both_ways_and_can_be_subscribed_to() {
    let meeting = unique_meeting("signalwire");
    let connect_in = move |name: JsValue| -> js_sys::Promise {
        let meeting = meeting.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(connect(&name.as_string().unwrap_or_default(), &meeting, "participant").await)
        })
    };
    let connect_in = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(connect_in);
    if let Err(error) = run_signalwire(connect_in.as_ref().unchecked_ref()).await {
        panic!("{}", js_sys::Error::from(error).message());
    }
}

#[wasm_bindgen_test]
async fn several_attachments_go_in_one_message_and_a_cancelled_one_fails_only_its_message() {
    let meeting = unique_meeting("sama");
    let ann = connect("Ann", &meeting, "participant").await;
    let bob = connect("Bob", &meeting, "participant").await;
    if let Err(error) = run_sama_attachments(&ann, &bob).await {
        panic!("{}", js_sys::Error::from(error).message());
    }
}
