//! The chat state and its reducer: one `apply` with one `match`, and a small
//! function per input: server frames in [`frames`], the user's intents in
//! [`intents`]. Reading the list of rows is in `crate::rows`; which
//! conversations there are, in [`conversations`].

mod conversations;
mod frames;
mod intents;
mod moderation;
mod polls;
mod presence;
mod reactions;
mod reads;
mod reports;
mod typing;

use std::collections::HashMap;

use chat_protocol::{
    rules, ClientFrame, ClientId, Limits, MeetingId, MeetingSettings, Message, Participant, ParticipantId, RateBucket,
    ReadState, RequestId, Seen, Seq,
};

use crate::echo::{LocalEcho, OutboxEntry};
use crate::effect::{Change, Effect, OpError, OpId};
use crate::input::Input;
use crate::rows::MessageKey;
use crate::timeline::Timeline;

pub use self::conversations::Conversation;

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
    /// A host removed this participant from the meeting's chat; reconnecting
    /// is refused until a host lets them back.
    Removed,
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
            Self::Removed => "removed",
            Self::Closed => "closed",
        }
    }
}

/// What a request in flight was for.
#[derive(Clone, Debug)]
enum Pending {
    Send(ClientId),
    Op(OpId),
    /// A history page (of one private conversation, with its peer); the
    /// operation is `None` when the core asked for it itself.
    Page(Option<OpId>, Option<ParticipantId>),
}

/// How far the pages of one private conversation reached.
#[derive(Clone, Debug)]
struct PrivatePages {
    peer: ParticipantId,
    /// Whether older messages of it may exist on the server.
    has_more: bool,
    /// The oldest `seq` its pages reached.
    loaded_from: Seq,
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
    /// Who is connected, as far as this client was told: everyone in a small
    /// meeting; in a large one the hosts and whoever was shown on joining.
    participants: Vec<Participant>,
    /// Participants met in pages of the list, newest last and bounded: their
    /// names, for a private conversation begun with someone found by search.
    met: Vec<Participant>,
    /// How many are connected, always the server's count.
    participant_count: u32,
    /// When this participant's last message was accepted (local time), for slow mode.
    last_sent_at: Option<i64>,
    last_seq: Seq,
    /// Set by [`ChatState::resume_at`] until the first welcome.
    resuming: bool,
    has_more: bool,
    /// From which `seq` on every message this participant may see is loaded.
    loaded_from: Option<Seq>,
    /// How far pages of private conversations reached, by peer: a few
    /// conversations, kept in a list rather than a map (which costs the wasm
    /// a copy of the hash table's code per type).
    private_pages: Vec<PrivatePages>,
    current: Option<ParticipantId>,
    loading_page: bool,
    rate_limited_until: HashMap<RateBucket, i64>,
    requests: HashMap<RequestId, Pending>,
    next_req: RequestId,
    typists: Vec<typing::Typist>,
    typing_crowd: Option<typing::Crowd>,
    typing_sent: Option<(Option<ParticipantId>, i64)>,
    /// Read positions and unread counts per conversation, the meeting's first.
    reads: Vec<ReadState>,
    /// The welcome's counts include every message up to this `seq`.
    reads_counted_to: Seq,
    /// With read receipts on: how far the others have read, per conversation.
    seen: Vec<Seen>,
    /// Who is muted: this participant if they are; for a host, everyone.
    mutes: Vec<chat_protocol::Mute>,
    /// Open reports: this participant's own; for a host, everyone's.
    reports: Vec<chat_protocol::Report>,
    /// The meeting's polls, oldest first.
    polls: Vec<chat_protocol::Poll>,
}

