//! What the nodes serving the same meetings tell each other through Redis:
//! that a meeting has new events, who is connected on which node, and the
//! rate limits and slow mode that must hold for a participant whose sockets
//! sit on several nodes.
//!
//! PostgreSQL stays the source of truth. The bus only announces ("meeting M
//! has events up to seq S"); a node reads the events themselves from the
//! database, in order. That is why the bus is pub/sub and not Streams: a lost
//! announcement costs latency, never data, because every node also polls the
//! head of its live meetings each second. Redis keeps nothing that cannot be
//! rebuilt: after a restart each node writes its presence again, and limits
//! start from empty windows.

mod bus;
mod limits;
mod once;
mod presence;

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::mpsc;

use self::bus::Outgoing;
pub use self::bus::{Heard, ReadNotice};

/// How long a Redis command may take before the node carries on without it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(1);

/// After a failed command, how long limits skip Redis (and hold per node)
/// before trying it again, so sends do not each wait out its timeout.
const AWAY_FOR_MS: i64 = 1_000;

/// Announcements and presence writes waiting for Redis; beyond this many
/// (Redis down or slow) new ones are dropped and made up for later.
const OUTGOING_QUEUE: usize = 10_000;

/// Why a Redis operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// Redis refused the address or the command, or did not answer in time.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// A command failed a moment ago; Redis is not asked again yet.
    #[error("redis did not answer a moment ago")]
    Away,
    /// Redis answered something this node did not write.
    #[error("redis held an unreadable entry: {0}")]
    Unreadable(String),
}

/// This node's link to the others.
pub struct Cluster {
    node: Arc<str>,
    client: redis::Client,
    redis: ConnectionManager,
    outgoing: mpsc::Sender<Outgoing>,
    /// Makes each rate-limit entry this node writes unique.
    entries: AtomicU64,
    /// Set when a presence write was lost, and at start: the next heartbeat
    /// rewrites this node's presence whole. At start because a node killed
    /// and started again under the same id finds its earlier life's entries
    /// still in Redis, and its heartbeat keeps the others from expiring them.
    presence_lost: Arc<AtomicBool>,
    /// Until when (ms since the epoch) the limits leave Redis alone.
    away_until: AtomicI64,
}

impl Cluster {
    /// Connects to Redis at `url` as `node`. The connection is made on first
    /// use and remade after a failure, so a node starts and keeps serving
    /// while Redis is away (with announcements late and limits per node).
    pub fn connect(url: &str, node: Arc<str>) -> Result<Arc<Self>, ClusterError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(COMMAND_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let redis = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        let (outgoing, queue) = mpsc::channel(OUTGOING_QUEUE);
        let presence_lost = Arc::new(AtomicBool::new(true));
        tokio::spawn(bus::write(Arc::clone(&node), redis.clone(), queue, Arc::clone(&presence_lost)));
        let (entries, away_until) = (AtomicU64::new(0), AtomicI64::new(0));
        Ok(Arc::new(Self { node, client, redis, outgoing, entries, presence_lost, away_until }))
    }

    /// This node's name.
    pub fn node(&self) -> &Arc<str> {
        &self.node
    }

    /// Runs a limit's command unless Redis failed a moment ago; a failure
    /// makes the next ones skip it for [`AWAY_FOR_MS`].
    async fn unless_away<T>(
        &self,
        command: impl std::future::Future<Output = Result<T, ClusterError>>,
    ) -> Result<T, ClusterError> {
        if crate::clock::now_ms() < self.away_until.load(Ordering::Relaxed) {
            return Err(ClusterError::Away);
        }
        let result = command.await;
        if result.is_err() {
            self.away_until.store(crate::clock::now_ms() + AWAY_FOR_MS, Ordering::Relaxed);
        }
        result
    }

    /// Whether Redis answers now.
    pub async fn ping(&self) -> Result<(), ClusterError> {
        let mut redis = self.redis.clone();
        redis::cmd("PING").query_async::<String>(&mut redis).await?;
        Ok(())
    }
}
