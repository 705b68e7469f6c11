//! The reconnect schedule: exponential backoff with full jitter, capped, so
//! a server restart is not met by every client at the same instant.

/// Delays between reconnect attempts.
#[derive(Clone, Debug)]
pub struct Backoff {
    base_ms: u32,
    max_ms: u32,
    attempt: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(250, 15_000)
    }
}

impl Backoff {
    /// A schedule starting near `base_ms` and never above `max_ms`.
    pub fn new(base_ms: u32, max_ms: u32) -> Self {
        Self { base_ms, max_ms, attempt: 0 }
    }

    /// The delay before the next attempt; `random` is uniform in [0, 1).
    /// The first retry comes fast; each failure doubles the ceiling.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let ceiling = u64::from(self.base_ms).saturating_mul(1 << self.attempt.min(16)).min(u64::from(self.max_ms));
        self.attempt = self.attempt.saturating_add(1);
        let half = ceiling / 2;
        // Half fixed, half jitter: spread out, yet never a zero wait in a loop.
        (half + (random.clamp(0.0, 1.0) * half as f64) as u64) as u32
    }

    /// Call once connected and welcomed: the next drop starts from the base again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_the_cap_and_reset() {
        let mut backoff = Backoff::new(250, 4_000);
        let ceilings: Vec<u32> = (0..7).map(|_| backoff.next_delay_ms(0.999_999)).collect();
        assert_eq!(ceilings, [249, 499, 999, 1_999, 3_999, 3_999, 3_999]);
        backoff.reset();
        assert_eq!(backoff.next_delay_ms(0.0), 125);
    }

    #[test]
    fn jitter_stays_within_half_and_full_ceiling() {
        for r in [0.0, 0.3, 0.7, 1.0] {
            let mut backoff = Backoff::new(1_000, 60_000);
            let delay = backoff.next_delay_ms(r);
            assert!((500..=1_000).contains(&delay), "{delay}");
        }
    }
}
