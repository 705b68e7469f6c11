//! `meeting.chatSynced` (RealtimeKit): when a meeting's last person leaves
//! and nobody returns within the grace period, apps are told, through the
//! webhook outbox, where to download its chat. Bots and services staying on
//! do not keep a meeting going.

use std::sync::Arc;

use chat_protocol::MeetingId;
use serde_json::json;

use super::dump;
use super::notices::AppNotices;

impl AppNotices {
    /// Whether no other node has people in `meeting` either, and this node
    /// is the one to say so (nodes whose last people left together each
    /// ask; the first to claim the meeting's current head tells). Without
    /// Redis to ask, it is told, perhaps twice rather than never.
    async fn over_on_every_node(&self, meeting: &MeetingId) -> bool {
        let Some(cluster) = &self.cluster else { return true };
        let claim = async {
            let elsewhere = cluster.present_elsewhere(meeting).await?;
            if elsewhere.iter().any(|(_, participant)| !participant.role.is_app()) {
                return Ok(false);
            }
            let head = self.store.head_seq(meeting).await.unwrap_or_default();
            cluster.claim_once(&format!("chat-synced:{}:{head}", meeting.as_str()), self.config.chat_synced_grace).await
        };
        claim.await.unwrap_or_else(|error: crate::cluster::ClusterError| {
            tracing::warn!(%error, "cannot ask the other nodes whether the meeting is over; telling anyway");
            true
        })
    }

    /// A person joined `meeting`: it is not over.
    pub(super) fn meeting_resumed(&self, meeting: &MeetingId) {
        self.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(meeting);
    }

    /// The last person left `meeting`: after the grace period, unless
    /// someone came back, the chat is announced as synced.
    pub(super) fn meeting_emptied(self: &Arc<Self>, meeting: &MeetingId) {
        let Some(outbox) = self.sinks.as_ref().map(|n| Arc::clone(&n.outbox)) else { return };
        let mark = self.next_mark.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(meeting.clone(), mark);
        let (this, meeting) = (Arc::clone(self), meeting.clone());
        tokio::spawn(async move {
            tokio::time::sleep(this.config.chat_synced_grace).await;
            let still_over = {
                let mut emptied = this.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let over = emptied.get(&meeting) == Some(&mark);
                if over {
                    emptied.remove(&meeting);
                }
                over
            };
            if !still_over || !this.over_on_every_node(&meeting).await {
                return;
            }
            let links = dump::links(&this.signer, &meeting);
            let payload = json!({
                "meetingId": meeting,
                "chat_download_url": links.chat,
                "chat_download_url_expiry": links.expiry,
                "moderation_download_url": links.moderation,
            });
            if let Err(error) =
                outbox.add_notice(&meeting, "meeting.chatSynced", &payload, crate::clock::now_ms()).await
            {
                tracing::error!(%error, meeting = %meeting.as_str(), "could not record meeting.chatSynced");
            }
        });
    }
}
