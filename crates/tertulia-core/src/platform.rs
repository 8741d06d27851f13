//! The Platform contract: what every adapter implements, and the plain data it speaks.

use std::fmt::Debug;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    AccountMetrics, Author, ClientMarker, Cursor, Error, Handle, IdempotencyKey, Interaction, InteractionKind, MediaId,
    MediaKind, Operation, Page, PlatformKind, PostMetrics, RemoteId, Result, TextRules,
};

/// What an adapter can do, as plain data: a caller never has to try an operation to learn
/// that it does not exist.
///
/// Build one with `..Capabilities::none(platform)` and switch on what works:
///
/// ```
/// use tertulia_core::{Capabilities, Operation, PlatformKind};
/// let caps = Capabilities { publish: true, delete: true, ..Capabilities::none(PlatformKind::Telegram) };
/// assert!(caps.supports(Operation::Publish));
/// assert!(!caps.supports(Operation::Search));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The network.
    pub platform: PlatformKind,
    /// Its text and media rules (for this server, where servers differ).
    pub text: TextRules,
    /// Reading the connected account.
    pub account: bool,
    /// Publishing posts.
    pub publish: bool,
    /// Uploading media to attach.
    pub upload_media: bool,
    /// Publishing a thread (a post replying to the previous one).
    pub threads: bool,
    /// Adding a first comment under a published post.
    pub first_comment: bool,
    /// Native scheduling: the platform holds the post and publishes it at `schedule_at`.
    pub native_scheduling: bool,
    /// The shortest lead time native scheduling accepts (Mastodon: 5 minutes).
    pub min_schedule_lead: Option<Duration>,
    /// Deleting posts.
    pub delete: bool,
    /// Reading a post.
    pub get_post: bool,
    /// Replying to an interaction.
    pub reply: bool,
    /// The interaction kinds `list_interactions` returns (empty: the operation is unsupported).
    pub interactions: Vec<InteractionKind>,
    /// Per-post metrics.
    pub post_metrics: bool,
    /// Per-account metrics.
    pub account_metrics: bool,
    /// Searching public posts (listening).
    pub search: bool,
    /// Looking up a publish by its client marker, to reconcile an unknown outcome.
    pub find_by_marker: bool,
    /// Whether the platform itself honours idempotency keys (Mastodon's `Idempotency-Key`).
    pub idempotency_keys: bool,
    /// The platform's publishing quota per account, if it has one (Threads: 250 per 24 h).
    pub publish_quota: Option<Quota>,
}

impl Capabilities {
    /// Nothing supported: the base to switch capabilities on from.
    pub fn none(platform: PlatformKind) -> Self {
        Capabilities {
            platform,
            text: TextRules::default(),
            account: false,
            publish: false,
            upload_media: false,
            threads: false,
            first_comment: false,
            native_scheduling: false,
            min_schedule_lead: None,
            delete: false,
            get_post: false,
            reply: false,
            interactions: Vec::new(),
            post_metrics: false,
            account_metrics: false,
            search: false,
            find_by_marker: false,
            idempotency_keys: false,
            publish_quota: None,
        }
    }

    /// Whether an operation is supported.
    pub fn supports(&self, operation: Operation) -> bool {
        match operation {
            Operation::Connect | Operation::Authenticate => true,
            Operation::Account => self.account,
            Operation::Publish => self.publish,
            Operation::UploadMedia => self.upload_media,
            Operation::Delete => self.delete,
            Operation::GetPost => self.get_post,
            Operation::Reply => self.reply,
            Operation::ListInteractions => !self.interactions.is_empty(),
            Operation::PostMetrics => self.post_metrics,
            Operation::AccountMetrics => self.account_metrics,
            Operation::Search => self.search,
            Operation::FindByMarker => self.find_by_marker,
        }
    }

    /// Whether `list_interactions` returns this kind.
    pub fn lists(&self, kind: &InteractionKind) -> bool {
        self.interactions.contains(kind)
    }

    /// [`Error::unsupported`] for this platform when `operation` is not supported.
    pub fn require(&self, operation: Operation) -> Result<()> {
        if self.supports(operation) { Ok(()) } else { Err(Error::unsupported(self.platform.clone(), operation)) }
    }
}

