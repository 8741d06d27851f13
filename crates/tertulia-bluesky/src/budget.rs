//! The write-points budget Bluesky applies to every account: each repository write costs
//! points (create 3, update 2, delete 1) and an account may spend 5,000 per hour and 35,000
//! per day. The adapter counts its own writes against both rolling windows, so a burst
//! fails fast (or waits, as configured) before the server refuses it.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A kind of repository write and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// `createRecord`: 3 points.
    Create,
    /// `putRecord` of an existing record: 2 points.
    Update,
    /// `deleteRecord`: 1 point.
    Delete,
}

impl Write {
    /// The points this write costs.
    pub fn points(self) -> u32 {
        match self {
            Write::Create => 3,
            Write::Update => 2,
            Write::Delete => 1,
        }
    }
}

/// Points allowed per rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimit {
    /// Points per window.
    pub points: u32,
    /// The window.
    pub window: Duration,
}

/// Bluesky's published limits: 5,000 points per hour and 35,000 per day.
pub const BLUESKY_WRITE_LIMITS: [WriteLimit; 2] = [
    WriteLimit { points: 5_000, window: Duration::from_secs(3_600) },
    WriteLimit { points: 35_000, window: Duration::from_secs(86_400) },
];

/// The points spent in the longest window, by instant, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct WriteBudget {
    limits: Vec<WriteLimit>,
    spent: VecDeque<(DateTime<Utc>, u32)>,
}

impl WriteBudget {
    /// A budget with these limits.
    pub fn new(limits: impl IntoIterator<Item = WriteLimit>) -> Self {
        WriteBudget { limits: limits.into_iter().collect(), spent: VecDeque::new() }
    }

    /// Spends the points of `write` at `now`, or says how long to wait until they fit.
    pub fn try_spend(&mut self, write: Write, now: DateTime<Utc>) -> Result<(), Duration> {
        self.forget_before(now);
        let cost = write.points();
        let mut wait = Duration::ZERO;
        for limit in &self.limits {
            if let Some(after) = self.wait_for(limit, cost, now) {
                wait = wait.max(after);
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        // Writes of the same instant share one entry, so a burst stays small to count.
        match self.spent.back_mut() {
            Some((when, points)) if *when == now => *points += cost,
            _ => self.spent.push_back((now, cost)),
        }
        Ok(())
    }

    /// Gives back the points of a write that did not reach the server.
    pub fn refund(&mut self, write: Write, at: DateTime<Utc>) {
        if let Some(index) = self.spent.iter().rposition(|&(when, points)| when == at && points >= write.points()) {
            self.spent[index].1 -= write.points();
            if self.spent[index].1 == 0 {
                self.spent.remove(index);
            }
        }
    }

    /// Points left in the tightest window.
    pub fn remaining(&mut self, now: DateTime<Utc>) -> u32 {
        self.forget_before(now);
        self.limits.iter().map(|limit| limit.points.saturating_sub(self.spent_within(limit, now))).min().unwrap_or(0)
    }

    fn spent_within(&self, limit: &WriteLimit, now: DateTime<Utc>) -> u32 {
        let start = window_start(now, limit.window);
        self.spent.iter().filter(|(when, _)| *when > start).map(|(_, cost)| cost).sum()
    }

    /// How long until `cost` more points fit in `limit`, if they do not now.
    fn wait_for(&self, limit: &WriteLimit, cost: u32, now: DateTime<Utc>) -> Option<Duration> {
        let window = chrono::Duration::from_std(limit.window).unwrap_or(chrono::Duration::MAX);
        let start = window_start(now, limit.window);
        let mut used = self.spent_within(limit, now);
        if used + cost <= limit.points {
            return None;
        }
        // Walk the writes in the window from the oldest: each one leaves the window at
        // `when + window`; wait until enough of them have.
        for (when, spent) in self.spent.iter().filter(|(when, _)| *when > start) {
            used -= spent;
            if used + cost <= limit.points {
                let leaves = when.checked_add_signed(window).unwrap_or(DateTime::<Utc>::MAX_UTC);
                return Some((leaves - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(1));
            }
        }
        // The write alone is larger than the window allows: it never fits.
        Some(limit.window)
    }

    fn forget_before(&mut self, now: DateTime<Utc>) {
        let longest = self.limits.iter().map(|l| l.window).max().unwrap_or(Duration::ZERO);
        let start = window_start(now, longest);
        while self.spent.front().is_some_and(|(when, _)| *when <= start) {
            self.spent.pop_front();
        }
    }
}

/// When a window of `length` ending `now` starts (the beginning of time for a window longer
/// than the calendar goes back).
fn window_start(now: DateTime<Utc>, length: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(length)
        .ok()
        .and_then(|length| now.checked_sub_signed(length))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
    }

    #[test]
    fn creates_cost_three_points_and_the_hour_holds_1666() {
        let mut budget = WriteBudget::new(BLUESKY_WRITE_LIMITS);
        let now = start();
        for _ in 0..1666 {
            budget.try_spend(Write::Create, now).unwrap();
        }
        assert_eq!(budget.remaining(now), 2);
        let wait = budget.try_spend(Write::Create, now).unwrap_err();
        assert!(wait > Duration::from_secs(3_599) && wait <= Duration::from_secs(3_601), "{wait:?}");
        // Two points are left: a delete (1) still fits.
        budget.try_spend(Write::Delete, now).unwrap();
        // An hour later the first hour's points are back.
        let later = now + chrono::Duration::seconds(3_601);
        budget.try_spend(Write::Create, later).unwrap();
    }

    #[test]
    fn the_day_limit_binds_after_seven_full_hours() {
        let mut budget = WriteBudget::new(BLUESKY_WRITE_LIMITS);
        let mut now = start();
        for _hour in 0..7 {
            for _ in 0..5_000 {
                budget.try_spend(Write::Delete, now).unwrap();
            }
            now += chrono::Duration::seconds(3_601);
        }
        // 35,000 points spent over seven hours: the hour window is empty, the day is full.
        let wait = budget.try_spend(Write::Delete, now).unwrap_err();
        assert!(wait > Duration::from_secs(16 * 3_600), "{wait:?}");
    }

    #[test]
    fn a_window_longer_than_time_does_not_panic() {
        let mut budget = WriteBudget::new([WriteLimit { points: 3, window: Duration::MAX }]);
        budget.try_spend(Write::Create, start()).unwrap();
        assert!(budget.try_spend(Write::Create, start()).is_err());
    }

    #[test]
    fn a_refund_gives_points_back() {
        let mut budget = WriteBudget::new([WriteLimit { points: 3, window: Duration::from_secs(60) }]);
        let now = start();
        budget.try_spend(Write::Create, now).unwrap();
        assert!(budget.try_spend(Write::Create, now).is_err());
        budget.refund(Write::Create, now);
        budget.try_spend(Write::Create, now).unwrap();
    }
}
