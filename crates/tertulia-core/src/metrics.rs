//! Engagement figures, as platforms report them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a platform reports about one post. Every figure is optional: platforms report
/// different subsets (Mastodon and Bluesky have no impressions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostMetrics {
    /// Times shown.
    pub impressions: Option<u64>,
    /// Distinct accounts reached.
    pub reach: Option<u64>,
    /// Likes, favourites, reactions.
    pub likes: Option<u64>,
    /// Reposts, boosts, shares.
    pub reposts: Option<u64>,
    /// Replies and comments.
    pub replies: Option<u64>,
    /// Quotes.
    pub quotes: Option<u64>,
    /// Saves and bookmarks.
    pub saves: Option<u64>,
    /// Link clicks.
    pub clicks: Option<u64>,
    /// Video views.
    pub video_views: Option<u64>,
    /// When the figures were read.
    pub as_of: Option<DateTime<Utc>>,
}

impl PostMetrics {
    /// Engagements: likes + reposts + replies + quotes + saves + clicks (absent figures count
    /// as zero). Impressions, reach and views are exposure, not engagement.
    pub fn engagements(&self) -> u64 {
        [self.likes, self.reposts, self.replies, self.quotes, self.saves, self.clicks].into_iter().flatten().sum()
    }

    /// The engagement rate, computed one way everywhere: [`engagements`](Self::engagements)
    /// divided by impressions; where the platform reports no impressions, by reach; where it
    /// reports neither, by the account's followers when given; otherwise `None`. A zero
    /// denominator also gives `None`.
    ///
    /// ```
    /// use tertulia_core::PostMetrics;
    /// let m = PostMetrics { impressions: Some(1000), likes: Some(40), replies: Some(10), ..Default::default() };
    /// assert_eq!(m.engagement_rate(None), Some(0.05));
    /// let fediverse = PostMetrics { likes: Some(5), reposts: Some(5), ..Default::default() };
    /// assert_eq!(fediverse.engagement_rate(Some(200)), Some(0.05));
    /// assert_eq!(fediverse.engagement_rate(None), None);
    /// ```
    pub fn engagement_rate(&self, followers: Option<u64>) -> Option<f64> {
        let denominator = self.impressions.or(self.reach).or(followers).filter(|d| *d > 0)?;
        Some(self.engagements() as f64 / denominator as f64)
    }
}

/// What a platform reports about one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMetrics {
    /// Followers.
    pub followers: Option<u64>,
    /// Accounts followed.
    pub following: Option<u64>,
    /// Posts published.
    pub posts: Option<u64>,
    /// Impressions over the platform's reporting period.
    pub impressions: Option<u64>,
    /// Reach over the period.
    pub reach: Option<u64>,
    /// Profile views over the period.
    pub profile_views: Option<u64>,
    /// When the figures were read.
    pub as_of: Option<DateTime<Utc>>,
}
