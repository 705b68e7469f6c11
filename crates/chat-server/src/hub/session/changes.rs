//! A connection's changes to existing messages: edits (asked of the message
//! hook like a new message), deletes for everyone or for oneself, and pins.

use chat_protocol::{AckResult, DeleteScope, FileId, MessageId, NewContent};

use super::{map_store, Session};
use crate::error::DomainError;
use crate::hub::hook::{HookDraft, Rewritable};
use crate::{permissions, validation};

impl Session {
    pub(super) async fn edit(
        &self,
        id: &MessageId,
        content: NewContent,
        keep: Option<Vec<FileId>>,
    ) -> Result<AckResult, DomainError> {
        let message = self.visible_message(id).await?;
        permissions::check_edit(&self.me, &message)?;
        let Some(kind) = message.content.kind() else {
            return Err(DomainError::MessageDeleted);
        };
        let new_kind = content.kind();
        if new_kind != kind {
            return Err(DomainError::InvalidRequest(format!(
                "a {} message cannot be edited into a {} message",
                kind.as_str(),
                new_kind.as_str()
            )));
        }
        // An edit keeps some of the attachments the message has, never adds one.
        if let Some(keep) = &keep {
            let has = |file: &FileId| message.attachments.iter().any(|a| &a.id == file);
            if keep.iter().enumerate().any(|(i, file)| !has(file) || keep[..i].contains(file)) {
                return Err(DomainError::InvalidAttachment(
                    "an edit may only keep the message's own attachments".into(),
                ));
            }
        }
        let remaining = keep.as_ref().map_or(message.attachments.len(), Vec::len);
        validation::check_content(&content, remaining, &self.hub.config.limits)?;
        let mut content = self.resolve_content(content, None).await?;
        if self.hub.notices.has_hook() {
            // An edit's text may be rewritten; its recipients and metadata stay the message's.
            let text = content.text().map(str::to_owned);
            let draft = HookDraft {
                event: "message.edit",
                meeting: &self.room.meeting,
                message_id: Some(id),
                sender: &message.sender,
                kind: content.kind().as_str(),
                text: text.as_deref(),
                attachments: &message.attachments,
                targets: &message.targets,
                reply_to: message.reply_to.as_ref(),
                forwarded_from: message.forwarded_from.as_ref(),
                metadata: &message.metadata,
            };
            let (mut targets, mut metadata) = (message.targets.clone(), message.metadata.clone());
            let parts = Rewritable { content: &mut content, targets: &mut targets, metadata: &mut metadata };
            self.hub.notices.consult_hook(draft, parts, &message.details).await?;
        }
        let mut members = self.room.members.lock().await;
        let event = self
            .hub
            .store
            .edit_message(&self.room.meeting, id, content, keep, &self.me.id, crate::clock::now_ms())
            .await
            .map_err(map_store)?;
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    pub(super) async fn delete(&self, id: &MessageId, scope: DeleteScope) -> Result<AckResult, DomainError> {
        let message = self.visible_message(id).await?;
        let store = &self.hub.store;
        let mut members = self.room.members.lock().await;
        match scope {
            DeleteScope::Everyone => {
                permissions::check_delete_for_everyone(&self.me, &message)?;
                let deleted = store
                    .delete_for_everyone(&self.room.meeting, id, &self.me.id, crate::clock::now_ms())
                    .await
                    .map_err(map_store)?;
                let seq = deleted.event.envelope.seq;
                self.hub.deliver(&self.room, &mut members, deleted.event).await;
                drop(members);
                for file in deleted.orphaned_files {
                    self.hub.files.remove_file_bytes(&file).await;
                }
                Ok(AckResult::Done { seq: Some(seq) })
            }
            DeleteScope::Me => {
                let event = store
                    .hide_for(&self.room.meeting, id, &self.me.id, crate::clock::now_ms())
                    .await
                    .map_err(map_store)?;
                let seq = event.as_ref().map(|e| e.envelope.seq);
                if let Some(event) = event {
                    self.hub.deliver(&self.room, &mut members, event).await;
                }
                Ok(AckResult::Done { seq })
            }
        }
    }

    pub(super) async fn set_pinned(&self, id: &MessageId, pinned: bool) -> Result<AckResult, DomainError> {
        self.visible_message(id).await?;
        let mut members = self.room.members.lock().await;
        let settings = members.settings(self.hub.store.as_ref(), &self.room.meeting).await?;
        permissions::check_pin(&self.me, &settings)?;
        let event = self
            .hub
            .store
            .set_pinned(&self.room.meeting, id, pinned, &self.me.id, crate::clock::now_ms())
            .await
            .map_err(map_store)?;
        let seq = event.as_ref().map(|e| e.envelope.seq);
        if let Some(event) = event {
            self.hub.deliver(&self.room, &mut members, event).await;
        }
        Ok(AckResult::Done { seq })
    }
}
