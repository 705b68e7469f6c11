//! Costly work one participant can ask for over and over (decoding an image,
//! a search), bounded so that it never takes the node from everyone else:
//! at most so many at once on the node, one at a time per participant, and
//! a queue bounded per participant and in all. Past the queue the work is
//! refused at once, with when to try again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_protocol::{MeetingId, ParticipantId};
use tokio::sync::Semaphore;

type Key = (MeetingId, ParticipantId);

/// How much work a [`Bounded`] takes.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Running at once on the node.
    pub at_once: usize,
    /// Running or waiting, per participant.
    pub queued_each: usize,
    /// Running or waiting, in all.
    pub queued_total: usize,
    /// About how long one piece of work takes, for the retry hint.
    pub typical: Duration,
}

/// How many cores the node has, for the work bounded by them.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

impl Bounds {
    /// Image decoding: `at_once` (a 40-megapixel image takes about a second
    /// and 160 MB); a waiting upload holds nothing but its place (its bytes
    /// are on disk), so an uploader may queue a whole message's worth of
    /// images (`per_message`), one decoded at a time, and the node a few
    /// meetings' worth.
    pub fn decoding(at_once: usize, per_message: usize) -> Self {
        let queued_total = (8 * at_once).max(4 * per_message);
        Self { at_once, queued_each: per_message, queued_total, typical: Duration::from_secs(1) }
    }

    /// Searches: one per two cores reads the store at once (each on a read
    /// connection of its own, beside the one that writes), so sends always
    /// find a core; two per participant queued, and a queue that a meeting's
    /// search boxes fill only when flooding.
    pub fn searching() -> Self {
        Self { at_once: (cores() / 2).max(1), queued_each: 2, queued_total: 64, typical: Duration::from_millis(200) }
    }
}

/// The queue was full: retry after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    /// When a retry is likely to be taken.
    pub retry_after: Duration,
}

/// Work bounded by [`Bounds`].
pub struct Bounded {
    bounds: Bounds,
    running: Semaphore,
    queued: Mutex<Queued>,
}

#[derive(Default)]
struct Queued {
    total: usize,
    /// Per participant: how many are queued, and the turn each takes in order.
    each: HashMap<Key, (usize, Arc<Semaphore>)>,
}

impl Bounded {
    /// Work bounded by `bounds` (each at least 1).
    pub fn new(bounds: Bounds) -> Self {
        let bounds = Bounds {
            at_once: bounds.at_once.max(1),
            queued_each: bounds.queued_each.max(1),
            queued_total: bounds.queued_total.max(1),
            typical: bounds.typical,
        };
        Self { running: Semaphore::new(bounds.at_once), bounds, queued: Mutex::default() }
    }

    /// Runs `work` for `who` once it is their turn and the node's, or
    /// refuses at once when the queue is full.
    pub async fn run<T, F>(&self, meeting: &MeetingId, who: &ParticipantId, work: F) -> Result<T, Busy>
    where
        F: std::future::Future<Output = T>,
    {
        let (turn, _place) = self.enter((meeting.clone(), who.clone()))?;
        // Neither semaphore is ever closed, so acquiring cannot fail.
        let _mine = turn.acquire().await.map_err(|_| self.busy(1))?;
        let _node = self.running.acquire().await.map_err(|_| self.busy(1))?;
        Ok(work.await)
    }

    fn enter(&self, key: Key) -> Result<(Arc<Semaphore>, Place<'_>), Busy> {
        let mut queued = self.queued.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let total = queued.total;
        let (count, turn) = {
            let (count, turn) = queued.each.entry(key.clone()).or_insert_with(|| (0, Arc::new(Semaphore::new(1))));
            (*count, Arc::clone(turn))
        };
        if count >= self.bounds.queued_each || total >= self.bounds.queued_total {
            if count == 0 {
                queued.each.remove(&key);
            }
            let ahead = if count >= self.bounds.queued_each { count } else { total / self.bounds.at_once };
            return Err(self.busy(ahead));
        }
        if let Some((count, _)) = queued.each.get_mut(&key) {
            *count += 1;
        }
        queued.total += 1;
        Ok((turn, Place { bounded: self, key }))
    }

    fn busy(&self, ahead: usize) -> Busy {
        let rounds = u32::try_from(ahead.max(1)).unwrap_or(u32::MAX);
        Busy { retry_after: self.bounds.typical.saturating_mul(rounds) }
    }
}

/// A place in the queue, given back when the work ends (or is dropped).
struct Place<'a> {
    bounded: &'a Bounded,
    key: Key,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        let mut queued = self.bounded.queued.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        queued.total -= 1;
        if let Some((count, _)) = queued.each.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                queued.each.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(who: &str) -> (MeetingId, ParticipantId) {
        (MeetingId::from("m"), ParticipantId::from(who))
    }

    fn bounds() -> Bounds {
        Bounds { at_once: 2, queued_each: 2, queued_total: 3, typical: Duration::from_millis(100) }
    }

    #[tokio::test]
    async fn one_at_a_time_per_participant_and_a_bounded_queue() {
        let bounded = Arc::new(Bounded::new(bounds()));
        let (gate_tx, gate_rx) = tokio::sync::watch::channel(false);
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let start = |who: &'static str| {
            let (bounded, mut gate, running, most) =
                (Arc::clone(&bounded), gate_rx.clone(), Arc::clone(&running), Arc::clone(&most));
            tokio::spawn(async move {
                let (meeting, participant) = ids(who);
                bounded
                    .run(&meeting, &participant, async move {
                        let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                        let _ = gate.wait_for(|open| *open).await;
                        running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    })
                    .await
            })
        };
        let ada = [start("ada"), start("ada")];
        let bob = start("bob");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (meeting, ada_id) = ids("ada");
        let refused = bounded.run(&meeting, &ada_id, async {}).await.expect_err("ada's queue is full");
        assert_eq!(refused.retry_after, Duration::from_millis(200), "two of hers are ahead");
        let (_, cy) = ids("cy");
        assert!(bounded.run(&meeting, &cy, async {}).await.is_err(), "the node's queue is full");
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2, "ada's second waits for her first");
        gate_tx.send(true).expect("open");
        for task in ada.into_iter().chain([bob]) {
            task.await.expect("task").expect("admitted");
        }
        assert!(bounded.run(&meeting, &cy, async {}).await.is_ok(), "the queue empties");
        assert!(bounded.queued.lock().expect("lock").each.is_empty(), "nothing is kept for the idle");
    }
}
