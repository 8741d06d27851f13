//! Planning many accounts' slots at once.

use std::collections::VecDeque;

use chrono::{DateTime, NaiveDate, Utc};
use tertulia_core::AccountId;

use crate::{AccountPlan, CivilCache};

/// Plans the usable slots of many accounts over a period: each calendar's slots, minus
/// those its own rules forbid (spacing, daily cap, rolling quotas), earliest kept first.
/// Civil times are resolved through one cache shared by every account.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{AccountId, PlatformKind};
/// use tertulia_schedule::{AccountPlan, Calendar, Planner, PostingRules};
/// let plan = AccountPlan {
///     account: AccountId::new("masto"),
///     platform: PlatformKind::Mastodon,
///     calendar: Calendar::daily(chrono_tz::Asia::Kolkata, [(9, 0), (9, 30), (20, 0)]),
///     rules: PostingRules::default().min_spacing(std::time::Duration::from_secs(3600)),
/// };
/// let from = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
/// let slots = Planner::new().plan(&plan, from, from + chrono::Duration::days(28));
/// assert_eq!(slots.len(), 2 * 28); // 09:30 is too close to 09:00
/// ```
#[derive(Debug, Default)]
pub struct Planner {
    cache: CivilCache,
    scratch: Vec<(i64, NaiveDate)>,
}

impl Planner {
    /// A planner with an empty cache.
    pub fn new() -> Self {
        Planner::default()
    }

    /// The usable slots of one account in `[from, to)`.
    pub fn plan(&mut self, plan: &AccountPlan, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        plan.calendar.dated_slots(&mut self.cache, from, to, &mut self.scratch);
        let rules = &plan.rules;
        let spacing = i64::try_from(rules.min_spacing.as_secs()).unwrap_or(i64::MAX);
        let mut windows: Vec<(usize, i64, VecDeque<i64>)> = rules
            .quotas
            .iter()
            .map(|q| (q.max as usize, i64::try_from(q.window.as_secs()).unwrap_or(i64::MAX), VecDeque::new()))
            .collect();
        let mut kept: Vec<DateTime<Utc>> = Vec::with_capacity(self.scratch.len());
        let mut last: Option<i64> = None;
        let mut day: Option<(NaiveDate, u32)> = None;
        'slots: for &(slot, date) in &self.scratch {
            if last.is_some_and(|last| slot - last < spacing) {
                continue;
            }
            if let (Some(cap), Some((current, count))) = (rules.daily_cap, day)
                && current == date
                && count >= cap
            {
                continue;
            }
            for (max, window, recent) in &mut windows {
                while recent.front().is_some_and(|t| slot - *t >= *window) {
                    recent.pop_front();
                }
                if recent.len() >= *max {
                    continue 'slots;
                }
            }
            for (_, _, recent) in &mut windows {
                recent.push_back(slot);
            }
            day = match day {
                Some((current, count)) if current == date => Some((date, count + 1)),
                _ => Some((date, 1)),
            };
            last = Some(slot);
            if let Some(instant) = DateTime::from_timestamp(slot, 0) {
                kept.push(instant);
            }
        }
        kept
    }

    /// The usable slots of every account in `[from, to)`.
    pub fn plan_all(
        &mut self,
        plans: &[AccountPlan],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(AccountId, Vec<DateTime<Utc>>)> {
        plans.iter().map(|plan| (plan.account.clone(), self.plan(plan, from, to))).collect()
    }
}
