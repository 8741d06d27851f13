//! Posts: content written once, per-platform variants, a lifecycle, and where it went.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{AccountId, BrandId, CampaignId, MediaKind, PlatformKind, PostId, RemoteRef};

/// A post: content written once, with per-platform variants, moving through a lifecycle.
///
/// ```
/// use tertulia_core::{BrandId, Post, PostContent, PostId, PostStatus};
/// let mut post = Post::new(PostId::new("p1"), BrandId::new("cafe"), PostContent::text("Hola"));
/// post.transition(PostStatus::InReview)?;
/// post.transition(PostStatus::Approved)?;
/// assert!(post.transition(PostStatus::Published).is_err()); // it must be scheduled and sent first
/// # Ok::<(), tertulia_core::LifecycleError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// The post's id.
    pub id: PostId,
    /// The brand it speaks for.
    pub brand: BrandId,
    /// What it says, for every platform unless a variant overrides it.
    pub content: PostContent,
    /// Per-platform overrides.
    pub variants: BTreeMap<PlatformKind, Variant>,
    /// The accounts it goes to.
    pub targets: Vec<AccountId>,
    /// The campaign it belongs to.
    pub campaign: Option<CampaignId>,
    /// Free labels (`"launch"`, `"evergreen"`).
    pub labels: Vec<String>,
    /// Where it is in its life.
    pub status: PostStatus,
    /// When it should go out, if scheduled.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Where it went, once published (one entry per account).
    pub publications: Vec<Publication>,
}

impl Post {
    /// A draft with this content, no targets and no variants.
    pub fn new(id: PostId, brand: BrandId, content: PostContent) -> Self {
        Post {
            id,
            brand,
            content,
            variants: BTreeMap::new(),
            targets: Vec::new(),
            campaign: None,
            labels: Vec::new(),
            status: PostStatus::Draft,
            scheduled_at: None,
            publications: Vec::new(),
        }
    }

    /// The content as it goes out on `platform`: the variant's overrides applied to the
    /// shared content.
    ///
    /// ```
    /// use tertulia_core::{BrandId, Post, PostContent, PostId, PlatformKind, Variant};
    /// let mut post = Post::new(PostId::new("p1"), BrandId::new("cafe"), PostContent::text("Long text for Mastodon"));
    /// post.variants.insert(PlatformKind::X, Variant { text: Some("Short for X".into()), ..Variant::default() });
    /// assert_eq!(post.content_for(&PlatformKind::X).text, "Short for X");
    /// assert_eq!(post.content_for(&PlatformKind::Mastodon).text, "Long text for Mastodon");
    /// ```
    pub fn content_for(&self, platform: &PlatformKind) -> PostContent {
        let mut content = self.content.clone();
        if let Some(variant) = self.variants.get(platform) {
            variant.apply(&mut content);
        }
        content
    }

    /// Moves the post to `next`, or says why it may not.
    pub fn transition(&mut self, next: PostStatus) -> Result<(), LifecycleError> {
        self.status.check(next)?;
        self.status = next;
        Ok(())
    }
}

/// What a post says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostContent {
    /// The text of the first (or only) part.
    pub text: String,
    /// Media of the first part.
    pub media: Vec<MediaAttachment>,
    /// A link to attach as a card where the platform supports one.
    pub link: Option<Url>,
    /// Further parts of a thread, in order, after the first.
    pub thread: Vec<ThreadPart>,
    /// A comment the brand adds under its own post once published.
    pub first_comment: Option<String>,
    /// BCP-47 language of the text, if known.
    pub language: Option<String>,
    /// A content warning shown before the text (Mastodon's `spoiler_text`).
    pub content_warning: Option<String>,
}

impl PostContent {
    /// Content with only text.
    pub fn text(text: impl Into<String>) -> Self {
        PostContent { text: text.into(), ..PostContent::default() }
    }

    /// The texts of every part in order: the first part, then the thread.
    pub fn part_texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.thread.iter().map(|part| part.text.as_str()))
    }
}

/// One further part of a thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPart {
    /// Its text.
    pub text: String,
    /// Its media.
    pub media: Vec<MediaAttachment>,
}

/// A piece of media attached to a post, before it is uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaAttachment {
    /// Where the bytes are: a URL the library can fetch, or a local path.
    pub source: MediaSource,
    /// Its kind.
    pub kind: MediaKind,
    /// Its MIME type.
    pub mime: String,
    /// The description read by screen readers.
    pub alt_text: Option<String>,
    /// Size in bytes, if known (validation checks it against the network's limit).
    pub size: Option<u64>,
    /// Width and height in pixels, if known.
    pub dimensions: Option<(u32, u32)>,
}

/// Where media bytes live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaSource {
    /// A URL.
    Url(Url),
    /// A file path.
    Path(String),
}

/// Per-platform overrides of a post's content. `None` keeps the shared value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Replaces the text.
    pub text: Option<String>,
    /// Replaces the media.
    pub media: Option<Vec<MediaAttachment>>,
    /// Replaces the thread.
    pub thread: Option<Vec<ThreadPart>>,
    /// Replaces the first comment (`Some(None)` removes it).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub first_comment: Option<Option<String>>,
    /// Replaces the link.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub link: Option<Option<Url>>,
}

/// Keeps "removed" (`Some(None)`, written `null`) apart from "not overridden" (`None`, left
/// out) in the serialised form, so a variant that removes a value reads back the same.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer, T: Serialize>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

