//! meeting-chat: an embeddable chat panel for meeting pages, compiled to WebAssembly.
//!
//! This crate will hold the transport, the yew panel and the JS API. For now it
//! exposes the protocol version it was built against, so a page can check that
//! it talks to a compatible server.

use wasm_bindgen::prelude::wasm_bindgen;

/// The chat protocol version this build speaks.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    chat_protocol::PROTOCOL_VERSION
}
