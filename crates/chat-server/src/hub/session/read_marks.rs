//! Read positions: a participant's read position per conversation, kept by
//! the store so it follows them to every device, and passed on at once to
//! their other connections, here and (through the cluster bus) on other nodes.

use std::sync::Arc;

use chat_protocol::{AckResult, MeetingId, ParticipantId, Seq, ServerFrame};

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
            self.room.members.lock().await.tell_reader(&notice, Some(self.conn_id));
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
        if let Some(room) = self.live_room(meeting) {
            room.members.lock().await.tell_reader(&notice, None);
        }
    }
}

impl Members {
    /// Queues the reader's new position for each of their connections here but `except`.
    fn tell_reader(&self, notice: &ReadNotice, except: Option<ConnId>) {
        let frame = serialize(&ServerFrame::Read { with: notice.with.clone(), seq: notice.seq });
        for (conn, member) in &self.conns {
            if member.participant.id == notice.reader && Some(*conn) != except {
                let _ = member.tx.try_send(Arc::clone(&frame));
            }
        }
    }
}
