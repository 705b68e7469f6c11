//! The domain's meeting registry: one room per meeting with connected
//! members, sequencing of changes, and fan-out of events.
//!
//! Every change to a meeting is stored and delivered while holding that
//! meeting's room lock, and a room delivers in `seq` order, filling from
//! storage what other nodes stored (`order.rs`), so events reach each
//! connection in order without a gap, and a joining connection's replay and
//! its first live event meet without a gap or a duplicate.
//!
//! The hub wires the domain's areas, each a type with its own state and
//! file: a connection's requests (`session.rs`: what happens on a send in
//! `session/sending.rs`, edits, deletes and pins in `changes.rs`, reactions,
//! reads, history and search pages, typing (a large meeting's coalesced in
//! `typing_crowd.rs`), the webinar settings, moderation, reports and polls,
//! each poll's counts told coalesced by `polls.rs`), presence
//! (`presence.rs`, with other nodes' in `remote.rs`), [`Files`], the search
//! queue (`search.rs`), the send limits (`send_limits.rs`) and the notices
//! for apps (`notices.rs`: the hook, offline notices, a meeting's chat synced)
//! and the dumps (`dump.rs`: the chat's and the moderation's).

mod bounded;
mod dump;
mod files;
pub mod hook;
mod kick;
mod mutes;
mod notices;
mod offline;
mod order;
mod polls;
mod presence;
mod remote;
mod reports;
mod requests;
mod rooms;
mod search;
mod send_limits;
mod session;
mod synced;
mod typing_crowd;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chat_protocol::{
    EventEnvelope, MeetingId, MeetingSettings, Participant, ParticipantId, Role, Seq, ServerFrame, PROTOCOL_VERSION,
};
use tokio::sync::mpsc;

pub use self::dump::{absolute, DumpError, DumpLinks, LINK_TTL};
pub use self::files::{Download, FileError, Files, Upload};
pub use self::kick::Kick;
pub use self::notices::Notices;
use self::presence::Presence;
pub use self::presence::PresenceSlot;
pub use self::session::Session;
use crate::auth::Identity;
use crate::cluster::Cluster;
use crate::config::Config;
use crate::error::DomainError;
use crate::metrics::Metrics;
use crate::signed_url::UrlSigner;
use crate::store::files::FileStore;
use crate::store::Store;

/// A serialized frame on its way to a connection; shared by all its receivers.
pub type Outbound = Arc<str>;

type ConnId = u64;

/// Participants a joining connection is shown by name in a large meeting,
/// besides the hosts and itself.
const FIRST_VIEW_PAGE: usize = 50;

/// All meetings with connected participants, and the domain's areas they
/// share: each area keeps its own state; the hub wires them to the rooms.
pub struct Hub {
    store: Arc<dyn Store>,
    config: Arc<Config>,
    signer: UrlSigner,
    rooms: Mutex<HashMap<MeetingId, Weak<Room>>>,
    next_conn: AtomicU64,
    metrics: Arc<Metrics>,
    /// The other nodes serving the same meetings, when there are any.
    cluster: Option<Arc<Cluster>>,
    /// Sends and searches per participant.
    send_limits: send_limits::SendLimits,
    search: search::Search,
    files: Files,
    /// The message hook and the notices for apps.
    notices: Arc<notices::AppNotices>,
}

/// One meeting's connected members; its lock orders the meeting's changes.
pub(crate) struct Room {
    meeting: MeetingId,
    members: tokio::sync::Mutex<Members>,
    /// How many participants are here when the meeting is large (above the
    /// presence list limit), else 0: its connections' writers then gather
    /// frames a moment before writing, longer the larger it is.
    large: Arc<AtomicU32>,
    /// The highest `seq` other nodes (or the poll) said the meeting reaches.
    announced: AtomicU64,
    /// Whether a fill up to `announced` is on its way.
    filling: AtomicBool,
    /// Whether a read of who is on the other nodes is on its way.
    syncing_presence: AtomicBool,
    /// Taken for each such read and its use, so reads apply in order.
    presence_reads: tokio::sync::Mutex<()>,
}

pub(crate) struct Members {
    conns: HashMap<ConnId, Member>,
    /// Who is connected, and the presence not yet told.
    presence: Presence,
    /// The meeting's settings, once read; every change passes through here.
    settings: Option<MeetingSettings>,
    /// Who is muted, once read (`mutes.rs`); every change passes through here.
    mutes: Option<HashMap<ParticipantId, chat_protocol::Mute>>,
    /// The meeting's open reports, once read (kept current from its events).
    reports: Option<Vec<chat_protocol::Report>>,
    /// When each participant last had a message accepted, for slow mode.
    last_sent: HashMap<ParticipantId, i64>,
    /// When each participant's last typing notice was passed on.
    last_typed: HashMap<ParticipantId, i64>,
    /// Who typed lately in the meeting's own conversation, when it is large.
    typing_crowd: typing_crowd::Crowd,
    /// Polls whose counts are owed to the members.
    tallies: polls::Tallies,
    /// The meeting's members, once read (only when notices are kept).
    roster: Option<HashSet<ParticipantId>>,
    /// The highest `seq` delivered here; read from storage at the first join.
    delivered: Option<Seq>,
    /// How many connections each participant has on this node.
    local: HashMap<ParticipantId, u32>,
    /// How many of those participants are people, not apps.
    local_people: usize,
    /// Who is connected on other nodes (node, participant), each counted in
    /// `presence` as one connection.
    remote: HashSet<(String, ParticipantId)>,
    metrics: Arc<Metrics>,
}

