//! Who is muted or removed in a meeting's chat, as a room keeps it: read
//! from storage once, then kept current by every mute, removal and unmute
//! event the room delivers, whichever node stored it; a removal also ends the
//! participant's connections to this node.

use std::collections::HashMap;

use chat_protocol::{Event, MeetingId, Mute, ParticipantId, Role};

use super::Members;
use crate::error::DomainError;
use crate::store::Store;

impl Members {
    /// The meeting's mutes by participant, read from `store` the first time
    /// (mutes for a time that ended included: hold them against the clock).
    pub(super) async fn mutes(
        &mut self,
        store: &dyn Store,
        meeting: &MeetingId,
    ) -> Result<&HashMap<ParticipantId, Mute>, DomainError> {
        if self.mutes.is_none() {
            let read = store.mutes(meeting).await?;
            self.mutes = Some(read.into_iter().map(|mute| (mute.participant_id.clone(), mute)).collect());
        }
        Ok(self.mutes.get_or_insert_default())
    }

    /// Whether a host removed `who` from the chat (and has not let them back).
    pub(super) async fn is_removed(
        &mut self,
        store: &dyn Store,
        meeting: &MeetingId,
        who: &ParticipantId,
    ) -> Result<bool, DomainError> {
        Ok(self.mutes(store, meeting).await?.get(who).is_some_and(|mute| mute.removed))
    }

    /// The mutes a joiner is told of: their own, or for a host every one that holds at `now`.
    pub(super) async fn mutes_shown_to(
        &mut self,
        store: &dyn Store,
        meeting: &MeetingId,
        viewer: &chat_protocol::Participant,
        now: i64,
    ) -> Result<Vec<Mute>, DomainError> {
        let mutes = self.mutes(store, meeting).await?;
        let shown =
            |mute: &&Mute| mute.holds_at(now) && (viewer.role == Role::Host || mute.participant_id == viewer.id);
        let mut shown: Vec<Mute> = mutes.values().filter(shown).cloned().collect();
        shown.sort_by(|a, b| a.participant_id.cmp(&b.participant_id));
        Ok(shown)
    }

    /// Keeps the cached mutes current with an event being delivered, and
    /// ends a removed participant's connections here.
    pub(super) fn remember_mutes(&mut self, event: &Event) {
        if let Event::ParticipantRemoved { participant_id, .. } = event {
            self.conns.retain(|_, member| {
                let removed = &member.participant.id == participant_id && member.participant.role == Role::Participant;
                if removed {
                    member.kick.removed_by_host();
                }
                !removed
            });
        }
        let Some(mutes) = self.mutes.as_mut() else { return };
        let mute = match event {
            Event::ParticipantMuted { participant_id, until, .. } => {
                Mute { participant_id: participant_id.clone(), until: *until, removed: false }
            }
            Event::ParticipantRemoved { participant_id, .. } => {
                Mute { participant_id: participant_id.clone(), until: None, removed: true }
            }
            Event::ParticipantUnmuted { participant_id, .. } => {
                mutes.remove(participant_id);
                return;
            }
            _ => return,
        };
        mutes.insert(mute.participant_id.clone(), mute);
    }
}
