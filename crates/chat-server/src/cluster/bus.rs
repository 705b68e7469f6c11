//! The bus: announcements published on one pub/sub channel, heard by every
//! node, and the queue that writes this node's announcements and presence to
//! Redis in order, off the rooms' locks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chat_protocol::{MeetingId, Participant, ParticipantId, Seq, TypingNotice};
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::presence::{node_meetings_key, presence_field, presence_key};
use super::{Cluster, ClusterError, COMMAND_TIMEOUT};

/// The channel every node publishes on and listens to.
const CHANNEL: &str = "meeting-chat:bus";

/// How long a node waits before subscribing again after losing Redis.
const RESUBSCRIBE_DELAY: Duration = Duration::from_millis(500);

/// One announcement on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Announcement {
    node: String,
    meeting: MeetingId,
    /// The meeting's events reach this seq; absent when only presence changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<Seq>,
    /// Someone on the announcing node is typing (then `seq` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typing: Option<TypingNotice>,
    /// Someone on the announcing node read further (then `seq` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read: Option<ReadNotice>,
}

/// A participant read a conversation further, for their connections on other nodes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadNotice {
    /// Who read.
    pub reader: ParticipantId,
    /// The private conversation with this participant; `None` for the meeting's.
    pub with: Option<ParticipantId>,
    /// Up to where.
    pub seq: Seq,
}

/// What this node heard from the others.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    /// A meeting's events reach `seq`.
    Events {
        /// The meeting.
        meeting: MeetingId,
        /// Its newest stored event.
        seq: Seq,
    },
    /// Someone came or went on another node.
    Presence {
        /// The meeting.
        meeting: MeetingId,
    },
    /// Someone on another node is typing.
    Typing {
        /// The meeting.
        meeting: MeetingId,
        /// Who, and in which conversation.
        notice: TypingNotice,
    },
    /// Someone on another node read further.
    Read {
        /// The meeting.
        meeting: MeetingId,
        /// Who, where, and up to where.
        notice: ReadNotice,
    },
    /// The subscription was (re)made: anything published before may have
    /// been missed.
    Subscribed,
}

/// What waits to be written to Redis.
pub(super) enum Outgoing {
    Announce(Announcement),
    Here {
        meeting: MeetingId,
        participant: Participant,
    },
    Gone {
        meeting: MeetingId,
        participant: ParticipantId,
    },
    /// Answered once everything queued before it is written.
    Written(tokio::sync::oneshot::Sender<()>),
}

impl Cluster {
    /// Tells the other nodes that `meeting`'s events reach `seq`. Never
    /// waits: when Redis is behind, the announcement is dropped and the
    /// others' poll finds the events instead.
    pub fn announce_events(&self, meeting: &MeetingId, seq: Seq) {
        self.announce(meeting, Some(seq), None, None);
    }

    /// Tells the other nodes that someone here is typing; dropped, like the
    /// notice itself would be, when Redis is behind.
    pub fn announce_typing(&self, meeting: &MeetingId, notice: TypingNotice) {
        self.announce(meeting, None, Some(notice), None);
    }

    /// Tells the other nodes that someone here read further; when Redis is
    /// behind, their other devices learn it at their next connection.
    pub fn announce_read(&self, meeting: &MeetingId, notice: ReadNotice) {
        self.announce(meeting, None, None, Some(notice));
    }

    fn announce(&self, meeting: &MeetingId, seq: Option<Seq>, typing: Option<TypingNotice>, read: Option<ReadNotice>) {
        let announcement = Announcement { node: self.node.to_string(), meeting: meeting.clone(), seq, typing, read };
        let _ = self.outgoing.try_send(Outgoing::Announce(announcement));
    }

    /// Records that `participant` has a connection on this node.
    pub fn here(&self, meeting: &MeetingId, participant: &Participant) {
        self.queue_presence(Outgoing::Here { meeting: meeting.clone(), participant: participant.clone() });
    }

    /// Records that `participant` has no connection left on this node.
    pub fn gone(&self, meeting: &MeetingId, participant: &ParticipantId) {
        self.queue_presence(Outgoing::Gone { meeting: meeting.clone(), participant: participant.clone() });
    }

    /// Waits (a few seconds at most) until everything queued so far is written.
    pub(super) async fn written(&self) {
        let (done, written) = tokio::sync::oneshot::channel();
        if self.outgoing.send(Outgoing::Written(done)).await.is_ok() {
            let _ = tokio::time::timeout(COMMAND_TIMEOUT * 5, written).await;
        }
    }

    fn queue_presence(&self, write: Outgoing) {
        if self.outgoing.try_send(write).is_err() {
            self.presence_lost.store(true, Ordering::SeqCst);
        }
    }

