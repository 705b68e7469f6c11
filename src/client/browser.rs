//! The client's platform in a browser: `Date.now`, random client ids,
//! `localStorage`, `spawn_local` and timers, and uploads over XHR
//! ([`browser_upload`](super::browser_upload)).

use std::rc::Rc;

use chat_protocol::ClientId;
use futures::future::LocalBoxFuture;
use futures::FutureExt;

use super::browser_upload;
use super::platform::{Platform, UploadEvents, UploadRequest, UploadTask};

/// The browser page the client runs in.
pub struct BrowserPlatform;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Platform for BrowserPlatform {
    fn now(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn new_client_id(&self) -> ClientId {
        let part = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
        ClientId(format!("c{:08x}{:08x}{:08x}{:08x}", part(), part(), part(), part()))
    }

    fn load(&self, key: &str) -> Option<String> {
        storage()?.get_item(key).ok().flatten()
    }

    fn store(&self, key: &str, value: Option<&str>) {
        // A full or blocked storage only costs the outbox's survival across a reload.
        if let Some(storage) = storage() {
            let _ = match value {
                Some(value) => storage.set_item(key, value),
                None => storage.remove_item(key),
            };
        }
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        wasm_bindgen_futures::spawn_local(task);
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        gloo_timers::future::TimeoutFuture::new(ms).boxed_local()
    }

    fn upload(&self, request: UploadRequest, events: UploadEvents) -> Box<dyn UploadTask> {
        Box::new(browser_upload::start(request, events))
    }
}

/// A shared browser platform.
pub fn platform() -> Rc<dyn Platform> {
    Rc::new(BrowserPlatform)
}
