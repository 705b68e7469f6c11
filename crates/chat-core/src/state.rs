//! The chat state and its reducer: one `apply` with one `match`, and a small
//! function per input.

use std::collections::HashMap;

use chat_protocol::{
    AckResult, ClientFrame, ClientId, Content, ErrorCode, ErrorFrame, Event, EventEnvelope, FileRef, Limits, MeetingId,
    MeetingSettings, Message, MessageId, MessageKind, Participant, ParticipantId, RateBucket, RequestId, Role, Sender,
    Seq, ServerFrame,
};

use crate::echo::{DraftContent, EchoStatus, LocalEcho, OutboxEntry};
use crate::effect::{Change, Effect, OpError, OpId, Outcome};
use crate::input::{Draft, Input, Intent};
use crate::timeline::Timeline;
use crate::DEFAULT_PAGE_SIZE;

/// The connection as the user should see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// Not connected yet, or the socket is opening.
    Connecting,
    /// Joined the meeting.
    Connected,
    /// Lost; the transport is reconnecting.
    Reconnecting,
    /// The token was refused; reconnecting will not help.
    AuthFailed,
    /// Closed on purpose; nothing reconnects.
    Closed,
}

impl ConnectionState {
    /// The camelCase name used in JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Reconnecting => "reconnecting",
            Self::AuthFailed => "authFailed",
            Self::Closed => "closed",
        }
    }
}

/// A private conversation: the other participants in it and its latest message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Everyone in it but this participant, sorted.
    pub peers: Vec<ParticipantId>,
    /// Its most recent loaded message.
    pub last_message: MessageId,
    /// How many of its messages are loaded.
    pub count: usize,
}

/// What a request in flight was for.
#[derive(Clone, Debug)]
enum Pending {
    Send(ClientId),
    Op(OpId),
    /// A history page; `None` when the core asked for it itself.
    Page(Option<OpId>),
}

/// The whole client-side chat state.
#[derive(Clone, Debug)]
pub struct ChatState {
    me: Option<Participant>,
    meeting: Option<MeetingId>,
    settings: MeetingSettings,
    limits: Limits,
    connection: ConnectionState,
    timeline: Timeline,
    echoes: Vec<LocalEcho>,
    participants: Vec<Participant>,
    last_seq: Seq,
    has_more: bool,
    loading_page: bool,
    rate_limited_until: HashMap<RateBucket, i64>,
    requests: HashMap<RequestId, Pending>,
    next_req: RequestId,
}

impl Default for ChatState {
    fn default() -> Self {
        Self::new()
    }
}

fn bucket_of(kind: MessageKind) -> RateBucket {
    match kind {
        MessageKind::Text => RateBucket::Text,
        _ => RateBucket::File,
    }
}

fn op_error(error: &ErrorFrame) -> OpError {
    OpError {
        code: error.code.to_string(),
        message: error.message.clone(),
        retryable: error.code.is_retryable(),
        retry_after_ms: error.retry_after_ms,
    }
}

impl ChatState {
    /// An empty state, not yet connected.
    pub fn new() -> Self {
        Self {
            me: None,
            meeting: None,
            settings: MeetingSettings::default(),
            limits: Limits::default(),
            connection: ConnectionState::Connecting,
            timeline: Timeline::default(),
            echoes: Vec::new(),
            participants: Vec::new(),
            last_seq: 0,
            has_more: true,
            loading_page: false,
            rate_limited_until: HashMap::new(),
            requests: HashMap::new(),
            next_req: 1,
        }
    }

    // ---- reading -------------------------------------------------------

    /// This participant, once welcomed.
    pub fn me(&self) -> Option<&Participant> {
        self.me.as_ref()
    }

    /// The meeting, once welcomed.
    pub fn meeting(&self) -> Option<&MeetingId> {
        self.meeting.as_ref()
    }

    /// The meeting's settings.
    pub fn settings(&self) -> &MeetingSettings {
        &self.settings
    }

    /// The server's limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The connection state.
    pub fn connection(&self) -> ConnectionState {
        self.connection
    }

    /// Confirmed messages, oldest first.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Unconfirmed local messages, oldest first; shown after the timeline.
    pub fn echoes(&self) -> &[LocalEcho] {
        &self.echoes
    }