    /// Hears the other nodes until `shutdown`, resubscribing whenever the
    /// subscription breaks.
    pub async fn listen(self: Arc<Self>, on: impl Fn(Heard) + Send + Sync + 'static, shutdown: CancellationToken) {
        let mut was_down = false;
        loop {
            match self.subscribe().await {
                Ok(mut messages) => {
                    if was_down {
                        tracing::info!("subscribed to the cluster bus again");
                    }
                    was_down = false;
                    on(Heard::Subscribed);
                    loop {
                        tokio::select! {
                            message = messages.next() => match message {
                                Some(message) => {
                                    if let Some(heard) = self.read(&message) {
                                        on(heard);
                                    }
                                }
                                None => break,
                            },
                            () = shutdown.cancelled() => return,
                        }
                    }
                    tracing::warn!("lost the cluster bus; other nodes' changes arrive by polling until it is back");
                }
                Err(error) if !was_down => {
                    tracing::warn!(%error, "cannot subscribe to the cluster bus; retrying");
                    was_down = true;
                }
                Err(_) => {}
            }
            tokio::select! {
                () = tokio::time::sleep(RESUBSCRIBE_DELAY) => {}
                () = shutdown.cancelled() => return,
            }
        }
    }

    async fn subscribe(&self) -> Result<redis::aio::PubSubStream, ClusterError> {
        let connect = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.subscribe(CHANNEL).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let pubsub = tokio::time::timeout(COMMAND_TIMEOUT, connect)
            .await
            .map_err(|_| ClusterError::Unreadable("no answer to SUBSCRIBE".into()))??;
        Ok(pubsub.into_on_message())
    }

    /// What an announcement from another node says; `None` for this node's own.
    fn read(&self, message: &redis::Msg) -> Option<Heard> {
        let payload: Vec<u8> = message.get_payload().ok()?;
        let announcement: Announcement = match serde_json::from_slice(&payload) {
            Ok(announcement) => announcement,
            Err(error) => {
                tracing::warn!(%error, "ignoring an unreadable announcement on the cluster bus");
                return None;
            }
        };
        if *announcement.node == *self.node {
            return None;
        }
        Some(match (announcement.seq, announcement.typing, announcement.read) {
            (Some(seq), _, _) => Heard::Events { meeting: announcement.meeting, seq },
            (None, Some(notice), _) => Heard::Typing { meeting: announcement.meeting, notice },
            (None, None, Some(notice)) => Heard::Read { meeting: announcement.meeting, notice },
            (None, None, None) => Heard::Presence { meeting: announcement.meeting },
        })
    }
}

/// Writes what `queue` holds to Redis, in order, as `node`. A presence
/// write that fails sets `lost`, so the next heartbeat writes this node's
/// presence whole.
pub(super) async fn write(
    node: Arc<str>,
    mut redis: ConnectionManager,
    mut queue: mpsc::Receiver<Outgoing>,
    lost: Arc<AtomicBool>,
) {
    let mut failing = false;
    while let Some(outgoing) = queue.recv().await {
        if let Outgoing::Written(done) = outgoing {
            let _ = done.send(());
            continue;
        }
        let is_presence = !matches!(outgoing, Outgoing::Announce(_));
        let result = command(&node, outgoing).query_async::<()>(&mut redis).await;
        match result {
            Ok(()) if failing => {
                tracing::info!("writing to Redis again");
                failing = false;
            }
            Ok(()) => {}
            Err(error) => {
                if !failing {
                    tracing::warn!(%error, "cannot write to Redis; other nodes learn of changes by polling");
                }
                failing = true;
                if is_presence {
                    lost.store(true, Ordering::SeqCst);
                }
            }
        }
    }
}

/// The commands for one write: a presence change is recorded, then announced.
fn command(node: &str, outgoing: Outgoing) -> redis::Pipeline {
    let mut pipe = redis::pipe();
    let meeting = match outgoing {
        Outgoing::Announce(announcement) => {
            pipe.publish(CHANNEL, encode(&announcement)).ignore();
            return pipe;
        }
        Outgoing::Here { meeting, participant } => {
            let entry = serde_json::to_string(&participant).unwrap_or_default();
            pipe.hset(presence_key(&meeting), presence_field(node, &participant.id), entry).ignore();
            pipe.sadd(node_meetings_key(node), meeting.as_str()).ignore();
            meeting
        }
        Outgoing::Gone { meeting, participant } => {
            pipe.hdel(presence_key(&meeting), presence_field(node, &participant)).ignore();
            meeting
        }
        Outgoing::Written(_) => return pipe,
    };
    announce_presence(&mut pipe, node, &meeting);
    pipe
}

fn encode(announcement: &Announcement) -> String {
    // Strings and a number always serialize.
    serde_json::to_string(announcement).unwrap_or_default()
}

/// Adds to `pipe` the announcement that `meeting`'s presence changed on `node`.
pub(super) fn announce_presence(pipe: &mut redis::Pipeline, node: &str, meeting: &MeetingId) {
    let announcement =
        Announcement { node: node.to_owned(), meeting: meeting.clone(), seq: None, typing: None, read: None };
    pipe.publish(CHANNEL, encode(&announcement)).ignore();
}
