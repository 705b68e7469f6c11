//! Reactions in PostgreSQL, as SQLite keeps them: one row per participant
//! and emoji, the change and its event in one transaction under the
//! meeting's lock, and each message's counts read per emoji.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId};
use tokio_postgres::Client;

use super::rows::require_live_message;
use super::writes::{lock_meeting, message_event, record_event};
use super::PostgresStore;
use crate::store::events::{EventKind, EventRecord};
use crate::store::Reactions;
use crate::store::{ReactionChange, StoreError, StoredEvent};

/// Adds or takes off one reaction; `None` when nothing changed.
pub async fn set_reaction(
    client: &mut Client,
    meeting: &MeetingId,
    id: &MessageId,
    change: &ReactionChange,
    at: i64,
) -> Result<Option<StoredEvent>, StoreError> {
    let tx = client.transaction().await?;
    lock_meeting(&tx, meeting).await?;
    require_live_message(&tx, meeting, id).await?;
    let ReactionChange { participant, emoji, add } = change;
    let changed = if *add {
        tx.execute(
            "INSERT INTO reactions (message_id, participant_id, emoji, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
            &[&id.0, &participant.0, emoji, &at],
        )
        .await?
    } else {
        tx.execute(
            "DELETE FROM reactions WHERE message_id = $1 AND participant_id = $2 AND emoji = $3",
            &[&id.0, &participant.0, emoji],
        )
        .await?
    };
    if changed == 0 {
        return Ok(None);
    }
    let kind = if *add { EventKind::Reacted } else { EventKind::Unreacted };
    let seq = record_event(&tx, meeting, kind, Some(id), participant, at, Some(emoji)).await?;
    let record = EventRecord { seq, time: at, kind, actor: participant.clone(), payload: Some(emoji.clone()) };
    let event = message_event(&tx, meeting, id, record).await?;
    tx.commit().await?;
    Ok(Some(event))
}

#[async_trait]
impl Reactions for PostgresStore {
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let mut client = self.client().await?;
        set_reaction(super::raw(&mut client), meeting, id, &reaction, at).await
    }
}
