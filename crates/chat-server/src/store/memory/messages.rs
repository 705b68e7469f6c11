//! Messages and their events in memory: storing, editing, deleting, hiding and
//! pinning a message, each with its event, and reading them back (events,
//! history, the chat dump).

use async_trait::async_trait;
use chat_protocol::{ClientId, EventEnvelope, FileId, MeetingId, Message, MessageId, Participant, ParticipantId, Seq};

use super::search::PageOf;
use super::MemoryStore;
use crate::store::events::EventKind;
use crate::store::{
    Deleted, DumpedMessage, Inserted, MessagePage, Messages, NewMessage, PageQuery, StoreError, StoredContent,
    StoredEvent,
};

#[async_trait]
impl Messages for MemoryStore {
    async fn head_seq(&self, meeting: &MeetingId) -> Result<Seq, StoreError> {
        self.with(|s| Ok(s.meetings.get(meeting).map_or(0, |m| m.events.len() as Seq)))
    }

    async fn message_by_client_id(
        &self,
        meeting: &MeetingId,
        sender: &ParticipantId,
        client_id: &ClientId,
    ) -> Result<Option<Message>, StoreError> {
        self.with(|s| {
            let key = (meeting.clone(), sender.clone(), client_id.clone());
            Ok(s.by_client.get(&key).and_then(|id| s.messages.get(id)).cloned())
        })
    }

    async fn message(&self, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError> {
        self.with(|s| Ok(s.message_in(meeting, id).cloned()))
    }

    async fn is_hidden_for(&self, id: &MessageId, participant: &ParticipantId) -> Result<bool, StoreError> {
        self.with(|s| Ok(s.hidden.contains(&(id.clone(), participant.clone()))))
    }

    async fn insert_message(&self, new: NewMessage) -> Result<Inserted, StoreError> {
        self.with(|s| {
            let key = (new.meeting.clone(), new.sender.id.clone(), new.client_id.clone());
            if let Some(message) = s.by_client.get(&key).and_then(|id| s.messages.get(id)) {
                return Ok(Inserted { message: message.clone(), event: None });
            }
            let content = s.content(&new.content)?;
            let attachments = new.attachments.iter().map(|id| s.file_ref(id)).collect::<Result<Vec<_>, _>>()?;
            let seq = s.record(&new.meeting, EventKind::Created, Some(&new.id), &new.sender.id, new.time, None);
            let message = Message {
                id: new.id.clone(),
                client_id: new.client_id,
                seq,
                sender: new.sender,
                time: new.time,
                content,
                reply_to: new.reply_to,
                forwarded_from: new.forwarded_from,
                targets: new.targets,
                metadata: new.metadata,
                details: new.details,
                attachments,
                edited: false,
                edited_at: None,
                pinned: false,
                reactions: Vec::new(),
                mentions: new.mentions,
            };
            if let StoredContent::File(_, file) = &new.content {
                s.file_of.insert(new.id.clone(), file.clone());
            }
            s.attachments_of.insert(new.id.clone(), new.attachments);
            s.session_of.insert(new.id.clone(), new.session_id);
            s.by_client.insert(key, new.id.clone());
            s.meeting_of.insert(new.id.clone(), new.meeting.clone());
            s.messages.insert(new.id, message.clone());
            Ok(Inserted { message, event: Some(s.last_event(&new.meeting)?) })
        })
    }

    async fn edit_message(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        content: StoredContent,
        keep: Option<Vec<FileId>>,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError> {
        self.with(|s| {
            s.live(meeting, id)?;
            let new_content = s.content(&content)?;
            let kept = match &keep {
                Some(keep) => Some(keep.iter().map(|file| s.file_ref(file)).collect::<Result<Vec<_>, _>>()?),
                None => None,
            };
            if let Some(keep) = keep {
                s.attachments_of.insert(id.clone(), keep);
            }
            let message = s.live(meeting, id)?;
            message.content = new_content;
            if let Some(kept) = kept {
                message.attachments = kept;
            }
            message.edited = true;
            message.edited_at = Some(at);
            match content {
                StoredContent::File(_, file) => s.file_of.insert(id.clone(), file),
                StoredContent::Text(_) => s.file_of.remove(id),
            };
            s.record(meeting, EventKind::Edited, Some(id), by, at, None);
            s.last_event(meeting)
        })
    }

    async fn delete_for_everyone(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError> {
        self.with(|s| {
            let files = s.erase(meeting, id)?;
            let orphaned_files = s.orphans(files);
            s.record(meeting, EventKind::Deleted, Some(id), by, at, None);
            Ok(Deleted { event: s.last_event(meeting)?, orphaned_files })
        })
    }

    async fn hide_for(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        participant: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            s.message_in(meeting, id).ok_or(StoreError::MessageNotFound)?;
            if !s.hidden.insert((id.clone(), participant.clone())) {
                return Ok(None);
            }
            s.record(meeting, EventKind::Hidden, Some(id), participant, at, None);
            s.last_event(meeting).map(Some)
        })
    }

    async fn set_pinned(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        pinned: bool,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError> {
        self.with(|s| {
            let message = s.live(meeting, id)?;
            if message.pinned == pinned {
                return Ok(None);
            }
            message.pinned = pinned;
            let kind = if pinned { EventKind::Pinned } else { EventKind::Unpinned };
            s.record(meeting, kind, Some(id), by, at, None);
            s.last_event(meeting).map(Some)
        })
    }

    async fn events_after(
        &self,
        meeting: &MeetingId,
        viewer: &Participant,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError> {
        self.with(|s| {
            let Some(events) = s.meetings.get(meeting).map(|m| &m.events) else { return Ok(Vec::new()) };
            // Events about a message the viewer hid are skipped, except the
            // hiding itself; `limit` counts the rest before their audiences
            // are checked, as the SQL engines' LIMIT does.
            let hidden = |stored: &&super::state::StoredRecord| {
                let id = stored.message.as_ref();
                id.is_some_and(|id| s.hidden.contains(&(id.clone(), viewer.id.clone())))
                    && stored.record.kind != EventKind::Hidden
            };
            let considered = events.iter().filter(|e| e.record.seq > after).filter(|e| !hidden(e));
            let mut out = Vec::new();
            for stored in considered.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
                let mut event = s.deliverable(stored, Vec::new())?;
                if event.audience.includes(viewer) {
                    s.mark_mine(&mut event.envelope.event, &viewer.id);
                    out.push(event.envelope);
                }
            }
            Ok(out)
        })
    }

    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError> {
        self.with(|s| {
            let Some(events) = s.meetings.get(meeting).map(|m| &m.events) else { return Ok(Vec::new()) };
            let after = events.iter().filter(|e| e.record.seq > after);
            after.take(usize::try_from(limit).unwrap_or(usize::MAX)).map(|stored| s.current(stored)).collect()
        })
    }

    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError> {
        let page = PageOf { meeting, viewer, page };
        self.with(|s| {
            let mut page = s.newest_visible(&page, |_| true);
            page.messages.reverse();
            Ok(page)
        })
    }

    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError> {
        self.with(|s| {
            let mut page: Vec<&Message> =
                s.messages.values().filter(|m| s.message_in(meeting, &m.id).is_some() && m.seq > after).collect();
            page.sort_by_key(|m| m.seq);
            page.truncate(limit as usize);
            let session = |m: &Message| s.session_of.get(&m.id).cloned().unwrap_or_default();
            Ok(page.into_iter().map(|m| DumpedMessage { message: m.clone(), session_id: session(m) }).collect())
        })
    }
}
