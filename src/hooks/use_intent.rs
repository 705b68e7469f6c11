//! `use_intent`: carries out what a person asked for and makes sure its
//! outcome lands in the panel. A refused or failed intent becomes a notice
//! worded for a person in the panel's language; nothing reaches the host
//! page as an unhandled rejection.

use chat_core::OpError;
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use yew::prelude::*;

use super::use_chat::{use_chat, use_ui};
use crate::locale::Locale;
use crate::store::{Ui, UiAction};

/// Runs intents for one component.
#[derive(Clone)]
pub struct Intents {
    ui: Ui,
    locale: std::rc::Rc<Locale>,
}

impl Intents {
    /// Waits for `outcome`; a failure is shown in the panel.
    pub fn run<T: 'static>(&self, outcome: LocalBoxFuture<'static, Result<T, OpError>>) {
        self.settle(outcome.map(|result| result.err()).boxed_local());
    }

    /// Waits for `outcome` and hands its value to `then`; a failure is shown in the panel.
    pub fn run_then<T: 'static>(
        &self,
        outcome: LocalBoxFuture<'static, Result<T, OpError>>,
        then: impl FnOnce(T) + 'static,
    ) {
        self.settle(outcome.map(|result| result.map(then).err()).boxed_local());
    }

    /// The one task every intent's outcome goes through (whatever its value).
    fn settle(&self, failure: LocalBoxFuture<'static, Option<OpError>>) {
        let (ui, locale) = (self.ui.clone(), std::rc::Rc::clone(&self.locale));
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(error) = failure.await {
                ui.dispatch(UiAction::Notice(Some(locale.error(&error.code, error.cause.as_deref(), &error.message))));
            }
        });
    }
}

/// The intent runner of the panel this component is in.
#[hook]
pub fn use_intent() -> Intents {
    let chat = use_chat();
    Intents { ui: use_ui(), locale: chat.locale }
}
