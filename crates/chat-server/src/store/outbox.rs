//! The webhook outbox: what apps are to be told, in the order it happened,
//! kept until every endpoint has it. A message event enters it in the
//! transaction that stores the change, so nothing stored is ever untold;
//! notices (an offline member, a meeting's chat synced) are added by the
//! domain. Each endpoint has a cursor, so a restart resumes where it was, and
//! a lease, so one node of a cluster delivers it.

use async_trait::async_trait;
use chat_protocol::MeetingId;
use serde_json::Value;

use super::{StoreError, StoredEvent};

/// One thing to deliver.
#[derive(Clone, Debug)]
pub struct OutboxItem {
    /// Its place in the outbox: deliveries go in this order, and it names
    /// the delivery so a receiver can drop a duplicate.
    pub id: i64,
    /// The meeting.
    pub meeting: MeetingId,
    /// When it happened, ms since the epoch.
    pub created_at: i64,
    /// What it says.
    pub body: OutboxBody,
}

/// What an outbox item says.
#[derive(Clone, Debug)]
pub enum OutboxBody {
    /// A message event, with its audience.
    Event(Box<StoredEvent>),
    /// Something that is not a message event: its type and payload.
    Notice {
        /// `notification.offline`, `meeting.chatSynced`.
        kind: String,
        /// Its fields.
        payload: Value,
    },
}

/// The outbox, whatever the engine.
#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// Takes or renews the lease on `endpoint`'s deliveries for `owner` (a
    /// node) until `now + lease_ms`, and returns the last item the endpoint
    /// was given; `None` while another node's lease holds. An endpoint seen
    /// for the first time starts after the newest item: it is told what
    /// happens from now.
    async fn claim(&self, endpoint: &str, owner: &str, now: i64, lease_ms: i64) -> Result<Option<i64>, StoreError>;
    /// Items after `after`, oldest first, at most `limit`.
    async fn items_after(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>, StoreError>;
    /// How many items come after `after`: an endpoint's backlog.
    async fn backlog(&self, after: i64) -> Result<u64, StoreError>;
    /// Records that `endpoint` has item `id` (or gave up on it, with why),
    /// if `owner` still holds its lease; returns whether it did.
    async fn advance(&self, endpoint: &str, owner: &str, id: i64, dead: Option<&str>) -> Result<bool, StoreError>;
    /// Adds a notice.
    async fn add_notice(&self, meeting: &MeetingId, kind: &str, payload: &Value, at: i64) -> Result<(), StoreError>;
    /// Drops the items every one of `endpoints` has (every item when there is none).
    async fn prune(&self, endpoints: &[String]) -> Result<u64, StoreError>;
}