impl Default for ChatState {
    fn default() -> Self {
        Self::new()
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
            met: Vec::new(),
            participant_count: 0,
            last_sent_at: None,
            last_seq: 0,
            resuming: false,
            has_more: true,
            loaded_from: None,
            private_pages: Vec::new(),
            current: None,
            loading_page: false,
            rate_limited_until: HashMap::new(),
            requests: HashMap::new(),
            next_req: 1,
            typists: Vec::new(),
            typing_crowd: None,
            typing_sent: None,
            reads: Vec::new(),
            reads_counted_to: 0,
            seen: Vec::new(),
            mutes: Vec::new(),
            reports: Vec::new(),
            polls: Vec::new(),
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

    /// The newest event `seq` applied; the transport resumes from it.
    pub fn last_seq(&self) -> Seq {
        self.last_seq
    }

    /// The `lastSeq` to resume from: none before the first welcome, unless
    /// told where to start ([`ChatState::resume_at`]).
    pub fn resume_position(&self) -> Option<Seq> {
        (self.me.is_some() || self.resuming).then_some(self.last_seq)
    }

    /// Starts from `seq` instead of the head: the first welcome then replays
    /// what came after it, as after a dropped connection. For a client that
    /// kept its place across a restart (a bot's checkpoint); only before the
    /// first welcome.
    pub fn resume_at(&mut self, seq: Seq) {
        if self.me.is_none() {
            self.last_seq = seq;
            self.resuming = true;
        }
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
        self.echoes.iter().filter(|e| e.uploaded()).cloned().collect()
    }

    /// Whether this participant may edit `message` (the protocol's rule).
    pub fn can_edit(&self, message: &Message) -> bool {
        self.me.as_ref().is_some_and(|me| rules::may_edit(me, message).is_ok())
    }

    /// Whether this participant may delete `message` for everyone.
    pub fn can_delete_for_everyone(&self, message: &Message) -> bool {
        self.me.as_ref().is_some_and(|me| rules::may_delete_for_everyone(me, message).is_ok())
    }

    /// Whether this participant may pin and unpin.
    pub fn can_pin(&self) -> bool {
        self.me.as_ref().is_some_and(|me| rules::may_pin(me, &self.settings).is_ok())
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
            Input::UploadProgress { client_id, part, loaded, .. } => {
                self.on_upload_progress(&client_id, part, loaded, &mut fx)
            }
            Input::UploadDone { client_id, part, file } => self.on_uploaded(&client_id, part, file, &mut fx),
            Input::UploadFailed { client_id, reason, retryable, cause } => {
                let mut error = OpError::new("upload_failed", reason, retryable);
                error.cause = cause;
                self.fail_echo(&client_id, error, &mut fx)
            }
            Input::Tick => {
                self.lift_rate_limits(now, &mut fx);
                self.expire_typists(now, &mut fx);
            }
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

    fn request_page(
        &mut self,
        op: Option<OpId>,
        before: Option<Seq>,
        limit: u32,
        with: Option<ParticipantId>,
        fx: &mut Vec<Effect>,
    ) {
        self.loading_page = true;
        let frame_with = with.clone();
        self.request(
            Pending::Page(op, with),
            |req_id| ClientFrame::History { req_id, before, limit, with: frame_with },
            fx,
        );
    }

    fn private_pages(&self, peer: &ParticipantId) -> Option<&PrivatePages> {
        self.private_pages.iter().find(|pages| &pages.peer == peer)
    }

    /// The key and row of the echo with this client id.
    fn echo_located(&self, client_id: &ClientId) -> Option<(MessageKey, usize)> {
        Some((MessageKey::Local(client_id.clone()), self.echo_row(client_id)?))
    }

    fn lift_rate_limits(&mut self, now: i64, fx: &mut Vec<Effect>) {
        let expired: Vec<RateBucket> =
            self.rate_limited_until.iter().filter(|(_, until)| **until <= now).map(|(bucket, _)| *bucket).collect();
        for bucket in expired {
            self.rate_limited_until.remove(&bucket);
            fx.push(Effect::Changed(Change::RateLimitReset(bucket)));
        }
    }
}
