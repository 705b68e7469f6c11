//! What happens on a send, in one place: the frame checked against the
//! rules, a retried client id answered with the stored message, permission,
//! slow mode and the rate limit, replies and forwards resolved, files
//! resolved, the hook asked, then the message stored and delivered under
//! the room lock, and members who are away owed a notice.

use chat_protocol::{
    AckResult, ClientFrame, Content, FileId, Message, MessageId, MessageKind, NewContent, Puppet, RateBucket, Sender,
};

use super::Session;
use crate::error::DomainError;
use crate::hub::hook::{HookDraft, Rewritable};
use crate::store::{NewMessage, StoredContent};
use crate::validation;

impl Session {
    /// Turns requested content into stored content, checking any file is this
    /// meeting's, the sender's own upload (or the forwarded message's file),
    /// and of the kind asked for.
    pub(super) async fn resolve_content(
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

    pub(super) fn sent_ack(&self, message: &Message) -> AckResult {
        AckResult::Sent {
            client_id: message.client_id.clone(),
            id: message.id.clone(),
            seq: message.seq,
            time: message.time,
            modified: Vec::new(),
        }
    }

    pub(super) async fn send_message(&self, frame: ClientFrame) -> Result<AckResult, DomainError> {
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
        self.may_send_now(&targets).await?;
        self.spend(RateBucket::of(content.kind(), attachments.len())).await?;

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
        let attachments = self
            .hub
            .files
            .resolve_attachments(&self.room.meeting, &self.me.id, attachments, forwarded.as_ref())
            .await?;
        let (mut targets, mut metadata) = (targets, metadata);
        let mut modified = Vec::new();
        if self.hub.notices.has_hook() {
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
            modified = self.hub.notices.consult_hook(draft, parts, &details).await?;
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
            self.hub.notices.owe_notices(&mut members, &self.room.meeting, &inserted.message).await;
        }
        let mut ack = self.sent_ack(&inserted.message);
        if let AckResult::Sent { modified: fields, .. } = &mut ack {
            *fields = modified;
        }
        Ok(ack)
    }
}
