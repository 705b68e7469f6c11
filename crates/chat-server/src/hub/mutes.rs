//! Who is muted in a meeting's chat, as a room keeps it: read from storage
//! once, then kept current by every mute and unmute event the room delivers,
//! whichever node stored it.

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

    /// Keeps the cached mutes current with an event being delivered.
    pub(super) fn remember_mutes(&mut self, event: &Event) {
        let Some(mutes) = self.mutes.as_mut() else { return };
        match event {
            Event::ParticipantMuted { participant_id, until, .. } => {
                mutes.insert(participant_id.clone(), Mute { participant_id: participant_id.clone(), until: *until });
            }
            Event::ParticipantUnmuted { participant_id, .. } => {
                mutes.remove(participant_id);
            }
            _ => {}
        }
    }
}
