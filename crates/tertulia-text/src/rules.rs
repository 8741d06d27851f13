//! Each network's rules as data: one [`TextRules`] per [`PlatformKind`], and the rules of a
//! Mastodon server built from the limits it publishes.
//!
//! | network | counts | limit | URL | other caps | media | source |
//! |---|---|---|---|---|---|---|
//! | Mastodon | graphemes | 500 | 23, scheme needed | `@user@host` counts as `@user` | 4; image 16 MiB, video 99 MiB; alt 1500 | instance defaults, `StatusLengthValidator` |
//! | Bluesky | graphemes | 300, and 3000 bytes | as written | — | 4 images of 2 MB, or 1 video | `app.bsky.feed.post`, `embed.images` lexicons |
//! | X | weighted (twitter-text v3) | 280 | 23 | — | 4; image 5 MB, video 512 MB | twitter-text `config/v3.json`, media docs |
//! | Instagram | chars | 2200 | as written | 30 hashtags, 20 mentions | 10 (carousel); image 8 MiB | Graph API error codes |
//! | Threads | chars | 500 | as written | — | 20 (carousel); image 8 MB, video 1 GB | Threads overview |
//! | LinkedIn | chars | 3000 | as written | — | 9 images (assumed) | corroborated only |
//! | Facebook | chars | 63206 | as written | — | 10 (assumed) | unverified figure |
//! | Reddit | chars | 40000 (text post body) | as written | — | 20 (assumed) | r2 validators |
//! | Telegram | UTF-16 | 4096 (1024 as a caption) | as written | — | 10 (media group) | Bot API |
//! | Discord | chars | 2000 | as written | — | 10 (assumed) | message resource |
//! | YouTube | chars | 10000 (assumed) | as written | — | 1 video | unverified |
//! | Pinterest | chars | 800 (description) | as written | — | 1 image or video | Pinterest v5 OpenAPI |
//! | TikTok | UTF-16 | 2200 | as written | — | 1 video (4 GiB) or photos of 20 MB | Content Posting API |
//!
//! Figures marked assumed or unverified are the common values; read a server's own where it
//! publishes them.

use serde::{Deserialize, Serialize};
use tertulia_core::{Counter, MediaKind, MediaRules, PlatformKind, TextRules};

const MIB: u64 = 1024 * 1024;
const MB: u64 = 1_000_000;

/// Telegram's limit for a caption (text sent with media), in UTF-16 units.
pub const TELEGRAM_CAPTION_LIMIT: u32 = 1024;
/// Reddit's limit for a post title, in characters.
pub const REDDIT_TITLE_LIMIT: u32 = 300;
/// Pinterest's limit for a Pin title, in characters.
pub const PINTEREST_TITLE_LIMIT: u32 = 100;

fn media(
    max_items: u32,
    kinds: &[MediaKind],
    image: Option<u64>,
    video: Option<u64>,
    alt: Option<u32>,
    mixed: bool,
) -> MediaRules {
    MediaRules {
        max_items,
        kinds: kinds.to_vec(),
        max_image_bytes: image,
        max_video_bytes: video,
        max_alt_text: alt,
        mixed_kinds: mixed,
    }
}

fn plain(counter: Counter, max_length: u32, media: MediaRules) -> TextRules {
    TextRules { counter, max_length, media, ..TextRules::default() }
}

use MediaKind::{Audio, Document, Gif, Image, Video};

