//! What large meetings need: a host's settings for who may send and slow
//! mode, enforced on every send, and the participant list paged and searched
//! instead of sent whole.

use std::time::Duration;

use chat_protocol::{rules, AckResult, ParticipantId, PrivateChatPolicy, SendPolicy};

use super::Session;
use crate::error::DomainError;
use crate::permissions;
use crate::validation;

/// Settings a host changes; those left `None` keep their value.
pub(super) struct SettingsChange {
    pub anyone_can_pin: Option<bool>,
    pub who_can_send: Option<SendPolicy>,
    pub slow_mode_secs: Option<u32>,
    pub read_receipts: Option<bool>,
    pub private_chat: Option<PrivateChatPolicy>,
}

/// The longest name search accepted, in characters.
const MAX_QUERY_CHARS: usize = 64;

impl Session {
    /// Refuses a send to `targets` (everyone when empty) the meeting's
    /// settings forbid now: only hosts may send, the chat is off, the private
    /// chat policy does not allow these recipients, a host muted this
    /// participant, or slow mode asks them to wait. An accepted send starts the participant's
    /// slow-mode wait, even if a later check refuses it, so that retrying
    /// cannot be used to jump the wait.
    pub(super) async fn may_send_now(&self, targets: &[ParticipantId]) -> Result<(), DomainError> {
        let mut members = self.room.members.lock().await;
        let settings = members.settings(self.hub.store.as_ref(), &self.room.meeting).await?;
        rules::may_send(&self.me, &settings)?;
        rules::may_chat_privately(&self.me, &settings, targets, |id| members.presence.is_host(id))?;
        let now = crate::clock::now_ms();
        self.check_not_muted(&mut members, now).await?;
        if let Some(cluster) = self.hub.cluster.as_ref().filter(|_| rules::is_slowed(&self.me, &settings)) {
            drop(members);
            let wait = Duration::from_secs(u64::from(settings.slow_mode_secs));
            match cluster.start_slow_mode_wait(&self.room.meeting, &self.me.id, wait).await {
                Ok(None) => return Ok(()),
                Ok(Some(left)) => {
                    let started = now - i64::try_from((wait - left.min(wait)).as_millis()).unwrap_or(0);
                    rules::check_slow_mode(&self.me, &settings, Some(started), now)?;
                    return Ok(());
                }
                Err(error) => tracing::debug!(%error, "slow mode holds on this node only while Redis is away"),
            }
            members = self.room.members.lock().await;
        }
        rules::check_slow_mode(&self.me, &settings, members.last_sent.get(&self.me.id).copied(), now)?;
        if settings.slow_mode_secs > 0 {
            members.last_sent.insert(self.me.id.clone(), now);
        }
        Ok(())
    }

    /// Changes the settings given, keeping the others; hosts only.
    pub(super) async fn update_settings(&self, change: SettingsChange) -> Result<AckResult, DomainError> {
        let SettingsChange { anyone_can_pin, who_can_send, slow_mode_secs, read_receipts, private_chat } = change;
        permissions::check_update_settings(&self.me)?;
        if let Some(secs) = slow_mode_secs {
            rules::check_slow_mode_secs(secs)?;
        }
        let mut members = self.room.members.lock().await;
        let current = members.settings(self.hub.store.as_ref(), &self.room.meeting).await?;
        let mut settings = current.clone();
        settings.anyone_can_pin = anyone_can_pin.unwrap_or(current.anyone_can_pin);
        settings.who_can_send = who_can_send.unwrap_or(current.who_can_send);
        settings.slow_mode_secs = slow_mode_secs.unwrap_or(current.slow_mode_secs);
        settings.read_receipts = read_receipts.unwrap_or(current.read_receipts);
        settings.private_chat = private_chat.unwrap_or(current.private_chat);
        if settings == current {
            return Ok(AckResult::Done { seq: None });
        }
        let event = self
            .hub
            .store
            .update_settings(&self.room.meeting, settings.clone(), &self.me.id, crate::clock::now_ms())
            .await?;
        let seq = event.envelope.seq;
        members.settings = Some(settings);
        self.hub.deliver(&self.room, &mut members, event).await;
        Ok(AckResult::Done { seq: Some(seq) })
    }

    /// A page of who is connected, by name, optionally only names containing `query`.
    pub(super) async fn participants(
        &self,
        query: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<AckResult, DomainError> {
        validation::check_page_size(limit, &self.hub.config.limits)?;
        if query.is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            return Err(DomainError::InvalidRequest(format!("query must be at most {MAX_QUERY_CHARS} characters")));
        }
        let members = self.room.members.lock().await;
        let page = members.presence.page(query, after, usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(AckResult::Participants {
            participants: page.participants,
            next: page.next,
            count: members.presence.count(),
        })
    }
}
