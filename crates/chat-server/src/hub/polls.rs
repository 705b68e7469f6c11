//! Poll counts for a room, coalesced: a vote is an event only its voter
//! hears; everyone else hears a poll's counts at most once per presence
//! interval while votes arrive (2,000 votes in a 10,000-person meeting are
//! then a few tallies, not 20 million frames). Whichever node stored a vote,
//! each node's room sees its event and tells its own members, reading the
//! counts from storage, which every node shares. Counts hidden until a poll
//! closes go to hosts and apps only.

use std::collections::HashSet;
use std::sync::Arc;

use chat_protocol::{rules, MeetingId, Participant, ParticipantId, Poll, PollId, PollOption, PollTally, ServerFrame};

use super::{serialize, Hub, Members};

/// The polls whose counts changed since they were last told.
#[derive(Debug, Default)]
pub(crate) struct Tallies {
    /// Polls with votes not yet told.
    dirty: HashSet<PollId>,
    /// Whether a flush is already on its way.
    flush_due: bool,
}

/// Whether `viewer` sees `poll`'s counts now: after it closed, always;
/// before, unless they are hidden until then (hosts and apps see them).
fn counts_shown(poll: &Poll, viewer: &Participant) -> bool {
    !poll.hide_votes || poll.closed || rules::may_moderate(viewer).is_ok()
}

/// `poll` as `viewer` may see it: counts and voters hidden while they are to be.
pub(super) fn shown_to(mut poll: Poll, viewer: &Participant) -> Poll {
    if !counts_shown(&poll, viewer) {
        for option in &mut poll.options {
            option.votes.clear();
            option.count = 0;
        }
    }
    poll
}

impl Hub {
    /// A vote in `poll` was delivered here: its counts go out with the next flush.
    pub(super) fn tally_soon(&self, meeting: &MeetingId, members: &mut Members, poll: PollId) {
        members.tallies.dirty.insert(poll);
        if members.tallies.flush_due {
            return;
        }
        let Some(room) = self.live_room(meeting) else { return };
        members.tallies.flush_due = true;
        let (store, metrics, interval) =
            (Arc::clone(&self.store), Arc::clone(&self.metrics), self.config.presence_interval);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let dirty = {
                    let mut members = room.members.lock().await;
                    if members.tallies.dirty.is_empty() {
                        members.tallies.flush_due = false;
                        return;
                    }
                    std::mem::take(&mut members.tallies.dirty)
                };
                // Read without the room's lock, so sends go on meanwhile.
                let mut polls = Vec::with_capacity(dirty.len());
                for id in dirty {
                    match store.poll(&room.meeting, &id, &ParticipantId::default()).await {
                        Ok(Some(poll)) if !poll.closed => polls.push(poll),
                        Ok(_) => {}
                        Err(error) => tracing::warn!(%error, poll = %id, "could not read a poll's counts"),
                    }
                }
                let mut members = room.members.lock().await;
                for poll in polls {
                    let tally = PollTally {
                        poll_id: poll.id.clone(),
                        options: poll
                            .options
                            .iter()
                            .map(|o| PollOption { votes: o.votes.clone(), count: o.count, ..Default::default() })
                            .collect(),
                    };
                    let text = serialize(&ServerFrame::PollTally(tally));
                    let queued = members.broadcast(&text, |viewer| counts_shown(&poll, viewer));
                    metrics.deliveries.inc_by(queued);
                }
            }
        });
    }
}
