//! Reports of messages to a meeting's hosts, whatever the engine: one per
//! person per message, open until a host dismisses them or the message is
//! deleted; each report and dismissal kept with its event (the audit trail).

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, ParticipantId, Report};
use serde::{Deserialize, Serialize};

use super::{StoreError, StoredEvent};

/// A meeting's reports.
#[async_trait]
pub trait Reports: Send + Sync + 'static {
    /// The meeting's open reports (of messages not deleted), oldest first.
    async fn open_reports(&self, meeting: &MeetingId) -> Result<Vec<Report>, StoreError>;
    /// Stores `report` with its event; `None` when its author had reported
    /// that message already. The message must be there and not deleted.
    async fn report(&self, meeting: &MeetingId, report: Report) -> Result<Option<StoredEvent>, StoreError>;
    /// Closes every open report of `message` with its event; `None` when it had none.
    async fn dismiss_reports(
        &self,
        meeting: &MeetingId,
        message: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
}

/// A report event's payload: why, and who in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reported {
    /// The reporter's display name.
    pub by_name: String,
    /// Why.
    pub reason: String,
}

impl Reported {
    /// The payload of `report`'s event.
    pub fn of(report: &Report) -> Result<String, StoreError> {
        let reported = Self { by_name: report.by_name.clone(), reason: report.reason.clone() };
        super::moderation::payload(&reported)
    }
}
