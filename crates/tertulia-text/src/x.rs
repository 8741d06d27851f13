//! X's weighted length (twitter-text's `parseTweet`), for any of its configurations.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::classes::is_invalid;
use crate::emoji::emoji_len;
use crate::extract::{UrlFlavor, UrlScanner};

/// A code point range with its own weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightRange {
    /// First code point.
    pub start: u32,
    /// Last code point (inclusive).
    pub end: u32,
    /// Weight of each code point in the range.
    pub weight: u32,
}

/// A twitter-text configuration (the `config/v*.json` files), field names as in JSON.
///
/// ```
/// use tertulia_text::XConfig;
/// let v3 = XConfig::v3();
/// assert_eq!((v3.max_weighted_tweet_length, v3.scale, v3.default_weight), (280, 100, 200));
/// assert!(v3.emoji_parsing_enabled);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XConfig {
    /// Configuration version.
    pub version: u32,
    /// The limit, in weighted characters.
    pub max_weighted_tweet_length: u32,
    /// Weights are divided by this.
    pub scale: u32,
    /// Weight of a code point outside every range.
    pub default_weight: u32,
    /// Whether an emoji sequence weighs as one character.
    #[serde(default)]
    pub emoji_parsing_enabled: bool,
    /// What every URL counts as.
    #[serde(default = "default_url_length", rename = "transformedURLLength")]
    pub transformed_url_length: u32,
    /// Ranges with their own weights.
    #[serde(default)]
    pub ranges: Vec<WeightRange>,
}

fn default_url_length() -> u32 {
    23
}

const LIGHT_RANGES: [WeightRange; 4] = [
    WeightRange { start: 0, end: 4351, weight: 100 },
    WeightRange { start: 8192, end: 8205, weight: 100 },
    WeightRange { start: 8208, end: 8223, weight: 100 },
    WeightRange { start: 8242, end: 8247, weight: 100 },
];

impl XConfig {
    /// Version 1: 140 characters, every code point weighs 1.
    pub fn v1() -> XConfig {
        XConfig {
            version: 1,
            max_weighted_tweet_length: 140,
            scale: 1,
            default_weight: 1,
            emoji_parsing_enabled: false,
            transformed_url_length: 23,
            ranges: Vec::new(),
        }
    }

    /// Version 2: 280 weighted; Latin, Greek, Cyrillic, Hebrew, Arabic… weigh 1, the rest 2.
    pub fn v2() -> XConfig {
        XConfig {
            version: 2,
            max_weighted_tweet_length: 280,
            scale: 100,
            default_weight: 200,
            emoji_parsing_enabled: false,
            transformed_url_length: 23,
            ranges: LIGHT_RANGES.to_vec(),
        }
    }

    /// Version 3 (what X counts today): version 2 plus every emoji sequence weighs 2.
    pub fn v3() -> XConfig {
        XConfig { version: 3, emoji_parsing_enabled: true, ..XConfig::v2() }
    }

    fn weight(&self, c: char) -> u32 {
        // The reference weighs an astral character by its low surrogate.
        let code = u32::from(c);
        let code = if code > 0xFFFF { 0xDC00 | ((code - 0x10000) & 0x3FF) } else { code };
        self.ranges.iter().find(|r| r.start <= code && code <= r.end).map_or(self.default_weight, |r| r.weight)
    }
}

/// What X's counter says about a text. Offsets are UTF-16 code units of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct XLength {
    /// Weighted length (URLs count as the configured URL length).
    pub weighted_length: u32,
    /// Whether the text may be posted: not empty, within the limit, no invalid character.
    pub valid: bool,
    /// The weighted length per thousand of the limit.
    pub permillage: u32,
    /// Last UTF-16 index (inclusive) of the part that fits; follows the reference, which
    /// shifts it by the length change of normalisation.
    pub valid_range_end: i64,
    /// Last UTF-16 index (inclusive) of the text, or 0 for an empty text.
    pub display_range_end: usize,
}

/// The text in Normalization Form C, borrowed when it already is (the usual case).
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes { Cow::Borrowed(text) } else { Cow::Owned(text.nfc().collect()) }
}

