//! What is already booked, and whether one more post fits.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use tertulia_core::AccountId;

use crate::PostingRules;

/// Why a post does not fit at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The date is a blackout date.
    Blackout(NaiveDate),
    /// Another post of the account is closer than its minimum spacing.
    AccountSpacing {
        /// The neighbour.
        neighbour: DateTime<Utc>,
    },
    /// Another post of the brand is closer than the brand's minimum spacing.
    BrandSpacing {
        /// The neighbour.
        neighbour: DateTime<Utc>,
    },
    /// The account's daily cap is reached that civil day.
    DailyCap {
        /// The day.
        date: NaiveDate,
        /// The cap.
        cap: u32,
    },
    /// A rolling window would hold more than its quota.
    Quota {
        /// The most allowed.
        max: u32,
        /// The window.
        window: Duration,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Blackout(date) => write!(f, "{date} is a blackout date"),
            Conflict::AccountSpacing { neighbour } => write!(f, "too close to the account's post at {neighbour}"),
            Conflict::BrandSpacing { neighbour } => write!(f, "too close to the brand's post at {neighbour}"),
            Conflict::DailyCap { date, cap } => write!(f, "the daily cap of {cap} is reached on {date}"),
            Conflict::Quota { max, window } => {
                write!(f, "more than {max} posts in {} minutes", window.as_secs() / 60)
            }
        }
    }
}

/// Instants booked per account and for the whole brand.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bookings {
    accounts: HashMap<AccountId, BTreeMap<DateTime<Utc>, u32>>,
    brand: BTreeMap<DateTime<Utc>, u32>,
}

fn insert(map: &mut BTreeMap<DateTime<Utc>, u32>, at: DateTime<Utc>) {
    *map.entry(at).or_insert(0) += 1;
}

fn remove(map: &mut BTreeMap<DateTime<Utc>, u32>, at: DateTime<Utc>) {
    if let Some(count) = map.get_mut(&at) {
        *count -= 1;
        if *count == 0 {
            map.remove(&at);
        }
    }
}

fn span(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// The nearest booked instant strictly closer than `spacing` to `at`.
fn too_close(map: &BTreeMap<DateTime<Utc>, u32>, at: DateTime<Utc>, spacing: Duration) -> Option<DateTime<Utc>> {
    if spacing.is_zero() {
        return None;
    }
    let spacing = span(spacing);
    let low = at.checked_sub_signed(spacing).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let high = at.checked_add_signed(spacing).unwrap_or(DateTime::<Utc>::MAX_UTC);
    map.range(low..=high).map(|(t, _)| *t).filter(|t| (*t - at).abs() < spacing).min_by_key(|t| (*t - at).abs())
}

impl Bookings {
    pub(crate) fn book(&mut self, account: &AccountId, at: DateTime<Utc>) {
        insert(self.accounts.entry(account.clone()).or_default(), at);
        insert(&mut self.brand, at);
    }

    pub(crate) fn unbook(&mut self, account: &AccountId, at: DateTime<Utc>) {
        if let Some(map) = self.accounts.get_mut(account) {
            remove(map, at);
        }
        remove(&mut self.brand, at);
    }

    /// Whether one more post of `account` fits at `at`; spacing is checked only when
    /// `spacing` is set (the queue's own placements), caps always.
    pub(crate) fn check(
        &self,
        account: &AccountId,
        zone: Tz,
        rules: &PostingRules,
        brand_spacing: Duration,
        at: DateTime<Utc>,
        spacing: bool,
    ) -> Result<(), Conflict> {
        let empty = BTreeMap::new();
        let mine = self.accounts.get(account).unwrap_or(&empty);
        if spacing {
            if mine.contains_key(&at) {
                return Err(Conflict::AccountSpacing { neighbour: at });
            }
            if let Some(neighbour) = too_close(mine, at, rules.min_spacing) {
                return Err(Conflict::AccountSpacing { neighbour });
            }
            if let Some(neighbour) = too_close(&self.brand, at, brand_spacing) {
                return Err(Conflict::BrandSpacing { neighbour });
            }
        }
        if let Some(cap) = rules.daily_cap {
            let date = at.with_timezone(&zone).date_naive();
            let start = crate::resolve_local(zone, date.and_time(chrono::NaiveTime::MIN));
            let end = date
                .succ_opt()
                .map(|next| crate::resolve_local(zone, next.and_time(chrono::NaiveTime::MIN)))
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            let booked: u32 = mine.range(start..end).map(|(_, n)| *n).sum();
            if booked >= cap {
                return Err(Conflict::DailyCap { date, cap });
            }
        }
        for quota in &rules.quotas {
            if !fits_quota(mine, at, quota.max, span(quota.window)) {
                return Err(Conflict::Quota { max: quota.max, window: quota.window });
            }
        }
        Ok(())
    }
}

/// Whether adding `at` keeps every window of length `window` at `max` posts or fewer.
fn fits_quota(map: &BTreeMap<DateTime<Utc>, u32>, at: DateTime<Utc>, max: u32, window: chrono::Duration) -> bool {
    let low = at.checked_sub_signed(window).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let high = at.checked_add_signed(window).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut times: Vec<DateTime<Utc>> = Vec::new();
    for (t, n) in map.range(low..=high) {
        times.extend(std::iter::repeat_n(*t, *n as usize));
    }
    let position = times.partition_point(|t| *t <= at);
    times.insert(position, at);
    // Every window [t, t + window) that starts at a booked instant holds at most `max`.
    let mut end = 0;
    for start in 0..times.len() {
        end = end.max(start);
        while end < times.len() && times[end] - times[start] < window {
            end += 1;
        }
        if end - start > max as usize {
            return false;
        }
    }
    true
}
