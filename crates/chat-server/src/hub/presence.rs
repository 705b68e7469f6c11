//! Who is here, at any size: a room's present participants ordered by name
//! for pages and search, joins and leaves coalesced into a few presence frames
//! a second, and each connection's unsent presence collapsing to the latest
//! state instead of queueing behind (or ahead of) its chat events.
//!
//! A join storm would otherwise cost O(N²) frames: every join told to
//! everyone already there. Here a flush serializes one frame for all, and a
//! large meeting's frames name only hosts, so the rest is a count and pages.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chat_protocol::{Participant, ParticipantId, PresenceDelta, Role, ServerFrame};
use tokio::sync::Notify;

use super::{serialize, Outbound};

/// Separates the folded name from the id in a page cursor; a control
/// character no display name or id contains.
const CURSOR_SEPARATOR: char = '\u{1f}';

/// Where a participant sorts: by name, case-insensitively, then by id.
type SortKey = (String, ParticipantId);

fn sort_key(participant: &Participant) -> SortKey {
    (participant.display_name.to_lowercase(), participant.id.clone())
}

fn cursor_of(key: &SortKey) -> String {
    format!("{}{CURSOR_SEPARATOR}{}", key.0, key.1)
}

fn parse_cursor(cursor: &str) -> Option<SortKey> {
    let (name, id) = cursor.rsplit_once(CURSOR_SEPARATOR)?;
    Some((name.to_owned(), ParticipantId(id.to_owned())))
}

/// Changes not yet told, kept so an id is in at most one of the two sets.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    joined: HashMap<ParticipantId, Participant>,
    /// Who left, with the role they had, so a large meeting can name only hosts.
    left: HashMap<ParticipantId, Role>,
    count: u32,
    /// `joined` is everyone, replacing what the client has.
    complete: bool,
}

impl Changes {
    fn join(&mut self, participant: Participant) {
        self.left.remove(&participant.id);
        self.joined.insert(participant.id.clone(), participant);
    }

    fn leave(&mut self, id: ParticipantId, role: Role) {
        self.joined.remove(&id);
        self.left.insert(id, role);
    }

    fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.left.is_empty()
    }

    /// Later changes on top of these: what a client that missed both needs.
    fn merge(&mut self, later: &Changes) {
        for (id, role) in &later.left {
            self.leave(id.clone(), *role);
        }
        for participant in later.joined.values() {
            self.join(participant.clone());
        }
        self.count = later.count;
        if later.complete {
            // Everyone is in `later`: nothing before it matters.
            self.joined = later.joined.clone();
            self.left.clear();
            self.complete = true;
        }
    }

    fn frame(&self) -> Outbound {
        let mut joined: Vec<Participant> = self.joined.values().cloned().collect();
        joined.sort_by(|a, b| a.id.cmp(&b.id));
        let mut left: Vec<ParticipantId> = self.left.keys().cloned().collect();
        left.sort();
        serialize(&ServerFrame::Presence(PresenceDelta { joined, left, count: self.count, complete: self.complete }))
    }
}

/// A room's presence: who is connected, and what others have not been told.
pub(crate) struct Presence {
    /// Connections of each present participant (services are never present).
    connections: HashMap<ParticipantId, (u32, Participant)>,
    /// The present participants in page order.
    ordered: BTreeMap<SortKey, Participant>,
    /// The present hosts, shown to every joiner of a large meeting.
    hosts: BTreeMap<ParticipantId, Participant>,
    /// How many present participants are people, not apps.
    people: usize,
    /// Changes since the last flush.
    unsent: Changes,
    /// Whether a flush is already due.
    pub(crate) flush_due: bool,
    /// Whether the last flush named everyone (the meeting was small).
    told_in_full: bool,
    /// Above this many participants, frames name only hosts.
    list_limit: u32,
}

/// A page of present participants.
pub(crate) struct Page {
    pub participants: Vec<Participant>,
    pub next: Option<String>,
}

impl Presence {
    pub(crate) fn new(list_limit: u32) -> Self {
        Self {
            connections: HashMap::new(),
            ordered: BTreeMap::new(),
            hosts: BTreeMap::new(),
            people: 0,
            unsent: Changes::default(),
            flush_due: false,
            told_in_full: true,
            list_limit,
        }
    }

    /// How many participants are connected.
    pub(crate) fn count(&self) -> u32 {
        u32::try_from(self.ordered.len()).unwrap_or(u32::MAX)
    }

    /// Whether anyone connected is a person, not an app.
    pub(crate) fn has_people(&self) -> bool {
        self.people > 0
    }

    /// Whether the meeting is small enough that everyone is named to everyone.
    pub(crate) fn is_listed_in_full(&self) -> bool {
        self.count() <= self.list_limit
    }

