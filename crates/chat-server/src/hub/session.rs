//! One authenticated connection's requests: checks, permissions, rate limits,
//! then the change stored and delivered under the room lock, then the answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chat_protocol::{
    AckResult, ClientFrame, ErrorCode, ErrorFrame, Message, MessageId, Participant, RateBucket, ServerFrame,
};
use tokio::sync::mpsc;

mod changes;
mod moderation;
mod polls;
mod reactions;
mod read_marks;
mod reading;
mod reporting;
mod sending;
mod typing;
mod webinar;

use webinar::SettingsChange;

use super::{serialize, ConnId, Hub, Kick, Outbound, PresenceSlot, Room};
use crate::error::DomainError;
use crate::store::{PageQuery, StoreError};

/// A connected participant's handle on their meeting.
pub struct Session {
    hub: Arc<Hub>,
    room: Arc<Room>,
    conn_id: ConnId,
    me: Participant,
    tx: mpsc::Sender<Outbound>,
    presence: Arc<PresenceSlot>,
    kick: Kick,
    reset_notice_pending: Arc<[AtomicBool; 3]>,
    /// Names this connection in the chat dump (RealtimeKit's `sessionId`).
    session_id: String,
}

fn bucket_index(bucket: RateBucket) -> usize {
    match bucket {
        RateBucket::Text => 0,
        RateBucket::File => 1,
        RateBucket::Search => 2,
    }
}

fn map_store(e: StoreError) -> DomainError {
    match e {
        StoreError::MessageNotFound => DomainError::NotFound,
        StoreError::MessageDeleted => DomainError::MessageDeleted,
        other => DomainError::Storage(other),
    }
}

