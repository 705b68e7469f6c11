//! Read positions and unread counts: the server's at each welcome (it keeps
//! them, so they follow the reader to every device), counted up as others'
//! messages arrive and down as unread ones are deleted, and reset when this
//! participant reads a conversation here or on another of their devices;
//! with read receipts on, how far the others have read.

use chat_protocol::{ClientFrame, Message, MessageId, ParticipantId, ReadState, Seen, Seq};

use super::{ChatState, Pending};
use crate::effect::{Change, Effect, OpId, Outcome};

impl ChatState {
    /// The server's positions, counted up to `head_seq`.
    pub(super) fn on_reads(&mut self, reads: Vec<ReadState>, head_seq: Seq, fx: &mut Vec<Effect>) {
        self.reads = reads;
        self.reads_counted_to = head_seq;
        fx.push(Effect::Changed(Change::Reads));
    }

    /// Where `message` counts, if it is unread news for this participant.
    fn unread_in(&self, message: &Message) -> Option<(Option<ParticipantId>, bool)> {
        let me = self.me.as_ref()?;
        if message.sender.id == me.id || message.content == chat_protocol::Content::Deleted {
            return None;
        }
        let with = message.read_in(&me.id);
        (message.seq > self.read_position(with.as_ref())).then(|| (with, message.mentions.contains(&me.id)))
    }

    fn state_mut(&mut self, with: Option<ParticipantId>) -> &mut ReadState {
        let index = match self.reads.iter().position(|s| s.with == with) {
            Some(index) => index,
            None => {
                // A conversation new since the welcome starts where the meeting's did.
                let seq = self.reads.iter().find(|s| s.with.is_none()).map_or(0, |s| s.seq);
                self.reads.push(ReadState { with, seq: seq.min(self.reads_counted_to), unread: 0, mentions: 0 });
                self.reads.len() - 1
            }
        };
        &mut self.reads[index]
    }

    /// Counts a message that just arrived (not one the welcome counted already).
    pub(super) fn count_unread(&mut self, message: &Message, fx: &mut Vec<Effect>) {
        if message.seq <= self.reads_counted_to {
            return;
        }
        if let Some((with, mentioned)) = self.unread_in(message) {
            let state = self.state_mut(with);
            state.unread += 1;
            state.mentions += u32::from(mentioned);
            fx.push(Effect::Changed(Change::Reads));
        }
    }

    /// Stops counting a message about to be deleted or hidden, if it was unread.
    pub(super) fn uncount_unread(&mut self, id: &MessageId, fx: &mut Vec<Effect>) {
        let Some(counted) = self.timeline.get(id).and_then(|message| self.unread_in(message)) else { return };
        let (with, mentioned) = counted;
        let state = self.state_mut(with);
        state.unread = state.unread.saturating_sub(1);
        state.mentions = state.mentions.saturating_sub(u32::from(mentioned));
        fx.push(Effect::Changed(Change::Reads));
    }

    /// This participant read the conversation with `with` up to `seq` (here,
    /// or on another device): what is left unread is what came after it.
    pub(super) fn on_read(&mut self, with: Option<ParticipantId>, seq: Seq, fx: &mut Vec<Effect>) {
        if seq <= self.read_position(with.as_ref()) {
            return;
        }
        let me = self.me.as_ref().map(|me| me.id.clone());
        let (mut unread, mut mentions) = (0, 0);
        for message in self.timeline.iter().rev().take_while(|m| m.seq > seq) {
            let counts = me.as_ref().is_some_and(|me| message.read_in(me) == with) && self.unread_in(message).is_some();
            if counts {
                unread += 1;
                mentions += u32::from(me.as_ref().is_some_and(|me| message.mentions.contains(me)));
            }
        }
        let state = self.state_mut(with);
        *state = ReadState { with: state.with.clone(), seq, unread, mentions };
        fx.push(Effect::Changed(Change::Reads));
    }

    /// Reads the conversation with `with` up to the newest message this
    /// client knows of, here at once and on the server.
    pub(super) fn on_mark_read(&mut self, op: OpId, with: Option<ParticipantId>, fx: &mut Vec<Effect>) {
        let seq = self.last_seq;
        if seq <= self.read_position(with.as_ref()) {
            fx.push(Effect::Resolve { op, outcome: Outcome::Done });
            return;
        }
        if !self.require_connected(op, fx) {
            return;
        }
        self.on_read(with.clone(), seq, fx);
        self.request(Pending::Op(op), |req_id| ClientFrame::MarkRead { req_id, with, seq }, fx);
    }

    /// Someone else read a conversation this participant is in further (read receipts).
    pub(super) fn on_seen(&mut self, seen: Seen, fx: &mut Vec<Effect>) {
        match self.seen.iter_mut().find(|s| s.by == seen.by && s.private == seen.private) {
            Some(known) if known.seq >= seen.seq => return,
            Some(known) => known.seq = seen.seq,
            None => self.seen.push(seen),
        }
        fx.push(Effect::Changed(Change::Reads));
    }

    // ---- reading -------------------------------------------------------

    /// With read receipts on, how many others have read this participant's
    /// own `message` (a private one: whether its recipient has, 0 or 1).
    pub fn seen_by(&self, message: &Message) -> u32 {
        let private = !message.targets.is_empty();
        let seen = self.seen.iter().filter(|s| s.private == private && s.seq >= message.seq);
        let seen = seen.filter(|s| !private || message.targets.contains(&s.by));
        u32::try_from(seen.count()).unwrap_or(u32::MAX)
    }

    /// How far this participant has read the conversation with `with` (the meeting's with `None`).
    pub fn read_position(&self, with: Option<&ParticipantId>) -> Seq {
        let state = self.reads.iter().find(|s| s.with.as_ref() == with);
        state.or_else(|| self.reads.iter().find(|s| s.with.is_none())).map_or(0, |s| s.seq)
    }

    /// Every conversation's position and unread count, the meeting's first.
    pub fn reads(&self) -> &[ReadState] {
        &self.reads
    }

    /// Unread messages and mentions among them in the conversation with `with`.
    pub fn unread(&self, with: Option<&ParticipantId>) -> (u32, u32) {
        self.reads.iter().find(|s| s.with.as_ref() == with).map_or((0, 0), |s| (s.unread, s.mentions))
    }

    /// Whether this participant has read `message` (their own always).
    pub fn is_read(&self, message: &Message) -> bool {
        self.me.as_ref().is_none_or(|me| {
            message.sender.id == me.id || message.seq <= self.read_position(message.read_in(&me.id).as_ref())
        })
    }
}
