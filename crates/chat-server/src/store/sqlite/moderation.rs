//! Mutes and removals in SQLite: who is muted until when or removed, each
//! change with its event.

use async_trait::async_trait;
use chat_protocol::{MeetingId, MessageId, Mute, ParticipantId, Seq};
use rusqlite::{params, TransactionBehavior};

use super::events::record_event;
use super::SqliteStore;
use crate::store::audit::{audit_query, read_audit_row, AuditEntry};
use crate::store::columns::corrupt;
use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::moderation::{payload, Removal};
use crate::store::{Deleted, Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for SqliteStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        let meeting = meeting.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT participant_id, until, removed FROM mutes WHERE meeting_id = ?1 ORDER BY participant_id",
            )?;
            let rows = stmt.query_map(params![meeting.0], |r| {
                Ok(Mute {
                    participant_id: ParticipantId(r.get("participant_id")?),
                    until: r.get("until")?,
                    removed: r.get("removed")?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        let (meeting, by) = (meeting.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let payload = payload(&mute)?;
            let seq = record_event(&tx, &meeting, EventKind::Muted, None, &by, at, Some(&payload))?;
            keep_mute(&tx, &meeting, &mute)?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Muted, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new())
        })
        .await
    }

    async fn remove(
        &self,
        meeting: &MeetingId,
        removal: Removal,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        let (meeting, by) = (meeting.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let payload = payload(&removal)?;
            let seq = record_event(&tx, &meeting, EventKind::Removed, None, &by, at, Some(&payload))?;
            keep_mute(&tx, &meeting, &removal.mute())?;
            let mut files = Vec::new();
            if removal.messages_deleted {
                let sent: Vec<String> = tx
                    .prepare_cached("SELECT id FROM messages WHERE meeting_id = ?1 AND sender_id = ?2 AND NOT deleted")?
                    .query_map(params![meeting.0, removal.participant_id.0], |r| r.get("id"))?
                    .collect::<Result<_, _>>()?;
                for id in sent {
                    files.extend(super::messages::erase(&tx, &meeting, &MessageId(id))?);
                }
            }
            let orphaned_files = super::attachments::orphans(&tx, files)?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Removed, actor: by, payload: Some(payload) };
            Ok(Deleted { event: build_event(record, None, Vec::new())?, orphaned_files })
        })
        .await
    }

    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        let (meeting, participant, by) = (meeting.clone(), participant.clone(), by.clone());
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let lifted = tx.execute(
                "DELETE FROM mutes WHERE meeting_id = ?1 AND participant_id = ?2",
                params![meeting.0, participant.0],
            )?;
            if lifted == 0 {
                return Ok(None);
            }
            let payload = payload(&Mute { participant_id: participant, until: None, removed: false })?;
            let seq = record_event(&tx, &meeting, EventKind::Unmuted, None, &by, at, Some(&payload))?;
            tx.commit()?;
            let record = EventRecord { seq, time: at, kind: EventKind::Unmuted, actor: by, payload: Some(payload) };
            build_event(record, None, Vec::new()).map(Some)
        })
        .await
    }

    async fn audit_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let meeting = meeting.clone();
        let after = i64::try_from(after).map_err(corrupt)?;
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(&audit_query(["?1", "?2", "?3"]))?;
            let mut rows = stmt.query(params![meeting.0, after, limit])?;
            let mut entries = Vec::new();
            while let Some(row) = rows.next()? {
                entries.push(read_audit_row(row)?);
            }
            Ok(entries)
        })
        .await
    }
}

/// Keeps `mute` as the participant's one mute in `meeting`, replacing any.
fn keep_mute(conn: &rusqlite::Connection, meeting: &MeetingId, mute: &Mute) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO mutes (meeting_id, participant_id, until, removed) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (meeting_id, participant_id) DO UPDATE SET until = excluded.until, removed = excluded.removed",
        params![meeting.0, mute.participant_id.0, mute.until, mute.removed],
    )?;
    Ok(())
}