impl Session {
    pub(super) fn new(
        hub: Arc<Hub>,
        room: Arc<Room>,
        conn_id: ConnId,
        me: Participant,
        tx: mpsc::Sender<Outbound>,
        presence: Arc<PresenceSlot>,
        kick: Kick,
    ) -> Self {
        Self {
            hub,
            room,
            conn_id,
            me,
            tx,
            presence,
            kick,
            reset_notice_pending: Arc::new([AtomicBool::new(false), AtomicBool::new(false), AtomicBool::new(false)]),
            session_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Set when the server ends this connection: a slow consumer, or a
    /// participant a host removed from the chat.
    pub fn kicked(&self) -> &Kick {
        &self.kick
    }

    /// Where this connection's presence frames wait, apart from its queue:
    /// they collapse instead of making it a slow consumer.
    pub fn presence(&self) -> Arc<PresenceSlot> {
        Arc::clone(&self.presence)
    }

    /// The meeting's size while it is large (0 while small), for the writer's batching.
    pub fn large_meeting_size(&self) -> Arc<std::sync::atomic::AtomicU32> {
        Arc::clone(&self.room.large)
    }

    /// Disconnects from the meeting.
    pub async fn leave(self) {
        if self.room.leave(self.conn_id, &self.me, &self.hub).await {
            self.hub.notices.meeting_emptied(&self.room.meeting);
        }
    }

    /// Queues a frame for this connection only.
    pub fn send_frame(&self, frame: &ServerFrame) {
        if self.tx.try_send(serialize(frame)).is_err() {
            self.kick.slow_consumer();
        }
    }

    /// Answers with an error.
    pub fn send_error(&self, error: ErrorFrame) {
        let code = crate::metrics::CodeLabels { code: error.code.to_string() };
        self.hub.metrics.errors.get_or_create(&code).inc();
        self.send_frame(&ServerFrame::Error(error));
    }

    /// Handles one request and queues its answer.
    pub async fn handle(&self, frame: ClientFrame) {
        let req_id = frame.req_id();
        let outcome = match frame {
            ClientFrame::Auth { .. } => {
                self.send_error(ErrorFrame::new(
                    None,
                    ErrorCode::AlreadyAuthenticated,
                    "this connection is already authenticated",
                ));
                return;
            }
            send @ ClientFrame::Send { .. } => self.send_message(send).await,
            ClientFrame::Edit { id, content, attachments, .. } => self.edit(&id, content, attachments).await,
            ClientFrame::Delete { id, scope, .. } => self.delete(&id, scope).await,
            ClientFrame::Pin { id, .. } => self.set_pinned(&id, true).await,
            ClientFrame::Unpin { id, .. } => self.set_pinned(&id, false).await,
            ClientFrame::React { id, emoji, .. } => self.react(&id, emoji, true).await,
            ClientFrame::Unreact { id, emoji, .. } => self.react(&id, emoji, false).await,
            ClientFrame::History { before, limit, with, .. } => self.history(PageQuery { before, limit, with }).await,
            ClientFrame::Search { query, before, limit, with, .. } => {
                self.search(&query, PageQuery { before, limit, with }).await
            }
            ClientFrame::MarkRead { with, seq, .. } => self.mark_read(with, seq).await,
            ClientFrame::Mute { participant_id, minutes, .. } => self.mute(participant_id, minutes).await,
            ClientFrame::Remove { participant_id, delete_messages, .. } => {
                self.remove(participant_id, delete_messages).await
            }
            ClientFrame::Report { id, reason, .. } => self.report(id, &reason).await,
            ClientFrame::DismissReports { id, .. } => self.dismiss_reports(&id).await,
            ClientFrame::Unmute { participant_id, .. } => self.unmute(&participant_id).await,
            ClientFrame::CreatePoll { question, options, anonymous, hide_votes, multiple, .. } => {
                self.create_poll(&question, &options, (anonymous, hide_votes, multiple)).await
            }
            ClientFrame::Vote { poll_id, options, .. } => self.vote(&poll_id, &options).await,
            ClientFrame::ClosePoll { poll_id, .. } => self.close_poll(&poll_id).await,
            ClientFrame::UpdateSettings {
                anyone_can_pin,
                who_can_send,
                slow_mode_secs,
                read_receipts,
                private_chat,
                ..
            } => {
                let change =
                    SettingsChange { anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat };
                self.update_settings(change).await
            }
            ClientFrame::Participants { query, after, limit, .. } => {
                self.participants(query.as_deref(), after.as_deref(), limit).await
            }
            ClientFrame::Ping { .. } => Ok(AckResult::Pong),
            ClientFrame::Typing { targets } => {
                // Never answered: only a refusal comes back.
                if let Err(error) = self.typing(targets).await {
                    self.send_error(error.to_frame(None));
                }
                return;
            }
        };
        let req_id = req_id.unwrap_or_default();
        match outcome {
            Ok(result) => self.send_frame(&ServerFrame::Ack { req_id, result }),
            Err(error) => {
                if let DomainError::RateLimited { bucket, retry_after } = &error {
                    self.schedule_reset_notice(*bucket, *retry_after);
                }
                self.send_error(error.to_frame(Some(req_id)));
            }
        }
    }

    /// Tells the client when a bucket that refused it accepts sends again;
    /// one pending notice per bucket however often it was refused.
    fn schedule_reset_notice(&self, bucket: RateBucket, after: std::time::Duration) {
        let pending = Arc::clone(&self.reset_notice_pending);
        if pending[bucket_index(bucket)].swap(true, Ordering::AcqRel) {
            return;
        }
        let tx = self.tx.clone();
        let kick = self.kick.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = tokio::time::sleep(after) => {
                    pending[bucket_index(bucket)].store(false, Ordering::Release);
                    let _ = tx.try_send(serialize(&ServerFrame::RateLimitReset { bucket }));
                }
                () = kick.cancelled() => {}
            }
        });
    }

    /// Takes one from this participant's `bucket` (across nodes), or says when it refills.
    async fn spend(&self, bucket: RateBucket) -> Result<(), DomainError> {
        self.hub
            .send_limits
            .take(bucket, &self.room.meeting, &self.me.id)
            .await
            .map_err(|retry_after| DomainError::RateLimited { bucket, retry_after })
    }

    /// A message visible to this participant, or `NotFound`.
    async fn visible_message(&self, id: &MessageId) -> Result<Message, DomainError> {
        let store = &self.hub.store;
        let message = store.message(&self.room.meeting, id).await?.ok_or(DomainError::NotFound)?;
        if !message.visible_to(&self.me.id) || store.is_hidden_for(id, &self.me.id).await? {
            return Err(DomainError::NotFound);
        }
        Ok(message)
    }
}
