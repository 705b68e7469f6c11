//! Where to forward a message: everyone, or one participant privately.

use chat_protocol::ParticipantId;
use yew::prelude::*;

use super::icons;
use crate::client::SendOptions;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_modal::{use_modal, Modal};
use crate::hooks::use_selector::use_selector;
use crate::store::UiAction;

/// The destination picker, while a message is being forwarded.
#[function_component(ForwardDialog)]
pub fn forward_dialog() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let peers: Vec<(ParticipantId, String)> = use_selector(|client| {
        let state = client.state();
        let me = state.me().map(|p| p.id.clone());
        state
            .participants()
            .iter()
            .filter(|p| Some(&p.id) != me.as_ref())
            .map(|p| (p.id.clone(), p.display_name.clone()))
            .collect()
    });
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |()| ui.dispatch(UiAction::Forward(None)))
    };
    let Modal { dialog, close, onclose } = use_modal(ui.forwarding.is_some(), dismiss);
    let Some(id) = ui.forwarding.clone() else { return html! {} };
    let t = |key: &str| chat.locale.t(key);
    let destination = |label: String, targets: Vec<ParticipantId>| {
        let (client, intents, ui, id) = (chat.client.clone(), intents.clone(), ui.clone(), id.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            intents.run(client.forward(id.clone(), SendOptions { targets: targets.clone(), ..SendOptions::default() }));
            ui.dispatch(UiAction::Forward(None));
        });
        html! { <li><button type="button" class="mc-destination" {onclick}>{ label }</button></li> }
    };
    html! {
        <dialog ref={dialog} class="mc-dialog mc-forward" aria-labelledby="mc-forward-title" {onclose}>
            <div class="mc-dialog-bar">
                <h2 id="mc-forward-title" class="mc-dialog-title">{ t("forwardTo") }</h2>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            <ul class="mc-destinations">
                { destination(t("everyone"), Vec::new()) }
                { for peers.into_iter().map(|(peer, name)| destination(format!("{} {name}", t("privateWith")), vec![peer])) }
            </ul>
        </dialog>
    }
}
