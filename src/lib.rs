//! meeting-chat: an embeddable chat panel for meeting pages, compiled to WebAssembly.
//!
//! Data flows one way, socket → protocol → core → client → faces; intents go back.
//! - [`transport`]: the socket loop, reconnects and resume, over chat-core's state.
//! - [`client`]: `ChatClient`, the one room both faces hold: session, operations, subscriptions, uploads, outbox.
//! - `js_api` (wasm only): `MeetingChat`, the JS face, a thin wrapper over the client shaped like the seeds' APIs.
//! - `app`, `components/`, `hooks/`, `store` (wasm only): the yew face, reading the client through selectors;
//!   `mount` exports `mountChatPanel`; `case_fold` lowers names by the browser's tables; `lazy_part` makes
//!   the features the first paint does not need lazily loaded parts (split out of the wasm by the package build).
//! - [`csv_export`]: the seed's CSV export.
//! - [`locale`], [`text_format`], [`markdown`], [`mentions`], [`blurhash_color`]: the panel's strings and pure formatting rules.
//! - [`virtual_list`]: the message list's geometry, so 100,000 messages scroll like 100.

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod app;
pub mod blurhash_color;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod case_fold;
pub mod client;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod components;
pub mod csv_export;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod js_api;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod lazy_part;
pub mod locale;
pub mod markdown;
pub mod mentions;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
pub mod mount;
#[cfg(all(target_arch = "wasm32", feature = "panel"))]
mod store;
pub mod text_format;
pub mod transport;
pub mod virtual_list;

/// Talc instead of Rust's default dlmalloc: measured smaller in this wasm
/// (see the book's Benchmarks), and faster in its authors' wasm benchmarks.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(test, target_arch = "wasm32", feature = "panel"))]
mod bench;
#[cfg(all(test, target_arch = "wasm32", feature = "panel"))]
mod test_support;

/// The chat protocol version this build speaks.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    chat_protocol::PROTOCOL_VERSION
}