    /// Whether `id` has a connection open.
    pub(crate) fn is_connected(&self, id: &ParticipantId) -> bool {
        self.connections.contains_key(id)
    }

    /// The role of `id`, if they have a connection open.
    pub(crate) fn role_of(&self, id: &ParticipantId) -> Option<Role> {
        self.connections.get(id).map(|(_, participant)| participant.role)
    }

    /// Whether `id` is a host with a connection open.
    pub(crate) fn is_host(&self, id: &ParticipantId) -> bool {
        self.hosts.contains_key(id)
    }

    /// A connection of `participant` opened; returns whether it is their first.
    pub(crate) fn connect(&mut self, participant: &Participant) -> bool {
        if participant.role == Role::Service {
            return false;
        }
        let entry = self.connections.entry(participant.id.clone()).or_insert_with(|| (0, participant.clone()));
        entry.0 += 1;
        if entry.0 > 1 {
            return false;
        }
        self.ordered.insert(sort_key(participant), participant.clone());
        if participant.role == Role::Host {
            self.hosts.insert(participant.id.clone(), participant.clone());
        }
        if !participant.role.is_app() {
            self.people += 1;
        }
        self.unsent.join(participant.clone());
        true
    }

    /// A connection of `id` closed; returns whether it was their last.
    pub(crate) fn disconnect(&mut self, id: &ParticipantId) -> bool {
        let Some(entry) = self.connections.get_mut(id) else { return false };
        entry.0 -= 1;
        if entry.0 > 0 {
            return false;
        }
        let Some((_, participant)) = self.connections.remove(id) else { return false };
        self.ordered.remove(&sort_key(&participant));
        self.hosts.remove(&participant.id);
        if !participant.role.is_app() {
            self.people -= 1;
        }
        self.unsent.leave(participant.id, participant.role);
        true
    }

    /// What a joining connection is shown first: everyone in a small meeting;
    /// in a large one, the hosts, `me` and the first page.
    pub(crate) fn first_view(&self, me: &Participant, page_size: usize) -> Vec<Participant> {
        if self.is_listed_in_full() {
            return self.ordered.values().cloned().collect();
        }
        let mut shown: Vec<Participant> = self.ordered.values().take(page_size).cloned().collect();
        let extra = self.hosts.values().chain(std::iter::once(me)).filter(|p| p.role != Role::Service);
        for participant in extra {
            if !shown.iter().any(|p| p.id == participant.id) {
                shown.push(participant.clone());
            }
        }
        shown
    }

    /// Up to `limit` participants after `after` whose name contains `query`.
    pub(crate) fn page(&self, query: Option<&str>, after: Option<&str>, limit: usize) -> Page {
        let query = query.map(str::to_lowercase).filter(|q| !q.is_empty());
        let start = after.and_then(parse_cursor);
        let range = match &start {
            Some(key) => self.ordered.range::<SortKey, _>((std::ops::Bound::Excluded(key), std::ops::Bound::Unbounded)),
            None => self.ordered.range::<SortKey, _>(..),
        };
        let mut matching = range.filter(|(key, _)| query.as_ref().is_none_or(|q| key.0.contains(q.as_str())));
        let participants: Vec<(&SortKey, &Participant)> = matching.by_ref().take(limit).collect();
        let next = match (participants.last(), matching.next()) {
            (Some((key, _)), Some(_)) => Some(cursor_of(key)),
            _ => None,
        };
        Page { participants: participants.into_iter().map(|(_, p)| p.clone()).collect(), next }
    }

    /// Takes the changes to tell, as one frame for every connection; `None`
    /// when nothing changed. A large meeting's frame names only hosts.
    pub(crate) fn flush(&mut self) -> Option<Arc<Told>> {
        self.flush_due = false;
        let mut changes = std::mem::take(&mut self.unsent);
        if changes.is_empty() {
            return None;
        }
        changes.count = self.count();
        let in_full = self.is_listed_in_full();
        if !in_full {
            changes.joined.retain(|_, p| p.role == Role::Host);
            changes.left.retain(|_, role| *role == Role::Host);
        } else if !self.told_in_full {
            // Clients missed the joins and leaves of the large meeting: relist.
            changes.joined = self.ordered.values().map(|p| (p.id.clone(), p.clone())).collect();
            changes.left.clear();
            changes.complete = true;
        }
        self.told_in_full = in_full;
        let frame = changes.frame();
        Some(Arc::new(Told { changes, frame }))
    }
}

/// One flush's changes and their frame, shared by every connection.
pub(crate) struct Told {
    changes: Changes,
    frame: Outbound,
}

