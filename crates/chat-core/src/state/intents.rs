//! The reducer's half for what the user does: send, edit, delete, pin,
//! page, retry, discard, settings, a restored outbox, and uploads' progress.

use chat_protocol::{rules, ClientFrame, ClientId, FileRef, ParticipantId, RateBucket};

use super::moderation::Moderation;
use super::{ChatState, ConnectionState, Pending};
use crate::echo::{DraftContent, EchoStatus, LocalEcho};
use crate::effect::{Change, Effect, OpError, OpId, Outcome};
use crate::input::{Draft, Intent};

/// Where an echo stands as to its files: uploading while any is missing.
fn upload_status(echo: &LocalEcho) -> EchoStatus {
    if echo.uploaded() {
        return EchoStatus::Pending;
    }
    let (loaded, total) = echo.upload_progress();
    EchoStatus::Uploading { loaded, total }
}

impl ChatState {
    pub(super) fn on_intent(&mut self, intent: Intent, now: i64, fx: &mut Vec<Effect>) {
        match intent {
            Intent::Send { op, client_id, draft } => self.on_send(op, client_id, draft, now, fx),
            Intent::Edit { op, id, content, attachments } => {
                if self.require_connected(op, fx) {
                    self.request(Pending::Op(op), |req_id| ClientFrame::Edit { req_id, id, content, attachments }, fx);
                }
            }
            Intent::Delete { op, id, scope } => {
                if self.require_connected(op, fx) {
                    self.request(Pending::Op(op), |req_id| ClientFrame::Delete { req_id, id, scope }, fx);
                }
            }
            Intent::SetPinned { op, id, pinned } => {
                if self.require_connected(op, fx) {
                    let build = |req_id| {
                        if pinned {
                            ClientFrame::Pin { req_id, id }
                        } else {
                            ClientFrame::Unpin { req_id, id }
                        }
                    };
                    self.request(Pending::Op(op), build, fx);
                }
            }
            Intent::Mute { op, participant, minutes } => {
                self.on_moderate(op, participant, Moderation::Mute { minutes }, fx)
            }
            Intent::Remove { op, participant, delete_messages } => {
                self.on_moderate(op, participant, Moderation::Remove { delete_messages }, fx)
            }
            Intent::Report { op, id, reason } => self.on_report(op, id, &reason, fx),
            Intent::DismissReports { op, id } => self.on_dismiss_reports(op, id, fx),
            Intent::CreatePoll { op, poll } => self.on_create_poll(op, poll, fx),
            Intent::Vote { op, poll_id, options } => self.on_vote(op, poll_id, options, fx),
            Intent::ClosePoll { op, poll_id } => self.on_close_poll(op, poll_id, fx),
            Intent::Unmute { op, participant } => self.on_moderate(op, participant, Moderation::LetBack, fx),
            Intent::UpdateSettings { op, change } => {
                if self.require_connected(op, fx) {
                    let build = |req_id| ClientFrame::UpdateSettings {
                        req_id,
                        anyone_can_pin: change.anyone_can_pin,
                        who_can_send: change.who_can_send,
                        slow_mode_secs: change.slow_mode_secs,
                        read_receipts: change.read_receipts,
                        private_chat: change.private_chat,
                    };
                    self.request(Pending::Op(op), build, fx);
                }
            }
            Intent::ListParticipants { op, query, after, limit } => {
                if self.require_connected(op, fx) {
                    let build = |req_id| ClientFrame::Participants { req_id, query, after, limit };
                    self.request(Pending::Op(op), build, fx);
                }
            }
            Intent::Search { op, query, before, limit, with } => {
                if self.require_connected(op, fx) {
                    let build = |req_id| ClientFrame::Search { req_id, query, before, limit, with };
                    self.request(Pending::Op(op), build, fx);
                }
            }
            Intent::MarkRead { op, with } => self.on_mark_read(op, with, fx),
            Intent::LoadOlder { op, limit, with } => self.on_load_older(op, limit, with, fx),
            Intent::Typing => self.on_typing_intent(now, fx),
            Intent::React { op, id, emoji, add } => self.on_react(op, id, emoji, add, now, fx),
            Intent::Join(conversation) => {
                if self.current != conversation {
                    self.current = conversation;
                    fx.push(Effect::Changed(Change::Conversation));
                }
            }
            Intent::Retry { op, client_id } => self.on_retry(op, &client_id, fx),
            Intent::Discard { client_id } => {
                if let Some((key, index)) = self.echo_located(&client_id) {
                    self.echoes.retain(|e| e.client_id != client_id);
                    fx.push(Effect::Changed(Change::EchoDiscarded { key, index }));
                    fx.push(Effect::SaveOutbox);
                }
            }
            Intent::Forget { keep } => self.forget(keep, fx),
            Intent::RestoreOutbox(entries) => {
                for mut entry in entries {
                    if self.echo(&entry.client_id).is_none() && entry.uploaded() {
                        entry.op = None;
                        entry.status = EchoStatus::Pending;
                        let client_id = entry.client_id.clone();
                        self.echoes.push(entry);
                        self.announce_echo(&client_id, true, fx);
                        self.send_echo(&client_id, fx);
                    }
                }
            }
        }
    }

