//! What one node of the cluster does for all: the first to claim a name
//! does it; the others, asking within the claim's lifetime, do not.

use std::time::Duration;

use super::{Cluster, ClusterError};

impl Cluster {
    /// Claims `name` for `lasting` (at least a second): whether this node is the first.
    pub async fn claim_once(&self, name: &str, lasting: Duration) -> Result<bool, ClusterError> {
        let mut redis = self.redis.clone();
        let key = format!("meeting-chat:once:{name}");
        let ms = u64::try_from(lasting.as_millis()).unwrap_or(u64::MAX).max(1_000);
        let claimed: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(self.node.as_ref())
            .arg("NX")
            .arg("PX")
            .arg(ms)
            .query_async(&mut redis)
            .await?;
        Ok(claimed.is_some())
    }
}
