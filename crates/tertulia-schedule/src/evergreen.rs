//! Evergreen recycling: posts that did well go out again, after a cool-down, a few times.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, PostId};

/// What is known of one evergreen post on one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvergreenRecord {
    /// The post.
    pub post: PostId,
    /// The account.
    pub account: AccountId,
    /// When it last went out.
    pub last_published: DateTime<Utc>,
    /// How many times it was repeated so far (0 after the original).
    pub repeats: u32,
    /// Its engagement (the rate, or whatever figure the caller ranks by).
    pub engagement: f64,
}

impl EvergreenRecord {
    /// When the cool-down ends.
    pub fn next_allowed(&self, recycler: &Recycler) -> DateTime<Utc> {
        chrono::Duration::from_std(recycler.cool_down)
            .ok()
            .and_then(|d| self.last_published.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// The recycling policy.
///
/// ```
/// use std::time::Duration;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{AccountId, PostId};
/// use tertulia_schedule::{EvergreenRecord, Recycler};
/// let recycler = Recycler { cool_down: Duration::from_secs(30 * 86_400), max_repeats: 2, min_engagement: 0.02 };
/// let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
/// let record = |id: &str, days_ago: i64, repeats, engagement| EvergreenRecord {
///     post: PostId::new(id), account: AccountId::new("masto"),
///     last_published: now - chrono::Duration::days(days_ago), repeats, engagement,
/// };
/// let history = [record("guide", 40, 0, 0.05), record("recent", 5, 0, 0.09), record("tired", 90, 2, 0.08), record("dull", 90, 0, 0.01)];
/// let picked: Vec<_> = recycler.candidates(&history, now).iter().map(|r| r.post.as_str()).collect();
/// assert_eq!(picked, ["guide"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recycler {
    /// The least time between two appearances of the same post.
    pub cool_down: Duration,
    /// The most repeats of one post.
    pub max_repeats: u32,
    /// The least engagement a post needs to be repeated.
    pub min_engagement: f64,
}

impl Recycler {
    /// The posts that may go out again at `now`, best first.
    pub fn candidates<'a>(&self, history: &'a [EvergreenRecord], now: DateTime<Utc>) -> Vec<&'a EvergreenRecord> {
        let mut picked: Vec<&EvergreenRecord> = history
            .iter()
            .filter(|r| r.repeats < self.max_repeats)
            .filter(|r| r.engagement >= self.min_engagement)
            .filter(|r| r.next_allowed(self) <= now)
            .collect();
        picked.sort_by(|a, b| b.engagement.total_cmp(&a.engagement).then_with(|| a.post.cmp(&b.post)));
        picked
    }
}
