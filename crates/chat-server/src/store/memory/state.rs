//! The memory store's state: every map under its one lock, and the lookups
//! its operations share.

use std::collections::{HashMap, HashSet};

use chat_protocol::{
    ClientId, Content, FileId, MeetingId, MeetingSettings, Message, MessageId, Mute, ParticipantId, Seq,
};

use crate::store::events::{build_event, EventKind, EventRecord};
use crate::store::{StoreError, StoredContent, StoredEvent, StoredFile};

pub(super) struct StoredRecord {
    pub(super) record: EventRecord,
    pub(super) message: Option<MessageId>,
}

#[derive(Default)]
pub(super) struct Meeting {
    pub(super) settings: MeetingSettings,
    pub(super) events: Vec<StoredRecord>,
    /// Who is muted, by id (a `BTreeMap`, so they list in the SQL engines' order).
    pub(super) mutes: std::collections::BTreeMap<ParticipantId, Mute>,
    /// Open reports, as made.
    pub(super) reports: Vec<chat_protocol::Report>,
    /// Polls, as created, with their votes.
    pub(super) polls: Vec<super::polls::HeldPoll>,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) meetings: HashMap<MeetingId, Meeting>,
    pub(super) messages: HashMap<MessageId, Message>,
    pub(super) by_client: HashMap<(MeetingId, ParticipantId, ClientId), MessageId>,
    pub(super) meeting_of: HashMap<MessageId, MeetingId>,
    pub(super) file_of: HashMap<MessageId, FileId>,
    pub(super) attachments_of: HashMap<MessageId, Vec<FileId>>,
    pub(super) hidden: HashSet<(MessageId, ParticipantId)>,
    pub(super) files: HashMap<FileId, StoredFile>,
    pub(super) session_of: HashMap<MessageId, String>,
    /// Who reacted to which message with what, and when.
    pub(super) reacted: Vec<(MessageId, ParticipantId, String, i64)>,
    /// Where each reader joined.
    pub(super) readers: HashMap<(MeetingId, ParticipantId), Seq>,
    /// How far each reader read each conversation (`""` the meeting's).
    pub(super) read_marks: HashMap<(MeetingId, ParticipantId, String), Seq>,
}

impl State {
    pub(super) fn meeting(&mut self, id: &MeetingId) -> &mut Meeting {
        self.meetings.entry(id.clone()).or_default()
    }

    /// Records an event at the meeting's next `seq`.
    pub(super) fn record(
        &mut self,
        meeting: &MeetingId,
        kind: EventKind,
        message: Option<&MessageId>,
        actor: &ParticipantId,
        at: i64,
        payload: Option<String>,
    ) -> Seq {
        let events = &mut self.meeting(meeting).events;
        let seq = events.len() as Seq + 1;
        let record = EventRecord { seq, time: at, kind, actor: actor.clone(), payload };
        events.push(StoredRecord { record, message: message.cloned() });
        seq
    }

    pub(super) fn hidden_by(&self, id: &MessageId) -> Vec<ParticipantId> {
        self.hidden.iter().filter(|(m, _)| m == id).map(|(_, p)| p.clone()).collect()
    }

    /// The deliverable form of the meeting's newest event.
    pub(super) fn last_event(&self, meeting: &MeetingId) -> Result<StoredEvent, StoreError> {
        let stored = self
            .meetings
            .get(meeting)
            .and_then(|m| m.events.last())
            .ok_or_else(|| StoreError::Corrupt("no event".into()))?;
        self.current(stored)
    }

    /// A stored event with its message's current state and audience.
    pub(super) fn current(&self, stored: &StoredRecord) -> Result<StoredEvent, StoreError> {
        self.deliverable(stored, stored.message.as_ref().map(|id| self.hidden_by(id)).unwrap_or_default())
    }

    pub(super) fn deliverable(
        &self,
        stored: &StoredRecord,
        hidden_by: Vec<ParticipantId>,
    ) -> Result<StoredEvent, StoreError> {
        let message = stored.message.as_ref().and_then(|id| self.messages.get(id)).cloned();
        build_event(stored.record.clone(), message, hidden_by)
    }

    pub(super) fn message_in(&self, meeting: &MeetingId, id: &MessageId) -> Option<&Message> {
        self.messages.get(id).filter(|_| self.meeting_of.get(id) == Some(meeting))
    }

    pub(super) fn live(&mut self, meeting: &MeetingId, id: &MessageId) -> Result<&mut Message, StoreError> {
        if self.message_in(meeting, id).is_none() {
            return Err(StoreError::MessageNotFound);
        }
        let message = self.messages.get_mut(id).ok_or(StoreError::MessageNotFound)?;
        if message.content == Content::Deleted {
            return Err(StoreError::MessageDeleted);
        }
        Ok(message)
    }

    /// Erases a live message's body, leaving a tombstone; returns the files
    /// it held (its own, its attachments) for [`Self::orphans`].
    pub(super) fn erase(&mut self, meeting: &MeetingId, id: &MessageId) -> Result<Vec<FileId>, StoreError> {
        let message = self.live(meeting, id)?;
        message.content = Content::Deleted;
        message.metadata.clear();
        message.details.clear();
        message.pinned = false;
        message.attachments.clear();
        message.reactions.clear();
        let mut files = self.attachments_of.remove(id).unwrap_or_default();
        files.extend(self.file_of.remove(id));
        Ok(files)
    }

    /// Forgets those of `files` no message refers to any more; returns them.
    pub(super) fn orphans(&mut self, files: Vec<FileId>) -> Vec<FileId> {
        let mut orphaned: Vec<FileId> = Vec::new();
        for file in files {
            if !orphaned.contains(&file) && !self.is_used(&file) {
                self.files.remove(&file);
                orphaned.push(file);
            }
        }
        orphaned
    }

    pub(super) fn file_ref(&self, id: &FileId) -> Result<chat_protocol::FileRef, StoreError> {
        Ok(self.files.get(id).ok_or_else(|| StoreError::Corrupt(format!("no file {id}")))?.to_ref())
    }

    pub(super) fn is_used(&self, file: &FileId) -> bool {
        self.file_of.values().chain(self.attachments_of.values().flatten()).any(|other| other == file)
    }

    pub(super) fn content(&self, content: &StoredContent) -> Result<Content, StoreError> {
        Ok(match content {
            StoredContent::Text(text) => Content::Text { text: text.clone() },
            StoredContent::File(kind, id) => {
                let file = self.files.get(id).ok_or_else(|| StoreError::Corrupt(format!("no file {id}")))?;
                Content::with_file(*kind, file.to_ref())
            }
        })
    }
}
