//! Read positions: a participant's read position per conversation, kept by
//! the store so it follows them to every device, and passed on at once to
//! their other connections, here and (through the cluster bus) on other
//! nodes; with read receipts on, to the conversation's other members too.

use std::sync::Arc;

use chat_protocol::{AckResult, MeetingId, ParticipantId, Seen, Seq, ServerFrame};

use super::super::{serialize, ConnId, Hub, Members};
use super::Session;
use crate::cluster::ReadNotice;
use crate::error::DomainError;
use crate::validation;

impl Session {
    /// Moves this participant's position in the conversation with `with`
    /// (the meeting's without) forward to `seq`, never past the meeting's head.
    pub(super) async fn mark_read(&self, with: Option<ParticipantId>, seq: Seq) -> Result<AckResult, DomainError> {
        if let Some(peer) = &with {
            validation::check_id("with", peer.as_str())?;
            if *peer == self.me.id {
                return Err(DomainError::InvalidRequest("`with` names yourself".into()));
            }
        }
        let store = &self.hub.store;
        let seq = seq.min(store.head_seq(&self.room.meeting).await?);
        if store.mark_read(&self.room.meeting, &self.me.id, with.as_ref(), seq).await? {
            let notice = ReadNotice { reader: self.me.id.clone(), with, seq };
            let mut members = self.room.members.lock().await;
            let receipts = members.settings(store.as_ref(), &self.room.meeting).await?.read_receipts;
            members.tell_read(&notice, Some(self.conn_id), receipts);
            drop(members);
            if let Some(cluster) = &self.hub.cluster {
                cluster.announce_read(&self.room.meeting, notice);
            }
        }
        Ok(AckResult::Done { seq: None })
    }
}

impl Hub {
    /// Passes on to the reader's connections here what they read on another node.
    pub(in crate::hub) async fn read_elsewhere(self: &Arc<Self>, meeting: &MeetingId, notice: ReadNotice) {
        let Some(room) = self.live_room(meeting) else { return };
        let mut members = room.members.lock().await;
        let receipts = match members.settings(self.store.as_ref(), meeting).await {
            Ok(settings) => settings.read_receipts,
            Err(error) => {
                tracing::warn!(%error, "no read receipts for a read on another node: the settings did not load");
                false
            }
        };
        members.tell_read(&notice, None, receipts);
    }
}

impl Members {
    /// Queues the reader's new position for each of their connections here
    /// but `except`; with `receipts`, tells the conversation's other members
    /// here how far the reader has got.
    fn tell_read(&self, notice: &ReadNotice, except: Option<ConnId>, receipts: bool) {
        let read = serialize(&ServerFrame::Read { with: notice.with.clone(), seq: notice.seq });
        let by = notice.reader.clone();
        let seen = serialize(&ServerFrame::Seen(Seen { by, private: notice.with.is_some(), seq: notice.seq }));
        for (conn, member) in &self.conns {
            let id = &member.participant.id;
            let frame = if *id == notice.reader {
                (Some(*conn) != except).then_some(&read)
            } else {
                (receipts && notice.with.as_ref().is_none_or(|peer| peer == id)).then_some(&seen)
            };
            if let Some(frame) = frame {
                let _ = member.tx.try_send(Arc::clone(frame));
            }
        }
    }
}
