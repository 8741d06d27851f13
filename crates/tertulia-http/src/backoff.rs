//! Retry policy and decorrelated-jitter backoff, with the randomness injected.

use std::fmt::Debug;
use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Where backoff gets its randomness: a seeded generator in tests, so every wait is known.
pub trait Jitter: Send + Sync + Debug {
    /// A duration between `low` and `high`, both included (`low` when `high <= low`).
    fn between(&self, low: Duration, high: Duration) -> Duration;
}

/// A [`Jitter`] drawing from a seeded standard generator.
///
/// ```
/// use std::time::Duration;
/// use tertulia_http::{Jitter, SeededJitter};
/// let (a, b) = (SeededJitter::new(7), SeededJitter::new(7));
/// let (low, high) = (Duration::from_millis(100), Duration::from_secs(1));
/// assert_eq!(a.between(low, high), b.between(low, high));
/// ```
#[derive(Debug)]
pub struct SeededJitter {
    rng: Mutex<StdRng>,
}

impl SeededJitter {
    /// A generator from a seed: the same seed gives the same waits.
    pub fn new(seed: u64) -> Self {
        SeededJitter { rng: Mutex::new(StdRng::seed_from_u64(seed)) }
    }

    /// A generator seeded from the system time and the process id: enough to spread the
    /// retries of different processes, which is all jitter is for (it is not cryptographic).
    pub fn from_time() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|since| since.as_nanos() as u64)
            .unwrap_or_default();
        SeededJitter::new(nanos ^ (u64::from(std::process::id()) << 32))
    }
}

impl Jitter for SeededJitter {
    fn between(&self, low: Duration, high: Duration) -> Duration {
        if high <= low {
            return low;
        }
        let (low_ns, high_ns) = (saturating_nanos(low), saturating_nanos(high));
        let mut rng = self.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Duration::from_nanos(rng.random_range(low_ns..=high_ns))
    }
}

fn saturating_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// When and how long to retry temporary failures.
///
/// ```
/// use std::time::Duration;
/// use tertulia_http::RetryPolicy;
/// let policy = RetryPolicy { max_retries: 5, ..RetryPolicy::default() };
/// assert_eq!(policy.base, Duration::from_millis(500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: never retry).
    pub max_retries: u32,
    /// The shortest backoff, and the first draw's lower bound.
    pub base: Duration,
    /// The longest backoff drawn.
    pub cap: Duration,
    /// The longest single wait accepted, whether drawn, asked by `Retry-After` or a reset
    /// header, or needed for a spent rate-limit budget. A server asking for more ends the
    /// call with its error, carrying `retry_after` for the caller to schedule.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }
}

/// Decorrelated-jitter backoff: each wait is drawn between `base` and three times the
/// previous wait, capped at `cap`. Waits grow on average but stay spread, so clients that
/// failed together do not retry together.
///
/// ```
/// use std::time::Duration;
/// use tertulia_http::{Backoff, RetryPolicy, SeededJitter};
/// let policy = RetryPolicy::default();
/// let mut backoff = Backoff::new(&policy);
/// let jitter = SeededJitter::new(1);
/// for _ in 0..10 {
///     let wait = backoff.next(&jitter);
///     assert!(wait >= policy.base && wait <= policy.cap);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    previous: Duration,
}

impl Backoff {
    /// A fresh backoff for one call.
    pub fn new(policy: &RetryPolicy) -> Self {
        let base = policy.base.min(policy.cap);
        Backoff { base, cap: policy.cap, previous: base }
    }

    /// The next wait.
    pub fn next(&mut self, jitter: &dyn Jitter) -> Duration {
        let high = self.previous.saturating_mul(3).min(self.cap);
        let wait = jitter.between(self.base, high).clamp(self.base, self.cap);
        self.previous = wait;
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_lies_between_base_and_three_times_the_previous_capped() {
        let policy =
            RetryPolicy { base: Duration::from_millis(100), cap: Duration::from_secs(2), ..RetryPolicy::default() };
        let jitter = SeededJitter::new(42);
        let mut backoff = Backoff::new(&policy);
        let mut previous = policy.base;
        for _ in 0..200 {
            let wait = backoff.next(&jitter);
            assert!(wait >= policy.base, "{wait:?}");
            assert!(wait <= (previous * 3).min(policy.cap), "{wait:?} after {previous:?}");
            previous = wait;
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_waits_and_another_seed_differs() {
        let policy = RetryPolicy::default();
        let draw = |seed| {
            let jitter = SeededJitter::new(seed);
            let mut backoff = Backoff::new(&policy);
            (0..6).map(|_| backoff.next(&jitter)).collect::<Vec<_>>()
        };
        assert_eq!(draw(9), draw(9));
        assert_ne!(draw(9), draw(10));
    }

    #[test]
    fn waits_grow_until_the_cap_on_average() {
        let policy =
            RetryPolicy { base: Duration::from_millis(10), cap: Duration::from_secs(1), ..RetryPolicy::default() };
        let jitter = SeededJitter::new(3);
        let mut backoff = Backoff::new(&policy);
        let waits: Vec<Duration> = (0..40).map(|_| backoff.next(&jitter)).collect();
        let early: Duration = waits[..3].iter().sum();
        let late: Duration = waits[30..33].iter().sum();
        assert!(late > early, "{waits:?}");
        assert!(waits.iter().any(|w| *w > Duration::from_millis(300)), "{waits:?}");
    }

    #[test]
    fn a_base_above_the_cap_waits_the_cap() {
        let policy =
            RetryPolicy { base: Duration::from_secs(5), cap: Duration::from_secs(1), ..RetryPolicy::default() };
        let mut backoff = Backoff::new(&policy);
        assert_eq!(backoff.next(&SeededJitter::new(1)), Duration::from_secs(1));
    }
}
