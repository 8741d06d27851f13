//! A network's rules for text and media, as plain data.
//!
//! The figures live in `tertulia-text` (one [`TextRules`] per [`PlatformKind`](crate::PlatformKind))
//! and in each adapter's [`Capabilities`](crate::Capabilities); a server that publishes its
//! own limits (a Mastodon instance) simply gets another value.

use serde::{Deserialize, Serialize};

/// The unit a network counts text length in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counter {
    /// Unicode scalar values (Rust `char`s).
    Chars,
    /// Extended grapheme clusters (what a person sees as one character).
    Graphemes,
    /// UTF-16 code units (JavaScript string length).
    Utf16,
    /// UTF-8 bytes.
    Utf8Bytes,
    /// twitter-text v3 weighted length: NFC first, code points weighted by range, emoji
    /// sequences weighted as one.
    XWeighted,
}

/// Which kinds of media a network accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A still image.
    Image,
    /// An animated GIF (some networks turn it into a video).
    Gif,
    /// A video.
    Video,
    /// An audio file.
    Audio,
    /// A document (PDF and the like).
    Document,
}

impl MediaKind {
    /// Guesses the kind from a MIME type (`image/gif` is a [`MediaKind::Gif`]).
    ///
    /// ```
    /// use tertulia_core::MediaKind;
    /// assert_eq!(MediaKind::from_mime("image/png"), Some(MediaKind::Image));
    /// assert_eq!(MediaKind::from_mime("video/mp4"), Some(MediaKind::Video));
    /// assert_eq!(MediaKind::from_mime("text/plain"), None);
    /// ```
    pub fn from_mime(mime: &str) -> Option<MediaKind> {
        let mime = mime.trim().to_ascii_lowercase();
        if mime == "image/gif" {
            Some(MediaKind::Gif)
        } else if mime.starts_with("image/") {
            Some(MediaKind::Image)
        } else if mime.starts_with("video/") {
            Some(MediaKind::Video)
        } else if mime.starts_with("audio/") {
            Some(MediaKind::Audio)
        } else if mime == "application/pdf" {
            Some(MediaKind::Document)
        } else {
            None
        }
    }
}

/// Media limits of one network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRules {
    /// How many attachments one post may carry (0: no media at all).
    pub max_items: u32,
    /// The kinds accepted.
    pub kinds: Vec<MediaKind>,
    /// Largest image in bytes, if the network publishes one.
    pub max_image_bytes: Option<u64>,
    /// Largest video in bytes, if the network publishes one.
    pub max_video_bytes: Option<u64>,
    /// Longest alt text, in the network's counter, if alt text is supported.
    pub max_alt_text: Option<u32>,
    /// Whether images and videos may be mixed in one post.
    pub mixed_kinds: bool,
}

impl Default for MediaRules {
    fn default() -> Self {
        MediaRules {
            max_items: 4,
            kinds: vec![MediaKind::Image, MediaKind::Gif, MediaKind::Video],
            max_image_bytes: None,
            max_video_bytes: None,
            max_alt_text: Some(1500),
            mixed_kinds: false,
        }
    }
}

/// A network's text and media rules: how length is counted and what is capped.
///
/// ```
/// use tertulia_core::{Counter, TextRules};
/// let rules = TextRules { counter: Counter::Graphemes, max_length: 500, url_weight: Some(23), ..TextRules::default() };
/// assert_eq!(rules.max_length, 500);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRules {
    /// The unit lengths are counted in.
    pub counter: Counter,
    /// The longest text, in `counter` units.
    pub max_length: u32,
    /// A second cap in UTF-8 bytes (Bluesky counts 300 graphemes and 3000 bytes).
    pub max_bytes: Option<u32>,
    /// Every URL counts as this many units, whatever its length (X and Mastodon: 23).
    pub url_weight: Option<u32>,
    /// Only URLs with a scheme are URLs for counting (Mastodon), not bare `example.com`.
    pub urls_need_scheme: bool,
    /// `@user@host` counts as `@user` (Mastodon).
    pub remote_mentions_count_as_local: bool,
    /// The most hashtags one post may carry.
    pub max_hashtags: Option<u32>,
    /// The most mentions one post may carry.
    pub max_mentions: Option<u32>,
    /// Media limits.
    pub media: MediaRules,
}

impl Default for TextRules {
    fn default() -> Self {
        TextRules {
            counter: Counter::Chars,
            max_length: 500,
            max_bytes: None,
            url_weight: None,
            urls_need_scheme: false,
            remote_mentions_count_as_local: false,
            max_hashtags: None,
            max_mentions: None,
            media: MediaRules::default(),
        }
    }
}
