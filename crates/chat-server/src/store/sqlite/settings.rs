//! A meeting's chat settings in SQLite: reading them, and changing them with
//! their event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MeetingSettings, ParticipantId};
use rusqlite::TransactionBehavior;

use super::events::record_event;
use super::rows::{corrupt, load_settings, store_settings};
use super::SqliteStore;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{Settings, StoreError, StoredEvent};

#[async_trait]
impl Settings for SqliteStore {
    async fn settings(&self, meeting: &MeetingId) -> Result<MeetingSettings, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| load_settings(conn, &meeting)).await
    }

    async fn update_settings(
        &self,
        meeting: &MeetingId,
        settings: MeetingSettings,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, by) = (meeting.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let payload = serde_json::to_string(&settings).map_err(corrupt)?;
            let seq = record_event(&tx, &meeting, EventKind::Settings, None, &by, at, Some(&payload))?;
            store_settings(&tx, &meeting, &settings)?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Settings, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new())
        })
        .await
    }
}
