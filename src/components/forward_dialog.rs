//! Where to forward a message: everyone, or one participant privately,
//! found by name in a meeting of any size.

use chat_protocol::ParticipantId;
use yew::prelude::*;

use super::icons;
use super::lazy::{Draw, Lazy};
use super::participant_picker::{self, ParticipantPickerProps};
use crate::client::SendOptions;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_modal::{use_modal, Modal};
use crate::lazy_part::lazy_part;
use crate::store::UiAction;

lazy_part!(
    /// The forward dialog, loaded when first opened.
    pub PART in forward_dialog: Draw<()> = |()| html! { <ForwardDialog /> }
);

/// The destination picker, while a message is being forwarded.
#[function_component(ForwardDialog)]
pub fn forward_dialog() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |()| ui.dispatch(UiAction::Forward(None)))
    };
    let Modal { dialog, close, onclose } = use_modal(ui.forwarding.is_some(), dismiss);
    let Some(id) = ui.forwarding.clone() else { return html! {} };
    let t = |key: &str| chat.locale.t(key);
    let forward_to = {
        let (client, intents, ui) = (chat.client.clone(), intents.clone(), ui.clone());
        Callback::from(move |targets: Vec<ParticipantId>| {
            intents.run(client.forward(id.clone(), SendOptions { targets, ..SendOptions::default() }));
            ui.dispatch(UiAction::Forward(None));
        })
    };
    let to_everyone = forward_to.reform(|_: MouseEvent| Vec::new());
    let on_pick = forward_to.reform(|participant: chat_protocol::Participant| vec![participant.id]);
    html! {
        <dialog ref={dialog} class="mc-dialog mc-forward" aria-labelledby="mc-forward-title" {onclose}>
            <div class="mc-dialog-bar">
                <h2 id="mc-forward-title" class="mc-dialog-title">{ t("forwardTo") }</h2>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            <button type="button" class="mc-destination" onclick={to_everyone}>{ t("everyone") }</button>
            <Lazy<ParticipantPickerProps> part={&participant_picker::PART} wanted=true props={ParticipantPickerProps { on_pick, label: t("privateWith").into() }} />
        </dialog>
    }
}
