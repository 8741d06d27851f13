//! Which posts to list.

use chrono::{DateTime, Utc};
use tertulia_core::{BrandId, PostStatus};

/// Which posts to list, ordered by `scheduled_at` (unscheduled last), then id.
///
/// ```
/// use tertulia_core::{BrandId, PostStatus};
/// use tertulia_store::PostQuery;
/// let query = PostQuery { brand: Some(BrandId::new("cafe")), statuses: vec![PostStatus::Scheduled], ..PostQuery::default() };
/// assert!(query.from.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostQuery {
    /// Only this brand's.
    pub brand: Option<BrandId>,
    /// Only in these states (empty: all).
    pub statuses: Vec<PostStatus>,
    /// Only scheduled at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only scheduled before this instant.
    pub to: Option<DateTime<Utc>>,
    /// The most to return (none: all).
    pub limit: Option<u32>,
}
