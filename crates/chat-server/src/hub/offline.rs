//! Offline notifications (SAMA's push): when a message is stored, each
//! member of the meeting who may see it and has no open connection is owed
//! a `notification.offline`, sent through the webhook outbox once the grace
//! period has passed: a member back within it (who got the message on
//! resume) is owed nothing. A burst to one member becomes one notice that
//! says how many messages it covers, who sent them (its title names them
//! all), and whether any of them mentions them.

use std::collections::HashSet;
use std::sync::Arc;

use chat_protocol::{Content, MeetingId, Message, MessageId, ParticipantId, Role};
use serde_json::json;

use super::notices::AppNotices;
use super::Members;
use crate::clock::unix_secs;

/// What one member is owed, growing while the grace period runs.
pub(super) struct Owed {
    /// Who sent the burst's messages, in the order they first did.
    senders: Vec<(ParticipantId, String)>,
    /// The newest message's notice fields.
    body: String,
    first_attachment_url: Option<String>,
    message: MessageId,
    /// Who sent the newest message.
    newest_sender: String,
    /// Messages it covers.
    count: u32,
    /// Whether any of them mentions the member.
    mentioned: bool,
}

/// Senders a notice's title names before it says how many more there are.
const TITLE_NAMES: usize = 3;

impl Owed {
    /// Names every sender of the burst: "Ada", "Ada, Bob", "Ada, Bob, Cy +2".
    fn title(&self) -> String {
        let names: Vec<&str> = self.senders.iter().take(TITLE_NAMES).map(|(_, name)| name.as_str()).collect();
        let more = self.senders.len().saturating_sub(TITLE_NAMES);
        let names = names.join(", ");
        if more > 0 {
            format!("{names} +{more}")
        } else {
            names
        }
    }

    /// The newest message, with its sender's name when the burst has several.
    fn body(&self) -> String {
        match self.senders.as_slice() {
            [_, _, ..] => format!("{}: {}", self.newest_sender, self.body),
            _ => self.body.clone(),
        }
    }
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

impl AppNotices {
    /// A person joined: they are owed nothing more, and they are a member.
    pub(super) async fn member_joined(
        &self,
        members: &mut Members,
        meeting: &MeetingId,
        who: &ParticipantId,
        role: Role,
    ) {
        let Some(notices) = &self.sinks else { return };
        if role.is_app() {
            return;
        }
        if let Err(error) = notices.roster.add_member(meeting, who, crate::clock::now_ms()).await {
            tracing::warn!(%error, "could not record a meeting member");
        }
        self.member_present(members, meeting, who);
    }

    /// A member is connected (here or on another node, which recorded them
    /// in the roster): they are owed nothing more.
    pub(super) fn member_present(&self, members: &mut Members, meeting: &MeetingId, who: &ParticipantId) {
        if self.sinks.is_none() {
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
        let Some(notices) = &self.sinks else { return };
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
            let sender = &message.sender;
            let owed = Owed {
                senders: vec![(sender.id.clone(), sender.display_name.clone())],
                newest_sender: sender.display_name.clone(),
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
                let mut senders = std::mem::take(&mut earlier.senders);
                for sender in owed.senders.iter() {
                    if !senders.iter().any(|(id, _)| *id == sender.0) {
                        senders.push(sender.clone());
                    }
                }
                let (count, mentioned) = (earlier.count + 1, earlier.mentioned || owed.mentioned);
                *earlier = Owed { senders, count, mentioned, ..owed };
                return;
            }
            all.insert(key.clone(), owed);
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(this.config.offline_grace).await;
            let owed = this.owed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&key);
            let (Some(owed), Some(notices)) = (owed, &this.sinks) else { return };
            let (meeting, member) = key;
            let payload = json!({
                "memberId": member,
                "title": owed.title(),
                "body": owed.body(),
                "senderIds": owed.senders.iter().map(|(id, _)| id).collect::<Vec<_>>(),
                "firstAttachmentUrl": owed.first_attachment_url,
                "cid": meeting,
                "messageId": owed.message,
                "count": owed.count,
                "mentioned": owed.mentioned,
            });
            if let Err(error) =
                notices.outbox.add_notice(&meeting, "notification.offline", &payload, crate::clock::now_ms()).await
            {
                tracing::error!(%error, "could not record an offline notification");
            }
        });
    }
}