impl Variant {
    fn apply(&self, content: &mut PostContent) {
        if let Some(text) = &self.text {
            content.text.clone_from(text);
        }
        if let Some(media) = &self.media {
            content.media.clone_from(media);
        }
        if let Some(thread) = &self.thread {
            content.thread.clone_from(thread);
        }
        if let Some(first_comment) = &self.first_comment {
            content.first_comment.clone_from(first_comment);
        }
        if let Some(link) = &self.link {
            content.link.clone_from(link);
        }
    }
}

/// Where a post went on one account once published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// The account.
    pub account: AccountId,
    /// Each part of the thread as published, in order (one entry for a single post).
    pub parts: Vec<RemoteRef>,
    /// The first comment, if one was published.
    pub first_comment: Option<RemoteRef>,
    /// When the first part went out.
    pub published_at: DateTime<Utc>,
}

/// Where a post is in its life.
///
/// ```text
/// Draft → InReview → Approved → Scheduled → Publishing → Published
///   ↑        │          │           │           ├──────→ Failed  → Scheduled (requeue)
///   └────────┘ (changes requested)  │           └──────→ Unknown → Published | Failed (reconciled)
/// Draft, InReview, Approved, Scheduled, Failed → Cancelled
/// Scheduled → Approved (unscheduled)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Being written.
    Draft,
    /// Waiting for approval.
    InReview,
    /// Approved, not yet placed in the calendar.
    Approved,
    /// Placed in the calendar.
    Scheduled,
    /// Being sent to the platforms.
    Publishing,
    /// Out on every target.
    Published,
    /// A platform refused it; safe to try again.
    Failed,
    /// Sent, but nobody knows whether it went out: it must be looked up before any retry.
    Unknown,
    /// Will not go out.
    Cancelled,
}

impl PostStatus {
    /// Whether moving from `self` to `next` is allowed.
    ///
    /// ```
    /// use tertulia_core::PostStatus;
    /// assert!(PostStatus::Unknown.can_move_to(PostStatus::Published));
    /// assert!(!PostStatus::Unknown.can_move_to(PostStatus::Publishing)); // no blind retry
    /// ```
    pub fn can_move_to(self, next: PostStatus) -> bool {
        use PostStatus::*;
        matches!(
            (self, next),
            (Draft, InReview)
                | (InReview, Draft)
                | (InReview, Approved)
                | (Approved, Scheduled)
                | (Approved, Draft)
                | (Scheduled, Approved)
                | (Scheduled, Publishing)
                | (Publishing, Published)
                | (Publishing, Failed)
                | (Publishing, Unknown)
                | (Unknown, Published)
                | (Unknown, Failed)
                | (Failed, Scheduled)
                | (Draft | InReview | Approved | Scheduled | Failed, Cancelled)
        )
    }

    /// Checks a move, returning a [`LifecycleError`] when it is not allowed.
    pub fn check(self, next: PostStatus) -> Result<(), LifecycleError> {
        if self.can_move_to(next) { Ok(()) } else { Err(LifecycleError { from: self, to: next }) }
    }

    /// Whether nothing more will happen to the post.
    pub fn is_final(self) -> bool {
        matches!(self, PostStatus::Published | PostStatus::Cancelled)
    }
}

impl fmt::Display for PostStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            PostStatus::Draft => "draft",
            PostStatus::InReview => "in review",
            PostStatus::Approved => "approved",
            PostStatus::Scheduled => "scheduled",
            PostStatus::Publishing => "publishing",
            PostStatus::Published => "published",
            PostStatus::Failed => "failed",
            PostStatus::Unknown => "unknown",
            PostStatus::Cancelled => "cancelled",
        };
        f.write_str(name)
    }
}

/// A lifecycle move that is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a post cannot move from {from} to {to}")]
pub struct LifecycleError {
    /// Where the post was.
    pub from: PostStatus,
    /// Where it was asked to go.
    pub to: PostStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [PostStatus; 9] = [
        PostStatus::Draft,
        PostStatus::InReview,
        PostStatus::Approved,
        PostStatus::Scheduled,
        PostStatus::Publishing,
        PostStatus::Published,
        PostStatus::Failed,
        PostStatus::Unknown,
        PostStatus::Cancelled,
    ];

    #[test]
    fn final_states_have_no_way_out() {
        for from in ALL.into_iter().filter(|s| s.is_final()) {
            for to in ALL {
                assert!(!from.can_move_to(to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn an_unknown_outcome_is_never_retried_blindly() {
        assert!(!PostStatus::Unknown.can_move_to(PostStatus::Publishing));
        assert!(!PostStatus::Unknown.can_move_to(PostStatus::Scheduled));
        assert!(!PostStatus::Unknown.can_move_to(PostStatus::Cancelled));
    }

    #[test]
    fn the_happy_path_is_allowed_and_a_failed_move_changes_nothing() {
        let mut post = Post::new(PostId::new("p"), BrandId::new("b"), PostContent::text("x"));
        for next in [
            PostStatus::InReview,
            PostStatus::Approved,
            PostStatus::Scheduled,
            PostStatus::Publishing,
            PostStatus::Published,
        ] {
            post.transition(next).unwrap();
        }
        let err = post.transition(PostStatus::Draft).unwrap_err();
        assert_eq!(err, LifecycleError { from: PostStatus::Published, to: PostStatus::Draft });
        assert_eq!(post.status, PostStatus::Published);
        assert_eq!(err.to_string(), "a post cannot move from published to draft");
    }
}
