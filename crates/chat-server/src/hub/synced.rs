//! `meeting.chatSynced` (RealtimeKit): when a meeting's last person leaves
//! and nobody returns within the grace period, apps are told, through the
//! webhook outbox, where to download its chat. Bots and services staying on
//! do not keep a meeting going.

use std::sync::Arc;

use chat_protocol::MeetingId;
use serde_json::json;

use super::Hub;

impl Hub {
    /// A person joined `meeting`: it is not over.
    pub(super) fn meeting_resumed(&self, meeting: &MeetingId) {
        self.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(meeting);
    }

    /// The last person left `meeting`: after the grace period, unless
    /// someone came back, the chat is announced as synced.
    pub(super) fn meeting_emptied(self: &Arc<Self>, meeting: &MeetingId) {
        let Some(outbox) = self.notices.as_ref().map(|n| Arc::clone(&n.outbox)) else { return };
        let mark = self.next_conn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(meeting.clone(), mark);
        let (hub, meeting) = (Arc::clone(self), meeting.clone());
        tokio::spawn(async move {
            tokio::time::sleep(hub.config.chat_synced_grace).await;
            let still_over = {
                let mut emptied = hub.emptied.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let over = emptied.get(&meeting) == Some(&mark);
                if over {
                    emptied.remove(&meeting);
                }
                over
            };
            if !still_over {
                return;
            }
            let (url, expiry) = hub.dump_link(&meeting);
            let payload = json!({ "meetingId": meeting, "chat_download_url": url, "chat_download_url_expiry": expiry });
            if let Err(error) = outbox.add_notice(&meeting, "meeting.chatSynced", &payload, crate::now_ms()).await {
                tracing::error!(%error, meeting = %meeting.as_str(), "could not record meeting.chatSynced");
            }
        });
    }
}
