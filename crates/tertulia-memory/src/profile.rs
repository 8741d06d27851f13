//! The simulated network: its kind, capabilities, account, rate limits and id style.

use std::time::Duration;

use tertulia_core::{
    AccountId, Capabilities, Counter, Handle, InteractionKind, MediaKind, MediaRules, Operation, PlatformKind,
    RemoteId, TextRules,
};

/// A budget of calls per fixed window for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed per window.
    pub max: u32,
    /// The window, counted from the first call in it.
    pub window: Duration,
}

impl RateLimit {
    /// `max` calls per `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimit { max, window }
    }
}

/// How the simulated network spells the ids it hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdStyle {
    /// Numeric strings counting up from a base (Mastodon, X).
    Numeric {
        /// The first id minus one.
        base: u64,
    },
    /// AT-URIs in the account's repository, with a content id as revision (Bluesky).
    AtUri {
        /// The account's DID.
        did: String,
    },
}

/// The account the simulated network connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProfile {
    /// The platform's id for it.
    pub id: RemoteId,
    /// The library user's id for it, stamped on every interaction addressed to it.
    pub library_id: Option<AccountId>,
    /// Its handle, without `@`.
    pub handle: Handle,
    /// Its display name.
    pub display_name: String,
    /// Followers before anyone follows during the simulation.
    pub followers: u64,
    /// Accounts it follows.
    pub following: u64,
}

/// Everything that makes one simulated network differ from another.
///
/// Start from a ready-made profile and change what a test needs:
///
/// ```
/// use std::time::Duration;
/// use tertulia_core::{Operation, PlatformKind};
/// use tertulia_memory::{NetworkProfile, RateLimit};
/// let profile = NetworkProfile::mastodon_like()
///     .max_length(1000)
///     .rate_limit(Operation::Publish, RateLimit::new(2, Duration::from_secs(60)));
/// assert_eq!(profile.capabilities.platform, PlatformKind::Mastodon);
/// assert_eq!(profile.capabilities.text.max_length, 1000);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkProfile {
    /// What the network can do and its text and media rules.
    pub capabilities: Capabilities,
    /// The connected account.
    pub account: AccountProfile,
    /// Where permalinks point: scheme and host, ending with `/`.
    pub base_url: String,
    /// How ids are spelled.
    pub id_style: IdStyle,
    /// Budgets per operation; an operation without one is never limited.
    pub rate_limits: Vec<(Operation, RateLimit)>,
    /// Items per page when a query does not say.
    pub default_page_size: u32,
    /// The largest page a query may ask for (larger asks are clamped).
    pub max_page_size: u32,
    /// How long an idempotency key is remembered (Mastodon: one hour).
    pub idempotency_window: Duration,
    /// Whether post metrics include impressions (X does; Mastodon and Bluesky do not).
    pub reports_impressions: bool,
}

const MINUTE: Duration = Duration::from_secs(60);

impl NetworkProfile {
    /// A Mastodon-like network: 500 graphemes with URLs counted as 23 and remote mentions
    /// as local ones, 4 attachments (16 MiB images, 99 MiB videos, 1500-character alt
    /// text), native scheduling at least 5 minutes ahead, idempotency keys kept one hour,
    /// notifications paged by 40 (at most 80), and the documented budgets: 300 statuses per
    /// 3 hours, 30 media uploads and 30 deletes per 30 minutes, 300 other calls per 5 minutes.
    pub fn mastodon_like() -> Self {
        let text = TextRules {
            counter: Counter::Graphemes,
            max_length: 500,
            max_bytes: None,
            url_weight: Some(23),
            urls_need_scheme: true,
            remote_mentions_count_as_local: true,
            max_hashtags: None,
            max_mentions: None,
            media: MediaRules {
                max_items: 4,
                kinds: vec![MediaKind::Image, MediaKind::Gif, MediaKind::Video, MediaKind::Audio],
                max_image_bytes: Some(16_777_216),
                max_video_bytes: Some(103_809_024),
                max_alt_text: Some(1500),
                mixed_kinds: false,
            },
        };
        let capabilities = Capabilities {
            text,
            account: true,
            publish: true,
            upload_media: true,
            threads: true,
            first_comment: true,
            native_scheduling: true,
            min_schedule_lead: Some(5 * MINUTE),
            delete: true,
            get_post: true,
            reply: true,
            interactions: vec![
                InteractionKind::Comment,
                InteractionKind::Reply,
                InteractionKind::Mention,
                InteractionKind::DirectMessage,
                InteractionKind::Quote,
                InteractionKind::Repost,
                InteractionKind::Reaction,
                InteractionKind::Follow,
            ],
            post_metrics: true,
            account_metrics: true,
            search: true,
            find_by_marker: true,
            idempotency_keys: true,
            publish_quota: None,
            ..Capabilities::none(PlatformKind::Mastodon)
        };
        let five_minutes = RateLimit::new(300, 5 * MINUTE);
        NetworkProfile {
            capabilities,
            account: AccountProfile {
                id: RemoteId::new("109000000000000001"),
                library_id: None,
                handle: Handle::new("cafetertulia"),
                display_name: "Café Tertulia".into(),
                followers: 1200,
                following: 180,
            },
            base_url: "https://social.example/".into(),
            id_style: IdStyle::Numeric { base: 113_000_000_000_000_000 },
            rate_limits: vec![
                (Operation::Publish, RateLimit::new(300, 180 * MINUTE)),
                (Operation::Reply, RateLimit::new(300, 180 * MINUTE)),
                (Operation::UploadMedia, RateLimit::new(30, 30 * MINUTE)),
                (Operation::Delete, RateLimit::new(30, 30 * MINUTE)),
                (Operation::Account, five_minutes),
                (Operation::GetPost, five_minutes),
                (Operation::ListInteractions, five_minutes),
                (Operation::PostMetrics, five_minutes),
                (Operation::AccountMetrics, five_minutes),
                (Operation::Search, five_minutes),
                (Operation::FindByMarker, five_minutes),
            ],
            default_page_size: 40,
            max_page_size: 80,
            idempotency_window: 60 * MINUTE,
            reports_impressions: false,
        }
    }

