//! The book's JavaScript samples, as written, in headless Chromium against the
//! real server (`book_samples.js` runs them), and a check that the JS API page
//! shows every method, property and event the types declare.
#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Object, Reflect};
use support::{connect, file, server, text, token, unique_meeting, wav, PNG};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const JS_API: &str = include_str!("../docs/src/js-api.md");
const COMPATIBILITY: &str = include_str!("../docs/src/compatibility.md");
const MODERATION: &str = include_str!("../docs/src/moderation.md");
const POLLS: &str = include_str!("../docs/src/polls.md");
const TYPES: &str = include_str!("../www/meeting-chat-headless.d.ts");

#[wasm_bindgen(module = "/tests/book_samples.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = runPage)]
    async fn run_page(name: &str, markdown: &str, env: &JsValue) -> Result<JsValue, JsValue>;
}

/// What the pages say their samples run with: a connected host `chat` (as
/// `meeting.chat` too), another participant `bobId`, three `File`s, a token of
/// the server's, and the package's exports, `connect` reaching the test server
/// whatever `url` a sample writes.
async fn sample_env(meeting: &str) -> (JsValue, JsValue) {
    let chat = connect("Ann", meeting, "host").await;
    let bob = connect("Bob", meeting, "participant").await;
    let env = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&env, &key.into(), value).expect("an object takes a key");
    let page = Object::new();
    Reflect::set(&page, &"chat".into(), &chat).expect("an object takes a key");
    set("chat", &chat);
    set("meeting", &page);
    set("bobId", &text(&bob, "selfId").into());
    set("photo", &file(&PNG, "photo.png", "image/png"));
    set("file", &file(b"minutes of the meeting", "minutes.txt", "text/plain"));
    set("voice", &file(&wav(), "memo.wav", "audio/wav"));
    set("token", &token("Dee", meeting, "participant").await.into());
    let connect_here = Closure::<dyn Fn(JsValue) -> Result<js_sys::Promise, JsValue>>::new(|options: JsValue| {
        Reflect::set(&options, &"url".into(), &server().into())?;
        meeting_chat::js_api::MeetingChat::connect(options)
    });
    set("connect", connect_here.as_ref());
    connect_here.forget();
    let version = Closure::<dyn Fn() -> u32>::new(meeting_chat::protocol_version);
    set("protocolVersion", version.as_ref());
    version.forget();
    (env.into(), bob)
}

async fn run(name: &str, markdown: &str) -> u32 {
    let meeting = unique_meeting("book");
    let (env, _bob) = sample_env(&meeting).await;
    match run_page(name, markdown, &env).await {
        Ok(count) => count.as_f64().unwrap_or_default() as u32,
        Err(error) => panic!("{}", error.dyn_into::<js_sys::Error>().map_or("a sample failed".into(), |e| e.message())),
    }
}

#[wasm_bindgen_test]
async fn every_sample_of_the_js_api_page_runs_as_written() {
    assert!(run("js-api.md", JS_API).await >= 10);
}

#[wasm_bindgen_test]
async fn every_sample_of_the_compatibility_page_runs_as_written() {
    assert!(run("compatibility.md", COMPATIBILITY).await >= 4);
}

#[wasm_bindgen_test]
async fn every_sample_of_the_moderation_page_runs_as_written() {
    assert!(run("moderation.md", MODERATION).await >= 5);
}

#[wasm_bindgen_test]
async fn every_sample_of_the_polls_page_runs_as_written() {
    assert!(run("polls.md", POLLS).await >= 2);
}

/// The members `MeetingChat` declares, and the events `ChatEvents` names.
fn declared(types: &str, block: &str) -> Vec<String> {
    let start = types.find(block).unwrap_or_else(|| panic!("the types declare {block}"));
    let body = &types[start..];
    let body = &body[body.find('{').expect("a body") + 1..body.find("\n}").expect("the body ends")];
    body.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('*') && !line.starts_with("/*") && !line.starts_with("private"))
        .filter_map(|line| {
            let line = line.trim_start_matches("readonly ").trim_start_matches("static ");
            let name: String = line.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[wasm_bindgen_test]
fn the_js_api_page_shows_every_member_and_event_the_types_declare() {
    let samples: String = JS_API.split("```js").skip(1).filter_map(|block| block.split("```").next()).collect();
    let mut missing: Vec<String> = declared(TYPES, "export declare class MeetingChat")
        .into_iter()
        .chain(declared(TYPES, "export interface ChatEvents"))
        // `free()` ends the object it is called on; the page says so in words.
        .filter(|name| name != "free" && !samples.contains(name.as_str()))
        .collect();
    missing.dedup();
    assert!(missing.is_empty(), "the JS API page's samples never use {missing:?}");
}
