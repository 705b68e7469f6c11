//! The full view of an image: a modal `<dialog>`, so the browser traps focus
//! and closes it on Escape; closing returns focus to what opened it.

use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

use super::icons;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::store::UiAction;

/// The open image, if any.
#[function_component(ImageViewer)]
pub fn image_viewer() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(ui.viewing.is_some(), move |open| {
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
    let Some(image) = ui.viewing.clone() else { return html! {} };
    let close = {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(UiAction::View(None)))
    };
    // The dialog closes itself on Escape; keep the UI state in step.
    let onclose = {
        let ui = ui.clone();
        Callback::from(move |_: Event| ui.dispatch(UiAction::View(None)))
    };
    let t = |key: &str| chat.locale.t(key);
    html! {
        <dialog ref={dialog} class="mc-viewer" aria-label={image.alt.clone()} {onclose}>
            <div class="mc-viewer-bar">
                <a class="mc-button" href={image.url.clone()} target="_blank" rel="noopener noreferrer" download="">{ t("download") }</a>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            <img class="mc-viewer-img" src={image.url.clone()} alt={image.alt.clone()} />
        </dialog>
    }
}
