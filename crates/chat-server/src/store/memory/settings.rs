//! A meeting's chat settings in memory: reading them, and changing them with
//! their event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MeetingSettings, ParticipantId};

use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::{Settings, StoreError, StoredEvent};

#[async_trait]
impl Settings for MemoryStore {
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
        self.with(|s| Ok(s.meetings.get(meeting).map(|m| m.settings.clone()).unwrap_or_default()))
    }

    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        self.with(|s| {
            let payload = serde_json::to_string(&settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            s.meeting(meeting).settings = settings;
            s.record(meeting, EventKind::Settings, None, by, at, Some(payload));
            s.last_event(meeting)
        })
    }
}
