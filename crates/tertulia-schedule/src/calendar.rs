//! Posting calendars: weekly slots in civil time of the brand's zone, and blackout dates.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::CivilCache;
use crate::civil::{midnight_seconds, resolve_seconds};

/// One weekly slot: a weekday and a civil time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WeeklySlot {
    /// The weekday.
    pub day: Weekday,
    /// The civil time in the calendar's zone.
    pub time: NaiveTime,
}

impl WeeklySlot {
    /// The slot at `hour:minute` on `day` (out-of-range figures are clamped).
    pub fn new(day: Weekday, hour: u32, minute: u32) -> Self {
        let time = NaiveTime::from_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or(NaiveTime::MIN);
        WeeklySlot { day, time }
    }
}

/// When an account posts: weekly slots in civil time of an IANA zone, minus blackout dates.
///
/// Slot instants follow daylight saving on purpose (see [`resolve_local`](crate::resolve_local)):
/// a slot inside a spring-forward gap goes out at the first instant after the gap, a slot
/// inside a fall-back fold goes out once, at the earlier instant, and two slots that land
/// on the same instant are one slot.
///
/// ```
/// use chrono::{TimeZone, Utc, Weekday};
/// use tertulia_schedule::{Calendar, WeeklySlot};
/// let calendar = Calendar::new(chrono_tz::Europe::Madrid)
///     .with_slots([WeeklySlot::new(Weekday::Mon, 9, 0), WeeklySlot::new(Weekday::Mon, 18, 30)]);
/// let from = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap(); // a Monday
/// let slots = calendar.slots_between(from, from + chrono::Duration::days(7));
/// // 09:00 and 18:30 in Madrid are 08:00 and 17:30 UTC in winter.
/// assert_eq!(slots, vec![
///     Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2026, 11, 30, 17, 30, 0).unwrap(),
/// ]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    /// The zone the slots are civil time in (the brand's).
    pub zone: Tz,
    /// The weekly slots, sorted by weekday and time.
    pub slots: Vec<WeeklySlot>,
    /// Dates (civil, in `zone`) with no posting at all.
    pub blackout: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar in `zone` with no slots yet.
    pub fn new(zone: Tz) -> Self {
        Calendar { zone, slots: Vec::new(), blackout: BTreeSet::new() }
    }

    /// Adds weekly slots.
    pub fn with_slots(mut self, slots: impl IntoIterator<Item = WeeklySlot>) -> Self {
        self.slots.extend(slots);
        self.slots.sort_by_key(|slot| (slot.day.num_days_from_monday(), slot.time));
        self.slots.dedup();
        self
    }

    /// The same civil times every day of the week.
    pub fn daily(zone: Tz, times: impl IntoIterator<Item = (u32, u32)> + Clone) -> Self {
        let days = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        Calendar::new(zone).with_slots(
            days.into_iter().flat_map(|day| times.clone().into_iter().map(move |(h, m)| WeeklySlot::new(day, h, m))),
        )
    }

    /// Adds blackout dates.
    pub fn with_blackout(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.blackout.extend(dates);
        self
    }

    /// Whether `instant` falls on a blackout date in the calendar's zone.
    pub fn is_blacked_out(&self, instant: DateTime<Utc>) -> bool {
        self.blackout.contains(&instant.with_timezone(&self.zone).date_naive())
    }

    /// The slot instants in `[from, to)`, in order.
    pub fn slots_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        self.slots_into(&mut CivilCache::new(), from, to, &mut out);
        out
    }

    /// Appends the slot instants in `[from, to)` to `out`, resolving civil times through
    /// `cache` (shared between calendars when planning many accounts).
    pub fn slots_into(
        &self,
        cache: &mut CivilCache,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: &mut Vec<DateTime<Utc>>,
    ) {
        let mut dated = Vec::new();
        self.dated_slots(cache, from, to, &mut dated);
        out.extend(dated.into_iter().filter_map(|(seconds, _)| DateTime::from_timestamp(seconds, 0)));
    }

    /// Fills `out` with the slot instants in `[from, to)`, as Unix seconds, and their civil
    /// dates, in order.
    pub(crate) fn dated_slots(
        &self,
        cache: &mut CivilCache,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: &mut Vec<(i64, NaiveDate)>,
    ) {
        out.clear();
        if self.slots.is_empty() || to <= from {
            return;
        }
        let (from_seconds, to_seconds) = (from.timestamp(), to.timestamp());
        // One civil day before and after: a slot's civil date may differ from its UTC date.
        let first = from.with_timezone(&self.zone).date_naive().pred_opt().unwrap_or(NaiveDate::MIN);
        let last = to.with_timezone(&self.zone).date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
        let days = cache.zone(self.zone);
        let mut day = first;
        let mut weekday = first.weekday();
        let mut midnight = midnight_seconds(first);
        while day <= last {
            if !self.blackout.contains(&day) {
                let mut steady = None;
                for slot in self.slots.iter().filter(|slot| slot.day == weekday) {
                    let offset = *steady.get_or_insert_with(|| days.steady(self.zone, day));
                    let instant = resolve_seconds(offset, midnight, self.zone, day, slot.time);
                    if instant >= from_seconds && instant < to_seconds {
                        out.push((instant, day));
                    }
                }
            }
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => break,
            }
            weekday = weekday.succ();
            midnight += 86_400;
        }
        // Sorted already except around a gap, where slots collapse onto one instant.
        out.sort_unstable_by_key(|(instant, _)| *instant);
        out.dedup_by_key(|(instant, _)| *instant);
    }
}
