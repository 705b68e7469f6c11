//! JS `Error` objects with a `code`, so callers can branch on `err.code`.

use chat_core::OpError;
use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

/// What JS-facing functions return.
pub type JsResult<T> = Result<T, JsValue>;

/// An `Error` with `code` (and `retryable`, `retryAfterMs` when known).
pub fn js_error(code: &str, message: &str) -> JsValue {
    let error = Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// The JS form of a core operation error.
pub fn op_error(error: &OpError) -> JsValue {
    let value = js_error(&error.code, &error.message);
    let _ = Reflect::set(&value, &"retryable".into(), &error.retryable.into());
    if let Some(ms) = error.retry_after_ms {
        let _ = Reflect::set(&value, &"retryAfterMs".into(), &(ms as f64).into());
    }
    value
}

/// A `TypeError`-like error for bad arguments.
pub fn invalid_argument(message: &str) -> JsValue {
    js_error("invalid_argument", message)
}
