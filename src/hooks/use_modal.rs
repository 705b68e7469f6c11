//! `use_modal`: a `<dialog>` shown modally while `open`, so the browser traps
//! focus and closes it on Escape; when it closes, focus returns to whatever
//! had it when it opened. Closing, by its button or by Escape, calls the
//! caller's `on_dismiss`, so the panel's state follows the dialog.

use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

/// What a modal dialog's markup wires up.
pub struct Modal {
    /// The ref to put on the `<dialog>`.
    pub dialog: NodeRef,
    /// For the dialog's close button.
    pub close: Callback<MouseEvent>,
    /// For the dialog's `onclose` (it closes itself on Escape).
    pub onclose: Callback<Event>,
}

/// A modal dialog, shown while `open`.
#[hook]
pub fn use_modal(open: bool, on_dismiss: Callback<()>) -> Modal {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
            let opener = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok());
            if *open {
                if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                    let _ = dialog.show_modal();
                }
            }
            move || {
                if let Some(opener) = opener {
                    let _ = opener.focus();
                }
            }
        });
    }
    Modal { dialog, close: on_dismiss.reform(|_: MouseEvent| ()), onclose: on_dismiss.reform(|_: Event| ()) }
}
