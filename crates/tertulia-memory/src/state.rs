//! What the simulated network holds: the account's posts, media, the interactions addressed
//! to it, other people's public posts, and the counters that make ids deterministic.
//!
//! All of it is plain serde data, so it can be written to a snapshot file whole.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{
    ClientMarker, IdempotencyKey, Interaction, InteractionKind, MediaId, PostMetrics, RemoteId, RemoteRef,
    UploadedMedia, Visibility,
};
use url::Url;

/// One of the account's own posts (a post, a thread part or a reply), as the network stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPost {
    /// Where it lives.
    pub reference: RemoteRef,
    /// Its text.
    pub text: String,
    /// When it was created (for a natively scheduled post: when it goes out).
    pub created_at: DateTime<Utc>,
    /// The post or interaction it answers.
    pub in_reply_to: Option<RemoteId>,
    /// Its media, with alt text.
    pub media: Vec<UploadedMedia>,
    /// Its link card.
    pub link: Option<Url>,
    /// Its language.
    pub language: Option<String>,
    /// Its content warning.
    pub content_warning: Option<String>,
    /// Who can see it.
    pub visibility: Visibility,
    /// The key the caller sent.
    pub idempotency_key: IdempotencyKey,
    /// The marker the caller sent.
    pub marker: ClientMarker,
    /// Whether it was a reply to someone's interaction (rather than a post or thread part).
    pub is_reply: bool,
    /// Held by the network until `created_at` (native scheduling).
    pub scheduled: bool,
    /// Times it was shown (reported as impressions where the network reports them).
    pub views: u64,
}

impl StoredPost {
    /// Whether the post is out at `now` (a natively scheduled post is not, before its time).
    pub fn is_visible_at(&self, now: DateTime<Utc>) -> bool {
        !self.scheduled || self.created_at <= now
    }
}

/// Uploaded media waiting to be attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredMedia {
    pub(crate) media: UploadedMedia,
    pub(crate) size: u64,
}

/// An interaction with its place in the network's order of arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredInteraction {
    pub(crate) seq: u64,
    pub(crate) interaction: Interaction,
}

/// An idempotency key the network remembers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RememberedKey {
    pub(crate) post: RemoteId,
    pub(crate) at: DateTime<Utc>,
}

/// The whole state of one simulated network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct State {
    /// The last number handed out for an id or an arrival order.
    pub(crate) counter: u64,
    /// The account's posts, oldest first; deleted posts are removed.
    pub(crate) posts: Vec<StoredPost>,
    /// Uploaded media.
    pub(crate) media: BTreeMap<MediaId, StoredMedia>,
    /// Interactions addressed to the account.
    pub(crate) interactions: Vec<StoredInteraction>,
    /// Other people's public posts, found by search only.
    pub(crate) public_posts: Vec<StoredInteraction>,
    /// Idempotency keys seen, by key.
    pub(crate) keys: BTreeMap<IdempotencyKey, RememberedKey>,
    /// How many posts were created per marker, deleted ones included.
    pub(crate) publishes: BTreeMap<ClientMarker, u32>,
}

impl State {
    /// The next number of the counter.
    pub(crate) fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub(crate) fn post(&self, id: &RemoteId) -> Option<&StoredPost> {
        self.posts.iter().find(|post| &post.reference.id == id)
    }

    pub(crate) fn post_mut(&mut self, id: &RemoteId) -> Option<&mut StoredPost> {
        self.posts.iter_mut().find(|post| &post.reference.id == id)
    }

    pub(crate) fn interaction(&self, id: &RemoteId) -> Option<&Interaction> {
        self.interactions.iter().map(|stored| &stored.interaction).find(|interaction| &interaction.id == id)
    }

    /// Metrics of a post, counted from the interactions about it.
    pub(crate) fn metrics_of(&self, post: &StoredPost, impressions: bool, now: DateTime<Utc>) -> PostMetrics {
        let about = |kinds: &[InteractionKind]| {
            let count = self
                .interactions
                .iter()
                .map(|stored| &stored.interaction)
                .filter(|i| i.subject.as_ref() == Some(&post.reference.id) && kinds.contains(&i.kind))
                .count();
            Some(u64::try_from(count).unwrap_or(u64::MAX))
        };
        PostMetrics {
            impressions: impressions.then_some(post.views),
            likes: about(&[InteractionKind::Reaction]),
            reposts: about(&[InteractionKind::Repost]),
            replies: about(&[InteractionKind::Comment, InteractionKind::Reply]),
            quotes: about(&[InteractionKind::Quote]),
            as_of: Some(now),
            ..PostMetrics::default()
        }
    }
}
