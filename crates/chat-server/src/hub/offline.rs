//! Offline notifications (SAMA's push): when a message is stored, each
//! member of the meeting who may see it and has no open connection is owed
//! a `notification.offline`, sent through the webhook outbox once the grace
//! period has passed: a member back within it (who got the message on
//! resume) is owed nothing. A burst to one member becomes one notice that
//! says how many messages it covers, and whether any of them mentions them.

use std::collections::HashSet;
use std::sync::Arc;

use chat_protocol::{Content, MeetingId, Message, MessageId, ParticipantId, Role};
use serde_json::json;

use super::{unix_secs, Hub, Members};

/// What one member is owed, growing while the grace period runs.
pub(super) struct Owed {
    /// The newest message's notice fields.
    title: String,
    body: String,
    first_attachment_url: Option<String>,
    message: MessageId,
    /// Messages it covers.
    count: u32,
    /// Whether any of them mentions the member.
    mentioned: bool,
}

/// A short description of what a message carries, for a notification's body.
fn body_of(message: &Message) -> Option<String> {
    Some(match &message.content {
        Content::Text { text } if !text.is_empty() => text.chars().take(200).collect(),
        Content::Text { .. } => format!("sent {} file(s)", message.attachments.len()),
        Content::Image { file } => format!("sent a photo: {}", file.name),
        Content::File { file } => format!("sent a file: {}", file.name),
        Content::Audio { file } => format!("sent a voice message: {}", file.name),
        Content::Deleted => return None,
    })
}

impl Hub {
    /// A person joined: they are owed nothing more, and they are a member.
    pub(super) async fn member_joined(
        &self,
        members: &mut Members,
        meeting: &MeetingId,
        who: &ParticipantId,
        role: Role,
    ) {
        let Some(notices) = &self.notices else { return };
        if role.is_app() {
            return;
        }
        if let Err(error) = notices.roster.add_member(meeting, who, crate::now_ms()).await {
            tracing::warn!(%error, "could not record a meeting member");
        }
        self.member_present(members, meeting, who);
    }

    /// A member is connected (here or on another node, which recorded them
    /// in the roster): they are owed nothing more.
    pub(super) fn member_present(&self, members: &mut Members, meeting: &MeetingId, who: &ParticipantId) {
        if self.notices.is_none() {
            return;
        }
        self.owed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&(meeting.clone(), who.clone()));
        if let Some(roster) = &mut members.roster {
            roster.insert(who.clone());
        }
    }

    /// A message was stored (call with the room lock held): every member
    /// who may see it and is away is owed a notice.
    pub(super) async fn owe_notices(self: &Arc<Self>, members: &mut Members, meeting: &MeetingId, message: &Message) {
        let Some(notices) = &self.notices else { return };
        if members.roster.is_none() {
            match notices.roster.members(meeting).await {
                Ok(ids) => members.roster = Some(ids.into_iter().collect::<HashSet<_>>()),
                Err(error) => {
                    tracing::warn!(%error, "could not read the meeting's members; no offline notices");
                    return;
                }
            }
        }
        let Some(body) = body_of(message) else { return };
        let mut signed = message.clone();
        self.signer.sign_message(&mut signed, unix_secs());
        let first_attachment_url = match &signed.content {
            Content::Image { file } | Content::File { file } | Content::Audio { file } => Some(file.url.clone()),
            _ => signed.attachments.first().map(|file| file.url.clone()),
        };
        let away: Vec<ParticipantId> = members
            .roster
            .iter()
            .flatten()
            .filter(|id| **id != message.sender.id && message.visible_to(id) && !members.presence.is_connected(id))
            .cloned()
            .collect();
        for member in away {
            let owed = Owed {
                title: message.sender.display_name.clone(),
                body: body.clone(),
                first_attachment_url: first_attachment_url.clone(),
                message: message.id.clone(),
                count: 1,
                mentioned: message.mentions.contains(&member),
            };
            self.owe(meeting, member, owed);
        }
    }

    fn owe(self: &Arc<Self>, meeting: &MeetingId, member: ParticipantId, owed: Owed) {
        let key = (meeting.clone(), member);
        {
            let mut all = self.owed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(earlier) = all.get_mut(&key) {
                *earlier = Owed { count: earlier.count + 1, mentioned: earlier.mentioned || owed.mentioned, ..owed };
                return;
            }
            all.insert(key.clone(), owed);
        }
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(hub.config.offline_grace).await;
            let owed = hub.owed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&key);
            let (Some(owed), Some(notices)) = (owed, &hub.notices) else { return };
            let (meeting, member) = key;
            let payload = json!({
                "memberId": member,
                "title": owed.title,
                "body": owed.body,
                "firstAttachmentUrl": owed.first_attachment_url,
                "cid": meeting,
                "messageId": owed.message,
                "count": owed.count,
                "mentioned": owed.mentioned,
            });
            if let Err(error) =
                notices.outbox.add_notice(&meeting, "notification.offline", &payload, crate::now_ms()).await
            {
                tracing::error!(%error, "could not record an offline notification");
            }
        });
    }
}
