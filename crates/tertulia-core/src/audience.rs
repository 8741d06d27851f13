//! Who a brand speaks to: audiences, segments and per-account audience statistics.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{AccountId, BrandId, SegmentId};

/// The people a brand speaks to, divided into segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audience {
    /// The brand.
    pub brand: BrandId,
    /// Its segments.
    pub segments: Vec<Segment>,
}

/// A part of an audience: who, where, interested in what.
///
/// ```
/// use tertulia_core::{Segment, SegmentId};
/// let segment = Segment {
///     id: SegmentId::new("baristas-es"),
///     name: "Baristas in Spain".into(),
///     languages: vec!["es".into()],
///     regions: vec!["ES".into()],
///     interests: vec!["coffee".into(), "latte art".into()],
/// };
/// assert!(segment.speaks("es"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The segment's id.
    pub id: SegmentId,
    /// A name a person reads.
    pub name: String,
    /// BCP-47 language tags (`es`, `en-GB`).
    pub languages: Vec<String>,
    /// ISO 3166 region codes (`ES`, `MX`).
    pub regions: Vec<String>,
    /// Topics the segment cares about.
    pub interests: Vec<String>,
}

impl Segment {
    /// Whether the segment speaks `language` (the primary subtag is compared: `es-MX`
    /// speaks `es`).
    pub fn speaks(&self, language: &str) -> bool {
        let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
        self.languages.iter().any(|l| primary(l) == primary(language))
    }
}

/// Audience statistics of one account over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudienceStats {
    /// The account.
    pub account: AccountId,
    /// When the figures were taken.
    pub as_of: DateTime<Utc>,
    /// Followers at `as_of`.
    pub followers: u64,
    /// Followers gained minus lost over the period.
    pub follower_growth: i64,
    /// When the audience is active.
    pub activity: HourOfWeek,
}

/// A count per hour of the week, in a given zone's civil time: index 0 is Monday 00:00–01:00,
/// 167 is Sunday 23:00–24:00.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::HourOfWeek;
/// let mut activity = HourOfWeek::default();
/// // Monday 2026-11-30 10:30 UTC is Monday 11:30 in Madrid.
/// activity.record(chrono_tz::Europe::Madrid, Utc.with_ymd_and_hms(2026, 11, 30, 10, 30, 0).unwrap());
/// assert_eq!(activity.get(11), 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<f64>", into = "Vec<f64>")]
pub struct HourOfWeek([f64; HourOfWeek::LEN]);

impl HourOfWeek {
    /// Hours in a week.
    pub const LEN: usize = 168;

    /// The index of an instant's hour of week in `zone`.
    pub fn index(zone: Tz, instant: DateTime<Utc>) -> usize {
        let local = instant.with_timezone(&zone);
        local.weekday().num_days_from_monday() as usize * 24 + local.hour() as usize
    }

    /// Adds one to the hour `instant` falls in.
    pub fn record(&mut self, zone: Tz, instant: DateTime<Utc>) {
        self.add(Self::index(zone, instant), 1.0);
    }

    /// Adds `amount` to hour `index` (ignored when out of range).
    pub fn add(&mut self, index: usize, amount: f64) {
        if let Some(slot) = self.0.get_mut(index) {
            *slot += amount;
        }
    }

    /// The value of hour `index` (0 when out of range).
    pub fn get(&self, index: usize) -> f64 {
        self.0.get(index).copied().unwrap_or(0.0)
    }

    /// All 168 values.
    pub fn values(&self) -> &[f64; HourOfWeek::LEN] {
        &self.0
    }

    /// The sum over the week.
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }
}

impl Default for HourOfWeek {
    fn default() -> Self {
        HourOfWeek([0.0; HourOfWeek::LEN])
    }
}

impl TryFrom<Vec<f64>> for HourOfWeek {
    type Error = String;

    fn try_from(values: Vec<f64>) -> Result<Self, Self::Error> {
        let len = values.len();
        let array: [f64; HourOfWeek::LEN] =
            values.try_into().map_err(|_| format!("an hour-of-week series has 168 values, not {len}"))?;
        Ok(HourOfWeek(array))
    }
}

impl From<HourOfWeek> for Vec<f64> {
    fn from(value: HourOfWeek) -> Self {
        value.0.to_vec()
    }
}
