//! Reports in memory, each report and dismissal with its event.

use async_trait::async_trait;
use chat_protocol::{Content, MeetingId, MessageId, ParticipantId, Report};

use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::reports::Reported;
use crate::store::{Reports, StoreError, StoredEvent};

#[async_trait]
impl Reports for MemoryStore {
    async fn open_reports(&self, meeting: &MeetingId) -> Result<Vec<Report>, StoreError> {
        self.with(|s| {
            let Some(held) = s.meetings.get(meeting) else { return Ok(Vec::new()) };
            let live = |report: &&Report| {
                s.messages.get(&report.message_id).is_some_and(|message| message.content != Content::Deleted)
            };
            let mut open: Vec<Report> = held.reports.iter().filter(live).cloned().collect();
            open.sort_by(|a, b| (a.time, &a.message_id, &a.by).cmp(&(b.time, &b.message_id, &b.by)));
            Ok(open)
        })
    }

    async fn report(&self, meeting: &MeetingId, report: Report) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            s.live(meeting, &report.message_id)?;
            let reports = &mut s.meeting(meeting).reports;
            if reports.iter().any(|kept| kept.message_id == report.message_id && kept.by == report.by) {
                return Ok(None);
            }
            reports.push(report.clone());
            let payload = Reported::of(&report)?;
            let Report { message_id, by, time, .. } = report;
            s.record(meeting, EventKind::Reported, Some(&message_id), &by, time, Some(payload));
            s.last_event(meeting).map(Some)
        })
    }

    async fn dismiss_reports(
        &self,
        meeting: &MeetingId,
        message: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            let reports = &mut s.meeting(meeting).reports;
            let before = reports.len();
            reports.retain(|report| &report.message_id != message);
            if reports.len() == before {
                return Ok(None);
            }
            s.record(meeting, EventKind::Dismissed, Some(message), by, at, None);
            s.last_event(meeting).map(Some)
        })
    }
}
