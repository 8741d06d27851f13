//! Simulated rate limits: a budget of calls per fixed window, per operation.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tertulia_core::Operation;

use crate::RateLimit;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: DateTime<Utc>,
    used: u32,
}

/// Counts calls per operation in their current window.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: HashMap<Operation, Window>,
}

impl RateLimiter {
    /// Counts one call at `now`; when the budget is spent, answers how long until the
    /// window ends.
    pub(crate) fn spend(&mut self, operation: Operation, limit: RateLimit, now: DateTime<Utc>) -> Result<(), Duration> {
        let window_length = chrono::Duration::from_std(limit.window).unwrap_or(chrono::Duration::MAX);
        let window = self.windows.entry(operation).or_insert(Window { started: now, used: 0 });
        let ends = window.started.checked_add_signed(window_length).unwrap_or(DateTime::<Utc>::MAX_UTC);
        if now >= ends || now < window.started {
            *window = Window { started: now, used: 0 };
        }
        if window.used >= limit.max {
            let ends = window.started.checked_add_signed(window_length).unwrap_or(DateTime::<Utc>::MAX_UTC);
            let wait = (ends - now).to_std().unwrap_or(Duration::ZERO);
            // Never tell a caller to wait zero: round up to a whole second, as headers do.
            let whole =
                Duration::from_secs(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(Duration::from_secs(1));
            return Err(whole);
        }
        window.used += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_spent_budget_says_when_the_window_ends_and_refills_after() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let limit = RateLimit::new(2, Duration::from_secs(60));
        let mut limiter = RateLimiter::default();
        assert!(limiter.spend(Operation::Publish, limit, t0).is_ok());
        assert!(limiter.spend(Operation::Publish, limit, t0 + chrono::Duration::seconds(10)).is_ok());
        let wait = limiter.spend(Operation::Publish, limit, t0 + chrono::Duration::seconds(15)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(45));
        // Other operations have their own budget.
        assert!(limiter.spend(Operation::Delete, limit, t0 + chrono::Duration::seconds(15)).is_ok());
        assert!(limiter.spend(Operation::Publish, limit, t0 + chrono::Duration::seconds(60)).is_ok());
    }
}