    /// A local echo by client id.
    pub fn echo(&self, client_id: &ClientId) -> Option<&LocalEcho> {
        self.echoes.iter().find(|e| &e.client_id == client_id)
    }

    /// Pinned messages, oldest first.
    pub fn pinned(&self) -> impl Iterator<Item = &Message> {
        self.timeline.pinned()
    }

    /// Messages sent by `user`.
    pub fn messages_by_user<'a>(&'a self, user: &'a ParticipantId) -> impl Iterator<Item = &'a Message> {
        self.timeline.iter().filter(move |m| &m.sender.id == user)
    }

    /// Messages of one kind (tombstones have none).
    pub fn messages_by_kind(&self, kind: MessageKind) -> impl Iterator<Item = &Message> {
        self.timeline.iter().filter(move |m| m.content.kind() == Some(kind))
    }

    /// Private conversations, most recent first: each distinct group of
    /// other participants this one exchanged private messages with.
    pub fn private_conversations(&self) -> Vec<Conversation> {
        let Some(me) = self.me.as_ref() else { return Vec::new() };
        let mut conversations: Vec<Conversation> = Vec::new();
        for message in self.timeline.private() {
            let mut peers: Vec<ParticipantId> = message
                .targets
                .iter()
                .chain(std::iter::once(&message.sender.id))
                .filter(|p| *p != &me.id)
                .cloned()
                .collect();
            peers.sort();
            peers.dedup();
            match conversations.iter_mut().find(|c| c.peers == peers) {
                Some(conversation) => {
                    conversation.last_message = message.id.clone();
                    conversation.count += 1;
                }
                None => conversations.push(Conversation { peers, last_message: message.id.clone(), count: 1 }),
            }
        }
        conversations.sort_by_key(|c| std::cmp::Reverse(self.timeline.get(&c.last_message).map_or(0, |m| m.seq)));
        conversations
    }

    /// Participants connected now.
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// The newest event `seq` applied; the transport resumes from it.
    pub fn last_seq(&self) -> Seq {
        self.last_seq
    }

    /// Whether older messages may exist on the server.
    pub fn has_more(&self) -> bool {
        self.has_more
    }

    /// Whether a history page is on its way.
    pub fn is_loading_page(&self) -> bool {
        self.loading_page
    }

    /// Until when a bucket refuses sends, if it does.
    pub fn rate_limited_until(&self, bucket: RateBucket) -> Option<i64> {
        self.rate_limited_until.get(&bucket).copied()
    }

    /// Sends to keep across a reload: every echo not yet confirmed whose
    /// content can be sent without the original file object.
    pub fn outbox(&self) -> Vec<OutboxEntry> {
        self.echoes.iter().filter(|e| e.content.to_new_content().is_some()).cloned().collect()
    }

    /// Whether this participant may edit `message`.
    pub fn can_edit(&self, message: &Message) -> bool {
        self.me.as_ref().is_some_and(|me| me.id == message.sender.id) && message.content != Content::Deleted
    }

    /// Whether this participant may delete `message` for everyone.
    pub fn can_delete_for_everyone(&self, message: &Message) -> bool {
        self.me.as_ref().is_some_and(|me| me.id == message.sender.id || me.role == Role::Host)
            && message.content != Content::Deleted
    }

    /// Whether this participant may pin and unpin.
    pub fn can_pin(&self) -> bool {
        self.me.as_ref().is_some_and(|me| me.role == Role::Host) || self.settings.anyone_can_pin
    }

    // ---- the reducer ---------------------------------------------------

