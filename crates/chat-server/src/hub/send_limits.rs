//! The per-participant send limits (180 texts and 20 files per 60 s): kept
//! in Redis when there is a cluster, so they hold for a participant whose
//! sockets sit on several nodes, and on this node alone while Redis is away
//! (or when there is no cluster).

use std::time::Duration;

use chat_protocol::{MeetingId, ParticipantId, RateBucket};

use super::Hub;

impl Hub {
    /// Takes one send (or search) from `who`'s `bucket`, or says how long until one is allowed.
    pub(super) async fn take_send(
        &self,
        bucket: RateBucket,
        meeting: &MeetingId,
        who: &ParticipantId,
    ) -> Result<(), Duration> {
        let limits = &self.config.limits;
        let (local, per_window) = match bucket {
            RateBucket::Text => (&self.text_limiter, limits.text_messages_per_window),
            RateBucket::File => (&self.file_limiter, limits.file_messages_per_window),
            RateBucket::Search => (&self.search_limiter, self.config.searches_per_window),
        };
        if let Some(cluster) = &self.cluster {
            let window = Duration::from_secs(u64::from(limits.rate_window_secs));
            match cluster.take_action(bucket.as_str(), meeting, who, per_window, window).await {
                Ok(outcome) => return outcome,
                Err(error) => tracing::debug!(%error, "rate limits hold on this node only while Redis is away"),
            }
        }
        local.check(meeting, who)
    }
}
