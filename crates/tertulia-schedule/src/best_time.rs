//! The best time to post: expected engagement by hour of week, per account, learnt from its
//! past posts and its audience's activity, shrunk toward a prior where data is thin.
//!
//! For each account and each of the 168 hours of the week (civil time of the account's
//! zone), the model keeps the posts' engagement sum and count. An hour's estimate is a
//! weighted mean of:
//!
//! - what the account's posts in that hour earned, plus half as much weight again for the
//!   hours on either side (engagement changes smoothly from one hour to the next);
//! - a prior worth `prior_strength` posts: the account's mean engagement (itself shrunk
//!   toward the mean of every account), scaled by how active the audience is in that hour
//!   relative to its average hour (square root, blended by `activity_weight`).
//!
//! With many posts in an hour the data speaks; with none, the prior does. The uncertainty
//! of an estimate is its standard error: the spread of the account's engagement (shrunk
//! toward every account's spread the same way) divided by the square root of the evidence
//! behind it (posts plus prior weight).

use std::collections::HashMap;

use chrono::{DateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, HourOfWeek, Interaction, PostMetrics};

use crate::WeeklySlot;

const HOURS: usize = HourOfWeek::LEN;

/// One past post: when it went out and what it earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The account.
    pub account: AccountId,
    /// When it went out.
    pub at: DateTime<Utc>,
    /// What it earned (an engagement rate, the one way `PostMetrics` computes it).
    pub engagement: f64,
}

impl Observation {
    /// The observation of a post with these metrics: its engagement rate (by impressions,
    /// else reach, else the followers given); `None` when no rate can be computed.
    pub fn from_metrics(
        account: AccountId,
        at: DateTime<Utc>,
        metrics: &PostMetrics,
        followers: Option<u64>,
    ) -> Option<Self> {
        metrics.engagement_rate(followers).map(|engagement| Observation { account, at, engagement })
    }
}

/// When an account's audience is active: its interactions counted by hour of week in `zone`.
pub fn audience_activity<'a>(interactions: impl IntoIterator<Item = &'a Interaction>, zone: Tz) -> HourOfWeek {
    let mut activity = HourOfWeek::default();
    for interaction in interactions {
        activity.record(zone, interaction.created_at);
    }
    activity
}

/// How the model weighs data against its prior.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BestTime {
    /// How many posts the prior is worth in each hour.
    pub prior_strength: f64,
    /// How much the audience's activity shapes the prior, from 0 (flat) to 1 (proportional).
    pub activity_weight: f64,
    /// The weight of each neighbouring hour's posts in an hour's estimate.
    pub neighbour_weight: f64,
}

impl Default for BestTime {
    fn default() -> Self {
        BestTime { prior_strength: 4.0, activity_weight: 0.5, neighbour_weight: 0.5 }
    }
}

#[derive(Debug, Clone)]
struct Sums {
    zone: Tz,
    sum: [f64; HOURS],
    count: [f64; HOURS],
    sum_squares: f64,
}

impl Sums {
    fn new(zone: Tz) -> Self {
        Sums { zone, sum: [0.0; HOURS], count: [0.0; HOURS], sum_squares: 0.0 }
    }
}

/// Hours of week of many instants, fast: the UTC offset is looked up once per zone and UTC
/// day, and exactly only on the days it changes.
#[derive(Debug, Default)]
struct HourIndex {
    days: HashMap<(Tz, i64), Option<i64>>,
}

impl HourIndex {
    fn index(&mut self, zone: Tz, at: DateTime<Utc>) -> usize {
        const DAY: i64 = 86_400;
        let seconds = at.timestamp();
        let day = seconds.div_euclid(DAY);
        let steady = *self.days.entry((zone, day)).or_insert_with(|| {
            let offset_at = |t: i64| {
                DateTime::from_timestamp(t, 0)
                    .map(|utc| i64::from(zone.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc()))
            };
            let (start, end) = (offset_at(day * DAY)?, offset_at(day * DAY + DAY - 1)?);
            (start == end).then_some(start)
        });
        match steady {
            Some(offset) => {
                let local = seconds + offset;
                // 1970-01-01 was a Thursday, day 3 of a week that starts on Monday.
                let weekday = (local.div_euclid(DAY) + 3).rem_euclid(7);
                let hour = local.rem_euclid(DAY) / 3600;
                (weekday * 24 + hour) as usize
            }
            None => HourOfWeek::index(zone, at),
        }
    }
}

