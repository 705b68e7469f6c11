//! `use_chat` and `use_ui`: the chat context (the client and the strings)
//! and the panel's UI state.

use yew::prelude::*;

use crate::store::{ChatContext, Ui};

/// The chat context; panics only if a component is used outside the panel,
/// which is a programming error, not input.
#[hook]
pub fn use_chat() -> ChatContext {
    use_context::<ChatContext>().expect("panel components render inside ChatPanel")
}

/// The panel's UI state.
#[hook]
pub fn use_ui() -> Ui {
    use_context::<Ui>().expect("panel components render inside ChatPanel")
}
