//! The other nodes, seen from this one: who connects and leaves here is
//! written to the cluster; who is on other nodes is read back when they
//! announce a change (and every few seconds, for announcements lost), and
//! counted in each room's presence as connections; a step each second polls
//! live meetings' heads, beats this node's heartbeat, writes its presence
//! again when Redis lost it, and forgets nodes that died.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use chat_protocol::{MeetingId, Participant, ParticipantId, Role};
use tokio_util::sync::CancellationToken;

use super::{Hub, Members, Room};
use crate::cluster::Heard;

/// How often this node polls, beats and looks for dead nodes.
const STEP: Duration = Duration::from_secs(1);

/// Every this many steps each live room reads the other nodes' presence
/// again, in case an announcement was lost.
const PRESENCE_REREAD_STEPS: u32 = 5;

impl Hub {
    /// A connection of `who` opened here; the first one is told to the cluster.
    pub(super) fn connected_here(&self, meeting: &MeetingId, members: &mut Members, who: &Participant) {
        let count = members.local.entry(who.id.clone()).or_default();
        *count += 1;
        if *count > 1 {
            return;
        }
        if !who.role.is_app() {
            members.local_people += 1;
        }
        if let Some(cluster) = self.cluster.as_ref().filter(|_| who.role != Role::Service) {
            cluster.here(meeting, who);
        }
    }

    /// A connection of `who` closed here; the last one is told to the cluster.
    pub(super) fn disconnected_here(&self, meeting: &MeetingId, members: &mut Members, who: &Participant) {
        let Some(count) = members.local.get_mut(&who.id) else { return };
        *count -= 1;
        if *count > 0 {
            return;
        }
        members.local.remove(&who.id);
        if !who.role.is_app() {
            members.local_people -= 1;
        }
        if let Some(cluster) = self.cluster.as_ref().filter(|_| who.role != Role::Service) {
            cluster.gone(meeting, &who.id);
        }
    }

    /// Reads who is on the other nodes into a room; for its first join,
    /// with the lock held, so the welcome lists them.
    pub(super) async fn sync_presence_now(&self, room: &Arc<Room>, members: &mut Members) {
        let Some(cluster) = &self.cluster else { return };
        match cluster.present_elsewhere(&room.meeting).await {
            Ok(present) => self.apply_presence_elsewhere(room, members, present),
            Err(error) => tracing::warn!(%error, "could not read who is on the other nodes"),
        }
    }

    /// Another node's participants in `meeting` changed: reads them again,
    /// one read per room at a time, in order.
    fn presence_elsewhere_changed(self: &Arc<Self>, meeting: &MeetingId) {
        let (Some(room), Some(cluster)) = (self.live_room(meeting), self.cluster.clone()) else { return };
        if room.syncing_presence.swap(true, Ordering::SeqCst) {
            return;
        }
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            let _turn = room.presence_reads.lock().await;
            // Cleared before reading: a change announced during the read is read again.
            room.syncing_presence.store(false, Ordering::SeqCst);
            let present = cluster.present_elsewhere(&room.meeting).await;
            let mut members = room.members.lock().await;
            match present {
                Ok(present) => hub.apply_presence_elsewhere(&room, &mut members, present),
                Err(error) => tracing::debug!(%error, "could not read who is on the other nodes"),
            }
        });
    }

    fn apply_presence_elsewhere(&self, room: &Arc<Room>, members: &mut Members, present: Vec<(String, Participant)>) {
        let now: HashMap<(String, ParticipantId), Participant> =
            present.into_iter().map(|(node, participant)| ((node, participant.id.clone()), participant)).collect();
        let gone: Vec<(String, ParticipantId)> =
            members.remote.iter().filter(|key| !now.contains_key(*key)).cloned().collect();
        let mut changed = false;
        for key in gone {
            members.remote.remove(&key);
            changed |= members.presence.disconnect(&key.1);
        }
        for (key, participant) in now {
            if members.remote.insert(key) && members.presence.connect(&participant) {
                changed = true;
                self.notices.member_present(members, &room.meeting, &participant.id);
            }
        }
        if changed {
            room.tell_presence_soon(members, self.config.presence_interval);
        }
    }

    /// Acts on what another node announced.
    pub fn heard(self: &Arc<Self>, heard: Heard) {
        match heard {
            Heard::Events { meeting, seq } => self.events_reach(&meeting, seq),
            Heard::Presence { meeting } => self.presence_elsewhere_changed(&meeting),
            Heard::Typing { meeting, notice } => {
                let hub = Arc::clone(self);
                tokio::spawn(async move { hub.typing_elsewhere(&meeting, notice).await });
            }
            Heard::Read { meeting, notice } => {
                let hub = Arc::clone(self);
                tokio::spawn(async move { hub.read_elsewhere(&meeting, notice).await });
            }
            Heard::Subscribed => {
                // Whatever was announced while unsubscribed was missed.
                for room in self.live_rooms() {
                    self.presence_elsewhere_changed(&room.meeting);
                }
                let hub = Arc::clone(self);
                tokio::spawn(async move { hub.poll_live_meetings().await });
            }
        }
    }

    /// Keeps this node in step with the others until `shutdown`.
    pub async fn keep_in_step(self: Arc<Self>, shutdown: CancellationToken) {
        let mut tick = tokio::time::interval(STEP);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut steps = 0u32;
        let mut failing = false;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = shutdown.cancelled() => return,
            }
            self.poll_live_meetings().await;
            let Some(cluster) = &self.cluster else { continue };
            let beat = async {
                if cluster.heartbeat().await? {
                    cluster.rewrite_presence(&self.present_here().await).await?;
                }
                cluster.forget_dead_nodes().await
            };
            match beat.await {
                Ok(_) if failing => {
                    tracing::info!("the cluster's Redis answers again");
                    failing = false;
                }
                Ok(_) => {}
                Err(error) if !failing => {
                    tracing::warn!(%error, "cannot reach the cluster's Redis; limits hold per node until it is back");
                    failing = true;
                }
                Err(_) => {}
            }
            steps = steps.wrapping_add(1);
            if steps % PRESENCE_REREAD_STEPS == 0 {
                for room in self.live_rooms() {
                    self.presence_elsewhere_changed(&room.meeting);
                }
            }
        }
    }

    /// Everyone connected to this node, by meeting (services are never present).
    async fn present_here(&self) -> HashMap<MeetingId, Vec<Participant>> {
        let mut present = HashMap::new();
        for room in self.live_rooms() {
            let members = room.members.lock().await;
            let mut here: HashMap<&ParticipantId, &Participant> = HashMap::new();
            for member in members.conns.values().filter(|m| m.participant.role != Role::Service) {
                here.insert(&member.participant.id, &member.participant);
            }
            present.insert(room.meeting.clone(), here.into_values().cloned().collect());
        }
        present
    }
}
