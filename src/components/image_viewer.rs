//! The full view of an image, in a modal dialog.

use yew::prelude::*;

use super::icons;
use super::lazy::Draw;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_modal::{use_modal, Modal};
use crate::lazy_part::lazy_part;
use crate::store::UiAction;

lazy_part!(
    /// The image viewer, loaded when first opened.
    pub PART in image_viewer: Draw<()> = |()| html! { <ImageViewer /> }
);

/// The open image, if any.
#[function_component(ImageViewer)]
pub fn image_viewer() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |()| ui.dispatch(UiAction::View(None)))
    };
    let Modal { dialog, close, onclose } = use_modal(ui.viewing.is_some(), dismiss);
    let Some(image) = ui.viewing.clone() else { return html! {} };
    let t = |key: &str| chat.locale.t(key);
    html! {
        <dialog ref={dialog} class="mc-dialog mc-viewer" aria-label={image.alt.clone()} {onclose}>
            <div class="mc-dialog-bar">
                <a class="mc-button" href={image.url.clone()} target="_blank" rel="noopener noreferrer" download="">{ t("download") }</a>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            <img class="mc-viewer-img" src={image.url.clone()} alt={image.alt.clone()} />
        </dialog>
    }
}
