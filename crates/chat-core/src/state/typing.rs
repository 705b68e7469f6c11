//! Who is typing: notices the server passes on, shown for
//! [`rules::TYPING_SHOWN_MS`] unless renewed and gone once the typist's
//! message arrives (in a large meeting's own conversation, a crowd: a few
//! names and a count, each crowd replacing the last); and this participant's
//! own notices, at most one per conversation every [`rules::TYPING_INTERVAL_MS`].

use chat_protocol::{rules, ClientFrame, ParticipantId, TypingCrowd, TypingNotice};

use super::{ChatState, ConnectionState};
use crate::effect::{Change, Effect};

/// Someone typing, where, and until when it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Typist {
    id: ParticipantId,
    name: String,
    /// The private conversation with the typist, or `None` for the meeting's.
    conversation: Option<ParticipantId>,
    until: i64,
}

/// How many others type in a large meeting's own conversation, named or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Crowd {
    others: usize,
    until: i64,
}

impl ChatState {
    pub(super) fn on_typing(&mut self, notice: TypingNotice, now: i64, fx: &mut Vec<Effect>) {
        let conversation = (!notice.targets.is_empty()).then(|| notice.participant_id.clone());
        let id = notice.participant_id;
        self.typists.retain(|t| !(t.id == id && t.conversation == conversation));
        self.typists.push(Typist { id, name: notice.display_name, conversation, until: now + rules::TYPING_SHOWN_MS });
        fx.push(Effect::Changed(Change::Typing));
    }

    /// A large meeting's crowd replaces whoever typed in its own
    /// conversation. It counts this participant too while they type, so
    /// they are taken out of both the names and the count.
    pub(super) fn on_typing_crowd(&mut self, crowd: TypingCrowd, now: i64, fx: &mut Vec<Effect>) {
        let until = now + rules::TYPING_SHOWN_MS;
        let me = self.me.as_ref().map(|me| me.id.clone());
        let is_me = |id: &ParticipantId| me.as_ref() == Some(id);
        let typing_here =
            self.typing_sent.as_ref().is_some_and(|(to, at)| to.is_none() && now - at < rules::TYPING_SHOWN_MS);
        let counted_me = typing_here || crowd.named.iter().any(|t| is_me(&t.participant_id));
        self.typists.retain(|t| t.conversation.is_some());
        let named = crowd.named.into_iter().filter(|t| !is_me(&t.participant_id));
        self.typists.extend(named.map(|t| Typist {
            id: t.participant_id,
            name: t.display_name,
            conversation: None,
            until,
        }));
        let others = usize::try_from(crowd.count).unwrap_or(usize::MAX).saturating_sub(usize::from(counted_me));
        self.typing_crowd = (others > 0).then_some(Crowd { others, until });
        fx.push(Effect::Changed(Change::Typing));
    }

    /// A message from `sender` (private or not) ends their typing in its conversation.
    pub(super) fn typing_done(&mut self, sender: &ParticipantId, private: bool, fx: &mut Vec<Effect>) {
        let before = self.typists.len();
        self.drop_typists(|t| &t.id == sender && t.conversation.is_some() == private, fx);
        let named_in_crowd = !private && self.typists.len() < before;
        if let Some(crowd) = self.typing_crowd.as_mut().filter(|_| named_in_crowd) {
            crowd.others = crowd.others.saturating_sub(1);
        }
    }

    /// Forgets the notices whose time is up at `now`.
    pub(super) fn expire_typists(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.drop_typists(|t| t.until <= now, fx);
        if self.typing_crowd.is_some_and(|crowd| crowd.until <= now) {
            self.typing_crowd = None;
            fx.push(Effect::Changed(Change::Typing));
        }
    }

    /// Forgets every notice: after a disconnect none of them is known to hold.
    pub(super) fn forget_typists(&mut self, fx: &mut Vec<Effect>) {
        self.drop_typists(|_| true, fx);
        if self.typing_crowd.take().is_some() {
            fx.push(Effect::Changed(Change::Typing));
        }
    }

    fn drop_typists(&mut self, gone: impl Fn(&Typist) -> bool, fx: &mut Vec<Effect>) {
        let before = self.typists.len();
        self.typists.retain(|t| !gone(t));
        if self.typists.len() != before {
            fx.push(Effect::Changed(Change::Typing));
        }
    }

    /// Tells the conversation being viewed that this participant is typing,
    /// unless a notice went there within the interval or the chat is not connected.
    pub(super) fn on_typing_intent(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if self.connection != ConnectionState::Connected {
            return;
        }
        if self.write_blocked_here().is_some() || self.muted_now(now).is_some() {
            return;
        }
        let conversation = self.current.clone();
        let recent = |(sent_to, at): &(Option<ParticipantId>, i64)| {
            *sent_to == conversation && now - at < rules::TYPING_INTERVAL_MS
        };
        if self.typing_sent.as_ref().is_some_and(recent) {
            return;
        }
        self.typing_sent = Some((conversation.clone(), now));
        fx.push(Effect::Send(ClientFrame::Typing { targets: conversation.into_iter().collect() }));
    }

    /// After a send, the next keystroke tells the others again at once.
    pub(super) fn typing_sent_with_message(&mut self) {
        self.typing_sent = None;
    }

    /// The names of who is typing in the conversation being viewed at `now`, first typist first.
    pub fn typing(&self, now: i64) -> Vec<&str> {
        let here = |t: &&Typist| t.conversation == self.current && t.until > now;
        self.typists.iter().filter(here).map(|t| t.name.as_str()).collect()
    }

    /// How many others are typing in the conversation being viewed at
    /// `now`: the named ones, or in a large meeting's own conversation the
    /// crowd's count, which may name only a few of them.
    pub fn typing_count(&self, now: i64) -> usize {
        let named = self.typing(now).len();
        match self.typing_crowd {
            Some(crowd) if self.current.is_none() && crowd.until > now => crowd.others.max(named),
            _ => named,
        }
    }

    /// When the next typing notice runs out, if any is shown.
    pub fn typing_expires_at(&self) -> Option<i64> {
        let crowd = self.typing_crowd.map(|crowd| crowd.until);
        self.typists.iter().map(|t| t.until).chain(crowd).min()
    }

    /// When this participant's last typing notice went out.
    pub fn typing_sent_at(&self) -> Option<i64> {
        self.typing_sent.as_ref().map(|(_, at)| *at)
    }
}
