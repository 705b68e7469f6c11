//! Who is typing: notices the server passes on, shown for
//! [`rules::TYPING_SHOWN_MS`] unless renewed and gone once the typist's
//! message arrives; and this participant's own notices, at most one per
//! conversation every [`rules::TYPING_INTERVAL_MS`].

use chat_protocol::{rules, ClientFrame, ParticipantId, TypingNotice};

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

impl ChatState {
    pub(super) fn on_typing(&mut self, notice: TypingNotice, now: i64, fx: &mut Vec<Effect>) {
        let conversation = (!notice.targets.is_empty()).then(|| notice.participant_id.clone());
        let id = notice.participant_id;
        self.typists.retain(|t| !(t.id == id && t.conversation == conversation));
        self.typists.push(Typist { id, name: notice.display_name, conversation, until: now + rules::TYPING_SHOWN_MS });
        fx.push(Effect::Changed(Change::Typing));
    }

    /// A message from `sender` (private or not) ends their typing in its conversation.
    pub(super) fn typing_done(&mut self, sender: &ParticipantId, private: bool, fx: &mut Vec<Effect>) {
        self.drop_typists(|t| &t.id == sender && t.conversation.is_some() == private, fx);
    }

    /// Forgets the notices whose time is up at `now`.
    pub(super) fn expire_typists(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.drop_typists(|t| t.until <= now, fx);
    }

    /// Forgets every notice: after a disconnect none of them is known to hold.
    pub(super) fn forget_typists(&mut self, fx: &mut Vec<Effect>) {
        self.drop_typists(|_| true, fx);
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

    /// When the next typing notice runs out, if any is shown.
    pub fn typing_expires_at(&self) -> Option<i64> {
        self.typists.iter().map(|t| t.until).min()
    }

    /// When this participant's last typing notice went out.
    pub fn typing_sent_at(&self) -> Option<i64> {
        self.typing_sent.as_ref().map(|(_, at)| *at)
    }
}
