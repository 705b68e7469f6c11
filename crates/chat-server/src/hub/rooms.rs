//! The registry of rooms: one per meeting with someone connected here,
//! made at its first join and gone when its last connection is.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64};
use std::sync::{Arc, Weak};

use chat_protocol::MeetingId;

use super::presence::Presence;
use super::{Hub, Members, Room};

impl Hub {
    /// The room of `meeting`, if someone is connected to it here.
    pub(super) fn live_room(&self, meeting: &MeetingId) -> Option<Arc<Room>> {
        let rooms = self.rooms.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        rooms.get(meeting).and_then(Weak::upgrade)
    }

    /// Every room with someone connected here.
    pub(super) fn live_rooms(&self) -> Vec<Arc<Room>> {
        let rooms = self.rooms.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        rooms.values().filter_map(Weak::upgrade).collect()
    }

    pub(super) fn room(&self, meeting: &MeetingId) -> Arc<Room> {
        let mut rooms = self.rooms.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(room) = rooms.get(meeting).and_then(Weak::upgrade) {
            return room;
        }
        let members = Members {
            conns: HashMap::new(),
            presence: Presence::new(self.config.presence_list_limit),
            settings: None,
            mutes: None,
            reports: None,
            last_sent: HashMap::new(),
            last_typed: HashMap::new(),
            typing_crowd: Default::default(),
            tallies: Default::default(),
            roster: None,
            delivered: None,
            local: HashMap::new(),
            local_people: 0,
            remote: HashSet::new(),
            metrics: Arc::clone(&self.metrics),
        };
        let room = Arc::new(Room {
            meeting: meeting.clone(),
            members: tokio::sync::Mutex::new(members),
            large: Arc::new(AtomicU32::new(0)),
            announced: AtomicU64::new(0),
            filling: AtomicBool::new(false),
            syncing_presence: AtomicBool::new(false),
            presence_reads: tokio::sync::Mutex::new(()),
        });
        rooms.insert(meeting.clone(), Arc::downgrade(&room));
        room
    }
}
