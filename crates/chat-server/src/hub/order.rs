//! Delivery in `seq` order, whichever node stored the event. A room keeps
//! the highest `seq` it delivered; an event that is next goes out at once,
//! and a gap (events stored by another node, not yet seen here) is filled
//! from storage first. Storage commits a meeting's events in `seq` order, so
//! everything below an event this node just stored can already be read.
//!
//! Other nodes' events arrive the same way: an announcement (or the
//! once-a-second poll of live meetings' heads, which bounds how late an event
//! can be when announcements are lost) says how far a meeting reaches, and
//! the room reads what it has not delivered.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chat_protocol::{Event, MeetingId, Seq};

use super::{serialize, Hub, Members, Room};
use crate::clock::unix_secs;
use crate::store::{StoreError, StoredEvent};

/// Events read from storage per query while filling a gap.
const FILL_PAGE: u64 = 500;

impl Hub {
    /// Delivers an event this node just stored; call with the room lock
    /// held. Other nodes are told the meeting reaches it.
    pub(crate) async fn deliver(&self, room: &Room, members: &mut Members, event: StoredEvent) {
        let seq = event.envelope.seq;
        match members.delivered {
            Some(done) if seq <= done => {}
            Some(done) if seq > done + 1 => {
                if let Err(error) = self.fill(&room.meeting, members).await {
                    // Stored, not yet delivered: the next poll or announcement delivers it.
                    tracing::warn!(%error, meeting = %room.meeting, "could not read events stored elsewhere");
                }
            }
            _ => {
                members.delivered = Some(seq);
                self.fan_out(&room.meeting, members, event);
            }
        }
        if let Some(cluster) = &self.cluster {
            cluster.announce_events(&room.meeting, seq);
        }
    }

    /// Delivers, in order, every stored event after the last one delivered.
    pub(super) async fn fill(&self, meeting: &MeetingId, members: &mut Members) -> Result<(), StoreError> {
        let Some(mut done) = members.delivered else {
            members.delivered = Some(self.store.head_seq(meeting).await?);
            return Ok(());
        };
        loop {
            let events = self.store.events_since(meeting, done, FILL_PAGE).await?;
            let more = events.len() as u64 == FILL_PAGE;
            for event in events {
                done = event.envelope.seq;
                if let Event::SettingsChanged { settings } = &event.envelope.event {
                    members.settings = Some(settings.clone());
                }
                members.delivered = Some(done);
                self.fan_out(meeting, members, event);
            }
            if !more {
                return Ok(());
            }
        }
    }

    /// Sends an event to the members in its audience.
    fn fan_out(&self, meeting: &MeetingId, members: &mut Members, event: StoredEvent) {
        members.remember_mutes(&event.envelope.event);
        members.remember_reports(&event.envelope);
        // A message to the meeting ends its sender's typing there, whichever node stored it.
        if let Event::MessageCreated { message } = &event.envelope.event {
            if message.targets.is_empty() {
                members.typing_crowd.stopped(&message.sender.id);
            }
        }
        // A vote is told to its voter; everyone else hears the poll's counts coalesced.
        if let Event::PollVoted { poll_id, .. } = &event.envelope.event {
            self.tally_soon(meeting, members, poll_id.clone());
        }
        let text = serialize(&self.signed(event.envelope, unix_secs()));
        let queued = members.broadcast(&text, |p| event.audience.includes(p));
        self.metrics.deliveries.inc_by(queued);
    }

    /// `meeting`'s events reach `seq` (another node said so, or the poll
    /// found it): if it is live here, delivers what it has not yet. One fill
    /// per room runs at a time; announcements meanwhile join it.
    pub(crate) fn events_reach(self: &Arc<Self>, meeting: &MeetingId, seq: Seq) {
        let Some(room) = self.live_room(meeting) else { return };
        room.announced.fetch_max(seq, Ordering::SeqCst);
        if room.filling.swap(true, Ordering::SeqCst) {
            return;
        }
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            let mut members = room.members.lock().await;
            room.filling.store(false, Ordering::SeqCst);
            let behind = members.delivered.is_some_and(|done| done < room.announced.load(Ordering::SeqCst));
            if behind {
                if let Err(error) = hub.fill(&room.meeting, &mut members).await {
                    tracing::warn!(%error, meeting = %room.meeting, "could not read events stored elsewhere");
                }
            }
        });
    }

    /// Looks at the head of every live meeting, for events whose
    /// announcement was lost (Redis away) or that another node stored
    /// without one.
    pub async fn poll_live_meetings(self: &Arc<Self>) {
        for room in self.live_rooms() {
            match self.store.head_seq(&room.meeting).await {
                Ok(head) => self.events_reach(&room.meeting, head),
                Err(error) => {
                    tracing::debug!(%error, "could not poll a meeting's head");
                    return;
                }
            }
        }
    }
}
