//! The files waiting to go with the next message: each with its name and
//! size and a button that takes it out again (named for the file, so a
//! screen reader says which).

use yew::prelude::*;

use super::attachments::file_name;
use super::icons;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::store::UiAction;
use crate::text_format::file_size;

/// The composer's tray of files; nothing while it is empty.
#[function_component(AttachmentTray)]
pub fn attachment_tray() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    if ui.pending.is_empty() {
        return html! {};
    }
    html! {
        <ul class="mc-tray" aria-label={chat.locale.t("attachments")}>
            { for ui.pending.iter().map(|pending| {
                let (ui, id, name) = (ui.clone(), pending.id, pending.file.name());
                let remove = Callback::from(move |_| ui.dispatch(UiAction::RemoveFile(id)));
                html! {
                    <li class="mc-tray-file">
                        <span class="mc-file-icon">{ icons::attach() }</span>
                        { file_name(&name) }
                        <span class="mc-file-size">{ file_size(pending.file.size() as u64) }</span>
                        <button type="button" class="mc-icon-button" onclick={remove}
                            aria-label={chat.locale.t_with("removeFile", "name", &name)}>{ icons::close() }</button>
                    </li>
                }
            }) }
        </ul>
    }
}
