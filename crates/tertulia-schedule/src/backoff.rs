//! Backoff between attempts after temporary failures, with seeded jitter.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// Exponential backoff: `initial × factor^attempt`, at most `max`, less a random part of up
/// to `jitter` of it (so many jobs failing together do not come back together).
///
/// ```
/// use std::time::Duration;
/// use rand::SeedableRng;
/// use tertulia_schedule::Backoff;
/// let backoff = Backoff { initial: Duration::from_secs(5), factor: 2.0, max: Duration::from_secs(60), jitter: 0.0 };
/// let mut rng = rand::rngs::SmallRng::seed_from_u64(1);
/// let delays: Vec<_> = (0..5).map(|n| backoff.delay(n, &mut rng).as_secs()).collect();
/// assert_eq!(delays, [5, 10, 20, 40, 60]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Backoff {
    /// The first delay.
    pub initial: Duration,
    /// The growth per attempt.
    pub factor: f64,
    /// The longest delay.
    pub max: Duration,
    /// The largest share of a delay taken off at random, from 0 to 1.
    pub jitter: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { initial: Duration::from_secs(5), factor: 2.0, max: Duration::from_secs(15 * 60), jitter: 0.2 }
    }
}

impl Backoff {
    /// The delay before attempt `attempt + 1` (0 for the first retry).
    pub fn delay(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
        let base = self.initial.as_secs_f64() * self.factor.max(1.0).powi(exponent);
        let capped = base.min(self.max.as_secs_f64());
        let jitter = self.jitter.clamp(0.0, 1.0);
        let taken = if jitter > 0.0 { capped * jitter * rng.random::<f64>() } else { 0.0 };
        Duration::from_secs_f64((capped - taken).max(0.0))
    }
}
