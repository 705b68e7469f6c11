//! Reactions: the counts a message carries, kept current by
//! `reactionUpdated` events, and which are this participant's; and the
//! intents to add or take off one, checked by the server's own rules first.

use chat_protocol::{rules, ClientFrame, Message, MessageId, ParticipantId, Reaction, RuleViolation};

use super::{ChatState, Pending};
use crate::effect::{Change, Effect, OpError, OpId};

/// A `reactionUpdated` event.
pub(super) struct ReactionUpdate {
    pub id: MessageId,
    pub emoji: String,
    pub by: ParticipantId,
    pub added: bool,
    pub count: u32,
}

impl ChatState {
    pub(super) fn on_reaction(&mut self, update: ReactionUpdate, fx: &mut Vec<Effect>) {
        let ReactionUpdate { id, emoji, by, added, count } = update;
        let mine = self.me.as_ref().is_some_and(|me| me.id == by);
        let known = self.timeline.update(&id, |message| {
            set_count(&mut message.reactions, &emoji, count, mine.then_some(added));
        });
        if let (true, Some((key, index))) = (known, self.located(&id)) {
            fx.push(Effect::Changed(Change::Reacted { key, index, emoji, by, added }));
        }
    }

    /// What is passed on to everyone says nothing of whose reactions they are:
    /// a copy of a message held already keeps this participant's marks.
    pub(super) fn keep_my_reactions(&self, incoming: &mut Message) {
        let Some(held) = self.timeline.get(&incoming.id) else { return };
        for reaction in &mut incoming.reactions {
            reaction.me |= held.reactions.iter().any(|r| r.emoji == reaction.emoji && r.me);
        }
    }

    pub(super) fn on_react(
        &mut self,
        op: OpId,
        id: MessageId,
        emoji: String,
        add: bool,
        now: i64,
        fx: &mut Vec<Effect>,
    ) {
        let checked = match self.timeline.get(&id) {
            None => Err(OpError::new("not_found", "no such message here", false)),
            Some(message) => rules::check_emoji(&emoji)
                .and_then(|()| if add { rules::check_new_reaction(message, &emoji, &self.limits) } else { Ok(()) })
                .and_then(|()| self.may_react_to(message, now))
                .map_err(OpError::from),
        };
        if let Err(error) = checked {
            fx.push(Effect::Reject { op, error });
            return;
        }
        if self.require_connected(op, fx) {
            let build = |req_id| {
                if add {
                    ClientFrame::React { req_id, id, emoji }
                } else {
                    ClientFrame::Unreact { req_id, id, emoji }
                }
            };
            self.request(Pending::Op(op), build, fx);
        }
    }

    /// Whether the meeting lets this participant react to `message` at `now`:
    /// not muted, not with the chat off, and in a private conversation only
    /// as its private chat policy allows.
    fn may_react_to(&self, message: &Message, now: i64) -> Result<(), RuleViolation> {
        let Some(me) = self.me.as_ref() else { return Ok(()) };
        self.muted_now(now).map_or(Ok(()), Err)?;
        rules::may_react(me, &self.settings)?;
        self.may_chat_privately(&message.others_in_conversation(&me.id))
    }
}

/// Sets `emoji`'s count (gone at 0), and whether it is mine when `me` says.
fn set_count(reactions: &mut Vec<Reaction>, emoji: &str, count: u32, me: Option<bool>) {
    match reactions.iter().position(|r| r.emoji == emoji) {
        Some(at) if count == 0 => {
            reactions.remove(at);
        }
        Some(at) => {
            reactions[at].count = count;
            if let Some(me) = me {
                reactions[at].me = me;
            }
        }
        None if count > 0 => reactions.push(Reaction { emoji: emoji.to_owned(), count, me: me.unwrap_or(false) }),
        None => {}
    }
}
