//! The open reports of a meeting's messages, as a room keeps them: read from
//! storage once, then kept current by every report, dismissal and deletion
//! the room delivers, whichever node stored it.

use chat_protocol::{Event, EventEnvelope, MeetingId, Participant, Report, Role};

use super::Members;
use crate::error::DomainError;
use crate::store::Store;

impl Members {
    /// The meeting's open reports, read from `store` the first time.
    async fn reports(&mut self, store: &dyn Store, meeting: &MeetingId) -> Result<&Vec<Report>, DomainError> {
        if self.reports.is_none() {
            self.reports = Some(store.open_reports(meeting).await?);
        }
        Ok(self.reports.get_or_insert_default())
    }

    /// The open reports a joiner is told of: their own, or for a host or an app everyone's.
    pub(super) async fn reports_shown_to(
        &mut self,
        store: &dyn Store,
        meeting: &MeetingId,
        viewer: &Participant,
    ) -> Result<Vec<Report>, DomainError> {
        let moderates = viewer.role == Role::Host || viewer.role.is_app();
        let reports = self.reports(store, meeting).await?;
        Ok(reports.iter().filter(|report| moderates || report.by == viewer.id).cloned().collect())
    }

    /// Keeps the cached reports current with an event being delivered.
    pub(super) fn remember_reports(&mut self, envelope: &EventEnvelope) {
        let Some(reports) = self.reports.as_mut() else { return };
        match &envelope.event {
            Event::MessageReported { report } => reports.push(report.clone()),
            Event::ReportsDismissed { id, .. } | Event::MessageDeleted { id, .. } => {
                reports.retain(|report| &report.message_id != id);
            }
            // Which messages went is the store's to say: read the reports again when next needed.
            Event::ParticipantRemoved { messages_deleted: true, .. } => self.reports = None,
            _ => {}
        }
    }
}
