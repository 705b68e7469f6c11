//! Mutes and removals in memory, each change with its event.

use async_trait::async_trait;
use chat_protocol::{Content, MeetingId, MessageId, Mute, ParticipantId, Seq};

use super::MemoryStore;
use crate::store::audit::{audit_entry, AuditEntry, AUDITED};
use crate::store::events::EventKind;
use crate::store::moderation::{payload, Removal};
use crate::store::{Deleted, Moderation, StoreError, StoredEvent};

#[async_trait]
impl Moderation for MemoryStore {
    async fn mutes(&self, meeting: &MeetingId) -> Result<Vec<Mute>, StoreError> {
        self.with(|s| Ok(s.meetings.get(meeting).map(|m| m.mutes.values().cloned().collect()).unwrap_or_default()))
    }

    async fn mute(
        &self,
        meeting: &MeetingId,
        mute: Mute,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        self.with(|s| {
            let payload = payload(&mute)?;
            s.meeting(meeting).mutes.insert(mute.participant_id.clone(), mute);
            s.record(meeting, EventKind::Muted, None, by, at, Some(payload));
            s.last_event(meeting)
        })
    }

    async fn remove(
        &self,
        meeting: &MeetingId,
        removal: Removal,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        self.with(|s| {
            let payload = payload(&removal)?;
            s.meeting(meeting).mutes.insert(removal.participant_id.clone(), removal.mute());
            let mut files = Vec::new();
            if removal.messages_deleted {
                let sent: Vec<MessageId> = s
                    .messages
                    .values()
                    .filter(|m| m.sender.id == removal.participant_id && m.content != Content::Deleted)
                    .map(|m| m.id.clone())
                    .filter(|id| s.meeting_of.get(id) == Some(meeting))
                    .collect();
                for id in sent {
                    files.extend(s.erase(meeting, &id)?);
                }
            }
            let orphaned_files = s.orphans(files);
            s.record(meeting, EventKind::Removed, None, by, at, Some(payload));
            Ok(Deleted { event: s.last_event(meeting)?, orphaned_files })
        })
    }

    async fn unmute(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            if s.meeting(meeting).mutes.remove(participant).is_none() {
                return Ok(None);
            }
            let payload = payload(&Mute { participant_id: participant.clone(), until: None, removed: false })?;
            s.record(meeting, EventKind::Unmuted, None, by, at, Some(payload));
            s.last_event(meeting).map(Some)
        })
    }

    async fn audit_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.with(|s| {
            let Some(stored) = s.meetings.get(meeting) else { return Ok(Vec::new()) };
            stored
                .events
                .iter()
                .filter(|e| e.record.seq > after && AUDITED.contains(&e.record.kind))
                .take(limit as usize)
                .map(|e| {
                    let sender =
                        e.message.as_ref().and_then(|id| s.message_in(meeting, id)).map(|m| m.sender.id.clone());
                    audit_entry(e.record.clone(), e.message.clone(), sender)
                })
                .collect()
        })
    }
}