/// One account's expected engagement by hour of week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountCurve {
    /// The expected engagement of each hour (index as [`HourOfWeek`]).
    pub expected: Vec<f64>,
    /// Its standard error.
    pub uncertainty: Vec<f64>,
    /// The evidence behind it, in posts (neighbours count at their weight; the prior is not
    /// included).
    pub evidence: Vec<f64>,
    /// The account's posts.
    pub posts: u64,
}

/// One recommended hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The hour of week (0 is Monday 00:00–01:00).
    pub hour_of_week: usize,
    /// Its expected engagement.
    pub expected: f64,
    /// The standard error of that figure.
    pub uncertainty: f64,
    /// The posts behind it.
    pub evidence: f64,
}

impl Recommendation {
    /// The weekday.
    pub fn weekday(&self) -> Weekday {
        const DAYS: [Weekday; 7] =
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        DAYS[(self.hour_of_week / 24) % 7]
    }

    /// The hour of the day.
    pub fn hour(&self) -> u32 {
        (self.hour_of_week % 24) as u32
    }

    /// The weekly slot at the start of the hour.
    pub fn slot(&self) -> WeeklySlot {
        WeeklySlot::new(self.weekday(), self.hour(), 0)
    }
}

/// A fitted model: a curve per account, and the prior for accounts without posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestTimeModel {
    curves: HashMap<AccountId, AccountCurve>,
    global_mean: f64,
    global_spread: f64,
}

impl BestTime {
    /// Fits the model. `zones` gives each account's zone (UTC when missing); `activity` its
    /// audience's activity, if known.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use chrono::{TimeZone, Utc};
    /// use tertulia_core::AccountId;
    /// use tertulia_schedule::{BestTime, Observation};
    /// let account = AccountId::new("masto");
    /// // Posts at 19:00 UTC earn twice as much as posts at 09:00.
    /// let posts: Vec<_> = (0..20)
    ///     .flat_map(|week| {
    ///         let monday = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + chrono::Duration::weeks(week);
    ///         [(9, 0.02), (19, 0.04)].map(|(h, e)| Observation { account: account.clone(), at: monday + chrono::Duration::hours(h), engagement: e })
    ///     })
    ///     .collect();
    /// let model = BestTime::default().fit(&posts, &HashMap::new(), &HashMap::new());
    /// let best = model.recommend(&account, 1)[0];
    /// assert_eq!((best.hour_of_week, best.hour()), (19, 19));
    /// ```
    pub fn fit(
        &self,
        observations: &[Observation],
        zones: &HashMap<AccountId, Tz>,
        activity: &HashMap<AccountId, HourOfWeek>,
    ) -> BestTimeModel {
        let mut sums: HashMap<AccountId, Sums> = HashMap::new();
        let mut hours = HourIndex::default();
        let (mut total, mut total_squares, mut n) = (0.0, 0.0, 0.0);
        for observation in observations {
            if !observation.engagement.is_finite() {
                continue;
            }
            let account = match sums.get_mut(&observation.account) {
                Some(account) => account,
                None => {
                    let zone = zones.get(&observation.account).copied().unwrap_or(chrono_tz::UTC);
                    sums.entry(observation.account.clone()).or_insert_with(|| Sums::new(zone))
                }
            };
            let hour = hours.index(account.zone, observation.at);
            let y = observation.engagement;
            account.sum[hour] += y;
            account.count[hour] += 1.0;
            account.sum_squares += y * y;
            total += y;
            total_squares += y * y;
            n += 1.0;
        }
        let global_mean = if n > 0.0 { total / n } else { 0.0 };
        let global_spread =
            if n > 1.0 { ((total_squares - n * global_mean * global_mean) / (n - 1.0)).max(0.0).sqrt() } else { 0.0 };
        let curves = sums
            .into_iter()
            .map(|(account, sums)| {
                let curve = self.curve(&sums, activity.get(&account), global_mean, global_spread);
                (account, curve)
            })
            .collect();
        BestTimeModel { curves, global_mean, global_spread }
    }

