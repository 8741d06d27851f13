//! Civil time in a brand's zone, resolved to instants on purpose across daylight saving.
//!
//! A civil date and time names zero, one or two instants:
//!
//! - **one** on most days;
//! - **none** inside a spring-forward gap (02:30 on the night clocks jump from 02:00 to
//!   03:00): it resolves to the first instant after the gap, the moment the clocks jump
//!   (03:00 new time), so a post never goes out an hour late or a day late;
//! - **two** inside a fall-back fold (01:30 happens twice): it resolves to the earlier one,
//!   once, so a slot is never used twice.
//!
//! The rule in one sentence: *the first instant whose civil time is at or after the one
//! asked for*.

use std::collections::HashMap;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// The instant of a civil date and time in `zone`: inside a gap the first instant after it,
/// inside a fold the earlier instant.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use tertulia_schedule::resolve_local;
/// let madrid = chrono_tz::Europe::Madrid;
/// // 2026-03-29 02:30 does not exist in Madrid: clocks jump from 02:00 CET to 03:00 CEST.
/// let gap = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(2, 30, 0).unwrap();
/// assert_eq!(resolve_local(madrid, gap), Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap());
/// // 2026-10-25 02:30 happens twice: the first time (CEST) is used.
/// let fold = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap().and_hms_opt(2, 30, 0).unwrap();
/// assert_eq!(resolve_local(madrid, fold), Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());
/// ```
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => first_instant_at_or_after(zone, local),
    }
}

/// The first instant whose civil time in `zone` is at or after `local`, for a `local` in a
/// gap: found by bisection between the two offsets around it.
fn first_instant_at_or_after(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let offset_at = |utc: NaiveDateTime| i64::from(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc());
    let around = [local - chrono::Duration::days(1), local + chrono::Duration::days(1)].map(offset_at);
    let (low_offset, high_offset) = (around[0].max(around[1]), around[0].min(around[1]));
    // Interpreted with the larger offset the instant is earliest; with the smaller, latest.
    let mut low = (local - chrono::Duration::seconds(low_offset)).and_utc().timestamp();
    let mut high = (local - chrono::Duration::seconds(high_offset)).and_utc().timestamp();
    let civil = |t: i64| {
        let utc = DateTime::from_timestamp(t, 0).unwrap_or_default().naive_utc();
        utc + chrono::Duration::seconds(offset_at(utc))
    };
    if civil(low) >= local {
        return DateTime::from_timestamp(low, 0).unwrap_or_default();
    }
    // Invariant: civil(low) < local <= civil(high).
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if civil(mid) >= local {
            high = mid;
        } else {
            low = mid;
        }
    }
    DateTime::from_timestamp(high, 0).unwrap_or_default()
}

/// Resolves civil times fast when planning many slots: for each zone and date it remembers
/// the UTC offset when the offset does not change that day, and falls back to
/// [`resolve_local`] on the few days it does.
#[derive(Debug, Default)]
pub struct CivilCache {
    zones: HashMap<Tz, ZoneDays>,
}

/// One zone's steady offsets, per day from a first day: `None` not computed yet,
/// `Some(None)` the offset changes that day.
#[derive(Debug, Default)]
pub(crate) struct ZoneDays {
    first: i32,
    days: Vec<Option<Option<i64>>>,
}

impl ZoneDays {
    /// The offset that holds all day on `date` in `zone` (which must be this table's zone),
    /// or `None` when it changes that day.
    pub(crate) fn steady(&mut self, zone: Tz, date: NaiveDate) -> Option<i64> {
        let day = date.num_days_from_ce();
        if self.days.is_empty() {
            self.first = day;
        }
        if day < self.first {
            let missing = usize::try_from(self.first - day).unwrap_or(0);
            self.days.splice(0..0, std::iter::repeat_n(None, missing));
            self.first = day;
        }
        let index = usize::try_from(day - self.first).unwrap_or(0);
        if index >= self.days.len() {
            self.days.resize(index + 1, None);
        }
        *self.days[index].get_or_insert_with(|| steady_offset(zone, date))
    }
}

impl CivilCache {
    /// An empty cache.
    pub fn new() -> Self {
        CivilCache::default()
    }

    /// The instant of `time` on `date` in `zone`, by the same rule as [`resolve_local`].
    pub fn resolve(&mut self, zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let steady = self.zone(zone).steady(zone, date);
        let seconds = resolve_seconds(steady, midnight_seconds(date), zone, date, time);
        DateTime::from_timestamp(seconds, 0).unwrap_or_else(|| resolve_local(zone, date.and_time(time)))
    }

    /// The table of one zone.
    pub(crate) fn zone(&mut self, zone: Tz) -> &mut ZoneDays {
        self.zones.entry(zone).or_default()
    }
}

/// Unix seconds of civil midnight starting `date`, read as if it were UTC.
pub(crate) fn midnight_seconds(date: NaiveDate) -> i64 {
    // 719,163 days separate 0001-01-01 (day 1 of the common era) from 1970-01-01.
    (i64::from(date.num_days_from_ce()) - 719_163) * 86_400
}

/// The instant of `time` on `date` in Unix seconds: plain arithmetic on a day whose offset
/// is `steady`, the exact rule otherwise. `midnight` is [`midnight_seconds`] of `date`.
pub(crate) fn resolve_seconds(steady: Option<i64>, midnight: i64, zone: Tz, date: NaiveDate, time: NaiveTime) -> i64 {
    match steady {
        Some(offset) => midnight + i64::from(time.num_seconds_from_midnight()) - offset,
        None => resolve_local(zone, date.and_time(time)).timestamp(),
    }
}

/// The offset that holds all day on `date` in `zone`, or `None` when it changes that day.
fn steady_offset(zone: Tz, date: NaiveDate) -> Option<i64> {
    let offset_at = |utc: NaiveDateTime| i64::from(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc());
    let start = date.and_time(NaiveTime::MIN);
    let end = date.checked_add_days(Days::new(1))?.and_time(NaiveTime::MIN);
    let offset = offset_at(start - chrono::Duration::seconds(offset_at(start)));
    // The offset must already hold at the day's first instant (a gap at midnight fails this)
    // and still hold at its end.
    let holds = |local: NaiveDateTime| offset_at(local - chrono::Duration::seconds(offset)) == offset;
    (holds(start) && holds(end)).then_some(offset)
}
