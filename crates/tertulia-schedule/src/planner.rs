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
    scratch: Vec<DateTime<Utc>>,
}

impl Planner {
    /// A planner with an empty cache.
    pub fn new() -> Self {
        Planner::default()
    }

    /// The usable slots of one account in `[from, to)`.
    pub fn plan(&mut self, plan: &AccountPlan, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        self.scratch.clear();
        plan.calendar.slots_into(&mut self.cache, from, to, &mut self.scratch);
        let rules = &plan.rules;
        let spacing = chrono::Duration::from_std(rules.min_spacing).unwrap_or(chrono::Duration::MAX);
        let mut windows: Vec<(usize, chrono::Duration, VecDeque<DateTime<Utc>>)> = rules
            .quotas
            .iter()
            .map(|q| {
                (q.max as usize, chrono::Duration::from_std(q.window).unwrap_or(chrono::Duration::MAX), VecDeque::new())
            })
            .collect();
        let mut kept: Vec<DateTime<Utc>> = Vec::with_capacity(self.scratch.len());
        let mut day: Option<(NaiveDate, u32)> = None;
        'slots: for &slot in &self.scratch {
            if let Some(last) = kept.last()
                && slot - *last < spacing
            {
                continue;
            }
            if let Some(cap) = rules.daily_cap {
                let date = slot.with_timezone(&plan.calendar.zone).date_naive();
                match day {
                    Some((current, count)) if current == date && count >= cap => continue,
                    _ => {}
                }
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
            if rules.daily_cap.is_some() {
                let date = slot.with_timezone(&plan.calendar.zone).date_naive();
                day = match day {
                    Some((current, count)) if current == date => Some((date, count + 1)),
                    _ => Some((date, 1)),
                };
            }
            kept.push(slot);
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