    /// Applies one input at time `now` (ms since the epoch).
    pub fn apply(&mut self, input: Input, now: i64) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::Connecting => self.set_connection(ConnectionState::Connecting, &mut fx),
            Input::Frame(frame) => self.on_frame(frame, now, &mut fx),
            Input::Disconnected { code } => self.on_disconnected(code, &mut fx),
            Input::Closed => self.set_connection(ConnectionState::Closed, &mut fx),
            Input::Intent(intent) => self.on_intent(intent, now, &mut fx),
            Input::UploadProgress { client_id, loaded, total } => {
                self.set_echo_status(&client_id, EchoStatus::Uploading { loaded, total }, &mut fx)
            }
            Input::UploadDone { client_id, file } => self.on_uploaded(&client_id, file, &mut fx),
            Input::UploadFailed { client_id, reason, retryable } => {
                self.fail_echo(&client_id, OpError::new("upload_failed", reason, retryable), &mut fx)
            }
            Input::Tick => self.lift_rate_limits(now, &mut fx),
        }
        fx
    }

    fn set_connection(&mut self, state: ConnectionState, fx: &mut Vec<Effect>) {
        if self.connection != state {
            self.connection = state;
            fx.push(Effect::Changed(Change::Connection));
        }
    }

    fn request(&mut self, pending: Pending, build: impl FnOnce(RequestId) -> ClientFrame, fx: &mut Vec<Effect>) {
        let req_id = self.next_req;
        self.next_req += 1;
        self.requests.insert(req_id, pending);
        fx.push(Effect::Send(build(req_id)));
    }

    fn request_page(&mut self, op: Option<OpId>, before: Option<Seq>, limit: u32, fx: &mut Vec<Effect>) {
        self.loading_page = true;
        self.request(Pending::Page(op), |req_id| ClientFrame::History { req_id, before, limit }, fx);
    }

    // ---- server frames ---------------------------------------------------

    fn on_frame(&mut self, frame: ServerFrame, now: i64, fx: &mut Vec<Effect>) {
        match frame {
            ServerFrame::Welcome { me, meeting_id, head_seq, settings, participants, limits, .. } => {
                self.on_welcome(me, meeting_id, head_seq, settings, participants, limits, fx)
            }
            ServerFrame::Event(envelope) => self.on_event(envelope, fx),
            ServerFrame::Reset { head_seq } => self.on_reset(head_seq, fx),
            ServerFrame::Ack { req_id, result } => self.on_ack(req_id, result, fx),
            ServerFrame::Error(error) => self.on_error(error, now, fx),
            ServerFrame::ParticipantJoined { participant } => {
                self.participants.retain(|p| p.id != participant.id);
                self.participants.push(participant);
                fx.push(Effect::Changed(Change::Participants));
            }
            ServerFrame::ParticipantLeft { id } => {
                self.participants.retain(|p| p.id != id);
                fx.push(Effect::Changed(Change::Participants));
            }
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
        let first_join = self.me.is_none();
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
            self.request_page(None, Some(head_seq + 1), DEFAULT_PAGE_SIZE, fx);
        }
        self.resend_pending(fx);
    }

    /// Sends every echo that is ready and unconfirmed, with its original client id.
    fn resend_pending(&mut self, fx: &mut Vec<Effect>) {
        let ready: Vec<ClientId> = self
            .echoes
            .iter()
            .filter(|e| e.status == EchoStatus::Pending && e.content.to_new_content().is_some())
            .map(|e| e.client_id.clone())
            .collect();
        for client_id in ready {
            self.send_echo(&client_id, fx);
        }
    }

    fn send_echo(&mut self, client_id: &ClientId, fx: &mut Vec<Effect>) {
        if self.connection != ConnectionState::Connected {
            return;
        }
        let Some(echo) = self.echo(client_id).cloned() else { return };
        let Some(content) = echo.content.to_new_content() else { return };
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
            },
            fx,
        );
    }

    fn on_event(&mut self, envelope: EventEnvelope, fx: &mut Vec<Effect>) {
        if envelope.seq <= self.last_seq {
            return;
        }
        self.last_seq = envelope.seq;
        match envelope.event {
            Event::MessageCreated { message } => {
                let own_echo = self.me.as_ref().is_some_and(|me| me.id == message.sender.id);
                let (client_id, id) = (message.client_id.clone(), message.id.clone());
                let added = self.timeline.upsert(message);
                if own_echo && self.confirm_echo(&client_id, &id, fx) {
                    return;
                }
                fx.push(Effect::Changed(if added { Change::MessageAdded(id) } else { Change::MessageUpdated(id) }));
            }
            Event::MessageEdited { message } => {
                let id = message.id.clone();
                if self.timeline.get(&id).is_some() {
                    self.timeline.upsert(message);
                    fx.push(Effect::Changed(Change::MessageUpdated(id)));
                }
            }
            Event::MessageDeleted { id, .. } => {
                let mut was_pinned = false;
                let known = self.timeline.update(&id, |m| {
                    was_pinned = m.pinned;
                    m.content = Content::Deleted;
                    m.pinned = false;
                    m.metadata.clear();
                });
                if known {
                    if was_pinned {
                        fx.push(Effect::Changed(Change::Unpinned(id.clone())));
                    }
                    fx.push(Effect::Changed(Change::MessageUpdated(id)));
                }
            }
            Event::MessageHidden { id } => {
                if let Some(message) = self.timeline.remove(&id) {
                    if message.pinned {
                        fx.push(Effect::Changed(Change::Unpinned(id.clone())));
                    }
                    fx.push(Effect::Changed(Change::MessageRemoved(id)));
                }
            }
            Event::MessagePinned { id, .. } => self.set_pinned(id, true, fx),
            Event::MessageUnpinned { id, .. } => self.set_pinned(id, false, fx),
            Event::SettingsChanged { settings } => {
                self.settings = settings;
                fx.push(Effect::Changed(Change::Settings));
            }
        }
    }

    fn set_pinned(&mut self, id: MessageId, pinned: bool, fx: &mut Vec<Effect>) {
        let mut changed = false;
        self.timeline.update(&id, |m| {
            changed = m.pinned != pinned;
            m.pinned = pinned;
        });
        if changed {
            fx.push(Effect::Changed(Change::MessageUpdated(id.clone())));
            fx.push(Effect::Changed(if pinned { Change::Pinned(id) } else { Change::Unpinned(id) }));
        }
    }

    /// Swaps a confirmed echo for the server message; returns whether there was one.
    fn confirm_echo(&mut self, client_id: &ClientId, id: &MessageId, fx: &mut Vec<Effect>) -> bool {
        let Some(index) = self.echoes.iter().position(|e| &e.client_id == client_id) else { return false };
        let echo = self.echoes.remove(index);
        fx.push(Effect::Changed(Change::EchoConfirmed { client_id: client_id.clone(), id: id.clone() }));
        if let Some(op) = echo.op {
            fx.push(Effect::Resolve { op, outcome: Outcome::Sent(id.clone()) });
        }
        fx.push(Effect::SaveOutbox);
        true
    }

    fn on_reset(&mut self, head_seq: Seq, fx: &mut Vec<Effect>) {
        self.timeline.clear();
        self.last_seq = head_seq;
        self.has_more = true;
        fx.push(Effect::Changed(Change::TimelineReset));
        self.request_page(None, Some(head_seq + 1), DEFAULT_PAGE_SIZE, fx);
    }

    fn on_ack(&mut self, req_id: RequestId, result: AckResult, fx: &mut Vec<Effect>) {
        let Some(pending) = self.requests.remove(&req_id) else { return };
        match (pending, result) {
            (Pending::Send(client_id), AckResult::Sent { id, seq, time, .. }) => {
                if self.timeline.get(&id).is_none() {
                    if let Some(message) =
                        self.echo(&client_id).and_then(|echo| self.message_from_echo(echo, &id, seq, time))
                    {
                        self.timeline.upsert(message);
                    }
                }
                self.confirm_echo(&client_id, &id, fx);
            }
            (Pending::Page(op), AckResult::History { messages, has_more }) => {
                self.loading_page = false;
                self.has_more = has_more;
                let added = messages.into_iter().filter(|m| self.timeline.insert_if_absent(m.clone())).count();
                fx.push(Effect::Changed(Change::PageLoaded { added, has_more }));
                if let Some(op) = op {
                    fx.push(Effect::Resolve { op, outcome: Outcome::Page { added, has_more } });
                }
            }
            (Pending::Op(op), _) => fx.push(Effect::Resolve { op, outcome: Outcome::Done }),
            (Pending::Send(_) | Pending::Page(_), _) => {}
        }
    }

    /// The message an ack confirms, built from the echo until its event arrives.
    fn message_from_echo(&self, echo: &LocalEcho, id: &MessageId, seq: Seq, time: i64) -> Option<Message> {
        let me = self.me.as_ref()?;
        let content = match &echo.content {
            DraftContent::Text { text } => Content::Text { text: text.clone() },
            DraftContent::File { message_kind, file: Some(file), .. } => match message_kind {
                MessageKind::Image => Content::Image { file: file.clone() },
                MessageKind::Audio => Content::Audio { file: file.clone() },
                MessageKind::File | MessageKind::Text => Content::File { file: file.clone() },
            },
            DraftContent::File { file: None, .. } => return None,
        };
        Some(Message {
            id: id.clone(),
            client_id: echo.client_id.clone(),
            seq,
            sender: Sender { id: me.id.clone(), display_name: me.display_name.clone() },
            time,
            content,
            reply_to: echo.reply_to.clone(),
            forwarded_from: echo.forwarded_from.clone(),
            targets: echo.targets.clone(),
            metadata: echo.metadata.clone(),
            edited: false,
            edited_at: None,
            pinned: false,
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
            Pending::Page(op) => {
                self.loading_page = false;
                if let Some(op) = op {
                    fx.push(Effect::Reject { op, error: failure });
                }
            }
        }
    }

    fn on_disconnected(&mut self, code: Option<u16>, fx: &mut Vec<Effect>) {
        let state = if code == Some(chat_protocol::close_code::AUTH_FAILED) {
            ConnectionState::AuthFailed
        } else {
            ConnectionState::Reconnecting
        };
        self.set_connection(state, fx);
        self.loading_page = false;
        // Sends stay pending and go again after the welcome; other requests'
        // outcomes are unknown, so they fail and may be retried.
        for (_, pending) in self.requests.drain() {
            match pending {
                Pending::Op(op) | Pending::Page(Some(op)) => fx.push(Effect::Reject {
                    op,
                    error: OpError::new("disconnected", "the connection dropped before the server answered", true),
                }),
                Pending::Send(_) | Pending::Page(None) => {}
            }
        }
    }

    fn lift_rate_limits(&mut self, now: i64, fx: &mut Vec<Effect>) {
        let expired: Vec<RateBucket> =
            self.rate_limited_until.iter().filter(|(_, until)| **until <= now).map(|(bucket, _)| *bucket).collect();
        for bucket in expired {
            self.rate_limited_until.remove(&bucket);
            fx.push(Effect::Changed(Change::RateLimitReset(bucket)));
        }
    }

    // ---- local intents -------------------------------------------------

    fn on_intent(&mut self, intent: Intent, now: i64, fx: &mut Vec<Effect>) {
        match intent {
            Intent::Send { op, client_id, draft } => self.on_send(op, client_id, draft, now, fx),
            Intent::Edit { op, id, content } => {
                if self.require_connected(op, fx) {
                    self.request(Pending::Op(op), |req_id| ClientFrame::Edit { req_id, id, content }, fx);
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
            Intent::UpdateSettings { op, anyone_can_pin } => {
                if self.require_connected(op, fx) {
                    self.request(Pending::Op(op), |req_id| ClientFrame::UpdateSettings { req_id, anyone_can_pin }, fx);
                }
            }
            Intent::LoadOlder { op, limit } => self.on_load_older(op, limit, fx),
            Intent::Retry { op, client_id } => self.on_retry(op, &client_id, fx),
            Intent::Discard { client_id } => {
                let before = self.echoes.len();
                self.echoes.retain(|e| e.client_id != client_id);
                if self.echoes.len() != before {
                    fx.push(Effect::Changed(Change::EchoDiscarded(client_id)));
                    fx.push(Effect::SaveOutbox);
                }
            }
            Intent::RestoreOutbox(entries) => {
                for mut entry in entries {
                    if self.echo(&entry.client_id).is_none() && entry.content.to_new_content().is_some() {
                        entry.op = None;
                        entry.status = EchoStatus::Pending;
                        let client_id = entry.client_id.clone();
                        self.echoes.push(entry);
                        fx.push(Effect::Changed(Change::EchoAdded(client_id.clone())));
                        self.send_echo(&client_id, fx);
                    }
                }
            }
        }
    }

    fn require_connected(&mut self, op: OpId, fx: &mut Vec<Effect>) -> bool {
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
        if self.echo(&client_id).is_some() {
            fx.push(Effect::Reject {
                op,
                error: OpError::new("invalid_request", "this client id is already in use", false),
            });
            return;
        }
        let status = match &draft.content {
            DraftContent::File { size, file: None, .. } => EchoStatus::Uploading { loaded: 0, total: *size },
            _ => EchoStatus::Pending,
        };
        self.echoes.push(LocalEcho {
            client_id: client_id.clone(),
            op: Some(op),
            created_at: now,
            content: draft.content,
            reply_to: draft.reply_to,
            forwarded_from: draft.forwarded_from,
            targets: draft.targets,
            metadata: draft.metadata,
            status,
        });
        fx.push(Effect::Changed(Change::EchoAdded(client_id.clone())));
        if self.echo(&client_id).is_some_and(|e| e.status == EchoStatus::Pending) {
            fx.push(Effect::SaveOutbox);
            self.send_echo(&client_id, fx);
        }
    }

    /// Checks a draft against the limits the server announced, so the user
    /// hears at once what the server would refuse.
    fn check_draft(&self, draft: &Draft, now: i64) -> Option<OpError> {
        if let DraftContent::Text { text } = &draft.content {
            if text.trim().is_empty() {
                return Some(OpError::new("invalid_request", "a message cannot be empty", false));
            }
            let len = text.chars().count();
            if len > self.limits.max_text_chars {
                let message = format!("text is {len} characters long; the limit is {}", self.limits.max_text_chars);
                return Some(OpError::new("text_too_long", message, false));
            }
        }
        let metadata_len = serde_json::to_string(&draft.metadata).map_or(usize::MAX, |s| s.len());
        if metadata_len > self.limits.max_metadata_bytes {
            let message = format!("metadata is {metadata_len} bytes; the limit is {}", self.limits.max_metadata_bytes);
            return Some(OpError::new("metadata_too_large", message, false));
        }
        let bucket = bucket_of(draft.content.kind());
        match self.rate_limited_until(bucket) {
            Some(until) if until > now => {
                let wait = u64::try_from(until - now).unwrap_or(0);
                let mut error = OpError::new("rate_limited", format!("too many messages; retry in {wait} ms"), true);
                error.retry_after_ms = Some(wait);
                Some(error)
            }
            _ => None,
        }
    }

    fn on_uploaded(&mut self, client_id: &ClientId, file: FileRef, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else { return };
        if let DraftContent::File { file: slot, .. } = &mut echo.content {
            *slot = Some(file);
        }
        echo.status = EchoStatus::Pending;
        fx.push(Effect::Changed(Change::EchoUpdated(client_id.clone())));
        fx.push(Effect::SaveOutbox);
        self.send_echo(client_id, fx);
    }

    fn set_echo_status(&mut self, client_id: &ClientId, status: EchoStatus, fx: &mut Vec<Effect>) {
        if let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) {
            if echo.status != status {
                echo.status = status;
                fx.push(Effect::Changed(Change::EchoUpdated(client_id.clone())));
            }
        }
    }

    fn fail_echo(&mut self, client_id: &ClientId, error: OpError, fx: &mut Vec<Effect>) {
        let Some(echo) = self.echoes.iter_mut().find(|e| &e.client_id == client_id) else { return };
        echo.status =
            EchoStatus::Failed { reason: error.message.clone(), code: error.code.clone(), retryable: error.retryable };
        let op = echo.op.take();
        fx.push(Effect::Changed(Change::EchoUpdated(client_id.clone())));
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
        echo.status = match &echo.content {
            DraftContent::File { size, file: None, .. } => EchoStatus::Uploading { loaded: 0, total: *size },
            _ => EchoStatus::Pending,
        };
        fx.push(Effect::Changed(Change::EchoUpdated(client_id.clone())));
        self.send_echo(client_id, fx);
    }

    fn on_load_older(&mut self, op: OpId, limit: u32, fx: &mut Vec<Effect>) {
        if !self.require_connected(op, fx) {
            return;
        }
        if limit == 0 || limit > self.limits.max_page_size {
            let message = format!("page size must be 1 to {}", self.limits.max_page_size);
            fx.push(Effect::Reject { op, error: OpError::new("invalid_request", message, false) });
            return;
        }
        if !self.has_more {
            fx.push(Effect::Resolve { op, outcome: Outcome::Page { added: 0, has_more: false } });
            return;
        }
        let before = self.timeline.oldest_seq().or(Some(self.last_seq + 1));
        self.request_page(Some(op), before, limit, fx);
    }
}
