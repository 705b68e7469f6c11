//! The reducer's view of moderation: who is muted (this participant, or for
//! a host everyone), kept from the welcome and each mute and unmute event,
//! and what a mute means for this participant now; the host's intents to
//! mute and unmute, checked by the server's own rules first.

use chat_protocol::{rules, ClientFrame, Mute, ParticipantId, RuleViolation};

use super::{ChatState, Pending};
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
        match self.mutes.iter_mut().find(|mute| mute.participant_id == participant_id) {
            Some(mute) => mute.until = until,
            None => self.mutes.push(Mute { participant_id, until }),
        }
        fx.push(Effect::Changed(Change::Mutes));
    }

    pub(super) fn on_unmuted(&mut self, participant_id: &ParticipantId, fx: &mut Vec<Effect>) {
        if let Some(at) = self.mutes.iter().position(|mute| &mute.participant_id == participant_id) {
            self.mutes.swap_remove(at);
            fx.push(Effect::Changed(Change::Mutes));
        }
    }

    /// Mutes (`minutes` or until unmuted, `Some`) or unmutes (`None`) `participant`.
    /// The role check is [`Self::can_mute`]'s, with the time's limits.
    pub(super) fn on_moderate(
        &mut self,
        op: OpId,
        participant: ParticipantId,
        mute: Option<Option<u32>>,
        fx: &mut Vec<Effect>,
    ) {
        let role = self.participants.iter().find(|p| p.id == participant).map(|p| p.role);
        let checked = match (self.me.as_ref(), mute) {
            (None, _) => Ok(()),
            (Some(me), Some(minutes)) => rules::may_mute(me, role, minutes),
            (Some(me), None) => rules::may_unmute(me),
        };
        if let Err(violation) = checked {
            fx.push(Effect::Reject { op, error: OpError::from(violation) });
            return;
        }
        if self.require_connected(op, fx) {
            let build = |req_id| match mute {
                Some(minutes) => ClientFrame::Mute { req_id, participant_id: participant, minutes },
                None => ClientFrame::Unmute { req_id, participant_id: participant },
            };
            self.request(Pending::Op(op), build, fx);
        }
    }
}
