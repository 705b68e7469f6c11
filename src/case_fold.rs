//! Names in lower case, for matching and ordering what people type against
//! display names, by the browser's Unicode tables: Rust's own would add some
//! 16 KB to the wasm.

/// `name` in lower case.
pub fn folded(name: &str) -> String {
    js_sys::JsString::from(name).to_lower_case().into()
}
