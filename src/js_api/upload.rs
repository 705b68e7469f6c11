//! File uploads over XMLHttpRequest, which (unlike fetch) reports upload
//! progress; cancellable through an `AbortSignal`.

use std::cell::RefCell;
use std::rc::Rc;

use chat_protocol::FileRef;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Blob, ProgressEvent, XmlHttpRequest};

/// Why an upload did not produce a file.
#[derive(Clone, Debug)]
pub struct UploadError {
    /// `unsupported_media_type`, `too_large`, `unauthorized`, `rate_limited`,
    /// `network`, `aborted`, ...
    pub code: String,
    /// For people.
    pub message: String,
    /// Whether trying again can succeed.
    pub retryable: bool,
}

/// What to upload where.
pub struct Upload {
    /// The server's HTTP origin.
    pub http_base: String,
    /// The bearer token.
    pub token: String,
    /// The bytes.
    pub blob: Blob,
    /// The file name.
    pub name: String,
    /// `image`, `audio` or `file`.
    pub kind: &'static str,
}

type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<FileRef, UploadError>)>>>>;

fn finish(done: &Done, result: Result<FileRef, UploadError>) {
    if let Some(callback) = done.borrow_mut().take() {
        callback(result);
    }
}

fn failure(code: &str, message: impl Into<String>, retryable: bool) -> UploadError {
    UploadError { code: code.to_owned(), message: message.into(), retryable }
}

fn read_response(xhr: &XmlHttpRequest) -> Result<FileRef, UploadError> {
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 200 {
        return serde_json::from_str(&body).map_err(|e| failure("bad_response", e.to_string(), true));
    }
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let code = parsed["code"].as_str().unwrap_or("upload_failed");
    let message = parsed["message"].as_str().map_or_else(|| format!("upload failed with HTTP {status}"), str::to_owned);
    Err(failure(code, message, status == 429 || status >= 500))
}

/// Starts an upload; `progress` gets (loaded, total) bytes, `done` the result
/// exactly once.
pub fn start(
    upload: Upload,
    signal: Option<&AbortSignal>,
    progress: impl Fn(f64, f64) + 'static,
    done: impl FnOnce(Result<FileRef, UploadError>) + 'static,
) -> Result<XmlHttpRequest, JsValue> {
    let done: Done = Rc::new(RefCell::new(Some(Box::new(done))));
    if signal.is_some_and(AbortSignal::aborted) {
        finish(&done, Err(failure("aborted", "the upload was cancelled", false)));
        return XmlHttpRequest::new();
    }
    let url = format!(
        "{}/api/v1/uploads?name={}&kind={}",
        upload.http_base,
        String::from(js_sys::encode_uri_component(&upload.name)),
        upload.kind
    );
    let xhr = XmlHttpRequest::new()?;
    xhr.open_with_async("POST", &url, true)?;
    xhr.set_request_header("Authorization", &format!("Bearer {}", upload.token))?;

    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            progress(event.loaded(), event.total());
        }
    });
    xhr.upload()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    on_progress.forget();

    let (load_done, load_xhr) = (Rc::clone(&done), xhr.clone());
    let on_load = Closure::once_into_js(move || finish(&load_done, read_response(&load_xhr)));
    xhr.set_onload(Some(on_load.unchecked_ref()));
    let error_done = Rc::clone(&done);
    let on_error = Closure::once_into_js(move || {
        finish(&error_done, Err(failure("network", "the upload could not reach the server", true)))
    });
    xhr.set_onerror(Some(on_error.unchecked_ref()));
    let abort_done = Rc::clone(&done);
    let on_abort =
        Closure::once_into_js(move || finish(&abort_done, Err(failure("aborted", "the upload was cancelled", false))));
    xhr.set_onabort(Some(on_abort.unchecked_ref()));

    if let Some(signal) = signal {
        let abort_xhr = xhr.clone();
        let on_signal = Closure::once_into_js(move || {
            let _ = abort_xhr.abort();
        });
        signal.add_event_listener_with_callback("abort", on_signal.unchecked_ref())?;
    }
    xhr.send_with_opt_blob(Some(&upload.blob))?;
    Ok(xhr)
}