/// Measures a text as X does: NFC first, each URL as `transformed_url_length`, each emoji
/// sequence as one default-weight character (when enabled), every other code point by its
/// range weight. Does not allocate unless the text needs normalising.
///
/// ```
/// use tertulia_text::{x_length, XConfig};
/// let v3 = XConfig::v3();
/// assert_eq!(x_length("Café Tertulia ☕ https://cafetertulia.es/menu", &v3).weighted_length, 40);
/// assert_eq!(x_length("👩‍👩‍👧‍👦", &v3).weighted_length, 2);
/// assert!(!x_length("", &v3).valid);
/// ```
pub fn x_length(text: &str, config: &XConfig) -> XLength {
    x_length_with(text, config, true)
}

/// [`x_length`], optionally counting URLs as plain text.
pub(crate) fn x_length_with(text: &str, config: &XConfig, weigh_urls: bool) -> XLength {
    let normalized = nfc(text);
    let t = normalized.as_ref();
    let scale = u64::from(config.scale.max(1));
    let max = u64::from(config.max_weighted_tweet_length) * scale;
    let url_weight = u64::from(config.transformed_url_length) * scale;
    let mut urls = UrlScanner::new(t, UrlFlavor::Twitter, true).filter(|_| weigh_urls).peekable();
    let mut weighted: u64 = 0;
    let mut valid = true;
    let mut valid_display: i64 = 0;
    let mut units: i64 = 0;
    let mut i = 0;
    while i < t.len() {
        while urls.peek().is_some_and(|u| u.start < i) {
            urls.next();
        }
        let rest = &t[i..];
        let (bytes, weight) = match urls.peek() {
            Some(url) if url.start == i => (url.end - i, url_weight),
            _ => match config.emoji_parsing_enabled.then(|| emoji_len(rest)).flatten() {
                Some(len) => (len, u64::from(config.default_weight)),
                None => {
                    let c = rest.chars().next().unwrap_or('\0');
                    (c.len_utf8(), u64::from(config.weight(c)))
                }
            },
        };
        let piece = &t[i..i + bytes];
        let piece_units: i64 = piece.chars().map(|c| c.len_utf16() as i64).sum();
        weighted += weight;
        if valid {
            valid = !piece.chars().next_back().is_some_and(is_invalid);
        }
        if valid && weighted <= max {
            valid_display = units + piece_units - 1;
        }
        units += piece_units;
        i += bytes;
    }
    let original_units: i64 =
        if matches!(normalized, Cow::Borrowed(_)) { units } else { text.chars().map(|c| c.len_utf16() as i64).sum() };
    let weighted_length = weighted / scale;
    let valid = valid && weighted > 0 && weighted <= max;
    let permillage = (weighted * 1000).checked_div(max).unwrap_or(0);
    XLength {
        weighted_length: u32::try_from(weighted_length).unwrap_or(u32::MAX),
        valid,
        permillage: u32::try_from(permillage).unwrap_or(u32::MAX),
        valid_range_end: valid_display + (original_units - units),
        display_range_end: usize::try_from(original_units - 1).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighs_like_the_reference() {
        let v3 = XConfig::v3();
        assert_eq!(x_length("Hi http://test.co", &v3).weighted_length, 26);
        assert_eq!(x_length("H🐱☺👨‍👩‍👧‍👦", &v3).weighted_length, 7);
        assert_eq!(x_length("H🐱☺👨‍👩‍👧‍👦", &XConfig::v2()).weighted_length, 16);
        assert_eq!(x_length("1⃣", &v3).weighted_length, 2);
        let long = "x".repeat(281);
        let measured = x_length(&long, &v3);
        assert!(!measured.valid);
        assert_eq!(measured.valid_range_end, 279);
        assert_eq!(measured.permillage, 1003);
    }

    #[test]
    fn normalises_before_counting() {
        let decomposed = "A\u{301}B";
        let measured = x_length(decomposed, &XConfig::v3());
        assert_eq!(measured.weighted_length, 2);
        assert_eq!(measured.display_range_end, 2);
    }

    #[test]
    fn reads_the_json_configuration() {
        let json = r#"{"version":3,"maxWeightedTweetLength":280,"scale":100,"defaultWeight":200,
            "emojiParsingEnabled":true,"transformedURLLength":23,
            "ranges":[{"start":0,"end":4351,"weight":100},{"start":8192,"end":8205,"weight":100},
            {"start":8208,"end":8223,"weight":100},{"start":8242,"end":8247,"weight":100}]}"#;
        let parsed: XConfig = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, XConfig::v3());
    }
}
