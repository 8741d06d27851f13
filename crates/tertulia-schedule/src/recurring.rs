//! Recurring posts: the same post at the same civil time, every few days or weeks, until an end.

use chrono::{Days, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use tertulia_core::PostId;

/// How often a recurring post repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// Every `n` days.
    Days(u32),
    /// Every `n` weeks, on the start date's weekday.
    Weeks(u32),
}

/// When a recurring post stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// The last date it may go out on (inclusive).
    Date(NaiveDate),
    /// After this many occurrences.
    Count(u32),
}

/// A post repeated at a civil time (resolved across daylight saving like every slot).
///
/// ```
/// use chrono::{NaiveDate, NaiveTime};
/// use tertulia_core::PostId;
/// use tertulia_schedule::{Every, Recurrence, Until};
/// let weekly = Recurrence {
///     post: PostId::new("menu-del-dia"),
///     start: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
///     time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
///     every: Every::Weeks(1),
///     until: Until::Count(3),
/// };
/// assert_eq!(weekly.dates().len(), 3);
/// assert_eq!(weekly.occurrence(2), PostId::new("menu-del-dia#2"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    /// The post repeated; occurrence `n` is the post `"{post}#{n}"`.
    pub post: PostId,
    /// The first date.
    pub start: NaiveDate,
    /// The civil time.
    pub time: NaiveTime,
    /// How often.
    pub every: Every,
    /// Until when.
    pub until: Until,
}

impl Recurrence {
    /// The most occurrences a series may have, whatever its end says.
    pub const MAX_OCCURRENCES: usize = 1_000;

    /// The dates of every occurrence.
    pub fn dates(&self) -> Vec<NaiveDate> {
        let step = match self.every {
            Every::Days(n) => u64::from(n.max(1)),
            Every::Weeks(n) => 7 * u64::from(n.max(1)),
        };
        let mut dates = Vec::new();
        let mut date = self.start;
        loop {
            let done = match self.until {
                Until::Date(last) => date > last,
                Until::Count(count) => dates.len() >= count as usize,
            };
            if done || dates.len() >= Self::MAX_OCCURRENCES {
                break;
            }
            dates.push(date);
            match date.checked_add_days(Days::new(step)) {
                Some(next) => date = next,
                None => break,
            }
        }
        dates
    }

    /// The id of occurrence `n` (from 1).
    pub fn occurrence(&self, n: u32) -> PostId {
        PostId::new(format!("{}#{n}", self.post))
    }
}
