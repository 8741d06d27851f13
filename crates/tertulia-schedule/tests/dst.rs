//! Daylight saving on purpose: a slot in a spring-forward gap goes out at the first instant
//! after the gap; a slot in a fall-back fold goes out once, at the earlier instant. Checked
//! in northern and southern zones and in zones with half-hour offsets.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use tertulia_schedule::{Calendar, CivilCache, WeeklySlot, resolve_local};

fn civil(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// A date and time as (year, month, day, hour, minute).
type Ymdhm = (i32, u32, u32, u32, u32);

/// (zone, civil time in the gap, expected instant = the moment clocks jump).
const GAPS: &[(&str, Ymdhm, Ymdhm)] = &[
    // 02:00 EST -> 03:00 EDT.
    ("America/New_York", (2026, 3, 8, 2, 30), (2026, 3, 8, 7, 0)),
    // 02:00 CET -> 03:00 CEST.
    ("Europe/Madrid", (2026, 3, 29, 2, 30), (2026, 3, 29, 1, 0)),
    // Southern hemisphere: 02:00 AEST -> 03:00 AEDT in October.
    ("Australia/Sydney", (2026, 10, 4, 2, 30), (2026, 10, 3, 16, 0)),
    // Chile jumps at midnight: Saturday 24:00 -04 -> Sunday 01:00 -03; 00:30 does not exist.
    ("America/Santiago", (2026, 9, 6, 0, 30), (2026, 9, 6, 4, 0)),
    // Half-hour offsets: 02:00 ACST (+9:30) -> 03:00 ACDT (+10:30).
    ("Australia/Adelaide", (2026, 10, 4, 2, 30), (2026, 10, 3, 16, 30)),
    // 02:00 NST (-3:30) -> 03:00 NDT (-2:30).
    ("America/St_Johns", (2026, 3, 8, 2, 30), (2026, 3, 8, 5, 30)),
    // A half-hour jump: 02:00 (+10:30) -> 02:30 (+11).
    ("Australia/Lord_Howe", (2026, 10, 4, 2, 15), (2026, 10, 3, 15, 30)),
];

/// (zone, civil time in the fold, expected instant = its first occurrence).
const FOLDS: &[(&str, Ymdhm, Ymdhm)] = &[
    // 01:30 EDT comes before 01:30 EST.
    ("America/New_York", (2026, 11, 1, 1, 30), (2026, 11, 1, 5, 30)),
    ("Europe/London", (2026, 10, 25, 1, 30), (2026, 10, 25, 0, 30)),
    // Southern hemisphere, in April: 02:30 AEDT (+11) first.
    ("Australia/Sydney", (2026, 4, 5, 2, 30), (2026, 4, 4, 15, 30)),
    // Chile falls back at midnight: Saturday 23:30 -03 first, then 23:30 -04.
    ("America/Santiago", (2026, 4, 4, 23, 30), (2026, 4, 5, 2, 30)),
    ("Australia/Adelaide", (2026, 4, 5, 2, 30), (2026, 4, 4, 16, 0)),
    ("America/St_Johns", (2026, 11, 1, 1, 30), (2026, 11, 1, 4, 0)),
    ("Australia/Lord_Howe", (2026, 4, 5, 1, 45), (2026, 4, 4, 14, 45)),
];

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

#[test]
fn a_civil_time_in_a_spring_forward_gap_resolves_to_the_first_instant_after_it() {
    for &(name, (y, m, d, h, min), (ey, em, ed, eh, emin)) in GAPS {
        let tz = zone(name);
        let local = civil(y, m, d, h, min);
        assert!(tz.from_local_datetime(&local).single().is_none(), "{name} {local} is not in a gap");
        let got = resolve_local(tz, local);
        assert_eq!(got, utc(ey, em, ed, eh, emin), "{name} {local}");
        // It is the first instant whose civil time is not before the one asked for.
        let just_before = (got - chrono::Duration::seconds(1)).with_timezone(&tz).naive_local();
        assert!(just_before < local, "{name}: {just_before} is already past {local}");
        assert!(got.with_timezone(&tz).naive_local() > local);
    }
}

#[test]
fn a_civil_time_in_a_fall_back_fold_resolves_once_to_the_earlier_instant() {
    for &(name, (y, m, d, h, min), (ey, em, ed, eh, emin)) in FOLDS {
        let tz = zone(name);
        let local = civil(y, m, d, h, min);
        let chrono::LocalResult::Ambiguous(earlier, later) = tz.from_local_datetime(&local) else {
            panic!("{name} {local} is not in a fold");
        };
        let got = resolve_local(tz, local);
        assert_eq!(got, utc(ey, em, ed, eh, emin), "{name} {local}");
        assert_eq!(got, earlier.with_timezone(&Utc));
        assert!(got < later.with_timezone(&Utc));
    }
}

#[test]
fn the_fast_path_agrees_with_the_exact_rule_every_quarter_hour_around_every_transition() {
    let mut cache = CivilCache::new();
    for &(name, (y, m, d, ..), _) in GAPS.iter().chain(FOLDS) {
        let tz = zone(name);
        let centre = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for offset in -2i64..=2 {
            let date = centre + chrono::Duration::days(offset);
            for quarter in 0..96u32 {
                let time = NaiveTime::from_hms_opt(quarter / 4, (quarter % 4) * 15, 0).unwrap();
                assert_eq!(
                    cache.resolve(tz, date, time),
                    resolve_local(tz, date.and_time(time)),
                    "{name} {date} {time}"
                );
            }
        }
    }
}

#[test]
fn slots_inside_a_gap_collapse_to_one_instant_and_the_rest_keep_their_civil_time() {
    let ny = chrono_tz::America::New_York;
    let calendar = Calendar::daily(ny, [(2, 0), (2, 30), (9, 0)]);
    // Saturday 7 to Monday 9 March 2026, across the spring-forward night.
    let slots = calendar.slots_between(utc(2026, 3, 7, 5, 0), utc(2026, 3, 10, 4, 0));
    assert_eq!(
        slots,
        [
            utc(2026, 3, 7, 7, 0),  // Sat 02:00 EST
            utc(2026, 3, 7, 7, 30), // Sat 02:30 EST
            utc(2026, 3, 7, 14, 0), // Sat 09:00 EST
            utc(2026, 3, 8, 7, 0),  // Sun 02:00 and 02:30 do not exist: once, at 03:00 EDT
            utc(2026, 3, 8, 13, 0), // Sun 09:00 EDT
            utc(2026, 3, 9, 6, 0),  // Mon 02:00 EDT
            utc(2026, 3, 9, 6, 30),
            utc(2026, 3, 9, 13, 0),
        ]
    );
    for slot in &slots[4..] {
        let local = slot.with_timezone(&ny);
        assert!(local.format("%H:%M").to_string() != "03:00", "only the collapsed slot is at 03:00");
    }
}

#[test]
fn a_slot_inside_a_fold_is_used_once_in_the_southern_hemisphere_too() {
    let sydney = chrono_tz::Australia::Sydney;
    let calendar = Calendar::new(sydney).with_slots([WeeklySlot::new(Weekday::Sun, 2, 30)]);
    let slots = calendar.slots_between(utc(2026, 4, 1, 0, 0), utc(2026, 4, 15, 0, 0));
    // Sunday 5 April (fold: once, at 02:30 AEDT) and Sunday 12 April (02:30 AEST).
    assert_eq!(slots, [utc(2026, 4, 4, 15, 30), utc(2026, 4, 11, 16, 30)]);
}

#[test]
fn half_hour_zones_keep_their_civil_times_all_year() {
    for (name, hour, minute) in [("Asia/Kolkata", 9, 0), ("Australia/Adelaide", 9, 0), ("America/St_Johns", 9, 0)] {
        let tz = zone(name);
        let calendar = Calendar::daily(tz, [(hour, minute)]);
        let slots = calendar.slots_between(utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0));
        assert_eq!(slots.len(), 365, "{name}");
        for slot in slots {
            let local = slot.with_timezone(&tz);
            assert_eq!(local.format("%H:%M").to_string(), "09:00", "{name} {slot}");
        }
    }
    // And Kolkata's 09:00 is 03:30 UTC.
    let kolkata = Calendar::daily(chrono_tz::Asia::Kolkata, [(9, 0)]);
    assert_eq!(kolkata.slots_between(utc(2026, 6, 1, 0, 0), utc(2026, 6, 2, 0, 0)), [utc(2026, 6, 1, 3, 30)]);
}

#[test]
fn blackout_dates_are_civil_dates_of_the_calendar_zone() {
    let tz = chrono_tz::Pacific::Auckland;
    // The window is 30 Dec 13:00 to 3 Jan 13:00 in Auckland (UTC+13): 10:00 on 30 December
    // is before it, and 1 January is blacked out although it starts on 31 December in UTC.
    let calendar = Calendar::daily(tz, [(10, 0)]).with_blackout([NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()]);
    let slots = calendar.slots_between(utc(2026, 12, 30, 0, 0), utc(2027, 1, 3, 0, 0));
    let dates: Vec<_> = slots.iter().map(|s| s.with_timezone(&tz).date_naive().to_string()).collect();
    assert_eq!(dates, ["2026-12-31", "2027-01-02", "2027-01-03"]);
}
