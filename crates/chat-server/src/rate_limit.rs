//! Per-participant rate limits (GCRA, via `governor`): text messages, file
//! messages, and uploads, each with its own quota per window.

use std::num::NonZeroU32;
use std::time::Duration;

use chat_protocol::{MeetingId, ParticipantId};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

type Key = (MeetingId, ParticipantId);

/// One keyed limiter: `per_window` actions per `window`, bursts allowed.
pub struct Limiter {
    inner: DefaultKeyedRateLimiter<Key>,
    clock: DefaultClock,
}

impl Limiter {
    /// A limiter allowing `per_window` actions per `window` (at least one).
    pub fn new(per_window: u32, window: Duration) -> Self {
        let burst = NonZeroU32::new(per_window).unwrap_or(NonZeroU32::MIN);
        let period = (window / burst.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(burst)).allow_burst(burst);
        Self { inner: DefaultKeyedRateLimiter::keyed(quota), clock: DefaultClock::default() }
    }

    /// Takes one action from the participant's allowance, or says how long
    /// until one is available.
    pub fn check(&self, meeting: &MeetingId, participant: &ParticipantId) -> Result<(), Duration> {
        let key = (meeting.clone(), participant.clone());
        self.inner.check_key(&key).map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets participants whose allowance is full again, to bound memory.
    pub fn forget_idle(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_quota_then_refuses_with_a_wait() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let (m, p) = (MeetingId::from("m"), ParticipantId::from("p"));
        for _ in 0..3 {
            assert!(limiter.check(&m, &p).is_ok());
        }
        let wait = limiter.check(&m, &p).expect_err("fourth action must be refused");
        assert!(wait > Duration::from_secs(10) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limiter.check(&m, &ParticipantId::from("q")).is_ok(), "others keep their allowance");
    }
}
