//! Hooks the panel's components share: the chat and UI contexts, selectors
//! over the client, intents whose outcome lands in the panel, modal dialogs,
//! a ticking clock, and noticing an element's size change.

pub mod use_chat;
pub mod use_intent;
pub mod use_mentions;
pub mod use_modal;
pub mod use_now;
pub mod use_resize;
pub mod use_selector;
