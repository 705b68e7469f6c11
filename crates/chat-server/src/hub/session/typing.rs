//! Typing notices: passed on at once to the other members of the typist's
//! conversation, here and (through the cluster bus) on the other nodes; in
//! a large meeting's own conversation, coalesced (`typing_crowd.rs`).
//! Never stored, never answered, at most one per typist per half
//! [`rules::TYPING_INTERVAL_MS`], and never a reason to close a connection:
//! a member whose queue is full just misses one.

use std::sync::Arc;
use std::time::Duration;

use chat_protocol::{rules, MeetingId, ParticipantId, ServerFrame, TypingNotice};

use super::super::{serialize, Hub, Members, Room};
use super::Session;
use crate::error::DomainError;
use crate::validation;

/// Typists remembered per meeting before the ones idle for a while are forgotten.
const REMEMBERED_TYPISTS: usize = 1_024;

impl Session {
    /// Tells the conversation with `targets` (everyone when empty) that this
    /// participant is typing. Someone who may not send now is not typing a message.
    pub(super) async fn typing(&self, targets: Vec<ParticipantId>) -> Result<(), DomainError> {
        let targets = validation::normalize_targets(&targets, &self.me.id, &self.hub.config.limits)?;
        let mut members = self.room.members.lock().await;
        let settings = members.settings(self.hub.store.as_ref(), &self.room.meeting).await?;
        rules::may_send(&self.me, &settings)?;
        rules::may_chat_privately(&self.me, &settings, &targets, |id| members.presence.is_host(id))?;
        let now = crate::clock::now_ms();
        self.check_not_muted(&mut members, now).await?;
        let interval = rules::TYPING_INTERVAL_MS / 2;
        if members.last_typed.get(&self.me.id).is_some_and(|at| now - at < interval) {
            return Ok(());
        }
        if members.last_typed.len() >= REMEMBERED_TYPISTS {
            members.last_typed.retain(|_, at| now - *at < interval);
        }
        members.last_typed.insert(self.me.id.clone(), now);
        let notice =
            TypingNotice { participant_id: self.me.id.clone(), display_name: self.me.display_name.clone(), targets };
        self.room.pass_on_typing(&mut members, &notice, self.hub.config.presence_interval);
        drop(members);
        if let Some(cluster) = &self.hub.cluster {
            cluster.announce_typing(&self.room.meeting, notice);
        }
        Ok(())
    }
}

impl Hub {
    /// Passes on a typing notice another node heard.
    pub(in crate::hub) async fn typing_elsewhere(self: &Arc<Self>, meeting: &MeetingId, notice: TypingNotice) {
        if let Some(room) = self.live_room(meeting) {
            let mut members = room.members.lock().await;
            room.pass_on_typing(&mut members, &notice, self.config.presence_interval);
        }
    }
}

impl Room {
    /// Passes `notice` on to the connections here in its conversation: at
    /// once, or, in a large meeting's own conversation, in the next crowd.
    fn pass_on_typing(self: &Arc<Self>, members: &mut Members, notice: &TypingNotice, interval: Duration) {
        if !notice.targets.is_empty() || members.presence.is_listed_in_full() {
            members.tell_typing(notice);
            return;
        }
        members.typing_crowd.typed(notice, crate::clock::now_ms());
        if members.typing_crowd.flush_due {
            return;
        }
        members.typing_crowd.flush_due = true;
        let room = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let mut members = room.members.lock().await;
                if let Some(crowd) = members.typing_crowd.frame(crate::clock::now_ms()) {
                    let text = serialize(&ServerFrame::TypingCrowd(crowd));
                    for member in members.conns.values() {
                        let _ = member.tx.try_send(Arc::clone(&text));
                    }
                }
                if members.typing_crowd.is_quiet() {
                    members.typing_crowd.flush_due = false;
                    return;
                }
            }
        });
    }
}

impl Members {
    /// Queues the notice for every connection here in its conversation, the typist's own aside.
    fn tell_typing(&self, notice: &TypingNotice) {
        let text = serialize(&ServerFrame::Typing(notice.clone()));
        let in_conversation = |id: &ParticipantId| notice.targets.is_empty() || notice.targets.contains(id);
        for member in self.conns.values() {
            let id = &member.participant.id;
            if *id != notice.participant_id && in_conversation(id) {
                let _ = member.tx.try_send(Arc::clone(&text));
            }
        }
    }
}