/// A publishing quota: at most `max` posts per rolling `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Posts allowed per window.
    pub max: u32,
    /// The rolling window.
    pub window: Duration,
}

/// Where a published item lives on its platform.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RemoteRef {
    /// The platform's id (a status id, an AT-URI).
    pub id: RemoteId,
    /// A link a person can open.
    pub url: Option<Url>,
    /// The content version, where strong references need one (Bluesky's CID).
    pub revision: Option<String>,
}

impl RemoteRef {
    /// A reference with only an id.
    pub fn new(id: impl Into<RemoteId>) -> Self {
        RemoteRef { id: id.into(), url: None, revision: None }
    }
}

/// The connected account, as the platform describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// The platform's id for the account.
    pub id: RemoteId,
    /// Its handle, without `@`.
    pub handle: Handle,
    /// Its display name.
    pub display_name: Option<String>,
    /// Its profile page.
    pub url: Option<Url>,
    /// Followers, if the platform says.
    pub followers: Option<u64>,
}

/// Who can see a post.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone, in public timelines.
    #[default]
    Public,
    /// Everyone with the link, not in public timelines.
    Unlisted,
    /// Followers only.
    Followers,
    /// Only the people mentioned.
    Direct,
}

/// One post to publish: one operation, one options struct.
///
/// ```
/// use tertulia_core::{ClientMarker, IdempotencyKey, PublishRequest};
/// let request = PublishRequest::new("Abrimos a las 8 ☕", IdempotencyKey::new("k-1"), ClientMarker::new("post-42/mastodon/0"))
///     .language("es");
/// assert_eq!(request.language.as_deref(), Some("es"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRequest {
    /// The text.
    pub text: String,
    /// Media uploaded with [`Platform::upload_media`], in order.
    pub media: Vec<MediaId>,
    /// A link to show as a card, where the platform supports one.
    pub link: Option<Url>,
    /// The post this one continues (a thread's previous part).
    pub in_reply_to: Option<RemoteRef>,
    /// Publish natively at this instant, where [`Capabilities::native_scheduling`] says so.
    pub schedule_at: Option<DateTime<Utc>>,
    /// BCP-47 language of the text.
    pub language: Option<String>,
    /// A warning shown before the text (Mastodon's `spoiler_text`).
    pub content_warning: Option<String>,
    /// Who can see it.
    pub visibility: Visibility,
    /// Makes the publish happen at most once where the platform honours keys.
    pub idempotency_key: IdempotencyKey,
    /// Finds the post among the account's own when the outcome is unknown.
    pub marker: ClientMarker,
}

impl PublishRequest {
    /// A public text post.
    pub fn new(text: impl Into<String>, idempotency_key: IdempotencyKey, marker: ClientMarker) -> Self {
        PublishRequest {
            text: text.into(),
            media: Vec::new(),
            link: None,
            in_reply_to: None,
            schedule_at: None,
            language: None,
            content_warning: None,
            visibility: Visibility::Public,
            idempotency_key,
            marker,
        }
    }

    /// Attaches uploaded media.
    pub fn media(mut self, media: impl IntoIterator<Item = MediaId>) -> Self {
        self.media.extend(media);
        self
    }

    /// Sets the link card.
    pub fn link(mut self, link: Url) -> Self {
        self.link = Some(link);
        self
    }

    /// Continues a thread after `previous`.
    pub fn in_reply_to(mut self, previous: RemoteRef) -> Self {
        self.in_reply_to = Some(previous);
        self
    }

    /// Schedules natively.
    pub fn schedule_at(mut self, at: DateTime<Utc>) -> Self {
        self.schedule_at = Some(at);
        self
    }

    /// Sets the language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Sets a content warning.
    pub fn content_warning(mut self, warning: impl Into<String>) -> Self {
        self.content_warning = Some(warning.into());
        self
    }

    /// Sets the visibility.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.visibility = visibility;
        self
    }
}

/// A reply to someone's interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyRequest {
    /// The interaction answered (its [`Interaction::id`]).
    pub to: RemoteId,
    /// The text.
    pub text: String,
    /// Media uploaded with [`Platform::upload_media`].
    pub media: Vec<MediaId>,
    /// BCP-47 language of the text.
    pub language: Option<String>,
    /// Makes the reply happen at most once where the platform honours keys.
    pub idempotency_key: IdempotencyKey,
    /// Finds the reply when the outcome is unknown.
    pub marker: ClientMarker,
}

