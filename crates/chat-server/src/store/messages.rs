//! Messages and their events: storing, changing and reading a meeting's
//! messages, and the events each change records, whatever the engine.

use async_trait::async_trait;
use chat_protocol::{ClientId, EventEnvelope, FileId, MeetingId, Message, MessageId, Participant, ParticipantId, Seq};

use super::{
    Deleted, DumpedMessage, Inserted, MessagePage, NewMessage, PageQuery, StoreError, StoredContent, StoredEvent,
};

/// A meeting's messages and events.
#[async_trait]
pub trait Messages: Send + Sync + 'static {
    /// The newest `seq` in a meeting (0 when it has none).
    async fn head_seq(&self, meeting: &MeetingId) -> Result<Seq, StoreError>;
    /// A message by its sender's client id.
    async fn message_by_client_id(
        &self,
        meeting: &MeetingId,
        sender: &ParticipantId,
        client_id: &ClientId,
    ) -> Result<Option<Message>, StoreError>;
    /// A message by id.
    async fn message(&self, meeting: &MeetingId, id: &MessageId) -> Result<Option<Message>, StoreError>;
    /// Whether `participant` deleted the message for themselves.
    async fn is_hidden_for(&self, id: &MessageId, participant: &ParticipantId) -> Result<bool, StoreError>;
    /// Stores a message, or finds the one its sender already sent with this client id.
    async fn insert_message(&self, message: NewMessage) -> Result<Inserted, StoreError>;
    /// Replaces a message's content, and keeps only `attachments` of its
    /// attachments when given (the domain checked they are among them).
    async fn edit_message(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        content: StoredContent,
        attachments: Option<Vec<FileId>>,
        by: &ParticipantId,
        at: i64,
    ) -> Result<StoredEvent, StoreError>;
    /// Erases a message's body, leaving a tombstone.
    async fn delete_for_everyone(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Deleted, StoreError>;
    /// Hides a message from one participant; `None` if it already was.
    async fn hide_for(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        participant: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
    /// Pins or unpins; `None` when it already was in that state.
    async fn set_pinned(
        &self,
        meeting: &MeetingId,
        id: &MessageId,
        pinned: bool,
        by: &ParticipantId,
        at: i64,
    ) -> Result<Option<StoredEvent>, StoreError>;
    /// Events after `after`, at most `limit`, that `viewer` may receive (hosts
    /// also hear of moderation), oldest first.
    async fn events_after(
        &self,
        meeting: &MeetingId,
        viewer: &Participant,
        after: Seq,
        limit: u64,
    ) -> Result<Vec<EventEnvelope>, StoreError>;
    /// Every event after `after`, at most `limit`, oldest first, with its
    /// audience: what a node delivers when it learns of changes another
    /// node stored.
    async fn events_since(&self, meeting: &MeetingId, after: Seq, limit: u64) -> Result<Vec<StoredEvent>, StoreError>;
    /// The `page` of the messages visible to `viewer`, oldest first.
    async fn history(
        &self,
        meeting: &MeetingId,
        viewer: &ParticipantId,
        page: &PageQuery,
    ) -> Result<MessagePage, StoreError>;
    /// Every message of a meeting with `seq` above `after` (private ones
    /// and tombstones too), oldest first, at most `limit`: the chat dump,
    /// read a page at a time.
    async fn dump_page(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<DumpedMessage>, StoreError>;
}
