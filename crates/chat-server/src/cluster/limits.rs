//! Limits that hold for a participant on every node at once: the sliding
//! rate-limit window as a sorted set of action times (a script, so counting
//! and recording are one step), and slow mode's wait as a key that expires.

use std::sync::atomic::Ordering;
use std::sync::LazyLock;
use std::time::Duration;

use chat_protocol::{MeetingId, ParticipantId};

use super::{Cluster, ClusterError};

/// Records one action unless ARGV[2] already happened in the last ARGV[1]
/// milliseconds; answers 0, or the milliseconds until the oldest leaves.
static SLIDING_WINDOW: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
",
    )
});

fn participant_key(kind: &str, meeting: &MeetingId, participant: &ParticipantId) -> String {
    format!("meeting-chat:{kind}:{}\u{1f}{}", meeting.as_str(), participant.as_str())
}

impl Cluster {
    /// Takes one action from `participant`'s `bucket`, which allows
    /// `per_window` in any `window`: `Ok(Err(wait))` when it is spent.
    pub async fn take_action(
        &self,
        bucket: &str,
        meeting: &MeetingId,
        participant: &ParticipantId,
        per_window: u32,
        window: Duration,
    ) -> Result<Result<(), Duration>, ClusterError> {
        let mut redis = self.redis.clone();
        let entry = format!("{}:{}", self.node, self.entries.fetch_add(1, Ordering::Relaxed));
        let mut script = SLIDING_WINDOW.key(participant_key(&format!("rate:{bucket}"), meeting, participant));
        script.arg(u64::try_from(window.as_millis()).unwrap_or(u64::MAX)).arg(per_window).arg(entry);
        let wait_ms: u64 = self.unless_away(async { Ok(script.invoke_async(&mut redis).await?) }).await?;
        Ok(if wait_ms == 0 { Ok(()) } else { Err(Duration::from_millis(wait_ms)) })
    }

    /// Starts `participant`'s slow-mode wait of `wait` unless one is running:
    /// `None` when it started, else how much of the running one is left.
    pub async fn start_slow_mode_wait(
        &self,
        meeting: &MeetingId,
        participant: &ParticipantId,
        wait: Duration,
    ) -> Result<Option<Duration>, ClusterError> {
        let mut redis = self.redis.clone();
        let key = participant_key("slow", meeting, participant);
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
        let claim = async {
            let set = redis::cmd("SET").arg(&key).arg(1).arg("NX").arg("PX").arg(wait_ms).clone();
            let started: Option<String> = set.query_async(&mut redis).await?;
            if started.is_some() {
                return Ok(None);
            }
            Ok(Some(redis::cmd("PTTL").arg(&key).query_async::<i64>(&mut redis).await?))
        };
        let Some(left_ms) = self.unless_away(claim).await? else { return Ok(None) };
        // The wait may have ended between the two commands (-2): nothing is left.
        Ok(Some(Duration::from_millis(u64::try_from(left_ms).unwrap_or(0))))
    }
}