impl ReplyRequest {
    /// A text reply.
    pub fn new(to: RemoteId, text: impl Into<String>, idempotency_key: IdempotencyKey, marker: ClientMarker) -> Self {
        ReplyRequest { to, text: text.into(), media: Vec::new(), language: None, idempotency_key, marker }
    }

    /// Sets the language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
}

/// Media to upload.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaUpload {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The MIME type (`image/png`).
    pub mime: String,
    /// The description read by screen readers.
    pub alt_text: Option<String>,
    /// A file name, where the platform wants one.
    pub file_name: Option<String>,
    /// Width and height in pixels, if known (Bluesky keeps an aspect ratio).
    pub dimensions: Option<(u32, u32)>,
}

impl std::fmt::Debug for MediaUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaUpload")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("mime", &self.mime)
            .field("alt_text", &self.alt_text)
            .field("file_name", &self.file_name)
            .field("dimensions", &self.dimensions)
            .finish()
    }
}

impl MediaUpload {
    /// Media with these bytes and MIME type.
    pub fn new(bytes: impl Into<Vec<u8>>, mime: impl Into<String>) -> Self {
        MediaUpload { bytes: bytes.into(), mime: mime.into(), alt_text: None, file_name: None, dimensions: None }
    }

    /// Sets the alt text.
    pub fn alt_text(mut self, alt: impl Into<String>) -> Self {
        self.alt_text = Some(alt.into());
        self
    }

    /// Sets the dimensions.
    pub fn dimensions(mut self, width: u32, height: u32) -> Self {
        self.dimensions = Some((width, height));
        self
    }
}

/// Media the platform holds, ready to attach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedMedia {
    /// Its id, to put in [`PublishRequest::media`].
    pub id: MediaId,
    /// Its kind.
    pub kind: MediaKind,
    /// The alt text the platform stored.
    pub alt_text: Option<String>,
    /// Where it can be seen, if the platform says.
    pub url: Option<Url>,
}

/// A post as read back from the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemotePost {
    /// Where it lives.
    pub reference: RemoteRef,
    /// Its author.
    pub author: Author,
    /// Its text.
    pub text: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The post it replies to.
    pub in_reply_to: Option<RemoteId>,
    /// Its media, with alt text.
    pub media: Vec<UploadedMedia>,
    /// Its language.
    pub language: Option<String>,
    /// Its counters, when the platform returns them with the post.
    pub metrics: Option<PostMetrics>,
}

/// How a publish ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishStatus {
    /// It is out.
    Published {
        /// Where it lives.
        reference: RemoteRef,
        /// When the platform says it was created.
        published_at: DateTime<Utc>,
    },
    /// The platform holds it and publishes it at `at` (native scheduling).
    Scheduled {
        /// The platform's id for the scheduled item.
        id: RemoteId,
        /// When it goes out.
        at: DateTime<Utc>,
    },
    /// It did not go out; trying again is safe (when the error is temporary, later).
    Failed(Error),
    /// Nobody knows whether it went out: look it up with [`Platform::find_by_marker`] before
    /// any retry.
    Unknown(Error),
}

/// The outcome of a publish or a reply, carrying the key and marker the caller supplied.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishOutcome {
    /// The caller's idempotency key.
    pub idempotency_key: IdempotencyKey,
    /// The caller's marker.
    pub marker: ClientMarker,
    /// How it ended.
    pub status: PublishStatus,
}

impl PublishOutcome {
    /// The reference of the published post, if it is out.
    pub fn published(&self) -> Option<&RemoteRef> {
        match &self.status {
            PublishStatus::Published { reference, .. } => Some(reference),
            _ => None,
        }
    }

