//! Business time as a coordinate: how many business seconds separate any two instants, in
//! a lookup rather than a walk over the days.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use tertulia_core::{Brand, BusinessHours};

/// A brand's open periods between two dates, flattened into UTC intervals with the business
/// time accumulated before each, so that [`BusinessCalendar::position`] is a binary search.
///
/// Outside the dates it was built for it falls back to [`BusinessHours::business_time`], so
/// answers are always right, only slower.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use tertulia_core::{Brand, BrandId};
/// use tertulia_inbox::BusinessCalendar;
/// let brand = Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
/// let calendar = BusinessCalendar::new(&brand, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
/// // Friday 17:00 to Monday 10:00, Madrid: one hour on Friday, one on Monday.
/// let from = Utc.with_ymd_and_hms(2026, 11, 27, 16, 0, 0).unwrap();
/// let to = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
/// assert_eq!(calendar.between(from, to), chrono::Duration::hours(2));
/// ```
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    zone: Tz,
    hours: BusinessHours,
    /// `(open, close, business seconds before open)`, UTC seconds, sorted.
    intervals: Vec<(i64, i64, i64)>,
    /// First instant covered (local midnight of the first date), UTC seconds.
    start: i64,
    /// First instant not covered, UTC seconds.
    end: i64,
}

impl BusinessCalendar {
    /// The calendar of `brand` from the start of `from` to the end of `to`, in its zone.
    pub fn new(brand: &Brand, from: NaiveDate, to: NaiveDate) -> Self {
        Self::for_hours(brand.time_zone, brand.business_hours.clone(), from, to)
    }

    /// The calendar of some business hours in a zone.
    pub fn for_hours(zone: Tz, hours: BusinessHours, from: NaiveDate, to: NaiveDate) -> Self {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let start = local(zone, from, NaiveTime::MIN).map_or(0, |t| t.timestamp());
        let end = to.succ_opt().and_then(|next| local(zone, next, NaiveTime::MIN)).map_or(start, |t| t.timestamp());
        let mut intervals = Vec::new();
        let mut accumulated = 0i64;
        let mut day = from;
        while day <= to {
            if !hours.closed_dates.contains(&day) {
                let mut today: Vec<(i64, i64)> = hours
                    .periods
                    .iter()
                    .filter(|p| p.day == day.weekday())
                    .filter_map(|p| {
                        let open = local(zone, day, p.start)?;
                        let close = if p.end <= p.start {
                            local(zone, day.succ_opt()?, NaiveTime::MIN)?
                        } else {
                            local(zone, day, p.end)?
                        };
                        (close > open).then(|| (open.timestamp(), close.timestamp()))
                    })
                    .collect();
                today.sort_unstable();
                for (open, close) in today {
                    // Overlapping periods on one day count once.
                    let open = intervals.last().map_or(open, |last: &(i64, i64, i64)| open.max(last.1));
                    if close > open {
                        intervals.push((open, close, accumulated));
                        accumulated += close - open;
                    }
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        BusinessCalendar { zone, hours, intervals, start, end }
    }

    /// Business seconds from the calendar's first instant to `instant` (negative before it).
    pub fn position(&self, instant: DateTime<Utc>) -> i64 {
        let t = instant.timestamp();
        if t < self.start {
            let first = DateTime::from_timestamp(self.start, 0).unwrap_or(instant);
            return -self.hours.business_time(self.zone, instant, first).num_seconds();
        }
        if t >= self.end {
            let last = DateTime::from_timestamp(self.end, 0).unwrap_or(instant);
            let total = self.intervals.last().map_or(0, |(open, close, before)| before + (close - open));
            return total + self.hours.business_time(self.zone, last, instant).num_seconds();
        }
        let index = self.intervals.partition_point(|(open, _, _)| *open <= t);
        match index.checked_sub(1).map(|i| self.intervals[i]) {
            None => 0,
            Some((open, close, before)) => before + (t.min(close) - open),
        }
    }

    /// Business time between two instants (zero if `to` is not after `from`).
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        Duration::seconds((self.position(to) - self.position(from)).max(0))
    }
}

/// The instant of a civil time in `zone`; in a daylight-saving gap, the first valid minute
/// after it; in a fold, the earlier instant.
fn local(zone: Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = day.and_time(time);
    (0..=24 * 60).find_map(|minutes| {
        zone.from_local_datetime(&(naive + Duration::minutes(minutes))).earliest().map(|t| t.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;
    use tertulia_core::{BrandId, OpenPeriod};

    use super::*;

    #[test]
    fn agrees_with_business_time_inside_and_outside_its_range() {
        let mut brand = Brand::new(BrandId::new("b"), "B", chrono_tz::America::Mexico_City);
        brand.business_hours.closed_dates.insert(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
        brand.business_hours.periods.push(OpenPeriod {
            day: Weekday::Sat,
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        });
        let calendar = BusinessCalendar::new(
            &brand,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        );
        let base = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
        for (a, b) in [(3u32, 200u32), (300, 900), (17, 1100), (500, 501), (900, 300)] {
            let from = base + Duration::hours(i64::from(a)) + Duration::minutes(17);
            let to = base + Duration::hours(i64::from(b)) + Duration::minutes(43);
            let expected = brand.business_hours.business_time(brand.time_zone, from, to);
            assert_eq!(calendar.between(from, to), expected, "{from} → {to}");
        }
    }
}
