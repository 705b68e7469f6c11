//! Reports of messages: anyone reports someone else's message to the hosts
//! with a reason (once per message; the message hook sees it first and may
//! refuse it), and hosts and apps dismiss a message's reports. Each is an
//! event told to the reporter and the hosts (a dismissal, to the hosts),
//! replayed on resume and sent to the webhooks.

use chat_protocol::{rules, AckResult, MessageId, RateBucket, Report};

use super::{map_store, Session};
use crate::error::DomainError;
use crate::hub::hook::HookReport;
use crate::validation;

impl Session {
    /// Reports message `id` with `reason`; a second report of it by the same person changes nothing.
    pub(super) async fn report(&self, id: MessageId, reason: &str) -> Result<AckResult, DomainError> {
        validation::check_id("id", id.as_str())?;
        let message = self.visible_message(&id).await?;
        let reason = rules::check_report(&self.me, &message.sender.id, reason)?;
        if message.content == chat_protocol::Content::Deleted {
            return Err(DomainError::MessageDeleted);
        }
        // A report costs what a text message does, so reports cannot flood the hosts.
        self.spend(RateBucket::Text).await?;
        let text = match &message.content {
            chat_protocol::Content::Text { text } => Some(text.as_str()),
            _ => None,
        };
        let shown = HookReport {
            event: "message.report",
            meeting: &self.room.meeting,
            message_id: &id,
            sender: &message.sender,
            text,
            reporter: &self.me.id,
            reason,
        };
        self.hub.notices.consult_hook_on_report(shown).await?;
        let report = Report {
            message_id: id,
            by: self.me.id.clone(),
            by_name: self.me.display_name.clone(),
            reason: reason.to_owned(),
            time: crate::clock::now_ms(),
        };
        let mut members = self.room.members.lock().await;
        let Some(event) = self.hub.store.report(&self.room.meeting, report).await.map_err(map_store)? else {
            return Ok(AckResult::Done { seq: None });
        };
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// Closes message `id`'s open reports, keeping the message; nothing changes when it had none.
    pub(super) async fn dismiss_reports(&self, id: &MessageId) -> Result<AckResult, DomainError> {
        rules::may_moderate(&self.me)?;
        validation::check_id("id", id.as_str())?;
        let mut members = self.room.members.lock().await;
        let now = crate::clock::now_ms();
        let Some(event) = self.hub.store.dismiss_reports(&self.room.meeting, id, &self.me.id, now).await? else {
            return Ok(AckResult::Done { seq: None });
        };
        let seq = event.envelope.seq;
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }
}