    pub(super) fn require_connected(&mut self, op: OpId, fx: &mut Vec<Effect>) -> bool {
        if self.connection == ConnectionState::Connected {
            return true;
        }
        fx.push(Effect::Reject { op, error: OpError::new("not_connected", "not connected to the chat", true) });
        false
    }

    fn on_send(&mut self, op: OpId, client_id: ClientId, draft: Draft, now: i64, fx: &mut Vec<Effect>) {
        if let Some(error) = self.check_draft(&draft, now) {
            fx.push(Effect::Reject { op, error });
            return;
        }
        self.typing_sent_with_message();
        if self.echo(&client_id).is_some() {
            fx.push(Effect::Reject {
                op,
                error: OpError::new("invalid_request", "this client id is already in use", false),
            });
            return;
        }
        let mut echo = LocalEcho { op: Some(op), ..LocalEcho::new(client_id.clone(), draft, now) };
        echo.status = upload_status(&echo);
        self.echoes.push(echo);
        self.announce_echo(&client_id, true, fx);
        if self.echo(&client_id).is_some_and(|e| e.status == EchoStatus::Pending) {
            fx.push(Effect::SaveOutbox);
            self.send_echo(&client_id, fx);
        }
    }

    /// Checks a draft against the protocol's rules with the limits the
    /// server announced, so the user hears at once what the server would refuse.
    fn check_draft(&self, draft: &Draft, now: i64) -> Option<OpError> {
        let checked = match &draft.content {
            DraftContent::Text { text } => rules::check_text(text, draft.attachments.len(), &self.limits),
            DraftContent::File { .. } => Ok(()),
        };
        if let Err(violation) = checked
            .and_then(|()| rules::check_metadata(&draft.metadata, &draft.details, &self.limits))
            .and_then(|()| rules::check_target_count(draft.targets.len(), &self.limits))
            .and_then(|()| self.may_chat_privately(&draft.targets))
        {
            return Some(violation.into());
        }
        if let Some(violation) = self.send_blocked(now) {
            return Some(violation.into());
        }
        match self.rate_limited_until(RateBucket::of(draft.content.kind(), draft.attachments.len())) {
            Some(until) if until > now => {
                let wait = u64::try_from(until - now).unwrap_or(0);
                let mut error = OpError::new("rate_limited", format!("too many messages; retry in {wait} ms"), true);
                error.retry_after_ms = Some(wait);
                Some(error)
            }
            _ => None,
        }
    }

    /// File `part` of an echo is uploaded; once all are, the message goes.
    pub(super) fn on_uploaded(&mut self, client_id: &ClientId, part: usize, file: FileRef, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else { return };
        if matches!(echo.status, EchoStatus::Failed { .. }) {
            return;
        }
        match &mut echo.content {
            DraftContent::File { file: slot, .. } => *slot = Some(file),
            DraftContent::Text { .. } => match echo.attachments.get_mut(part) {
                Some(attachment) => attachment.file = Some(file),
                None => return,
            },
        }
        echo.status = upload_status(echo);
        let ready = echo.status == EchoStatus::Pending;
        self.announce_echo(client_id, false, fx);
        if ready {
            fx.push(Effect::SaveOutbox);
            self.send_echo(client_id, fx);
        }
    }

