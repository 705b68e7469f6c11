//! A meeting's chat settings in PostgreSQL: reading them, and changing them with
//! their event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MeetingSettings, ParticipantId};

use super::rows::{corrupt, load_settings};
use super::writes::{lock_meeting, record_event};
use super::PostgresStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{Settings, StoreError, StoredEvent};

#[async_trait]
impl Settings for PostgresStore {
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
        load_settings(&**self.client().await?, meeting).await
    }

    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let mut client = self.client().await?;
        let tx = super::raw(&mut client).transaction().await?;
        lock_meeting(&tx, meeting).await?;
        let payload = serde_json::to_string(&settings).map_err(corrupt)?;
        let seq = record_event(&tx, meeting, EventKind::Settings, None, by, at, Some(&payload)).await?;
        tx.execute(
            "UPDATE meetings SET anyone_can_pin = $2, who_can_send = $3, slow_mode_secs = $4, read_receipts = $5, \
             private_chat = $6 WHERE id = $1",
            &[
                &meeting.0,
                &settings.anyone_can_pin,
                &settings.who_can_send.as_str(),
                &i64::from(settings.slow_mode_secs),
                &settings.read_receipts,
                &settings.private_chat.as_str(),
            ],
        )
        .await?;
        tx.commit().await?;
        let record =
            EventRecord { seq, time: at, kind: EventKind::Settings, actor: by.clone(), payload: Some(payload) };
        build_event(record, None, Vec::new())
    }
}
