//! Per-participant rate limits as a sliding window: at most N actions in any
//! window of W seconds, as the seed API promises ("180 messages per 60 s"),
//! and byte budgets the same way (upload bytes per hour).
//!
//! `governor` was the first choice, but GCRA refills continuously, which
//! allows up to 2N actions in a window and has no moment at which "the window
//! resets" to tell the client about; a log of the last N action times gives
//! both exactly, in N timestamps per active participant.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chat_protocol::{MeetingId, ParticipantId};

type Key = (MeetingId, ParticipantId);

/// One limiter: at most `per_window` actions per participant in any `window`.
pub struct Limiter {
    per_window: usize,
    window: Duration,
    log: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl Limiter {
    /// A limiter allowing `per_window` actions in any `window`.
    pub fn new(per_window: u32, window: Duration) -> Self {
        Self { per_window: per_window as usize, window, log: Mutex::new(HashMap::new()) }
    }

    /// Records one action now, or says how long until one is allowed.
    pub fn check(&self, meeting: &MeetingId, participant: &ParticipantId) -> Result<(), Duration> {
        self.check_at(meeting, participant, Instant::now())
    }

    /// [`Limiter::check`] at a given instant.
    pub fn check_at(&self, meeting: &MeetingId, participant: &ParticipantId, now: Instant) -> Result<(), Duration> {
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let times = log.entry((meeting.clone(), participant.clone())).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.per_window {
            let oldest = times.front().copied().unwrap_or(now);
            return Err((oldest + self.window).saturating_duration_since(now).max(Duration::from_millis(1)));
        }
        times.push_back(now);
        Ok(())
    }

    /// Forgets participants with no action inside the window, to bound memory.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        log.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
    }
}

/// A byte budget per participant: at most `per_window` bytes in any
/// `window` (uploads per hour). Bytes are taken as they arrive, so an upload
/// of unknown length is stopped the moment it would go over.
pub struct ByteQuota {
    per_window: u64,
    window: Duration,
    log: Mutex<HashMap<Key, VecDeque<(Instant, u64)>>>,
}

impl ByteQuota {
    /// A budget of `per_window` bytes in any `window`.
    pub fn new(per_window: u64, window: Duration) -> Self {
        Self { per_window, window, log: Mutex::new(HashMap::new()) }
    }

    /// How many bytes the participant may still send now, and when the
    /// oldest bytes counted leave the window.
    pub fn remaining(&self, meeting: &MeetingId, participant: &ParticipantId) -> (u64, Duration) {
        let now = Instant::now();
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let taken = log.entry((meeting.clone(), participant.clone())).or_default();
        while taken.front().is_some_and(|(t, _)| now.duration_since(*t) >= self.window) {
            taken.pop_front();
        }
        let used: u64 = taken.iter().map(|(_, bytes)| bytes).sum();
        let frees_at = taken.front().map_or(now, |(t, _)| *t + self.window);
        (self.per_window.saturating_sub(used), frees_at.saturating_duration_since(now).max(Duration::from_millis(1)))
    }

    /// Takes `bytes` from the budget, or says how long until some frees up.
    pub fn take(&self, meeting: &MeetingId, participant: &ParticipantId, bytes: u64) -> Result<(), Duration> {
        let (remaining, frees_in) = self.remaining(meeting, participant);
        if bytes > remaining {
            return Err(frees_in);
        }
        let now = Instant::now();
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let taken = log.entry((meeting.clone(), participant.clone())).or_default();
        // Chunks within a second share an entry, so a large upload costs a few entries, not thousands.
        match taken.back_mut() {
            Some((at, sum)) if now.duration_since(*at) < Duration::from_secs(1) => *sum += bytes,
            _ => taken.push_back((now, bytes)),
        }
        Ok(())
    }

    /// Forgets participants with nothing inside the window.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        let mut log = self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        log.retain(|_, taken| taken.back().is_some_and(|(t, _)| now.duration_since(*t) < self.window));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (MeetingId, ParticipantId) {
        (MeetingId::from("m"), ParticipantId::from("p"))
    }

    #[test]
    fn allows_n_in_any_window_and_says_when_the_oldest_leaves_it() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let (m, p) = ids();
        let t0 = Instant::now();
        for s in [0, 10, 20] {
            assert!(limiter.check_at(&m, &p, t0 + Duration::from_secs(s)).is_ok());
        }
        let wait = limiter.check_at(&m, &p, t0 + Duration::from_secs(30)).expect_err("fourth is refused");
        assert_eq!(wait, Duration::from_secs(30), "until the first action is 60 s old");
        assert!(limiter.check_at(&m, &p, t0 + Duration::from_secs(59)).is_err(), "refusals are not counted");
        assert!(limiter.check_at(&m, &p, t0 + Duration::from_secs(60)).is_ok());
        assert!(limiter.check_at(&m, &p, t0 + Duration::from_secs(61)).is_err());
        assert!(limiter.check_at(&m, &ParticipantId::from("q"), t0).is_ok(), "others keep their allowance");
    }

    #[test]
    fn idle_participants_are_forgotten() {
        let limiter = Limiter::new(1, Duration::from_millis(1));
        let (m, p) = ids();
        assert!(limiter.check(&m, &p).is_ok());
        std::thread::sleep(Duration::from_millis(5));
        limiter.forget_idle();
        assert!(limiter.log.lock().unwrap().is_empty());
    }
}
