//! The reducer's view of moderation: who is muted or removed (this
//! participant, or for a host everyone), kept from the welcome and each mute,
//! removal and unmute event, with a removal's messages dropped; what a mute
//! means for this participant now; the host's intents to mute, remove and
//! unmute, checked by the server's own rules first.

use chat_protocol::{rules, ClientFrame, Content, Mute, ParticipantId, RuleViolation};

use super::{ChatState, Pending};
use crate::echo::EchoStatus;
use crate::effect::{Change, Effect, OpError, OpId};

impl ChatState {
    /// Who is muted as far as this client was told: this participant, if a
    /// host muted them; for a host, everyone muted (mutes for a time that
    /// ended included: see [`Mute::holds_at`]).
    pub fn mutes(&self) -> &[Mute] {
        &self.mutes
    }

    /// This participant's mute, if a host muted them (it may have ended: see
    /// [`Self::muted_now`]).
    pub fn my_mute(&self) -> Option<&Mute> {
        let me = self.me.as_ref()?;
        self.mutes.iter().find(|mute| mute.participant_id == me.id)
    }

    /// Whether a host's mute holds this participant at `now`: why they may not
    /// send, react or type, with until when.
    pub fn muted_now(&self, now: i64) -> Option<RuleViolation> {
        rules::check_not_muted(self.me.as_ref()?, self.my_mute(), now).err()
    }

    /// Whether this participant may mute `who` (a host muting a participant, not themselves).
    pub fn can_mute(&self, who: &ParticipantId) -> bool {
        let Some(me) = self.me.as_ref() else { return false };
        let role = self.participants.iter().find(|p| &p.id == who).map(|p| p.role);
        &me.id != who && rules::may_mute(me, role, None).is_ok()
    }

    pub(super) fn on_mutes(&mut self, mutes: Vec<Mute>, fx: &mut Vec<Effect>) {
        if self.mutes != mutes {
            self.mutes = mutes;
            fx.push(Effect::Changed(Change::Mutes));
        }
    }

    pub(super) fn on_muted(&mut self, participant_id: ParticipantId, until: Option<i64>, fx: &mut Vec<Effect>) {
        self.keep_mute(Mute { participant_id, until, removed: false }, fx);
    }

    /// A removal: kept as a mute until let back (a host's list shows it), and
    /// with `messages_deleted`, every message of theirs here becomes a tombstone.
    pub(super) fn on_removed(&mut self, participant_id: ParticipantId, messages_deleted: bool, fx: &mut Vec<Effect>) {
        if messages_deleted {
            let sent: Vec<_> = self
                .timeline
                .iter()
                .filter(|m| m.sender.id == participant_id && m.content != Content::Deleted)
                .map(|m| m.id.clone())
                .collect();
            for id in sent {
                self.on_deleted(&id, fx);
            }
        }
        self.keep_mute(Mute { participant_id, until: None, removed: true }, fx);
    }

    /// This participant was removed (the server closed with its code): they
    /// are held as removed, and what waits to be sent fails now, since
    /// nothing reconnects to send it.
    pub(super) fn removed_here(&mut self, fx: &mut Vec<Effect>) {
        let Some(me) = self.me.as_ref().map(|me| me.id.clone()) else { return };
        self.keep_mute(Mute { participant_id: me, until: None, removed: true }, fx);
        let waiting: Vec<_> = self
            .echoes
            .iter()
            .filter(|echo| matches!(echo.status, EchoStatus::Pending | EchoStatus::Uploading { .. }))
            .map(|echo| echo.client_id.clone())
            .collect();
        for client_id in waiting {
            let error = OpError::new("removed", "a host removed you from this meeting's chat", false);
            self.fail_echo(&client_id, error, fx);
        }
    }

    fn keep_mute(&mut self, mute: Mute, fx: &mut Vec<Effect>) {
        match self.mutes.iter_mut().find(|kept| kept.participant_id == mute.participant_id) {
            Some(kept) => *kept = mute,
            None => self.mutes.push(mute),
        }
        fx.push(Effect::Changed(Change::Mutes));
    }

    pub(super) fn on_unmuted(&mut self, participant_id: &ParticipantId, fx: &mut Vec<Effect>) {
        if let Some(at) = self.mutes.iter().position(|mute| &mute.participant_id == participant_id) {
            self.mutes.swap_remove(at);
            fx.push(Effect::Changed(Change::Mutes));
        }
    }

    /// Mutes, removes or lets back `participant`, as `step` says. The role
    /// check is [`Self::can_mute`]'s, with a mute's time limits.
    pub(super) fn on_moderate(&mut self, op: OpId, participant: ParticipantId, step: Moderation, fx: &mut Vec<Effect>) {
        let role = self.participants.iter().find(|p| p.id == participant).map(|p| p.role);
        let checked = match (self.me.as_ref(), step) {
            (None, _) => Ok(()),
            (Some(me), Moderation::Mute { minutes }) => rules::may_mute(me, role, minutes),
            (Some(me), Moderation::Remove { .. }) => rules::may_remove(me, role),
            (Some(me), Moderation::LetBack) => rules::may_unmute(me),
        };
        if let Err(violation) = checked {
            fx.push(Effect::Reject { op, error: OpError::from(violation) });
            return;
        }
        if self.require_connected(op, fx) {
            let build = |req_id| match step {
                Moderation::Mute { minutes } => ClientFrame::Mute { req_id, participant_id: participant, minutes },
                Moderation::Remove { delete_messages } => {
                    ClientFrame::Remove { req_id, participant_id: participant, delete_messages }
                }
                Moderation::LetBack => ClientFrame::Unmute { req_id, participant_id: participant },
            };
            self.request(Pending::Op(op), build, fx);
        }
    }
}

/// A host's moderation step on one participant.
#[derive(Clone, Copy, Debug)]
pub(super) enum Moderation {
    /// Mute for `minutes`, or until let back.
    Mute { minutes: Option<u32> },
    /// Remove from the chat, with every message they sent if `delete_messages`.
    Remove { delete_messages: bool },
    /// Lift a mute or removal.
    LetBack,
}
