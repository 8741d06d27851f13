//! Posting rules of one account: spacing, a daily cap and the platform's rolling quotas.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tertulia_core::{Capabilities, PlatformKind, Quota};

/// How often one account may post.
///
/// ```
/// use std::time::Duration;
/// use tertulia_core::PlatformKind;
/// use tertulia_schedule::PostingRules;
/// let rules = PostingRules::for_platform(&PlatformKind::Threads).min_spacing(Duration::from_secs(3600)).daily_cap(4);
/// assert_eq!(rules.quotas[0].max, 250);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PostingRules {
    /// The least time between two posts of the account placed by the queue.
    pub min_spacing: Duration,
    /// The most posts per civil day (in the calendar's zone).
    pub daily_cap: Option<u32>,
    /// Rolling-window caps: no window of `window` length holds more than `max` posts.
    pub quotas: Vec<Quota>,
}

impl PostingRules {
    /// The rules of a platform with no spacing and no daily cap: its known publishing
    /// quotas ([`known_publish_quotas`]).
    pub fn for_platform(platform: &PlatformKind) -> Self {
        PostingRules { quotas: known_publish_quotas(platform), ..PostingRules::default() }
    }

    /// The rules an adapter's capabilities give: its own quota when it reports one (a
    /// server's configuration wins), otherwise the platform's known ones.
    pub fn for_capabilities(capabilities: &Capabilities) -> Self {
        match capabilities.publish_quota {
            Some(quota) => PostingRules { quotas: vec![quota], ..PostingRules::default() },
            None => PostingRules::for_platform(&capabilities.platform),
        }
    }

    /// Sets the least time between two posts.
    pub fn min_spacing(mut self, spacing: Duration) -> Self {
        self.min_spacing = spacing;
        self
    }

    /// Sets the daily cap.
    pub fn daily_cap(mut self, cap: u32) -> Self {
        self.daily_cap = Some(cap);
        self
    }

    /// Adds a rolling-window cap.
    pub fn quota(mut self, quota: Quota) -> Self {
        self.quotas.push(quota);
        self
    }
}

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

fn quota(max: u32, seconds: u64) -> Quota {
    Quota { max, window: Duration::from_secs(seconds) }
}

/// The publishing caps each platform documents for one account, as rolling windows.
///
/// - Threads: 250 posts per 24 h (moving).
/// - Instagram: 50 API-published posts per 24 h (the guide says 100, the `media_publish`
///   reference 50: the lower is kept, since going over is refused).
/// - X: `POST /2/tweets`, 100 per 15 min per user.
/// - Bluesky: 5,000 write points per hour and 35,000 per day at 3 points a create, so
///   1,666 posts per hour and 11,666 per day.
/// - Mastodon: the server's `statuses` limiter, 300 per 3 h.
/// - Telegram: about 20 messages per minute to the same group.
/// - YouTube: 100 `videos.insert` per day (per project, so at most that per account).
///
/// Others publish no figure: no cap.
pub fn known_publish_quotas(platform: &PlatformKind) -> Vec<Quota> {
    match platform {
        PlatformKind::Threads => vec![quota(250, DAY)],
        PlatformKind::Instagram => vec![quota(50, DAY)],
        PlatformKind::X => vec![quota(100, 15 * 60)],
        PlatformKind::Bluesky => vec![quota(1_666, HOUR), quota(11_666, DAY)],
        PlatformKind::Mastodon => vec![quota(300, 3 * HOUR)],
        PlatformKind::Telegram => vec![quota(20, 60)],
        PlatformKind::YouTube => vec![quota(100, DAY)],
        _ => Vec::new(),
    }
}