/// A connection's presence not yet written: one flush's shared frame, or the
/// merge of several when the connection fell behind.
enum Unwritten {
    Shared(Arc<Told>),
    Merged(Changes),
}

/// Where a connection's presence waits for its writer; never more than one frame.
#[derive(Default)]
pub struct PresenceSlot {
    unwritten: Mutex<Option<Unwritten>>,
    ready: Notify,
}

impl PresenceSlot {
    /// Adds a flush for this connection, merged into what it has not written yet.
    pub(crate) fn offer(&self, told: &Arc<Told>) {
        let mut unwritten = self.unwritten.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *unwritten = Some(match unwritten.take() {
            None => Unwritten::Shared(Arc::clone(told)),
            Some(Unwritten::Shared(earlier)) => {
                let mut merged = Changes { count: earlier.changes.count, ..Changes::default() };
                merged.merge(&earlier.changes);
                merged.merge(&told.changes);
                Unwritten::Merged(merged)
            }
            Some(Unwritten::Merged(mut merged)) => {
                merged.merge(&told.changes);
                Unwritten::Merged(merged)
            }
        });
        drop(unwritten);
        self.ready.notify_one();
    }

    /// Resolves when presence is waiting to be written.
    pub async fn ready(&self) {
        self.ready.notified().await;
    }

    /// The frame to write, if any.
    pub fn take(&self) -> Option<Outbound> {
        let taken = self.unwritten.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()?;
        Some(match taken {
            Unwritten::Shared(told) => Arc::clone(&told.frame),
            Unwritten::Merged(changes) => changes.frame(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, name: &str, role: Role) -> Participant {
        Participant { id: ParticipantId(id.into()), display_name: name.into(), role }
    }

    #[test]
    fn a_second_connection_is_not_a_join_and_only_the_last_one_leaves() {
        let mut presence = Presence::new(10);
        let ann = person("ann", "Ann", Role::Participant);
        assert!(presence.connect(&ann));
        assert!(!presence.connect(&ann));
        assert!(!presence.disconnect(&ann.id));
        assert_eq!((presence.count(), presence.has_people()), (1, true));
        assert!(presence.disconnect(&ann.id));
        assert_eq!((presence.count(), presence.has_people()), (0, false));
        assert!(!presence.disconnect(&ann.id), "an unknown id is no leave");
        assert!(!presence.connect(&person("svc", "Backend", Role::Service)), "services are never present");
    }

    #[test]
    fn a_join_and_leave_within_one_flush_tell_only_the_leave_and_a_large_meeting_names_only_hosts() {
        let mut presence = Presence::new(2);
        let ann = person("ann", "Ann", Role::Participant);
        presence.connect(&ann);
        presence.disconnect(&ann.id);
        let told = presence.flush().expect("a change");
        assert!(told.changes.joined.is_empty() && told.changes.left.contains_key(&ann.id));
        assert!(presence.flush().is_none(), "nothing new");

        for (id, role) in [("a", Role::Participant), ("b", Role::Participant), ("h", Role::Host)] {
            presence.connect(&person(id, id, role));
        }
        let told = presence.flush().expect("joins");
        assert_eq!(told.changes.joined.keys().map(|id| id.as_str()).collect::<Vec<_>>(), ["h"]);
        assert_eq!(told.changes.count, 3);
        // Small again: everyone is relisted, replacing what clients have.
        presence.disconnect(&ParticipantId("a".into()));
        let told = presence.flush().expect("a leave");
        assert!(told.changes.complete);
        assert_eq!(told.changes.joined.len(), 2);
    }

    #[test]
    fn a_slot_merges_what_its_writer_has_not_written() {
        let mut presence = Presence::new(10);
        let slot = PresenceSlot::default();
        presence.connect(&person("ann", "Ann", Role::Participant));
        slot.offer(&presence.flush().expect("ann joined"));
        presence.disconnect(&ParticipantId("ann".into()));
        presence.connect(&person("bob", "Bob", Role::Participant));
        slot.offer(&presence.flush().expect("ann left, bob joined"));
        let frame = slot.take().expect("one frame");
        let ServerFrame::Presence(delta) = serde_json::from_str(&frame).expect("a frame") else { panic!("{frame}") };
        assert_eq!(ids(&delta.joined), ["bob"]);
        assert_eq!(delta.left.iter().map(|id| id.as_str()).collect::<Vec<_>>(), ["ann"]);
        assert_eq!(delta.count, 1);
        assert!(slot.take().is_none(), "taken once");
    }

    fn ids(participants: &[Participant]) -> Vec<&str> {
        participants.iter().map(|p| p.id.as_str()).collect()
    }
}
