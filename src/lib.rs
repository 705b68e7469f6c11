//! meeting-chat: an embeddable chat panel for meeting pages, compiled to WebAssembly.
//!
//! - [`transport`]: the socket loop, reconnects and resume, over chat-core's state.
//! - `js_api` (wasm only): `MeetingChat`, the JS API shaped like the seed's `meeting.chat`.
//! - [`csv_export`]: the seed's CSV export.
//!
//! The yew panel and the JS API build on these.

use wasm_bindgen::prelude::wasm_bindgen;

pub mod csv_export;
pub mod locale;
pub mod text_format;
#[cfg(target_arch = "wasm32")]
pub mod js_api;
pub mod transport;

/// The chat protocol version this build speaks.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    chat_protocol::PROTOCOL_VERSION
}
