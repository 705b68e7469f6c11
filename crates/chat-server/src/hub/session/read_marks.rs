//! Read positions: a participant's read position per conversation, kept by
//! the store so it follows them to every device, and passed on at once to
//! their other connections here.

use std::sync::Arc;

use chat_protocol::{AckResult, ParticipantId, Seq, ServerFrame};

use super::super::serialize;
use super::Session;
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
            let frame = serialize(&ServerFrame::Read { with, seq });
            let members = self.room.members.lock().await;
            for (conn, member) in &members.conns {
                if member.participant.id == self.me.id && *conn != self.conn_id {
                    let _ = member.tx.try_send(Arc::clone(&frame));
                }
            }
        }
        Ok(AckResult::Done { seq: None })
    }
}
