//! Reactions in SQLite: one row per participant and emoji, the change and
//! its event in one transaction, and each message's counts read per emoji
//! (with whether a given viewer is among them).

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId};
use rusqlite::{params, Connection, TransactionBehavior};

use super::events::{message_event, record_event};
use super::rows::require_live_message;
use super::SqliteStore;
use crate::store::events::{EventKind, EventRecord};
use crate::store::Reactions;
use crate::store::{ReactionChange, StoreError, StoredEvent};

/// Adds or takes off one reaction; `None` when nothing changed.
pub fn set_reaction(
    conn: &mut Connection,
    meeting: &MeetingId,
    id: &MessageId,
    change: &ReactionChange,
    at: i64,
) -> Result<Option<StoredEvent>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    require_live_message(&tx, meeting, id)?;
    let ReactionChange { participant, emoji, add } = change;
    let changed = if *add {
        tx.execute(
            "INSERT OR IGNORE INTO reactions (message_id, participant_id, emoji, at) VALUES (?1, ?2, ?3, ?4)",
            params![id.0, participant.0, emoji, at],
        )?
    } else {
        tx.execute(
            "DELETE FROM reactions WHERE message_id = ?1 AND participant_id = ?2 AND emoji = ?3",
            params![id.0, participant.0, emoji],
        )?
    };
    if changed == 0 {
        return Ok(None);
    }
    let kind = if *add { EventKind::Reacted } else { EventKind::Unreacted };
    let seq = record_event(&tx, meeting, kind, Some(id), participant, at, Some(emoji))?;
    let record = EventRecord { seq, time: at, kind, actor: participant.clone(), payload: Some(emoji.clone()) };
    let event = message_event(&tx, meeting, id, record)?;
    tx.commit()?;
    Ok(Some(event))
}

#[async_trait]
impl Reactions for SqliteStore {
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, id) = (meeting.clone(), id.clone());
        self.run(move |conn| set_reaction(conn, &meeting, &id, &reaction, at)).await
    }
}