    /// Upload progress of file `part` of an echo.
    pub(super) fn on_upload_progress(&mut self, client_id: &ClientId, part: usize, loaded: u64, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else { return };
        if !matches!(echo.status, EchoStatus::Uploading { .. }) {
            return;
        }
        if let Some(attachment) = echo.attachments.get_mut(part) {
            attachment.loaded = loaded;
        }
        let status = match (&echo.content, upload_status(echo)) {
            (DraftContent::File { .. }, EchoStatus::Uploading { total, .. }) => {
                EchoStatus::Uploading { loaded: loaded.min(total), total }
            }
            (_, status) => status,
        };
        if echo.status != status {
            echo.status = status;
            self.announce_echo(client_id, false, fx);
        }
    }

    pub(super) fn fail_echo(&mut self, client_id: &ClientId, error: OpError, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else { return };
        echo.status = EchoStatus::Failed {
            reason: error.message.clone(),
            code: error.code.clone(),
            cause: error.cause.clone(),
            retryable: error.retryable,
        };
        let op = echo.op.take();
        self.announce_echo(client_id, false, fx);
        fx.push(Effect::SaveOutbox);
        if let Some(op) = op {
            fx.push(Effect::Reject { op, error });
        }
    }

    fn on_retry(&mut self, op: OpId, client_id: &ClientId, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else {
            fx.push(Effect::Reject { op, error: OpError::new("not_found", "no such unsent message", false) });
            return;
        };
        echo.op = Some(op);
        for attachment in echo.attachments.iter_mut().filter(|a| a.file.is_none()) {
            attachment.loaded = 0;
        }
        echo.status = upload_status(echo);
        self.announce_echo(client_id, false, fx);
        self.send_echo(client_id, fx);
    }

    fn forget(&mut self, keep: usize, fx: &mut Vec<Effect>) {
        let count = self.timeline.len().saturating_sub(keep);
        if count == 0 {
            return;
        }
        self.timeline.forget_oldest(count);
        // What was let go of is on the server: pages reach it again.
        let oldest = self.timeline.oldest_seq().unwrap_or(self.last_seq + 1);
        self.has_more = true;
        self.loaded_from = Some(oldest);
        for pages in &mut self.private_pages {
            pages.has_more = true;
            pages.loaded_from = pages.loaded_from.max(oldest);
        }
        fx.push(Effect::Changed(Change::Forgotten { count }));
    }

    fn on_load_older(&mut self, op: OpId, limit: u32, with: Option<ParticipantId>, fx: &mut Vec<Effect>) {
        if !self.require_connected(op, fx) {
            return;
        }
        if limit == 0 || limit > self.limits.max_page_size {
            let message = format!("page size must be 1 to {}", self.limits.max_page_size);
            fx.push(Effect::Reject { op, error: OpError::new("invalid_request", message, false) });
            return;
        }
        if !self.has_more_in(with.as_ref()) {
            fx.push(Effect::Resolve { op, outcome: Outcome::Page { added: 0, has_more: false } });
            return;
        }
        // Older than what is loaded for everything, or for this conversation
        // when its own pages reached further back.
        let everything = self.loaded_from.unwrap_or(self.last_seq + 1);
        let before = match &with {
            None => everything,
            Some(peer) => self.private_pages(peer).map_or(everything, |pages| pages.loaded_from.min(everything)),
        };
        let before = Some(before);
        self.request_page(Some(op), before, limit, with, fx);
    }

    /// Announces an echo that appeared (`added`) or changed, with its row.
    fn announce_echo(&self, client_id: &ClientId, added: bool, fx: &mut Vec<Effect>) {
        if let Some((key, index)) = self.echo_located(client_id) {
            fx.push(Effect::Changed(if added {
                Change::EchoAdded { key, index }
            } else {
                Change::EchoUpdated { key, index }
            }));
        }
    }

    pub(super) fn send_echo(&mut self, client_id: &ClientId, fx: &mut Vec<Effect>) {
        if self.connection != ConnectionState::Connected {
            return;
        }
        let Some(echo) = self.echo(client_id).cloned() else { return };
        let (Some(content), Some(attachments)) = (echo.content.to_new_content(), echo.attachment_ids()) else { return };
        self.request(
            Pending::Send(client_id.clone()),
            |req_id| ClientFrame::Send {
                req_id,
                client_id: echo.client_id,
                content,
                reply_to: echo.reply_to,
                forwarded_from: echo.forwarded_from,
                targets: echo.targets,
                metadata: echo.metadata,
                details: echo.details,
                attachments,
                as_sender: echo.as_sender,
                mentions: echo.mentions,
            },
            fx,
        );
    }
}