/// The rules of a network, with the figures in the module table. An unknown network
/// ([`PlatformKind::Other`]) gets [`TextRules::default`].
///
/// ```
/// use tertulia_core::{Counter, PlatformKind};
/// use tertulia_text::rules_for;
/// let bluesky = rules_for(&PlatformKind::Bluesky);
/// assert_eq!((bluesky.counter, bluesky.max_length, bluesky.max_bytes), (Counter::Graphemes, 300, Some(3000)));
/// assert_eq!(rules_for(&PlatformKind::Instagram).max_hashtags, Some(30));
/// ```
pub fn rules_for(platform: &PlatformKind) -> TextRules {
    match platform {
        PlatformKind::Mastodon => mastodon_rules(&MastodonLimits::default()),
        PlatformKind::Bluesky => TextRules {
            max_bytes: Some(3000),
            ..plain(Counter::Graphemes, 300, media(4, &[Image, Gif, Video], Some(2 * MB), Some(300 * MB), None, false))
        },
        PlatformKind::X => TextRules {
            url_weight: Some(23),
            ..plain(
                Counter::XWeighted,
                280,
                media(4, &[Image, Gif, Video], Some(5 * MIB), Some(512 * MIB), Some(1000), false),
            )
        },
        PlatformKind::Instagram => TextRules {
            max_hashtags: Some(30),
            max_mentions: Some(20),
            ..plain(Counter::Chars, 2200, media(10, &[Image, Video], Some(8 * MIB), None, None, true))
        },
        PlatformKind::Threads => {
            plain(Counter::Chars, 500, media(20, &[Image, Video], Some(8 * MB), Some(1000 * MB), None, true))
        }
        PlatformKind::LinkedIn => {
            plain(Counter::Chars, 3000, media(9, &[Image, Gif, Video, Document], None, None, None, false))
        }
        PlatformKind::Facebook => {
            plain(Counter::Chars, 63_206, media(10, &[Image, Gif, Video], None, None, None, false))
        }
        PlatformKind::Reddit => plain(Counter::Chars, 40_000, media(20, &[Image, Gif, Video], None, None, None, false)),
        PlatformKind::Telegram => {
            plain(Counter::Utf16, 4096, media(10, &[Image, Gif, Video, Audio, Document], None, None, None, true))
        }
        PlatformKind::Discord => {
            plain(Counter::Chars, 2000, media(10, &[Image, Gif, Video, Audio, Document], None, None, None, true))
        }
        PlatformKind::YouTube => plain(Counter::Chars, 10_000, media(1, &[Video], None, None, None, false)),
        PlatformKind::Pinterest => plain(Counter::Chars, 800, media(1, &[Image, Video], None, None, Some(500), false)),
        PlatformKind::TikTok => {
            plain(Counter::Utf16, 2200, media(35, &[Video, Image], Some(20 * MB), Some(4 * 1024 * MIB), None, false))
        }
        PlatformKind::Other(_) => TextRules::default(),
    }
}

/// The limits a Mastodon server publishes in `GET /api/v2/instance` → `configuration`
/// (`statuses` and `media_attachments`), flattened. Missing values take Mastodon's defaults.
///
/// ```
/// use tertulia_text::{mastodon_rules, MastodonLimits};
/// let limits = MastodonLimits { max_characters: 5000, ..MastodonLimits::default() };
/// assert_eq!(mastodon_rules(&limits).max_length, 5000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MastodonLimits {
    /// `statuses.max_characters`.
    pub max_characters: u32,
    /// `statuses.characters_reserved_per_url`.
    pub characters_reserved_per_url: u32,
    /// `statuses.max_media_attachments`.
    pub max_media_attachments: u32,
    /// `media_attachments.image_size_limit`, bytes.
    pub image_size_limit: u64,
    /// `media_attachments.video_size_limit`, bytes.
    pub video_size_limit: u64,
    /// `media_attachments.description_limit`, characters of alt text.
    pub description_limit: u32,
}

impl Default for MastodonLimits {
    fn default() -> Self {
        MastodonLimits {
            max_characters: 500,
            characters_reserved_per_url: 23,
            max_media_attachments: 4,
            image_size_limit: 16_777_216,
            video_size_limit: 103_809_024,
            description_limit: 1500,
        }
    }
}

