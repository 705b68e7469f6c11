//! The reducer's half for what the server says: welcome, events, acks,
//! errors, resets, presence, and the socket closing.

use chat_protocol::{
    AckResult, ClientId, Content, ErrorCode, ErrorFrame, Event, EventEnvelope, Limits, MeetingId, MeetingSettings,
    Message, MessageId, Participant, RequestId, Sender, Seq, ServerFrame,
};

use super::{ChatState, ConnectionState, Pending, PrivatePages};
use crate::echo::{DraftContent, EchoStatus, LocalEcho};
use crate::effect::{Change, Effect, OpError, Outcome};
use crate::rows::MessageKey;
use crate::DEFAULT_PAGE_SIZE;

fn op_error(error: &ErrorFrame) -> OpError {
    OpError {
        code: error.code.to_string(),
        message: error.message.clone(),
        retryable: error.code.is_retryable(),
        retry_after_ms: error.retry_after_ms,
        cause: None,
    }
}

impl ChatState {
    pub(super) fn on_frame(&mut self, frame: ServerFrame, now: i64, fx: &mut Vec<Effect>) {
        match frame {
            ServerFrame::Welcome {
                me,
                meeting_id,
                head_seq,
                settings,
                participant_count,
                participants,
                limits,
                reads,
                seen,
                muted,
                reports,
                polls,
                ..
            } => {
                self.participant_count = participant_count;
                self.on_welcome(me, meeting_id, head_seq, settings, participants, limits, fx);
                self.on_reads(reads, head_seq, fx);
                self.seen = seen;
                self.on_mutes(muted, fx);
                self.on_reports(reports, fx);
                self.on_polls(polls, fx);
            }
            ServerFrame::Event(envelope) => self.on_event(envelope, now, fx),
            ServerFrame::Reset { head_seq } => self.on_reset(head_seq, fx),
            ServerFrame::Ack { req_id, result } => self.on_ack(req_id, result, now, fx),
            ServerFrame::Error(error) => self.on_error(error, now, fx),
            ServerFrame::Presence(delta) => self.on_presence(delta, fx),
            ServerFrame::Typing(notice) => self.on_typing(notice, now, fx),
            ServerFrame::TypingCrowd(crowd) => self.on_typing_crowd(crowd, now, fx),
            ServerFrame::Read { with, seq } => self.on_read(with, seq, fx),
            ServerFrame::Seen(seen) => self.on_seen(seen, fx),
            ServerFrame::PollTally(tally) => self.on_tally(&tally, false, fx),
            ServerFrame::RateLimitReset { bucket } => {
                if self.rate_limited_until.remove(&bucket).is_some() {
                    fx.push(Effect::Changed(Change::RateLimitReset(bucket)));
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_welcome(
        &mut self,
        me: Participant,
        meeting: MeetingId,
        head_seq: Seq,
        settings: MeetingSettings,
        participants: Vec<Participant>,
        limits: Limits,
        fx: &mut Vec<Effect>,
    ) {
        let first_join = self.me.is_none() && !std::mem::take(&mut self.resuming);
        self.me = Some(me);
        self.meeting = Some(meeting);
        if self.settings != settings {
            self.settings = settings;
            fx.push(Effect::Changed(Change::Settings));
        }
        self.participants = participants;
        self.limits = limits;
        fx.push(Effect::Changed(Change::Participants));
        self.set_connection(ConnectionState::Connected, fx);
        if first_join {
            // Nothing to resume: start live from the head and load the newest page.
            self.last_seq = head_seq;
            self.request_page(None, Some(head_seq + 1), DEFAULT_PAGE_SIZE, None, fx);
        }
        self.resend_pending(fx);
    }

    /// Sends every echo that is ready and unconfirmed, with its original client id.
    fn resend_pending(&mut self, fx: &mut Vec<Effect>) {
        let ready: Vec<ClientId> = self
            .echoes
            .iter()
            .filter(|e| e.status == EchoStatus::Pending && e.uploaded())
            .map(|e| e.client_id.clone())
            .collect();
        for client_id in ready {
            self.send_echo(&client_id, fx);
        }
    }

    fn on_event(&mut self, envelope: EventEnvelope, now: i64, fx: &mut Vec<Effect>) {
        if envelope.seq <= self.last_seq {
            return;
        }
        self.last_seq = envelope.seq;
        match envelope.event {
            Event::MessageCreated { mut message } => {
                self.typing_done(&message.sender.id, !message.targets.is_empty(), fx);
                self.keep_my_reactions(&mut message);
                let own = self.me.as_ref().is_some_and(|me| me.id == message.sender.id);
                let (client_id, id) = (message.client_id.clone(), message.id.clone());
                // The echo's row before the message enters above it.
                let echo_row = own.then(|| self.echo_row(&client_id)).flatten();
                if echo_row.is_some() {
                    // Sent from here just now (its event may precede its ack): slow mode counts from it.
                    self.last_sent_at = Some(now);
                }
                self.count_unread(&message, fx);
                let added = self.timeline.upsert(message);
                let Some((key, index)) = self.located(&id) else { return };
                match echo_row {
                    Some(from) => self.confirm_echo(&client_id, from, Some(index), &id, fx),
                    None if added => fx.push(Effect::Changed(Change::MessageAdded { key, index })),
                    None => fx.push(Effect::Changed(Change::MessageUpdated { key, index })),
                }
            }
            Event::MessageEdited { mut message } => {
                self.keep_my_reactions(&mut message);
                let id = message.id.clone();
                if self.timeline.get(&id).is_some() {
                    self.timeline.upsert(message);
                    if let Some((key, index)) = self.located(&id) {
                        fx.push(Effect::Changed(Change::MessageEdited { key, index }));
                    }
                }
            }
            Event::MessageDeleted { id, .. } => self.on_deleted(&id, fx),
            Event::MessageHidden { id } => {
                self.uncount_unread(&id, fx);
                let Some((key, index)) = self.located(&id) else { return };
                let Some(message) = self.timeline.remove(&id) else { return };
                if message.pinned {
                    fx.push(Effect::Changed(Change::Unpinned { key: key.clone(), index }));
                }
                fx.push(Effect::Changed(Change::MessageRemoved { key, index, id }));
            }
            Event::ReactionUpdated { id, emoji, by, added, count } => {
                self.on_reaction(super::reactions::ReactionUpdate { id, emoji, by, added, count }, fx)
            }
            Event::MessagePinned { id, .. } => self.set_pinned(&id, true, fx),
            Event::MessageUnpinned { id, .. } => self.set_pinned(&id, false, fx),
            Event::SettingsChanged { settings } => {
                self.settings = settings;
                fx.push(Effect::Changed(Change::Settings));
            }
            Event::ParticipantMuted { participant_id, until, .. } => self.on_muted(participant_id, until, fx),
            Event::ParticipantUnmuted { participant_id, .. } => self.on_unmuted(&participant_id, fx),
            Event::ParticipantRemoved { participant_id, messages_deleted, .. } => {
                self.on_removed(participant_id, messages_deleted, fx)
            }
            Event::MessageReported { report } => self.on_reported(report, fx),
            Event::ReportsDismissed { id, .. } => self.close_reports(&id, fx),
            Event::PollCreated { poll } => self.on_poll_created(poll, fx),
            Event::PollVoted { poll_id, options } => self.on_voted(&poll_id, options, fx),
            Event::PollClosed { tally, .. } => self.on_tally(&tally, true, fx),
        }
    }

    /// A message deleted for everyone: its tombstone stays, unpinned and bare.
    pub(super) fn on_deleted(&mut self, id: &MessageId, fx: &mut Vec<Effect>) {
        self.uncount_unread(id, fx);
        self.close_reports(id, fx);
        let mut was_pinned = false;
        self.timeline.update(id, |m| {
            was_pinned = m.pinned;
            m.content = Content::Deleted;
            m.pinned = false;
            m.metadata.clear();
        });
        if let Some((key, index)) = self.located(id) {
            if was_pinned {
                fx.push(Effect::Changed(Change::Unpinned { key: key.clone(), index }));
            }
            fx.push(Effect::Changed(Change::MessageDeleted { key, index }));
        }
    }

    fn set_pinned(&mut self, id: &MessageId, pinned: bool, fx: &mut Vec<Effect>) {
        let mut changed = false;
        self.timeline.update(id, |m| {
            changed = m.pinned != pinned;
            m.pinned = pinned;
        });
        if let (true, Some((key, index))) = (changed, self.located(id)) {
            fx.push(Effect::Changed(if pinned {
                Change::Pinned { key, index }
            } else {
                Change::Unpinned { key, index }
            }));
        }
    }

    /// Swaps a confirmed echo, whose row was `from`, for the server message
    /// `id` now at row `index` (`None` if it could not be built).
    fn confirm_echo(
        &mut self,
        client_id: &ClientId,
        from: usize,
        index: Option<usize>,
        id: &MessageId,
        fx: &mut Vec<Effect>,
    ) {
        let Some(position) = self.echoes.iter().position(|e| &e.client_id == client_id) else { return };
        let echo = self.echoes.remove(position);
        let key = MessageKey::Local(client_id.clone());
        fx.push(Effect::Changed(match index {
            Some(index) => Change::EchoConfirmed { key, from, index, id: id.clone() },
            None => Change::EchoDiscarded { key, index: from },
        }));
        if let Some(op) = echo.op {
            fx.push(Effect::Resolve { op, outcome: Outcome::Sent(id.clone()) });
        }
        fx.push(Effect::SaveOutbox);
    }

    fn on_reset(&mut self, head_seq: Seq, fx: &mut Vec<Effect>) {
        self.timeline.clear();
        self.last_seq = head_seq;
        self.has_more = true;
        self.loaded_from = None;
        self.private_pages.clear();
        fx.push(Effect::Changed(Change::TimelineReset));
        self.request_page(None, Some(head_seq + 1), DEFAULT_PAGE_SIZE, None, fx);
    }

    fn on_ack(&mut self, req_id: RequestId, result: AckResult, now: i64, fx: &mut Vec<Effect>) {
        let Some(pending) = self.requests.remove(&req_id) else { return };
        match (pending, result) {
            (Pending::Send(client_id), AckResult::Sent { id, seq, time, modified, .. }) => {
                self.last_sent_at = Some(now);
                let Some(from) = self.echo_row(&client_id) else { return };
                // The server changed what was sent: only its event says how, and
                // confirms the echo with the stored message when it arrives.
                if !modified.is_empty() && self.timeline.get(&id).is_none() {
                    return;
                }
                if self.timeline.get(&id).is_none() {
                    if let Some(message) =
                        self.echo(&client_id).and_then(|echo| self.message_from_echo(echo, &id, seq, time))
                    {
                        self.timeline.upsert(message);
                    }
                }
                let index = self.timeline.position(&id);
                self.confirm_echo(&client_id, from, index, &id, fx);
            }
            (Pending::Page(op, with), AckResult::History { messages, has_more }) => {
                self.loading_page = false;
                // An empty page reaches back to the start.
                let reached = messages.iter().map(|m| m.seq).min().unwrap_or(0);
                match with {
                    Some(peer) => match self.private_pages.iter_mut().find(|pages| pages.peer == peer) {
                        Some(pages) => {
                            pages.has_more = has_more;
                            pages.loaded_from = pages.loaded_from.min(reached);
                        }
                        None => self.private_pages.push(PrivatePages { peer, has_more, loaded_from: reached }),
                    },
                    None => {
                        self.has_more = has_more;
                        self.loaded_from = Some(self.loaded_from.map_or(reached, |from| from.min(reached)));
                    }
                }
                let mut new_ids = Vec::new();
                for message in messages {
                    let id = message.id.clone();
                    if self.timeline.insert_if_absent(message) {
                        new_ids.push(id);
                    }
                }
                // Ascending, kept by insertion: a page is at most a hundred rows,
                // and this costs the wasm far less than a sort.
                let mut inserted: Vec<usize> = Vec::with_capacity(new_ids.len());
                for position in new_ids.iter().filter_map(|id| self.timeline.position(id)) {
                    let at = inserted.partition_point(|p| *p < position);
                    inserted.insert(at, position);
                }
                let added = inserted.len();
                fx.push(Effect::Changed(Change::PageLoaded { inserted, has_more }));
                if let Some(op) = op {
                    fx.push(Effect::Resolve { op, outcome: Outcome::Page { added, has_more } });
                }
            }
            (Pending::Op(op), AckResult::Participants { participants, next, count }) => {
                self.participant_count = count;
                self.meet(&participants);
                fx.push(Effect::Resolve { op, outcome: Outcome::Participants { participants, next, count } });
            }
            (Pending::Op(op), AckResult::Search { messages, has_more }) => {
                fx.push(Effect::Resolve { op, outcome: Outcome::Hits { messages, has_more } });
            }
            (Pending::Op(op), _) => fx.push(Effect::Resolve { op, outcome: Outcome::Done }),
            (Pending::Send(_) | Pending::Page(..), _) => {}
        }
    }

    /// The message an ack confirms, built from the echo until its event arrives.
    fn message_from_echo(&self, echo: &LocalEcho, id: &MessageId, seq: Seq, time: i64) -> Option<Message> {
        let me = self.me.as_ref()?;
        let content = match &echo.content {
            DraftContent::Text { text } => Content::Text { text: text.clone() },
            DraftContent::File { message_kind, file: Some(file), .. } => {
                Content::with_file(*message_kind, file.clone())
            }
            DraftContent::File { file: None, .. } => return None,
        };
        Some(Message {
            id: id.clone(),
            client_id: echo.client_id.clone(),
            seq,
            sender: match &echo.as_sender {
                Some(puppet) => Sender { id: puppet.id.clone(), display_name: puppet.display_name.clone(), bot: true },
                None => Sender { id: me.id.clone(), display_name: me.display_name.clone(), bot: me.role.is_app() },
            },
            time,
            content,
            reply_to: echo.reply_to.clone(),
            forwarded_from: echo.forwarded_from.clone(),
            targets: echo.targets.clone(),
            metadata: echo.metadata.clone(),
            details: echo.details.clone(),
            attachments: echo.attachments.iter().filter_map(|a| a.file.clone()).collect(),
            edited: false,
            edited_at: None,
            pinned: false,
            reactions: Vec::new(),
            mentions: echo.mentions.clone(),
        })
    }

    fn on_error(&mut self, error: ErrorFrame, now: i64, fx: &mut Vec<Effect>) {
        if let (ErrorCode::RateLimited, Some(bucket), Some(after)) = (error.code, error.bucket, error.retry_after_ms) {
            let until = now + i64::try_from(after).unwrap_or(i64::MAX / 2);
            self.rate_limited_until.insert(bucket, until);
            fx.push(Effect::Changed(Change::RateLimited { bucket, until }));
        }
        let Some(pending) = error.req_id.and_then(|id| self.requests.remove(&id)) else { return };
        let failure = op_error(&error);
        match pending {
            Pending::Send(client_id) => self.fail_echo(&client_id, failure, fx),
            Pending::Op(op) => fx.push(Effect::Reject { op, error: failure }),
            Pending::Page(op, _) => {
                self.loading_page = false;
                if let Some(op) = op {
                    fx.push(Effect::Reject { op, error: failure });
                }
            }
        }
    }

    pub(super) fn on_disconnected(&mut self, code: Option<u16>, fx: &mut Vec<Effect>) {
        let state = match code {
            Some(chat_protocol::close_code::AUTH_FAILED) => ConnectionState::AuthFailed,
            Some(chat_protocol::close_code::REMOVED) => ConnectionState::Removed,
            _ => ConnectionState::Reconnecting,
        };
        self.set_connection(state, fx);
        if state == ConnectionState::Removed {
            self.removed_here(fx);
        }
        self.loading_page = false;
        self.forget_typists(fx);
        // Sends stay pending and go again after the welcome; other requests'
        // outcomes are unknown, so they fail and may be retried.
        for (_, pending) in self.requests.drain() {
            match pending {
                Pending::Op(op) | Pending::Page(Some(op), _) => fx.push(Effect::Reject {
                    op,
                    error: OpError::new("disconnected", "the connection dropped before the server answered", true),
                }),
                Pending::Send(_) | Pending::Page(None, _) => {}
            }
        }
    }
}
