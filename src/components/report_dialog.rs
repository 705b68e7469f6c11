//! Reporting a message to the hosts: a reason from a short list, with
//! details if the reporter wants to add some, sent as the report's reason.
//! Loaded when first opened.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::icons;
use super::lazy::Draw;
use crate::hooks::use_chat::{use_chat, use_ui};
use crate::hooks::use_intent::use_intent;
use crate::hooks::use_modal::{use_modal, Modal};
use crate::lazy_part::lazy_part;
use crate::store::UiAction;

/// The reasons offered, each named by the key `reportReason.{reason}`.
const REASONS: [&str; 4] = ["spam", "abuse", "offTopic", "other"];

/// The longest details a reporter adds, in characters, so that the reason
/// with them stays within the protocol's limit.
const MAX_DETAILS_CHARS: usize = 400;

lazy_part!(
    /// The report dialog, loaded when first opened.
    pub PART in report_dialog: Draw<()> = |()| html! { <ReportDialog /> }
);

/// The reason and details of a report, while a message is being reported.
#[function_component(ReportDialog)]
pub fn report_dialog() -> Html {
    let chat = use_chat();
    let ui = use_ui();
    let intents = use_intent();
    let reason = use_node_ref();
    let details = use_node_ref();
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |()| ui.dispatch(UiAction::Report(None)))
    };
    let Modal { dialog, close, onclose } = use_modal(ui.reporting.is_some(), dismiss);
    let Some(id) = ui.reporting.clone() else { return html! {} };
    let t = |key: &str| chat.locale.t(key);
    let onsubmit = {
        let (client, intents, ui, locale) = (chat.client.clone(), intents.clone(), ui.clone(), chat.locale.clone());
        let (reason, details) = (reason.clone(), details.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let picked = reason.cast::<HtmlSelectElement>().map(|select| select.value()).unwrap_or_default();
            let label = locale.t(&format!("reportReason.{picked}"));
            let added = details.cast::<HtmlTextAreaElement>().map(|area| area.value()).unwrap_or_default();
            let said = match added.trim() {
                "" => label,
                added => format!("{label}: {added}"),
            };
            intents.run(client.report(id.clone(), said));
            ui.dispatch(UiAction::Report(None));
        })
    };
    html! {
        <dialog ref={dialog} class="mc-dialog" aria-labelledby="mc-report-title" {onclose}>
            <div class="mc-dialog-bar">
                <h2 id="mc-report-title" class="mc-dialog-title">{ t("reportTitle") }</h2>
                <button type="button" class="mc-icon-button" aria-label={t("close")} onclick={close}>{ icons::close() }</button>
            </div>
            <form class="mc-report-form" {onsubmit}>
                <label class="mc-setting">{ t("reportReason") }
                    <select ref={reason}>
                        { for REASONS.iter().map(|name| html! {
                            <option value={*name}>{ t(&format!("reportReason.{name}")) }</option>
                        }) }
                    </select>
                </label>
                <label class="mc-setting mc-report-details">{ t("reportDetails") }
                    <textarea ref={details} rows="3" maxlength={MAX_DETAILS_CHARS.to_string()} />
                </label>
                <button type="submit" class="mc-button">{ t("sendReport") }</button>
            </form>
        </dialog>
    }
}
