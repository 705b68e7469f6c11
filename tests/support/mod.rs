//! Browser test helpers: tokens from the dev server, chats driven through
//! their JS surface, and waiting for conditions.
#![allow(dead_code)]

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use meeting_chat::js_api::MeetingChat;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The server the harness started (`.ci/browser-tests`).
pub fn server() -> &'static str {
    match option_env!("CHAT_TEST_SERVER") {
        Some(url) => url,
        None => panic!("run browser tests through .ci/browser-tests, which starts a server"),
    }
}

fn http_base() -> String {
    server().replacen("ws://", "http://", 1).trim_end_matches("/ws").to_owned()
}

/// A meeting id no other test uses.
pub fn unique_meeting(name: &str) -> String {
    format!("{name}-{}", (js_sys::Math::random() * 1e12) as u64)
}

pub async fn token(name: &str, meeting: &str, role: &str) -> String {
    let url = format!("{}/dev/token?name={name}&meeting={meeting}&role={role}", http_base());
    let window = web_sys::window().unwrap();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await.unwrap().dyn_into().unwrap();
    assert!(response.ok(), "dev token request failed");
    let body = JsFuture::from(response.json().unwrap()).await.unwrap();
    Reflect::get(&body, &"token".into()).unwrap().as_string().unwrap()
}

pub fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

pub async fn connect_with(token: String, storage_key: Option<&str>) -> JsValue {
    let mut pairs = vec![("url", JsValue::from(server())), ("token", JsValue::from(token))];
    if let Some(key) = storage_key {
        pairs.push(("storageKey", key.into()));
    }
    let promise = MeetingChat::connect(options(&pairs)).unwrap();
    JsFuture::from(promise).await.expect("connects")
}

pub async fn connect(name: &str, meeting: &str, role: &str) -> JsValue {
    connect_with(token(name, meeting, role).await, None).await
}

pub fn prop(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

pub fn text(object: &JsValue, key: &str) -> String {
    prop(object, key).as_string().unwrap_or_default()
}

/// Calls a method through JS, as a page would.
pub fn call(object: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = prop(object, method).dyn_into().expect("a method");
    function.apply(object, &args.iter().collect::<Array>())
}

/// Calls a method returning a promise and awaits it.
pub async fn call_async(object: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise: Promise = call(object, method, args)?.dyn_into().expect("a promise");
    JsFuture::from(promise).await
}

pub fn messages(chat: &JsValue) -> Vec<JsValue> {
    Array::from(&prop(chat, "messages")).iter().collect()
}

pub fn texts(chat: &JsValue) -> Vec<String> {
    messages(chat).iter().map(|m| text(m, "message")).collect()
}

pub fn error_code(error: &JsValue) -> String {
    text(error, "code")
}

pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits up to 5 s for `condition`.
pub async fn until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..250 {
        if condition() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting until {what}");
}

pub fn file(bytes: &[u8], name: &str, mime: &str) -> JsValue {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let bag = web_sys::FilePropertyBag::new();
    bag.set_type(mime);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &bag).unwrap().into()
}

/// A 2×2 PNG.
pub const PNG: [u8; 74] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A, 0x73, 0x00, 0x00, 0x00, 0x11, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x44, 0x0C, 0x60, 0xF2, 0x3F, 0x00, 0x1B, 0xF2, 0x03,
    0xFD, 0xF3, 0xE7, 0x4B, 0xB1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A minimal WAV file.
pub fn wav() -> Vec<u8> {
    let mut bytes = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00".to_vec();
    bytes.extend_from_slice(&[0; 16]);
    bytes
}

/// Records the payloads of one event.
pub fn record(chat: &JsValue, event: &str) -> std::rc::Rc<std::cell::RefCell<Vec<JsValue>>> {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = std::rc::Rc::clone(&seen);
    let callback = wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |payload: JsValue| {
        sink.borrow_mut().push(payload);
    });
    call(chat, "on", &[event.into(), callback.as_ref().clone()]).unwrap();
    callback.forget();
    seen
}
