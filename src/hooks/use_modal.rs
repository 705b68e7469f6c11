//! `use_modal`: a `<dialog>` shown modally while `open`, so the browser traps
//! focus and closes it on Escape; when it closes, focus returns to whatever
//! had it when it opened.

use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

/// The ref to put on the `<dialog>`.
#[hook]
pub fn use_modal(open: bool) -> NodeRef {
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
    dialog
}