    /// A Bluesky-like network: 300 graphemes and 3000 UTF-8 bytes, 4 images of at most
    /// 2 MB, videos up to the server's 50 MiB blob limit, threads, no native scheduling, no
    /// idempotency keys, notifications paged by 50 (at most 100), and 1666 creates and 5000
    /// deletes per hour (5000 write points: a create costs 3, a delete 1).
    pub fn bluesky_like() -> Self {
        let text = TextRules {
            counter: Counter::Graphemes,
            max_length: 300,
            max_bytes: Some(3000),
            url_weight: None,
            urls_need_scheme: false,
            remote_mentions_count_as_local: false,
            max_hashtags: None,
            max_mentions: None,
            media: MediaRules {
                max_items: 4,
                kinds: vec![MediaKind::Image, MediaKind::Video],
                max_image_bytes: Some(2_000_000),
                max_video_bytes: Some(52_428_800),
                max_alt_text: None,
                mixed_kinds: false,
            },
        };
        let capabilities = Capabilities {
            text,
            account: true,
            publish: true,
            upload_media: true,
            threads: true,
            first_comment: true,
            delete: true,
            get_post: true,
            reply: true,
            interactions: vec![
                InteractionKind::Comment,
                InteractionKind::Reply,
                InteractionKind::Mention,
                InteractionKind::Quote,
                InteractionKind::Repost,
                InteractionKind::Reaction,
                InteractionKind::Follow,
            ],
            post_metrics: true,
            account_metrics: true,
            search: true,
            find_by_marker: true,
            ..Capabilities::none(PlatformKind::Bluesky)
        };
        let five_minutes = RateLimit::new(3000, 5 * MINUTE);
        NetworkProfile {
            capabilities,
            account: AccountProfile {
                id: RemoteId::new("did:plc:cafetertulia0000000000000"),
                library_id: None,
                handle: Handle::new("cafetertulia.bsky.social"),
                display_name: "Café Tertulia".into(),
                followers: 800,
                following: 95,
            },
            base_url: "https://bsky.app/".into(),
            id_style: IdStyle::AtUri { did: "did:plc:cafetertulia0000000000000".into() },
            rate_limits: vec![
                (Operation::Publish, RateLimit::new(1666, 60 * MINUTE)),
                (Operation::Reply, RateLimit::new(1666, 60 * MINUTE)),
                (Operation::Delete, RateLimit::new(5000, 60 * MINUTE)),
                (Operation::UploadMedia, five_minutes),
                (Operation::Account, five_minutes),
                (Operation::GetPost, five_minutes),
                (Operation::ListInteractions, five_minutes),
                (Operation::PostMetrics, five_minutes),
                (Operation::AccountMetrics, five_minutes),
                (Operation::Search, five_minutes),
                (Operation::FindByMarker, five_minutes),
            ],
            default_page_size: 50,
            max_page_size: 100,
            idempotency_window: 60 * MINUTE,
            reports_impressions: false,
        }
    }

