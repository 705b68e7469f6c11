//! File uploads over XMLHttpRequest, which (unlike fetch) reports upload
//! progress; abortable.

use std::cell::RefCell;
use std::rc::Rc;

use chat_protocol::FileRef;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

use super::platform::{UploadError, UploadEvents, UploadRequest, UploadTask};

type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<FileRef, UploadError>)>>>>;

fn finish(done: &Done, result: Result<FileRef, UploadError>) {
    let callback = done.borrow_mut().take();
    if let Some(callback) = callback {
        callback(result);
    }
}

fn read_response(xhr: &XmlHttpRequest) -> Result<FileRef, UploadError> {
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if status == 200 {
        return serde_json::from_str(&body).map_err(|e| UploadError::new("bad_response", e.to_string(), true));
    }
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let code = parsed["code"].as_str().unwrap_or("upload_failed");
    let message = parsed["message"].as_str().map_or_else(|| format!("upload failed with HTTP {status}"), str::to_owned);
    Err(UploadError::new(code, message, status == 429 || status >= 500))
}

/// An XHR upload in flight.
pub struct XhrUpload {
    xhr: Option<XmlHttpRequest>,
    done: Done,
}

impl UploadTask for XhrUpload {
    fn abort(&self) {
        match &self.xhr {
            // Its `abort` handler reports the end.
            Some(xhr) => {
                let _ = xhr.abort();
            }
            None => finish(&self.done, Err(UploadError::new("aborted", "the upload was cancelled", false))),
        }
    }
}

/// Starts an upload; a failure to start is reported through `events.done`.
pub fn start(request: UploadRequest, events: UploadEvents) -> XhrUpload {
    let done: Done = Rc::new(RefCell::new(Some(events.done)));
    match open(&request, events.progress, &done) {
        Ok(xhr) => XhrUpload { xhr: Some(xhr), done },
        Err(error) => {
            let reason = error.as_string().unwrap_or_else(|| "the upload could not start".to_owned());
            finish(&done, Err(UploadError::new("network", reason, true)));
            XhrUpload { xhr: None, done }
        }
    }
}

fn open(request: &UploadRequest, progress: Box<dyn Fn(u64, u64)>, done: &Done) -> Result<XmlHttpRequest, JsValue> {
    let blob: &Blob = request.file.body.downcast_ref().ok_or_else(|| JsValue::from_str("not a browser file"))?;
    let url = format!(
        "{}/api/v1/uploads?name={}&kind={}",
        request.http_base,
        String::from(js_sys::encode_uri_component(&request.file.name)),
        // Text has no file; a file upload is what it would be.
        if request.kind == chat_protocol::MessageKind::Text { "file" } else { request.kind.as_str() }
    );
    let xhr = XmlHttpRequest::new()?;
    xhr.open_with_async("POST", &url, true)?;
    xhr.set_request_header("Authorization", &format!("Bearer {}", request.token))?;

    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            progress(event.loaded() as u64, event.total() as u64);
        }
    });
    xhr.upload()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    on_progress.forget();

    let (load_done, load_xhr) = (Rc::clone(done), xhr.clone());
    let on_load = Closure::once_into_js(move || finish(&load_done, read_response(&load_xhr)));
    xhr.set_onload(Some(on_load.unchecked_ref()));
    let error_done = Rc::clone(done);
    let on_error = Closure::once_into_js(move || {
        finish(&error_done, Err(UploadError::new("network", "the upload could not reach the server", true)))
    });
    xhr.set_onerror(Some(on_error.unchecked_ref()));
    let abort_done = Rc::clone(done);
    let on_abort = Closure::once_into_js(move || {
        finish(&abort_done, Err(UploadError::new("aborted", "the upload was cancelled", false)))
    });
    xhr.set_onabort(Some(on_abort.unchecked_ref()));
    xhr.send_with_opt_blob(Some(blob))?;
    Ok(xhr)
}
