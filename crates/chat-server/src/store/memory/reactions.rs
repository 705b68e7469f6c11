//! The memory store's reactions: who reacted with what, in order, and the
//! counts each message carries (with whether a given viewer is among them).

use async_trait::async_trait;
use chat_protocol::MeetingId;
use chat_protocol::{Event, MessageId, ParticipantId, Reaction};

use super::state::State;
use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::ReactionChange;
use crate::store::{Reactions, StoreError, StoredEvent};

impl State {
    /// Adds or takes off one reaction; whether anything changed. The stored
    /// message's counts follow.
    pub(super) fn set_reaction(&mut self, id: &MessageId, change: &ReactionChange, at: i64) -> bool {
        let same = |(m, p, e, _): &(MessageId, ParticipantId, String, i64)| {
            m == id && *p == change.participant && *e == change.emoji
        };
        if self.reacted.iter().any(same) == change.add {
            return false;
        }
        if change.add {
            self.reacted.push((id.clone(), change.participant.clone(), change.emoji.clone(), at));
        } else {
            self.reacted.retain(|r| !same(r));
        }
        let counts = self.reactions_of(id, None);
        if let Some(message) = self.messages.get_mut(id) {
            message.reactions = counts;
        }
        true
    }

    /// A message's reactions, one per emoji in the order each was first
    /// used (then by emoji); `me` marks those of `viewer`, when given.
    pub(super) fn reactions_of(&self, id: &MessageId, viewer: Option<&ParticipantId>) -> Vec<Reaction> {
        let mut first_used: Vec<(i64, Reaction)> = Vec::new();
        for (_, who, emoji, at) in self.reacted.iter().filter(|(m, ..)| m == id) {
            let me = viewer == Some(who);
            match first_used.iter_mut().find(|(_, r)| r.emoji == *emoji) {
                Some((first, reaction)) => {
                    *first = (*first).min(*at);
                    reaction.count += 1;
                    reaction.me |= me;
                }
                None => first_used.push((*at, Reaction { emoji: emoji.clone(), count: 1, me })),
            }
        }
        first_used.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.emoji.cmp(&y.emoji)));
        first_used.into_iter().map(|(_, reaction)| reaction).collect()
    }

    /// Marks `viewer`'s reactions on the message an event carries.
    pub(super) fn mark_mine(&self, event: &mut Event, viewer: &ParticipantId) {
        if let Event::MessageCreated { message } | Event::MessageEdited { message } = event {
            if !message.reactions.is_empty() {
                message.reactions = self.reactions_of(&message.id, Some(viewer));
            }
        }
    }
}

#[async_trait]
impl Reactions for MemoryStore {
    async fn set_reaction(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        reaction: ReactionChange,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            s.live(meeting, id)?;
            if !s.set_reaction(id, &reaction, at) {
                return Ok(None);
            }
            let kind = if reaction.add { EventKind::Reacted } else { EventKind::Unreacted };
            s.record(meeting, kind, Some(id), &reaction.participant, at, Some(reaction.emoji));
            s.last_event(meeting).map(Some)
        })
    }
}
