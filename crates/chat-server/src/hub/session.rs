//! One authenticated connection's requests: checks, permissions, rate limits,
//! then the change stored and delivered under the room lock, then the answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chat_protocol::{
    AckResult, ClientFrame, Content, ErrorCode, ErrorFrame, FileId, Message, MessageId, MessageKind, NewContent,
    Participant, Puppet, RateBucket, Sender, ServerFrame,
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

mod changes;
mod read_marks;
mod reading;
mod typing;
mod webinar;

use super::hook::{HookDraft, Rewritable};
use super::{serialize, ConnId, Hub, Outbound, PresenceSlot, Room};
use crate::error::DomainError;
use crate::store::{NewMessage, PageQuery, StoreError, StoredContent};
use crate::validation;

/// A connected participant's handle on their meeting.
pub struct Session {
    hub: Arc<Hub>,
    room: Arc<Room>,
    conn_id: ConnId,
    me: Participant,
    tx: mpsc::Sender<Outbound>,
    presence: Arc<PresenceSlot>,
    kick: CancellationToken,
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
        kick: CancellationToken,
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

    /// Cancelled when the server drops this connection as a slow consumer.
    pub fn kicked(&self) -> &CancellationToken {
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
            self.hub.meeting_emptied(&self.room.meeting);
        }
    }

    /// Queues a frame for this connection only.
    pub fn send_frame(&self, frame: &ServerFrame) {
        if self.tx.try_send(serialize(frame)).is_err() {
            self.kick.cancel();
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
            ClientFrame::UpdateSettings { anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, .. } => {
                self.update_settings(anyone_can_pin, who_can_send, slow_mode_secs, read_receipts).await
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

    /// A message visible to this participant, or `NotFound`.
    async fn visible_message(&self, id: &MessageId) -> Result<Message, DomainError> {
        let store = &self.hub.store;
        let message = store.message(&self.room.meeting, id).await?.ok_or(DomainError::NotFound)?;
        if !message.visible_to(&self.me.id) || store.is_hidden_for(id, &self.me.id).await? {
            return Err(DomainError::NotFound);
        }
        Ok(message)
    }

    /// Turns requested content into stored content, checking any file is this
    /// meeting's, the sender's own upload (or the forwarded message's file),
    /// and of the kind asked for.
    async fn resolve_content(
        &self,
        content: NewContent,
        forwarded: Option<&Message>,
    ) -> Result<StoredContent, DomainError> {
        let kind = content.kind();
        let file_id = match content {
            NewContent::Text { text } => return Ok(StoredContent::Text(text)),
            NewContent::Image { file_id } | NewContent::File { file_id } | NewContent::Audio { file_id } => file_id,
        };
        let unknown = || DomainError::InvalidAttachment(format!("no upload {file_id} of yours in this meeting"));
        let file = self.hub.store.file(&file_id).await?.ok_or_else(unknown)?;
        let forwarded_file = forwarded.and_then(|m| m.content.file()).map(|file| &file.id);
        let owned = file.uploader == self.me.id || forwarded_file == Some(&file.id);
        if file.meeting != self.room.meeting || !owned {
            return Err(unknown());
        }
        let fits = match kind {
            MessageKind::Image => file.width.is_some(),
            MessageKind::Audio => file.content_type.starts_with("audio/"),
            MessageKind::File | MessageKind::Text => true,
        };
        if !fits {
            return Err(DomainError::InvalidAttachment(format!(
                "upload {file_id} is {}, not usable as {}",
                file.content_type,
                kind.as_str()
            )));
        }
        Ok(StoredContent::File(kind, FileId(file.id.0)))
    }

    /// Who a message from this connection is from: itself (marked a bot for
    /// a bot or a service), or for a service the puppet it names.
    fn sender(&self, puppet: Option<Puppet>) -> Result<Sender, DomainError> {
        let app = self.me.role.is_app();
        match puppet {
            None => Ok(Sender { id: self.me.id.clone(), display_name: self.me.display_name.clone(), bot: app }),
            Some(puppet) => {
                chat_protocol::rules::may_send_as_puppet(&self.me)?;
                validation::check_id("asSender.id", puppet.id.as_str())?;
                let name = chat_protocol::rules::check_display_name(&puppet.display_name)?;
                Ok(Sender { id: puppet.id, display_name: name.to_owned(), bot: true })
            }
        }
    }

    fn sent_ack(&self, message: &Message) -> AckResult {
        AckResult::Sent {
            client_id: message.client_id.clone(),
            id: message.id.clone(),
            seq: message.seq,
            time: message.time,
            modified: Vec::new(),
        }
    }

    async fn send_message(&self, frame: ClientFrame) -> Result<AckResult, DomainError> {
        let ClientFrame::Send {
            client_id,
            content,
            reply_to,
            forwarded_from,
            targets,
            metadata,
            details,
            attachments,
            as_sender,
            mentions,
            ..
        } = frame
        else {
            return Err(DomainError::InvalidRequest("not a send".into()));
        };
        let limits = &self.hub.config.limits;
        let sender = self.sender(as_sender)?;
        validation::check_id("clientId", client_id.as_str())?;
        validation::check_content(&content, attachments.len(), limits)?;
        validation::check_metadata(&metadata, &details, limits)?;
        let targets = validation::normalize_targets(&targets, &sender.id, limits)?;
        let store = &self.hub.store;
        if let Some(original) = store.message_by_client_id(&self.room.meeting, &sender.id, &client_id).await? {
            return Ok(self.sent_ack(&original));
        }
        self.may_send_now().await?;
        let bucket = RateBucket::of(content.kind(), attachments.len());
        self.hub
            .take_send(bucket, &self.room.meeting, &self.me.id)
            .await
            .map_err(|retry_after| DomainError::RateLimited { bucket, retry_after })?;

        if let Some(reply_to) = &reply_to {
            self.visible_message(reply_to).await?;
        }
        let forwarded = match &forwarded_from {
            Some(id) => {
                let source = self.visible_message(id).await?;
                if source.content == Content::Deleted {
                    return Err(DomainError::MessageDeleted);
                }
                Some(source)
            }
            None => None,
        };
        let mut content = self.resolve_content(content, forwarded.as_ref()).await?;
        let attachments =
            self.hub.resolve_attachments(&self.room.meeting, &self.me.id, attachments, forwarded.as_ref()).await?;
        let (mut targets, mut metadata) = (targets, metadata);
        let mut modified = Vec::new();
        if self.hub.has_hook() {
            // The hook is shown what was sent, then may change it; asked before the room's lock.
            let (text, shown_targets, shown_metadata) =
                (content.text().map(str::to_owned), targets.clone(), metadata.clone());
            let draft = HookDraft {
                event: "message.create",
                meeting: &self.room.meeting,
                message_id: None,
                sender: &sender,
                kind: content.kind().as_str(),
                text: text.as_deref(),
                attachments: &attachments,
                targets: &shown_targets,
                reply_to: reply_to.as_ref(),
                forwarded_from: forwarded_from.as_ref(),
                metadata: &shown_metadata,
            };
            let parts = Rewritable { content: &mut content, targets: &mut targets, metadata: &mut metadata };
            modified = self.hub.consult_hook(draft, parts, &details).await?;
        }
        // After the hook, which may have changed who the message is for.
        let mentions = validation::normalize_mentions(&mentions, &sender.id, &targets, limits)?;
        let new = NewMessage {
            meeting: self.room.meeting.clone(),
            id: MessageId(uuid::Uuid::new_v4().simple().to_string()),
            client_id,
            sender,
            time: crate::clock::now_ms(),
            session_id: self.session_id.clone(),
            content,
            reply_to,
            forwarded_from,
            targets,
            metadata,
            details,
            attachments: attachments.into_iter().map(|file| file.id).collect(),
            mentions,
        };
        let mut members = self.room.members.lock().await;
        let inserted = store.insert_message(new).await?;
        if let Some(event) = inserted.event {
            self.hub.metrics.messages_stored.inc();
            self.hub.deliver(&self.room, &mut members, event).await;
            self.hub.owe_notices(&mut members, &self.room.meeting, &inserted.message).await;
        }
        let mut ack = self.sent_ack(&inserted.message);
        if let AckResult::Sent { modified: fields, .. } = &mut ack {
            *fields = modified;
        }
        Ok(ack)
    }
}
