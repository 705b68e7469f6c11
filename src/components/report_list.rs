//! A host's open reports, in the chat settings dialog: each reported message
//! with its sender and who reported it why, and what the host does about it:
//! dismiss the reports, delete the message, or remove its sender with their
//! messages. It belongs to the settings form's lazily loaded part (a hook and
//! a view the form calls, as the mute list).

use chat_protocol::{Content, DeleteScope, MessageId, ParticipantId};
use yew::prelude::*;

use crate::hooks::use_intent::Intents;
use crate::hooks::use_selector::use_selector;
use crate::store::ChatContext;

/// One reported message as the host sees it.
#[derive(Clone, PartialEq)]
pub(super) struct Reported {
    id: MessageId,
    /// Its sender, when the message is loaded here.
    sender: Option<(ParticipantId, String)>,
    /// Its text, or how to name what it is.
    shown: String,
    /// "Name: reason", one per report.
    reasons: Vec<String>,
}

/// The open reports, one entry per message, oldest first.
#[hook]
pub(super) fn use_reports(chat: &ChatContext) -> Vec<Reported> {
    let locale = chat.locale.clone();
    use_selector(move |client| {
        let state = client.state();
        let mut reported: Vec<Reported> = Vec::new();
        for report in state.reports() {
            let said = format!("{}: {}", report.by_name, report.reason);
            if let Some(entry) = reported.iter_mut().find(|entry| entry.id == report.message_id) {
                entry.reasons.push(said);
                continue;
            }
            let message = state.timeline().get(&report.message_id);
            let shown = match message.map(|message| &message.content) {
                Some(Content::Text { text }) => text.clone(),
                Some(_) => locale.t("reportedFile"),
                None => locale.t("reportedElsewhere"),
            };
            let sender = message.map(|m| (m.sender.id.clone(), m.sender.display_name.clone()));
            reported.push(Reported { id: report.message_id.clone(), sender, shown, reasons: vec![said] });
        }
        reported
    })
}

/// The open reports with what a host does about each.
pub(super) fn report_list(chat: &ChatContext, intents: &Intents, reported: Vec<Reported>) -> Html {
    let t = |key: &str| chat.locale.t(key);
    html! {
        <section class="mc-reports" aria-labelledby="mc-reports-title">
            <h3 id="mc-reports-title" class="mc-setting-heading">{ t("reportsTitle") }</h3>
            if reported.is_empty() {
                <p class="mc-setting-note">{ t("noReports") }</p>
            } else {
                <ul class="mc-report-list">
                    { for reported.into_iter().map(|entry| {
                        let act = |run: fn(&crate::client::ChatClient, &Reported) -> crate::client::OpResult<()>| {
                            let (client, intents, entry) = (chat.client.clone(), intents.clone(), entry.clone());
                            Callback::from(move |_: MouseEvent| intents.run(run(&client, &entry)))
                        };
                        let dismiss = act(|client, entry| client.dismiss_reports(entry.id.clone()));
                        let delete = act(|client, entry| client.delete(entry.id.clone(), DeleteScope::Everyone));
                        let remove = entry.sender.clone().map(|(sender, name)| {
                            let (client, intents) = (chat.client.clone(), intents.clone());
                            let onclick = Callback::from(move |_: MouseEvent| intents.run(client.remove(sender.clone(), true)));
                            (onclick, name)
                        });
                        html! {
                            <li class="mc-report">
                                <p class="mc-report-message">
                                    if let Some((_, name)) = &entry.sender { <strong>{ format!("{name}: ") }</strong> }
                                    { entry.shown.clone() }
                                </p>
                                <ul class="mc-report-reasons">
                                    { for entry.reasons.iter().map(|said| html! { <li>{ said.clone() }</li> }) }
                                </ul>
                                <div class="mc-report-actions">
                                    <button type="button" class="mc-link-button" onclick={dismiss}>{ t("dismissReports") }</button>
                                    <button type="button" class="mc-link-button" onclick={delete}>{ t("deleteForEveryone") }</button>
                                    if let Some((onclick, name)) = remove {
                                        <button type="button" class="mc-link-button mc-danger" {onclick}>
                                            { chat.locale.t_with("removeName", "name", &name) }
                                        </button>
                                    }
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