struct Member {
    participant: Participant,
    tx: mpsc::Sender<Outbound>,
    presence: Arc<PresenceSlot>,
    kick: Kick,
}

impl Members {
    /// The meeting's settings, read from `store` the first time.
    async fn settings(&mut self, store: &dyn Store, meeting: &MeetingId) -> Result<MeetingSettings, DomainError> {
        if let Some(settings) = &self.settings {
            return Ok(settings.clone());
        }
        let settings = store.settings(meeting).await?;
        self.settings = Some(settings.clone());
        Ok(settings)
    }

    /// Queues a frame for every member `to` accepts; returns to how many. A
    /// member whose queue is full is a slow consumer: it is dropped from the
    /// room and told to go. One whose queue is closed is a socket already
    /// closing (a shutdown, a client gone): it is dropped, and not counted.
    fn broadcast(&mut self, text: &Outbound, to: impl Fn(&Participant) -> bool) -> u64 {
        let mut slow = Vec::new();
        let mut closing = Vec::new();
        let mut queued = 0;
        for (id, member) in &self.conns {
            if to(&member.participant) {
                match member.tx.try_send(Arc::clone(text)) {
                    Ok(()) => queued += 1,
                    Err(mpsc::error::TrySendError::Full(_)) => slow.push(*id),
                    Err(mpsc::error::TrySendError::Closed(_)) => closing.push(*id),
                }
            }
        }
        for id in closing {
            self.conns.remove(&id);
        }
        for id in slow {
            if let Some(member) = self.conns.remove(&id) {
                tracing::info!(participant = %member.participant.id, "closing a slow consumer");
                self.metrics.slow_consumer_closes.inc();
                member.kick.slow_consumer();
            }
        }
        queued
    }
}

fn serialize(frame: &ServerFrame) -> Outbound {
    // ServerFrame holds only strings, numbers and JSON values, which always serialize.
    Arc::from(serde_json::to_string(frame).unwrap_or_default())
}

impl Hub {
    /// A hub over `store` and `files` with `config`'s limits; notices for
    /// apps go through `notices`, if given, and other nodes are reached
    /// through `cluster`, if given.
    pub fn new(
        store: Arc<dyn Store>,
        files: Arc<dyn FileStore>,
        notices: Option<Notices>,
        cluster: Option<Arc<Cluster>>,
        config: Arc<Config>,
    ) -> Arc<Self> {
        let metrics = Arc::new(Metrics::default());
        let signer = UrlSigner::new(&config.secret, config.file_url_ttl, config.public_url.as_deref());
        let files = Files::new(Arc::clone(&store), files, signer.clone(), Arc::clone(&config), Arc::clone(&metrics));
        let notices = notices::AppNotices::new(
            notices,
            Arc::clone(&store),
            cluster.clone(),
            signer.clone(),
            Arc::clone(&config),
            Arc::clone(&metrics),
        );
        Arc::new(Self {
            send_limits: send_limits::SendLimits::new(Arc::clone(&config), cluster.clone()),
            search: search::Search::new(Arc::clone(&store)),
            files,
            notices: Arc::new(notices),
            signer,
            store,
            config,
            rooms: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            metrics,
            cluster,
        })
    }

    /// The server's metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Whether storage answers.
    pub async fn store_reachable(&self, probe: &MeetingId) -> Result<(), crate::store::StoreError> {
        self.store.head_seq(probe).await.map(|_| ())
    }

