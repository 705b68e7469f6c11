//! Reactions: one per participant, emoji and message, counted toward the
//! text rate limit, each stored and delivered like a message change.

use chat_protocol::{rules, AckResult, MessageId, RateBucket};

use super::{map_store, Session};
use crate::error::DomainError;
use crate::store::ReactionChange;

impl Session {
    /// Adds (or takes off) this participant's reaction to a message they can
    /// see. Reactions count toward the text rate limit, like messages: each
    /// is stored and reaches everyone who sees the message.
    pub(super) async fn react(&self, id: &MessageId, emoji: String, add: bool) -> Result<AckResult, DomainError> {
        rules::check_emoji(&emoji)?;
        self.spend(RateBucket::Text).await?;
        let mut members = self.room.members.lock().await;
        // Read under the lock, so two reactions here cannot both pass the limit.
        let message = self.visible_message(id).await?;
        let settings = members.settings(self.hub.store.as_ref(), &self.room.meeting).await?;
        rules::may_react(&self.me, &settings)?;
        let others = message.others_in_conversation(&self.me.id);
        rules::may_chat_privately(&self.me, &settings, &others, |id| members.presence.is_host(id))?;
        self.check_not_muted(&mut members, crate::clock::now_ms()).await?;
        if add {
            rules::check_new_reaction(&message, &emoji, &self.hub.config.limits)?;
        }
        let change = ReactionChange { participant: self.me.id.clone(), emoji, add };
        let stored = self.hub.store.set_reaction(&self.room.meeting, id, change, crate::clock::now_ms()).await;
        let event = stored.map_err(map_store)?;
        let seq = event.as_ref().map(|e| e.envelope.seq);
        if let Some(event) = event {
            self.hub.deliver(&self.room, &mut members, event).await;
        }
        Ok(AckResult::Done { seq })
    }
}
