//! A host's moderation of the chat: muting a participant for a while or until
//! unmuted, and lifting it. Each step is an event in the meeting's order,
//! told to the participant and the hosts (on every node), replayed on resume,
//! and sent to the webhooks; a muted participant's sends, reactions and
//! typing are refused with `muted` and its `until`.

use chat_protocol::{rules, AckResult, Mute, ParticipantId};

use super::Session;
use crate::error::DomainError;
use crate::hub::Members;
use crate::validation;

impl Session {
    /// Mutes `who` for `minutes`, or until unmuted; muting again replaces the time.
    pub(super) async fn mute(&self, who: ParticipantId, minutes: Option<u32>) -> Result<AckResult, DomainError> {
        validation::check_id("participantId", who.as_str())?;
        let mut members = self.room.members.lock().await;
        rules::may_mute(&self.me, members.presence.role_of(&who), minutes)?;
        let now = crate::clock::now_ms();
        let until = minutes.map(|minutes| now.saturating_add(i64::from(minutes) * 60_000));
        let mute = Mute { participant_id: who, until };
        let event = self.hub.store.mute(&self.room.meeting, mute, &self.me.id, now).await?;
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Lifts `who`'s mute; nothing changes when there was none.
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