    fn curve(&self, sums: &Sums, activity: Option<&HourOfWeek>, global_mean: f64, global_spread: f64) -> AccountCurve {
        let n: f64 = sums.count.iter().sum();
        let total: f64 = sums.sum.iter().sum();
        let k = self.prior_strength.max(0.0);
        let mean = (total + k * global_mean) / (n + k).max(f64::MIN_POSITIVE);
        // The spread, too, is shrunk toward every account's: three equal posts do not make
        // an account predictable.
        let own_variance = if n > 1.0 {
            let raw_mean = total / n;
            ((sums.sum_squares - n * raw_mean * raw_mean) / (n - 1.0)).max(0.0)
        } else {
            0.0
        };
        let degrees = (n - 1.0).max(0.0);
        let spread = ((degrees * own_variance + k * global_spread * global_spread)
            / (degrees + k).max(f64::MIN_POSITIVE))
        .sqrt();
        let shape = prior_shape(activity, self.activity_weight);
        let w = self.neighbour_weight.max(0.0);
        let mut expected = vec![0.0; HOURS];
        let mut uncertainty = vec![0.0; HOURS];
        let mut evidence = vec![0.0; HOURS];
        for h in 0..HOURS {
            let (before, after) = ((h + HOURS - 1) % HOURS, (h + 1) % HOURS);
            let sum = sums.sum[h] + w * (sums.sum[before] + sums.sum[after]);
            let count = sums.count[h] + w * (sums.count[before] + sums.count[after]);
            let prior = mean * shape[h];
            let weight = count + k;
            expected[h] = if weight > 0.0 { (sum + k * prior) / weight } else { prior };
            uncertainty[h] = if weight > 0.0 { spread / weight.sqrt() } else { spread };
            evidence[h] = count;
        }
        AccountCurve { expected, uncertainty, evidence, posts: n as u64 }
    }
}

/// The prior's multiplier per hour: 1 everywhere without activity, otherwise blended toward
/// the square root of the hour's activity relative to the average hour (twice the audience
/// does not mean twice the engagement per post: more posts compete for it too).
fn prior_shape(activity: Option<&HourOfWeek>, weight: f64) -> [f64; HOURS] {
    let mut shape = [1.0; HOURS];
    let Some(activity) = activity else { return shape };
    let average = activity.total() / HOURS as f64;
    if average <= 0.0 {
        return shape;
    }
    let weight = weight.clamp(0.0, 1.0);
    for (h, value) in shape.iter_mut().enumerate() {
        *value = (1.0 - weight) + weight * (activity.get(h).max(0.0) / average).sqrt();
    }
    shape
}

impl BestTimeModel {
    /// The account's curve, if it has posts.
    pub fn curve(&self, account: &AccountId) -> Option<&AccountCurve> {
        self.curves.get(account)
    }

    /// The `top` hours of the account with the highest expected engagement, best first.
    /// An account with no posts gets the flat prior (every hour alike, ties by hour).
    pub fn recommend(&self, account: &AccountId, top: usize) -> Vec<Recommendation> {
        let mut all: Vec<Recommendation> = match self.curves.get(account) {
            Some(curve) => (0..HOURS)
                .map(|h| Recommendation {
                    hour_of_week: h,
                    expected: curve.expected[h],
                    uncertainty: curve.uncertainty[h],
                    evidence: curve.evidence[h],
                })
                .collect(),
            None => (0..HOURS)
                .map(|h| Recommendation {
                    hour_of_week: h,
                    expected: self.global_mean,
                    uncertainty: self.global_spread,
                    evidence: 0.0,
                })
                .collect(),
        };
        all.sort_by(|a, b| b.expected.total_cmp(&a.expected).then(a.hour_of_week.cmp(&b.hour_of_week)));
        all.truncate(top);
        all
    }

    /// The accounts with posts.
    pub fn accounts(&self) -> impl Iterator<Item = &AccountId> {
        self.curves.keys()
    }
}
