//! Hooks the panel's components share.

pub mod use_chat;
pub mod use_modal;
pub mod use_now;
