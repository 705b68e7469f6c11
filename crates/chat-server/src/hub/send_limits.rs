//! The domain's send limits (180 texts and 20 files per 60 s, and searches
//! per minute, per participant): kept in Redis when there is a cluster, so
//! they hold for a participant whose sockets sit on several nodes, and on
//! this node alone while Redis is away (or when there is no cluster).

use std::sync::Arc;
use std::time::Duration;

use chat_protocol::{MeetingId, ParticipantId, RateBucket};

use crate::cluster::Cluster;
use crate::config::Config;
use crate::rate_limit::Limiter;

/// Every participant's send and search allowance.
pub(crate) struct SendLimits {
    text: Limiter,
    file: Limiter,
    search: Limiter,
    config: Arc<Config>,
    cluster: Option<Arc<Cluster>>,
}

impl SendLimits {
    pub(crate) fn new(config: Arc<Config>, cluster: Option<Arc<Cluster>>) -> Self {
        let window = Duration::from_secs(u64::from(config.limits.rate_window_secs));
        Self {
            text: Limiter::new(config.limits.text_messages_per_window, window),
            file: Limiter::new(config.limits.file_messages_per_window, window),
            search: Limiter::new(config.searches_per_window, window),
            config,
            cluster,
        }
    }

    /// Takes one send (or search) from `who`'s `bucket`, or says how long until one is allowed.
    pub(crate) async fn take(
        &self,
        bucket: RateBucket,
        meeting: &MeetingId,
        who: &ParticipantId,
    ) -> Result<(), Duration> {
        let limits = &self.config.limits;
        let (local, per_window) = match bucket {
            RateBucket::Text => (&self.text, limits.text_messages_per_window),
            RateBucket::File => (&self.file, limits.file_messages_per_window),
            RateBucket::Search => (&self.search, self.config.searches_per_window),
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

    /// Forgets idle participants' state.
    pub(crate) fn forget_idle(&self) {
        self.text.forget_idle();
        self.file.forget_idle();
        self.search.forget_idle();
    }
}