impl MastodonLimits {
    /// The limits out of the `configuration` object of `GET /api/v2/instance`, deserialised
    /// by the caller; absent values keep Mastodon's defaults.
    ///
    /// ```
    /// use tertulia_text::{InstanceConfiguration, MastodonLimits};
    /// let json = r#"{"statuses": {"max_characters": 1000, "characters_reserved_per_url": 23,
    ///     "max_media_attachments": 4}, "media_attachments": {"image_size_limit": 10485760}}"#;
    /// let configuration: InstanceConfiguration = serde_json::from_str(json).unwrap();
    /// let limits = MastodonLimits::from_configuration(&configuration);
    /// assert_eq!((limits.max_characters, limits.image_size_limit), (1000, 10_485_760));
    /// assert_eq!(limits.video_size_limit, MastodonLimits::default().video_size_limit);
    /// ```
    pub fn from_configuration(configuration: &InstanceConfiguration) -> MastodonLimits {
        let defaults = MastodonLimits::default();
        let statuses = &configuration.statuses;
        let media = &configuration.media_attachments;
        MastodonLimits {
            max_characters: statuses.max_characters.unwrap_or(defaults.max_characters),
            characters_reserved_per_url: statuses
                .characters_reserved_per_url
                .unwrap_or(defaults.characters_reserved_per_url),
            max_media_attachments: statuses.max_media_attachments.unwrap_or(defaults.max_media_attachments),
            image_size_limit: media.image_size_limit.unwrap_or(defaults.image_size_limit),
            video_size_limit: media.video_size_limit.unwrap_or(defaults.video_size_limit),
            description_limit: media.description_limit.unwrap_or(defaults.description_limit),
        }
    }
}

/// The `configuration` object of Mastodon's `GET /api/v2/instance`, the parts that bear on
/// posting. Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceConfiguration {
    /// `configuration.statuses`.
    pub statuses: StatusesConfiguration,
    /// `configuration.media_attachments`.
    pub media_attachments: MediaConfiguration,
}

/// `configuration.statuses` of a Mastodon instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusesConfiguration {
    /// Longest status, in characters.
    pub max_characters: Option<u32>,
    /// Most attachments per status.
    pub max_media_attachments: Option<u32>,
    /// What each URL counts as.
    pub characters_reserved_per_url: Option<u32>,
}

/// `configuration.media_attachments` of a Mastodon instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaConfiguration {
    /// Largest image, bytes.
    pub image_size_limit: Option<u64>,
    /// Largest video, bytes.
    pub video_size_limit: Option<u64>,
    /// Longest alt text, characters.
    pub description_limit: Option<u32>,
}

/// The rules of a Mastodon server with the given limits.
pub fn mastodon_rules(limits: &MastodonLimits) -> TextRules {
    TextRules {
        counter: Counter::Graphemes,
        max_length: limits.max_characters,
        max_bytes: None,
        url_weight: Some(limits.characters_reserved_per_url),
        urls_need_scheme: true,
        remote_mentions_count_as_local: true,
        max_hashtags: None,
        max_mentions: None,
        media: media(
            limits.max_media_attachments,
            &[Image, Gif, Video, Audio],
            Some(limits.image_size_limit),
            Some(limits.video_size_limit),
            Some(limits.description_limit),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_network_has_rules() {
        for kind in PlatformKind::KNOWN {
            let rules = rules_for(&kind);
            assert!(rules.max_length > 0, "{kind}");
            assert!(!rules.media.kinds.is_empty(), "{kind}");
        }
    }

    #[test]
    fn figures_match_the_networks() {
        let x = rules_for(&PlatformKind::X);
        assert_eq!((x.counter, x.max_length, x.url_weight), (Counter::XWeighted, 280, Some(23)));
        let mastodon = rules_for(&PlatformKind::Mastodon);
        assert!(mastodon.urls_need_scheme && mastodon.remote_mentions_count_as_local);
        assert_eq!(mastodon.media.max_image_bytes, Some(16_777_216));
        assert_eq!(rules_for(&PlatformKind::Telegram).counter, Counter::Utf16);
        assert_eq!(rules_for(&PlatformKind::TikTok).max_length, 2200);
        assert_eq!(rules_for(&PlatformKind::Instagram).max_mentions, Some(20));
    }
}
