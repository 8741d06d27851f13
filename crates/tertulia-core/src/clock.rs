//! Time, injected: production uses the system clock, tests a manual one that never sleeps.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A boxed future, as returned by object-safe traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of time and a way to wait.
///
/// Everything in tertulia that reads the time or waits takes an `Arc<dyn Clock>`, so tests
/// run instantly and deterministically with a [`ManualClock`].
pub trait Clock: Send + Sync + Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Waits for `duration` (a manual clock just moves forward).
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The system's clock, waiting with `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that moves only when told to, or when something sleeps on it.
///
/// ```
/// use std::time::Duration;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{Clock, ManualClock};
/// let start = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
/// let clock = ManualClock::new(start);
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now(), start + chrono::Duration::seconds(90));
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock { now: Mutex::new(start) }
    }

    /// Moves the clock forward.
    pub fn advance(&self, duration: Duration) {
        let step = chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX);
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = now.checked_add_signed(step).unwrap_or(*now);
    }

    /// Sets the clock to an instant (it may go backwards, to test clock skew).
    pub fn set(&self, instant: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = instant;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}