    /// What signs file and dump links.
    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }

    /// How many meetings have someone connected.
    pub fn live_meetings(&self) -> usize {
        let rooms = self.rooms.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        rooms.values().filter(|room| room.strong_count() > 0).count()
    }

    /// Uploads and downloads.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Forgets idle rate-limit state; call periodically.
    pub fn forget_idle(&self) {
        self.send_limits.forget_idle();
        self.files.forget_idle();
        if let Ok(mut rooms) = self.rooms.lock() {
            rooms.retain(|_, room| room.strong_count() > 0);
        }
    }

    /// Connects an authenticated participant. The returned receiver yields
    /// the frames to write: the welcome, then the replay since `last_seq` (or
    /// a reset when that is too far back), then live frames.
    pub async fn join(
        self: &Arc<Self>,
        identity: Identity,
        last_seq: Option<Seq>,
    ) -> Result<(Session, mpsc::Receiver<Outbound>), DomainError> {
        let room = self.room(&identity.meeting);
        let (tx, rx) = mpsc::channel(self.config.send_queue_frames);
        let kick = Kick::default();
        let presence = Arc::new(PresenceSlot::default());
        let me = identity.participant;
        let conn_id = self.next_conn.fetch_add(1, Ordering::Relaxed);
        {
            let mut members = room.members.lock().await;
            let first_here = members.delivered.is_none();
            // Whatever other nodes stored goes to those already here first,
            // so the joiner's replay and live events meet at one seq.
            self.fill(&room.meeting, &mut members).await?;
            let head_seq = members.delivered.unwrap_or_default();
            if first_here {
                self.sync_presence_now(&room, &mut members).await;
            }
            // Hosts and apps are never held out, even if removed while away under a participant's role.
            if me.role == Role::Participant && members.is_removed(self.store.as_ref(), &room.meeting, &me.id).await? {
                return Err(DomainError::Removed);
            }
            let settings = members.settings(self.store.as_ref(), &room.meeting).await?;
            let muted = members.mutes_shown_to(self.store.as_ref(), &room.meeting, &me, crate::clock::now_ms()).await?;
            let reports = members.reports_shown_to(self.store.as_ref(), &room.meeting, &me).await?;
            let polls = self.store.polls(&room.meeting, &me.id).await?;
            let polls = polls.into_iter().map(|poll| polls::shown_to(poll, &me)).collect();
            let reads = self.store.read_states(&room.meeting, &me.id, head_seq).await?;
            let seen = match settings.read_receipts {
                true => self.store.seen_by_others(&room.meeting, &me.id).await?,
                false => Vec::new(),
            };
            // Everything that can fail is read before this connection counts
            // as present: a join that fails leaves no one behind in the list.
            let replay = match last_seq {
                None => Vec::new(),
                Some(last_seq) if last_seq > head_seq || head_seq - last_seq > self.config.resume_window => {
                    vec![serialize(&ServerFrame::Reset { head_seq })]
                }
                Some(last_seq) => {
                    let events =
                        self.store.events_after(&room.meeting, &me, last_seq, self.config.resume_window).await?;
                    let now = crate::clock::unix_secs();
                    let known = events.into_iter().filter(|envelope| envelope.seq <= head_seq);
                    known.map(|envelope| serialize(&self.signed(envelope, now))).collect()
                }
            };
            if members.presence.connect(&me) {
                room.tell_presence_soon(&mut members, self.config.presence_interval);
            }
            self.connected_here(&room.meeting, &mut members, &me);
            let welcome = serialize(&ServerFrame::Welcome {
                v: PROTOCOL_VERSION,
                me: me.clone(),
                meeting_id: room.meeting.clone(),
                head_seq,
                settings,
                participant_count: members.presence.count(),
                participants: members.presence.first_view(&me, FIRST_VIEW_PAGE),
                limits: self.config.limits.clone(),
                reads,
                seen,
                muted,
                reports,
                polls,
            });
            let queue = std::iter::once(welcome).chain(replay);
            for frame in queue {
                if tx.try_send(frame).is_err() {
                    kick.slow_consumer();
                    break;
                }
            }
            let member =
                Member { participant: me.clone(), tx: tx.clone(), presence: Arc::clone(&presence), kick: kick.clone() };
            members.conns.insert(conn_id, member);
            if members.presence.has_people() {
                self.notices.meeting_resumed(&room.meeting);
            }
            self.notices.member_joined(&mut members, &room.meeting, &me.id, me.role).await;
        }
        Ok((Session::new(Arc::clone(self), room, conn_id, me, tx, presence, kick), rx))
    }

    /// Signs the file URLs inside an event and wraps it as a frame.
    fn signed(&self, mut envelope: EventEnvelope, now_secs: u64) -> ServerFrame {
        self.signer.sign_event(&mut envelope.event, now_secs);
        ServerFrame::Event(envelope)
    }
}

impl Room {
    /// Removes a connection (if a slow-consumer kick has not already) and
    /// tells the others, soon, when it was the participant's last one.
    /// Returns whether the last person on this node left with it (other
    /// nodes may still have people: the chat is only over when none has).
    async fn leave(self: &Arc<Self>, conn_id: ConnId, participant: &Participant, hub: &Hub) -> bool {
        let interval = hub.config.presence_interval;
        let mut members = self.members.lock().await;
        members.conns.remove(&conn_id);
        hub.disconnected_here(&self.meeting, &mut members, participant);
        if members.presence.disconnect(&participant.id) {
            self.tell_presence_soon(&mut members, interval);
        }
        !participant.role.is_app() && members.local_people == 0
    }

    /// Tells everyone connected the presence changes of the next `interval`
    /// in one frame, unless such a frame is already due.
    fn tell_presence_soon(self: &Arc<Self>, members: &mut Members, interval: Duration) {
        let presence = &members.presence;
        self.large.store(if presence.is_listed_in_full() { 0 } else { presence.count() }, Ordering::Relaxed);
        if members.presence.flush_due {
            return;
        }
        members.presence.flush_due = true;
        let room = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(interval).await;
            let mut members = room.members.lock().await;
            if let Some(told) = members.presence.flush() {
                for member in members.conns.values() {
                    member.presence.offer(&told);
                }
            }
        });
    }
}