    /// An X-like network: 280 weighted characters with URLs counted as 23, 4 attachments
    /// (5 MB images, 512 MB videos), threads, no native scheduling, no idempotency keys,
    /// impressions in post metrics, mentions paged by 10 (at most 100), and the per-user
    /// budgets per 15 minutes: 100 posts, 50 deletes, 500 uploads, 300 mention reads,
    /// 900 post reads.
    pub fn x_like() -> Self {
        let text = TextRules {
            counter: Counter::XWeighted,
            max_length: 280,
            max_bytes: None,
            url_weight: Some(23),
            urls_need_scheme: false,
            remote_mentions_count_as_local: false,
            max_hashtags: None,
            max_mentions: None,
            media: MediaRules {
                max_items: 4,
                kinds: vec![MediaKind::Image, MediaKind::Gif, MediaKind::Video],
                max_image_bytes: Some(5_000_000),
                max_video_bytes: Some(512_000_000),
                max_alt_text: None,
                mixed_kinds: false,
            },
        };
        let capabilities = Capabilities {
            text,
            account: true,
            publish: true,
            upload_media: true,
            threads: true,
            first_comment: true,
            delete: true,
            get_post: true,
            reply: true,
            interactions: vec![
                InteractionKind::Comment,
                InteractionKind::Reply,
                InteractionKind::Mention,
                InteractionKind::DirectMessage,
                InteractionKind::Quote,
            ],
            post_metrics: true,
            account_metrics: true,
            search: true,
            find_by_marker: true,
            ..Capabilities::none(PlatformKind::X)
        };
        let quarter = 15 * MINUTE;
        NetworkProfile {
            capabilities,
            account: AccountProfile {
                id: RemoteId::new("1500000000000000001"),
                library_id: None,
                handle: Handle::new("cafetertulia"),
                display_name: "Café Tertulia".into(),
                followers: 2400,
                following: 310,
            },
            base_url: "https://x.com/".into(),
            id_style: IdStyle::Numeric { base: 1_860_000_000_000_000_000 },
            rate_limits: vec![
                (Operation::Publish, RateLimit::new(100, quarter)),
                (Operation::Reply, RateLimit::new(100, quarter)),
                (Operation::Delete, RateLimit::new(50, quarter)),
                (Operation::UploadMedia, RateLimit::new(500, quarter)),
                (Operation::ListInteractions, RateLimit::new(300, quarter)),
                (Operation::GetPost, RateLimit::new(900, quarter)),
                (Operation::PostMetrics, RateLimit::new(900, quarter)),
                (Operation::Search, RateLimit::new(300, quarter)),
                (Operation::FindByMarker, RateLimit::new(900, quarter)),
            ],
            default_page_size: 10,
            max_page_size: 100,
            idempotency_window: 60 * MINUTE,
            reports_impressions: true,
        }
    }

    /// Replaces the capabilities (the rules travel with them).
    pub fn capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Sets the text limit, in the network's counter.
    pub fn max_length(mut self, max_length: u32) -> Self {
        self.capabilities.text.max_length = max_length;
        self
    }

    /// Replaces the text and media rules.
    pub fn text_rules(mut self, rules: TextRules) -> Self {
        self.capabilities.text = rules;
        self
    }

    /// Replaces the media rules.
    pub fn media_rules(mut self, rules: MediaRules) -> Self {
        self.capabilities.text.media = rules;
        self
    }

    /// Switches an operation on or off in the capabilities (for
    /// [`Operation::ListInteractions`], off empties the listed kinds).
    pub fn supports(mut self, operation: Operation, on: bool) -> Self {
        let caps = &mut self.capabilities;
        match operation {
            Operation::Account => caps.account = on,
            Operation::Publish => caps.publish = on,
            Operation::UploadMedia => caps.upload_media = on,
            Operation::Delete => caps.delete = on,
            Operation::GetPost => caps.get_post = on,
            Operation::Reply => caps.reply = on,
            Operation::ListInteractions if !on => caps.interactions.clear(),
            Operation::PostMetrics => caps.post_metrics = on,
            Operation::AccountMetrics => caps.account_metrics = on,
            Operation::Search => caps.search = on,
            Operation::FindByMarker => caps.find_by_marker = on,
            _ => {}
        }
        self
    }

    /// Sets the interaction kinds the network lists.
    pub fn interactions(mut self, kinds: impl IntoIterator<Item = InteractionKind>) -> Self {
        self.capabilities.interactions = kinds.into_iter().collect();
        self
    }

    /// Sets (or replaces) the budget of one operation.
    pub fn rate_limit(mut self, operation: Operation, limit: RateLimit) -> Self {
        self.rate_limits.retain(|(op, _)| *op != operation);
        self.rate_limits.push((operation, limit));
        self
    }

    /// Removes every budget.
    pub fn unlimited(mut self) -> Self {
        self.rate_limits.clear();
        self
    }

    /// Sets the connected account's handle.
    pub fn handle(mut self, handle: impl Into<Handle>) -> Self {
        self.account.handle = handle.into();
        self
    }

    /// Sets the library user's id for the account, stamped on its interactions.
    pub fn account_id(mut self, id: impl Into<AccountId>) -> Self {
        self.account.library_id = Some(id.into());
        self
    }

    /// Sets the connected account's display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.account.display_name = name.into();
        self
    }

    /// Sets the followers the account starts with.
    pub fn followers(mut self, followers: u64) -> Self {
        self.account.followers = followers;
        self
    }

    /// Sets the page sizes: the default and the largest allowed.
    pub fn page_size(mut self, default: u32, max: u32) -> Self {
        self.max_page_size = max.max(1);
        self.default_page_size = default.clamp(1, self.max_page_size);
        self
    }

    /// The budget of an operation, if it has one.
    pub fn limit_of(&self, operation: Operation) -> Option<RateLimit> {
        self.rate_limits.iter().find(|(op, _)| *op == operation).map(|(_, limit)| *limit)
    }
}
