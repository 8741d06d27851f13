//! Brands, their voice, business hours and accounts.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{AccountId, BrandId, Handle, PlatformKind, RemoteId};

/// A brand: one voice, one time zone, several accounts.
///
/// ```
/// use tertulia_core::{Brand, BrandId};
/// let brand = Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
/// assert_eq!(brand.time_zone, chrono_tz::Europe::Madrid);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    /// The brand's id.
    pub id: BrandId,
    /// The name people know it by.
    pub name: String,
    /// How it speaks.
    pub voice: Voice,
    /// Its IANA time zone: calendars and business hours are civil time in this zone.
    pub time_zone: Tz,
    /// When people answer on its behalf.
    pub business_hours: BusinessHours,
    /// The accounts it runs, one per presence on a platform.
    pub accounts: Vec<Account>,
}

impl Brand {
    /// A brand with a neutral voice, business hours of 9:00 to 18:00 on weekdays and no
    /// accounts yet.
    pub fn new(id: BrandId, name: impl Into<String>, time_zone: Tz) -> Self {
        Brand {
            id,
            name: name.into(),
            voice: Voice::default(),
            time_zone,
            business_hours: BusinessHours::weekdays(9, 18),
            accounts: Vec::new(),
        }
    }

    /// The account with this id, if the brand runs it.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.iter().find(|account| &account.id == id)
    }
}

/// How a brand speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// The tone, in a few words (`"warm, playful, never sarcastic"`).
    pub tone: String,
    /// Words and phrases the brand never uses; validation reports each occurrence.
    pub forbidden_words: Vec<String>,
    /// Hashtags added to posts by default, without `#`.
    pub default_hashtags: Vec<String>,
    /// A signature appended to replies (`"— Ana, Café Tertulia"`), if any.
    pub signature: Option<String>,
}

/// One presence of a brand on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The library user's id for this account.
    pub id: AccountId,
    /// The network.
    pub platform: PlatformKind,
    /// The handle, without a leading `@`.
    pub handle: Handle,
    /// The platform's own id for the account (a DID, a numeric id), once known.
    pub remote_id: Option<RemoteId>,
}

/// Opening hours in civil time of the brand's zone, per weekday.
///
/// Each day holds zero or more `[start, end)` ranges; responses are measured against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// The ranges, one entry per open period.
    pub periods: Vec<OpenPeriod>,
    /// Dates the brand is closed all day (holidays).
    pub closed_dates: BTreeSet<NaiveDate>,
}

/// One open period on one weekday, `[start, end)` in civil time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPeriod {
    /// The weekday.
    pub day: Weekday,
    /// When it opens.
    pub start: NaiveTime,
    /// When it closes (exclusive); must be after `start`.
    pub end: NaiveTime,
}

impl BusinessHours {
    /// Open Monday to Friday from `open_hour` to `close_hour`.
    ///
    /// ```
    /// use tertulia_core::BusinessHours;
    /// let hours = BusinessHours::weekdays(9, 18);
    /// assert_eq!(hours.periods.len(), 5);
    /// ```
    pub fn weekdays(open_hour: u32, close_hour: u32) -> Self {
        let start = NaiveTime::from_hms_opt(open_hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
        let end = NaiveTime::from_hms_opt(close_hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
        let periods = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .map(|day| OpenPeriod { day, start, end })
            .collect();
        BusinessHours { periods, closed_dates: BTreeSet::new() }
    }

    /// Open every hour of every day.
    pub fn always() -> Self {
        let periods =
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                .into_iter()
                .map(|day| OpenPeriod { day, start: NaiveTime::MIN, end: NaiveTime::MIN })
                .collect();
        BusinessHours { periods, closed_dates: BTreeSet::new() }
    }

    /// Whether `instant` falls inside business hours in `zone`.
    pub fn is_open(&self, zone: Tz, instant: DateTime<Utc>) -> bool {
        let local = instant.with_timezone(&zone);
        let date = local.date_naive();
        if self.closed_dates.contains(&date) {
            return false;
        }
        let time = local.time();
        self.periods.iter().filter(|period| period.day == date.weekday()).any(|period| period.contains(time))
    }

    /// Business time between two instants, counted in `zone`: only the parts of
    /// `[from, to)` that fall inside open periods.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use tertulia_core::BusinessHours;
    /// let hours = BusinessHours::weekdays(9, 18);
    /// // Friday 17:00 to Monday 10:00 in UTC: one hour on Friday, one on Monday.
    /// let from = Utc.with_ymd_and_hms(2026, 11, 27, 17, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
    /// assert_eq!(hours.business_time(chrono_tz::UTC, from, to), chrono::Duration::hours(2));
    /// ```
    pub fn business_time(&self, zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> chrono::Duration {
        let mut total = chrono::Duration::zero();
        if to <= from {
            return total;
        }
        let first = from.with_timezone(&zone).date_naive();
        let last = to.with_timezone(&zone).date_naive();
        let mut day = first;
        while day <= last {
            if !self.closed_dates.contains(&day) {
                for period in self.periods.iter().filter(|p| p.day == day.weekday()) {
                    let (Some(open), Some(close)) =
                        (local_instant(zone, day, period.start), period_close(zone, day, period))
                    else {
                        continue;
                    };
                    let start = open.max(from);
                    let end = close.min(to);
                    if end > start {
                        total += end - start;
                    }
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }
}

impl OpenPeriod {
    /// Whether a civil time falls inside this period. An `end` equal to `start` means the
    /// whole day.
    fn contains(&self, time: NaiveTime) -> bool {
        if self.start == self.end {
            true
        } else if self.start < self.end {
            self.start <= time && time < self.end
        } else {
            // Open past midnight: counted until midnight of this weekday.
            self.start <= time
        }
    }
}

/// The instant of a civil time in `zone`; inside a daylight-saving gap, the first valid
/// instant after it; inside a fold, the earlier instant.
fn local_instant(zone: Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = day.and_time(time);
    match zone.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(early, _) => Some(early.with_timezone(&Utc)),
        chrono::LocalResult::None => {
            // A gap is at most a few hours: walk forward a minute at a time.
            (1..=24 * 60).find_map(|minutes| {
                zone.from_local_datetime(&(naive + chrono::Duration::minutes(minutes)))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            })
        }
    }
}

fn period_close(zone: Tz, day: NaiveDate, period: &OpenPeriod) -> Option<DateTime<Utc>> {
    if period.end <= period.start {
        local_instant(zone, day.succ_opt()?, NaiveTime::MIN)
    } else {
        local_instant(zone, day, period.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_time_skips_nights_weekends_and_holidays() {
        let mut hours = BusinessHours::weekdays(9, 18);
        let madrid = chrono_tz::Europe::Madrid;
        // Monday 2026-11-30 08:00 Madrid (07:00 UTC) to Tuesday 10:00 Madrid (09:00 UTC).
        let from = Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert_eq!(hours.business_time(madrid, from, to), chrono::Duration::hours(10));
        hours.closed_dates.insert(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(hours.business_time(madrid, from, to), chrono::Duration::hours(1));
        assert!(!hours.is_open(madrid, from));
    }

    #[test]
    fn always_open_counts_every_hour() {
        let hours = BusinessHours::always();
        let from = Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap();
        assert_eq!(hours.business_time(chrono_tz::UTC, from, to), chrono::Duration::hours(24));
        assert!(hours.is_open(chrono_tz::Asia::Kolkata, from));
    }
}
