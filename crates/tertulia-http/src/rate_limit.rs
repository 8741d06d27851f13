//! Rate-limit budgets per account and endpoint, learnt from every response.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::RateLimitInfo;

/// What a call does when the known budget is spent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RateLimitMode {
    /// Wait on the clock until the budget resets, when that is within the retry policy's
    /// `max_wait`; otherwise fail with [`ErrorKind::RateLimited`](tertulia_core::ErrorKind::RateLimited).
    #[default]
    Wait,
    /// Fail at once with [`ErrorKind::RateLimited`](tertulia_core::ErrorKind::RateLimited)
    /// and `retry_after`, without calling the server.
    FailFast,
}

/// The known budget of one account on one endpoint bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests per window, if known.
    pub limit: Option<u64>,
    /// Requests left before `reset_at`.
    pub remaining: u64,
    /// When the window resets; after it the budget is forgotten.
    pub reset_at: DateTime<Utc>,
}

/// The budgets of many accounts and buckets, shared by the clients of a process (put it in
/// an `Arc` and hand it to each client's builder).
///
/// A budget is keyed by a *scope* (one account: its server and id) and a *bucket* (the
/// endpoints one server limit covers). It is learnt from every response's headers, spent
/// locally before each call so concurrent calls do not overrun it, and forgotten once its
/// window resets.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tertulia_http::{HeaderFamily, RateLimitInfo, RateLimits};
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap();
/// let reset = now + chrono::Duration::minutes(5);
/// let limits = RateLimits::new();
/// let info = RateLimitInfo { family: HeaderFamily::XRateLimit, limit: Some(300), remaining: 1, reset_at: Some(reset), window: None };
/// limits.record("mastodon.example/1", "api", &info, now);
/// assert_eq!(limits.acquire("mastodon.example/1", "api", now), Ok(()));
/// assert_eq!(limits.acquire("mastodon.example/1", "api", now), Err(reset));
/// assert_eq!(limits.acquire("mastodon.example/2", "api", now), Ok(()));
/// ```
#[derive(Debug, Default)]
pub struct RateLimits {
    budgets: Mutex<HashMap<(String, String), Budget>>,
}

impl RateLimits {
    /// No budgets known.
    pub fn new() -> Self {
        RateLimits::default()
    }

    /// The known budget, if its window has not reset.
    pub fn budget(&self, scope: &str, bucket: &str, now: DateTime<Utc>) -> Option<Budget> {
        let budgets = self.lock();
        budgets.get(&key(scope, bucket)).copied().filter(|budget| budget.reset_at > now)
    }

    /// Learns the budget from a response. Headers without a reset instant (or with one in the
    /// past) teach nothing that could be waited on, so they are ignored.
    pub fn record(&self, scope: &str, bucket: &str, info: &RateLimitInfo, now: DateTime<Utc>) {
        let reset_at = match (info.reset_at, info.window) {
            (Some(at), _) => at,
            (None, Some(window)) if info.remaining == 0 => now + window,
            _ => return,
        };
        if reset_at <= now {
            self.lock().remove(&key(scope, bucket));
            return;
        }
        let budget = Budget { limit: info.limit, remaining: info.remaining, reset_at };
        self.lock().insert(key(scope, bucket), budget);
    }

    /// Marks the budget spent until `until` (a 429 that said when, without budget headers).
    pub fn exhaust_until(&self, scope: &str, bucket: &str, until: DateTime<Utc>) {
        let mut budgets = self.lock();
        let entry = budgets.entry(key(scope, bucket)).or_insert(Budget { limit: None, remaining: 0, reset_at: until });
        entry.remaining = 0;
        entry.reset_at = entry.reset_at.max(until);
    }

    /// Spends one request of the budget: `Ok` to go ahead (also when nothing is known), or
    /// `Err(reset_at)` when the budget is spent until then.
    pub fn acquire(&self, scope: &str, bucket: &str, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let mut budgets = self.lock();
        let key = key(scope, bucket);
        let Some(budget) = budgets.get_mut(&key) else { return Ok(()) };
        if budget.reset_at <= now {
            budgets.remove(&key);
            return Ok(());
        }
        if budget.remaining == 0 {
            return Err(budget.reset_at);
        }
        budget.remaining -= 1;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Budget>> {
        self.budgets.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn key(scope: &str, bucket: &str) -> (String, String) {
    (scope.to_owned(), bucket.to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::TimeZone;

    use super::*;
    use crate::HeaderFamily;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
    }

    fn info(remaining: u64, reset_in: Option<i64>, window: Option<u64>) -> RateLimitInfo {
        RateLimitInfo {
            family: HeaderFamily::RateLimit,
            limit: Some(10),
            remaining,
            reset_at: reset_in.map(|s| now() + chrono::Duration::seconds(s)),
            window: window.map(Duration::from_secs),
        }
    }

    #[test]
    fn spends_the_budget_then_refuses_until_reset_then_forgets_it() {
        let limits = RateLimits::new();
        limits.record("a", "api", &info(2, Some(60), None), now());
        assert_eq!(limits.acquire("a", "api", now()), Ok(()));
        assert_eq!(limits.acquire("a", "api", now()), Ok(()));
        let reset = now() + chrono::Duration::seconds(60);
        assert_eq!(limits.acquire("a", "api", now()), Err(reset));
        assert_eq!(limits.budget("a", "api", now()).map(|b| b.remaining), Some(0));
        assert_eq!(limits.acquire("a", "api", reset), Ok(()));
        assert_eq!(limits.budget("a", "api", reset), None);
    }

    #[test]
    fn buckets_and_scopes_are_separate() {
        let limits = RateLimits::new();
        limits.record("a", "media", &info(0, Some(60), None), now());
        assert!(limits.acquire("a", "media", now()).is_err());
        assert_eq!(limits.acquire("a", "api", now()), Ok(()));
        assert_eq!(limits.acquire("b", "media", now()), Ok(()));
    }

    #[test]
    fn a_window_without_reset_counts_from_now_only_when_spent() {
        let limits = RateLimits::new();
        limits.record("a", "api", &info(5, None, Some(300)), now());
        assert_eq!(limits.budget("a", "api", now()), None);
        limits.record("a", "api", &info(0, None, Some(300)), now());
        assert_eq!(limits.budget("a", "api", now()).map(|b| b.reset_at), Some(now() + chrono::Duration::seconds(300)));
    }

    #[test]
    fn a_reset_in_the_past_forgets_the_budget() {
        let limits = RateLimits::new();
        limits.record("a", "api", &info(0, Some(60), None), now());
        limits.record("a", "api", &info(0, Some(-1), None), now());
        assert_eq!(limits.acquire("a", "api", now()), Ok(()));
    }

    #[test]
    fn exhaust_until_keeps_the_later_reset() {
        let limits = RateLimits::new();
        let later = now() + chrono::Duration::seconds(90);
        limits.exhaust_until("a", "api", later);
        limits.exhaust_until("a", "api", now() + chrono::Duration::seconds(30));
        assert_eq!(limits.acquire("a", "api", now()), Err(later));
    }
}
