//! A host's moderation of the chat: muting a participant for a while or until
//! unmuted, removing them (optionally with every message they sent), and
//! lifting either. Each step is an event in the meeting's order, told to the
//! participant and the hosts (everyone, when messages went), on every node,
//! replayed on resume, and sent to the webhooks; a muted participant's sends,
//! reactions and typing are refused with `muted` and its `until`, and a
//! removed one's connections are closed and refused.

use chat_protocol::{rules, AckResult, Mute, ParticipantId};

use super::Session;
use crate::error::DomainError;
use crate::hub::Members;
use crate::store::moderation::Removal;
use crate::validation;

impl Session {
    /// Mutes `who` for `minutes`, or until unmuted; muting again replaces the time.
    pub(super) async fn mute(&self, who: ParticipantId, minutes: Option<u32>) -> Result<AckResult, DomainError> {
        validation::check_id("participantId", who.as_str())?;
        let mut members = self.room.members.lock().await;
        rules::may_mute(&self.me, members.presence.role_of(&who), minutes)?;
        let now = crate::clock::now_ms();
        let until = minutes.map(|minutes| now.saturating_add(i64::from(minutes) * 60_000));
        let mute = Mute { participant_id: who, until, removed: false };
        let event = self.hub.store.mute(&self.room.meeting, mute, &self.me.id, now).await?;
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Removes `who` from the chat, with every message they sent if
    /// `delete_messages`: one event, however many messages went.
    pub(super) async fn remove(&self, who: ParticipantId, delete_messages: bool) -> Result<AckResult, DomainError> {
        validation::check_id("participantId", who.as_str())?;
        let mut members = self.room.members.lock().await;
        rules::may_remove(&self.me, members.presence.role_of(&who))?;
        let removal = Removal { participant_id: who, messages_deleted: delete_messages };
        let removed = self.hub.store.remove(&self.room.meeting, removal, &self.me.id, crate::clock::now_ms()).await?;
        let seq = removed.event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, removed.event).await;
        drop(members);
        for file in removed.orphaned_files {
            self.hub.files.remove_file_bytes(&file).await;
        }
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Lifts `who`'s mute or removal; nothing changes when there was none.
    pub(super) async fn unmute(&self, who: &ParticipantId) -> Result<AckResult, DomainError> {
        rules::may_unmute(&self.me)?;
        validation::check_id("participantId", who.as_str())?;
        let mut members = self.room.members.lock().await;
        let now = crate::clock::now_ms();
        let Some(event) = self.hub.store.unmute(&self.room.meeting, who, &self.me.id, now).await? else {
            return Ok(AckResult::Done { seq: None });
        };
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Refuses this participant's send, reaction or typing while a host's mute holds.
    pub(super) async fn check_not_muted(&self, members: &mut Members, now: i64) -> Result<(), DomainError> {
        let mutes = members.mutes(self.hub.store.as_ref(), &self.room.meeting).await?;
        rules::check_not_muted(&self.me, mutes.get(&self.me.id), now)?;
        Ok(())
    }
}