    /// The error, if it failed or is unknown.
    pub fn error(&self) -> Option<&Error> {
        match &self.status {
            PublishStatus::Failed(error) | PublishStatus::Unknown(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the outcome must be reconciled before anything is retried.
    pub fn is_unknown(&self) -> bool {
        matches!(self.status, PublishStatus::Unknown(_))
    }
}

/// What to list: interactions of some kinds, newest first.
///
/// ```
/// use tertulia_core::{InteractionKind, InteractionQuery};
/// let query = InteractionQuery::default().kinds([InteractionKind::Mention, InteractionKind::Reply]).limit(40);
/// assert_eq!(query.kinds.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InteractionQuery {
    /// The kinds wanted; empty means every kind the adapter lists.
    pub kinds: Vec<InteractionKind>,
    /// Where to continue, from a previous [`Page::next`].
    pub cursor: Option<Cursor>,
    /// Items per page; the adapter clamps it to the platform's range.
    pub limit: Option<u32>,
}

impl InteractionQuery {
    /// Restricts the kinds.
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = InteractionKind>) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }

    /// Continues from a cursor.
    pub fn cursor(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Whether `kind` is wanted.
    pub fn wants(&self, kind: &InteractionKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(kind)
    }
}

/// A listening search over public posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// The words, hashtag or handle searched.
    pub query: String,
    /// Only posts in this language, where the platform filters by language.
    pub language: Option<String>,
    /// Where to continue.
    pub cursor: Option<Cursor>,
    /// Items per page.
    pub limit: Option<u32>,
}

impl SearchQuery {
    /// A search for these words.
    pub fn new(query: impl Into<String>) -> Self {
        SearchQuery { query: query.into(), ..SearchQuery::default() }
    }

    /// Continues from a cursor.
    pub fn cursor(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// What is known of a publish whose outcome is unknown, to find it among the account's posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishLookup {
    /// The marker sent with it.
    pub marker: ClientMarker,
    /// The key sent with it.
    pub idempotency_key: IdempotencyKey,
    /// The text sent.
    pub text: String,
    /// The post it replied to, if any.
    pub in_reply_to: Option<RemoteId>,
    /// When it was sent: only posts created after this can match.
    pub sent_at: DateTime<Utc>,
}

impl PublishLookup {
    /// The lookup for a publish request sent at `sent_at`.
    pub fn for_request(request: &PublishRequest, sent_at: DateTime<Utc>) -> Self {
        PublishLookup {
            marker: request.marker.clone(),
            idempotency_key: request.idempotency_key.clone(),
            text: request.text.clone(),
            in_reply_to: request.in_reply_to.as_ref().map(|r| r.id.clone()),
            sent_at,
        }
    }

    /// The lookup for a reply sent at `sent_at`.
    pub fn for_reply(request: &ReplyRequest, sent_at: DateTime<Utc>) -> Self {
        PublishLookup {
            marker: request.marker.clone(),
            idempotency_key: request.idempotency_key.clone(),
            text: request.text.clone(),
            in_reply_to: Some(request.to.clone()),
            sent_at,
        }
    }
}

/// The contract every platform adapter implements, used as `Arc<dyn Platform>`.
///
/// Every method exists on every adapter; what an adapter cannot do answers
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported), and says so up front in
/// [`capabilities`](Platform::capabilities). Callers use the conveniences of
/// [`PlatformExt`](crate::PlatformExt) on top.
#[async_trait]
pub trait Platform: Send + Sync + Debug {
    /// What this adapter can do, and the network's rules for this account.
    fn capabilities(&self) -> &Capabilities;

    /// The connected account.
    async fn account(&self) -> Result<AccountInfo>;

    /// Publishes one post (or schedules it natively when `schedule_at` is set and the
    /// platform can). Never returns an error: the outcome says published, scheduled, failed
    /// or unknown.
    async fn publish(&self, request: &PublishRequest) -> PublishOutcome;

    /// Uploads media to attach to a later publish.
    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia>;

    /// Deletes one of the account's posts.
    async fn delete(&self, id: &RemoteId) -> Result<()>;

    /// Reads a post.
    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost>;

    /// Replies to an interaction (a comment, a mention, a message).
    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome;

    /// Lists interactions addressed to the account, newest first; [`Page::next`] goes older.
    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>>;

    /// Reads a post's metrics.
    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics>;

    /// Reads the account's metrics.
    async fn account_metrics(&self) -> Result<AccountMetrics>;

    /// Searches public posts (listening); results are interactions of kind
    /// [`InteractionKind::Listening`].
    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>>;

    /// Looks for a post of the account that matches a publish whose outcome was unknown.
    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>>;
}
