//! Who is connected on which node: one Redis hash per meeting (a field per
//! node and participant), the meetings each node has written to, and node
//! heartbeats in a sorted set. A node that stops beating for
//! [`NODE_TTL_MS`] is forgotten by the first other node to notice: its
//! entries go and each of its meetings is announced, so its participants
//! leave every list within a few seconds of a `kill -9`.
//!
//! Times are Redis's own (`TIME`), so nodes' clocks need not agree.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;

use chat_protocol::{MeetingId, Participant, ParticipantId};

use super::bus::announce_presence;
use super::{Cluster, ClusterError};

/// How long a node may go without a heartbeat before it counts as gone.
pub const NODE_TTL_MS: i64 = 5_000;

const NODES: &str = "meeting-chat:nodes";

/// Separates the node from the participant in a presence field; a control
/// character neither contains.
const FIELD_SEPARATOR: char = '\u{1f}';

/// Beats: records the node as alive now; answers 1 when it was not listed.
const HEARTBEAT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], now, ARGV[1])
";

/// The nodes whose last beat is older than ARGV[1] milliseconds.
const EXPIRED: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
";

pub(super) fn presence_key(meeting: &MeetingId) -> String {
    format!("meeting-chat:presence:{}", meeting.as_str())
}

pub(super) fn node_meetings_key(node: &str) -> String {
    format!("meeting-chat:node-meetings:{node}")
}

pub(super) fn presence_field(node: &str, participant: &ParticipantId) -> String {
    format!("{node}{FIELD_SEPARATOR}{}", participant.as_str())
}

fn node_of(field: &str) -> Option<&str> {
    field.split_once(FIELD_SEPARATOR).map(|(node, _)| node)
}

impl Cluster {
    /// Records this node as alive. Returns whether its presence must be
    /// written whole: this process has not written it yet (what Redis holds
    /// under its id may be an earlier life's, killed and restarted faster
    /// than [`NODE_TTL_MS`]), Redis lost it (restarted, or another node took
    /// this one for dead) or a presence write failed since the last beat.
    pub async fn heartbeat(&self) -> Result<bool, ClusterError> {
        let mut redis = self.redis.clone();
        let added: i64 =
            redis::Script::new(HEARTBEAT).key(NODES).arg(self.node.as_ref()).invoke_async(&mut redis).await?;
        Ok(self.presence_lost.swap(false, Ordering::SeqCst) || added == 1)
    }

    /// Writes this node's presence whole: `local` is everyone connected here,
    /// by meeting. Entries of this node that are no longer true go.
    pub async fn rewrite_presence(&self, local: &HashMap<MeetingId, Vec<Participant>>) -> Result<(), ClusterError> {
        let result = self.try_rewrite(local).await;
        if result.is_err() {
            self.presence_lost.store(true, Ordering::SeqCst);
        }
        result
    }

    async fn try_rewrite(&self, local: &HashMap<MeetingId, Vec<Participant>>) -> Result<(), ClusterError> {
        let mut redis = self.redis.clone();
        let mine = node_meetings_key(&self.node);
        let listed: Vec<String> = redis::cmd("SMEMBERS").arg(&mine).query_async(&mut redis).await?;
        let mut meetings: HashSet<MeetingId> = listed.into_iter().map(MeetingId).collect();
        meetings.extend(local.keys().cloned());
        for meeting in meetings {
            let key = presence_key(&meeting);
            let fields: Vec<String> = redis::cmd("HKEYS").arg(&key).query_async(&mut redis).await?;
            let here = local.get(&meeting).map(Vec::as_slice).unwrap_or_default();
            let keep: HashSet<String> = here.iter().map(|p| presence_field(&self.node, &p.id)).collect();
            let mut pipe = redis::pipe();
            for field in fields.iter().filter(|f| node_of(f) == Some(&*self.node) && !keep.contains(*f)) {
                pipe.hdel(&key, field).ignore();
            }
            for participant in here {
                let entry = serde_json::to_string(participant).unwrap_or_default();
                pipe.hset(&key, presence_field(&self.node, &participant.id), entry).ignore();
            }
            if here.is_empty() {
                pipe.srem(&mine, meeting.as_str()).ignore();
            } else {
                pipe.sadd(&mine, meeting.as_str()).ignore();
            }
            announce_presence(&mut pipe, &self.node, &meeting);
            pipe.query_async::<()>(&mut redis).await?;
        }
        Ok(())
    }

    /// Leaves the cluster on a graceful stop, once the writes queued before
    /// are done: this node's presence goes and its heartbeat with it, so the
    /// others drop its participants at once instead of after [`NODE_TTL_MS`].
    pub async fn retire(&self) -> Result<(), ClusterError> {
        self.written().await;
        self.rewrite_presence(&HashMap::new()).await?;
        let mut redis = self.redis.clone();
        redis::cmd("ZREM").arg(NODES).arg(self.node.as_ref()).query_async::<()>(&mut redis).await?;
        Ok(())
    }

    /// Forgets every node that stopped beating: removes its entries and
    /// announces its meetings. Returns how many nodes were forgotten.
    pub async fn forget_dead_nodes(&self) -> Result<usize, ClusterError> {
        let mut redis = self.redis.clone();
        let expired: Vec<String> =
            redis::Script::new(EXPIRED).key(NODES).arg(NODE_TTL_MS).invoke_async(&mut redis).await?;
        let mut forgotten = 0;
        for node in expired.iter().filter(|node| **node != *self.node) {
            let theirs = node_meetings_key(node);
            let meetings: Vec<String> = redis::cmd("SMEMBERS").arg(&theirs).query_async(&mut redis).await?;
            for meeting in meetings.into_iter().map(MeetingId) {
                let key = presence_key(&meeting);
                let fields: Vec<String> = redis::cmd("HKEYS").arg(&key).query_async(&mut redis).await?;
                let mut pipe = redis::pipe();
                for field in fields.iter().filter(|f| node_of(f) == Some(node.as_str())) {
                    pipe.hdel(&key, field).ignore();
                }
                announce_presence(&mut pipe, node, &meeting);
                pipe.query_async::<()>(&mut redis).await?;
            }
            redis::pipe().del(&theirs).ignore().zrem(NODES, node).ignore().query_async::<()>(&mut redis).await?;
            tracing::warn!(node = %node, "a node stopped beating; its participants were removed");
            forgotten += 1;
        }
        Ok(forgotten)
    }

    /// Who is connected to `meeting` on the other nodes, by node.
    pub async fn present_elsewhere(&self, meeting: &MeetingId) -> Result<Vec<(String, Participant)>, ClusterError> {
        let mut redis = self.redis.clone();
        let entries: Vec<(String, String)> =
            redis::cmd("HGETALL").arg(presence_key(meeting)).query_async(&mut redis).await?;
        let mut present = Vec::with_capacity(entries.len());
        for (field, entry) in entries {
            let Some(node) = node_of(&field).filter(|node| **node != *self.node) else { continue };
            let participant: Participant =
                serde_json::from_str(&entry).map_err(|e| ClusterError::Unreadable(format!("{field}: {e}")))?;
            present.push((node.to_owned(), participant));
        }
        Ok(present)
    }
}
