//! X's weighted length (twitter-text's `parseTweet`), for any of its configurations.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::classes::is_invalid;
use crate::emoji::emoji_len;
use crate::extract::{UrlFlavor, UrlMatch, UrlScanner};

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
    /// Ranges with their own weights (borrowed for the built-in configurations, so that
    /// building one does not allocate).
    #[serde(default)]
    pub ranges: Cow<'static, [WeightRange]>,
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
            ranges: Cow::Borrowed(&[]),
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
            ranges: Cow::Borrowed(&LIGHT_RANGES),
        }
    }

    /// Version 3 (what X counts today): version 2 plus every emoji sequence weighs 2.
    pub fn v3() -> XConfig {
        XConfig { version: 3, emoji_parsing_enabled: true, ..XConfig::v2() }
    }

    /// The weight every ASCII character has, when they all have the same.
    fn ascii_weight(&self) -> Option<u32> {
        let first = self.weight('\0');
        let same = match self.ranges.iter().find(|r| r.start == 0) {
            Some(r) => r.end >= 127,
            None => self.ranges.iter().all(|r| r.start > 127),
        };
        same.then_some(first)
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

/// One bit per character of the Basic Multilingual Plane: set when the character has
/// combining class 0 and is "Yes" for the NFC quick check, so it can neither be reordered
/// nor compose with what comes before it. Built once, from the normalisation tables, without
/// touching the heap.
fn stable_bmp() -> &'static [u64; 1024] {
    static STABLE: OnceLock<[u64; 1024]> = OnceLock::new();
    STABLE.get_or_init(|| {
        let mut table = [0u64; 1024];
        for code in 0..0x10000u32 {
            if let Some(c) = char::from_u32(code)
                && unicode_normalization::char::canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
            {
                table[code as usize / 64] |= 1 << (code % 64);
            }
        }
        table
    })
}

/// Whether `text` is surely in NFC: the standard quick check, with the characters that can
/// never change (see [`stable_bmp`]) skipped at the cost of one bit test.
fn is_nfc_fast(text: &str) -> bool {
    let stable = stable_bmp();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_class = 0u8;
    // Lead bytes below 0xCC encode characters below U+0300 (combining class 0, stable).
    while let Some(offset) = bytes[i..].iter().position(|&b| b >= 0xCC) {
        if offset > 0 {
            last_class = 0;
        }
        i += offset;
        let Some(c) = text[i..].chars().next() else {
            return true;
        };
        let code = u32::from(c) as usize;
        let safe = if code < 0x10000 {
            stable[code / 64] & (1 << (code % 64)) != 0
        } else {
            (0x1F000..=0x1FAFF).contains(&code)
        };
        if safe {
            last_class = 0;
        } else {
            // The standard quick check, one character at a time.
            let class = unicode_normalization::char::canonical_combining_class(c);
            if class != 0 && last_class > class {
                return false;
            }
            if is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes {
                return false;
            }
            last_class = class;
        }
        i += c.len_utf8();
    }
    true
}

/// Whether `text` needs no normalisation (see [`is_nfc_fast`]).
pub(crate) fn is_nfc(text: &str) -> bool {
    is_nfc_fast(text)
}

/// The text in Normalization Form C, borrowed when it already is (the usual case).
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_fast(text) { Cow::Borrowed(text) } else { Cow::Owned(text.nfc().collect()) }
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
    let urls = UrlScanner::new(t, UrlFlavor::Twitter, true).filter(|_| weigh_urls);
    weigh(text, t, matches!(normalized, Cow::Borrowed(_)), config, urls)
}

/// Weighs `t` (the NFC form of `text`), given its URLs in order.
pub(crate) fn weigh(
    text: &str,
    t: &str,
    same: bool,
    config: &XConfig,
    urls: impl Iterator<Item = UrlMatch>,
) -> XLength {
    let scale = u64::from(config.scale.max(1));
    let max = u64::from(config.max_weighted_tweet_length) * scale;
    let url_weight = u64::from(config.transformed_url_length) * scale;
    let mut urls = urls.peekable();
    let ascii_weight = config.ascii_weight().map(u64::from);
    let mut weighted: u64 = 0;
    let mut valid = true;
    let mut valid_display: i64 = 0;
    let mut units: i64 = 0;
    let mut i = 0;
    while i < t.len() {
        while urls.peek().is_some_and(|u| u.start < i) {
            urls.next();
        }
        let bytes = t.as_bytes();
        let next_url = urls.peek().map_or(t.len(), |u| u.start);
        if let Some(w) = ascii_weight {
            // A run of ASCII characters before the next URL, less a last digit, `#` or `*`
            // that a keycap mark may follow: all weigh the same.
            let mut run = bytes[i..next_url].iter().position(|b| !b.is_ascii()).map_or(next_url, |p| i + p);
            if run < t.len() && run > i && !bytes[run].is_ascii() && matches!(bytes[run - 1], b'0'..=b'9' | b'#' | b'*')
            {
                run -= 1;
            }
            if run > i {
                let n = (run - i) as u64;
                if valid && w > 0 {
                    let room = max.saturating_sub(weighted) / w;
                    let fitting = room.min(n);
                    if fitting > 0 {
                        valid_display = units + fitting as i64 - 1;
                    }
                } else if valid && weighted <= max {
                    valid_display = units + n as i64 - 1;
                }
                weighted += n * w;
                units += n as i64;
                i = run;
                continue;
            }
        }
        if !bytes[i].is_ascii() && next_url > i {
            // A run of characters that start no emoji and no URL: weigh each by its range.
            let mut j = i;
            let mut fast = false;
            while j < next_url {
                let Some(c) = t[j..].chars().next().filter(|c| !c.is_ascii() && !crate::emoji::may_start(*c)) else {
                    break;
                };
                fast = true;
                weighted += u64::from(config.weight(c));
                if valid && is_invalid(c) {
                    valid = false;
                }
                let width = c.len_utf16() as i64;
                if valid && weighted <= max {
                    valid_display = units + width - 1;
                }
                units += width;
                j += c.len_utf8();
            }
            if fast {
                i = j;
                continue;
            }
        }
        let rest = &t[i..];
        let multi = match urls.peek() {
            Some(url) if url.start == i => Some((url.end - i, url_weight)),
            _ => config
                .emoji_parsing_enabled
                .then(|| emoji_len(rest))
                .flatten()
                .map(|len| (len, u64::from(config.default_weight))),
        };
        let (bytes, piece_units, last) = match multi {
            Some((bytes, weight)) => {
                let piece = &t[i..i + bytes];
                weighted += weight;
                let units: i64 = piece.chars().map(|c| c.len_utf16() as i64).sum();
                (bytes, units, piece.chars().next_back())
            }
            None => {
                // One character, weighed by its range.
                let c = rest.chars().next().unwrap_or('\0');
                weighted += u64::from(config.weight(c));
                (c.len_utf8(), c.len_utf16() as i64, Some(c))
            }
        };
        if valid {
            valid = !last.is_some_and(is_invalid);
        }
        if valid && weighted <= max {
            valid_display = units + piece_units - 1;
        }
        units += piece_units;
        i += bytes;
    }
    let original_units: i64 = if same { units } else { text.chars().map(|c| c.len_utf16() as i64).sum() };
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
    fn the_astral_block_skipped_by_the_quick_check_is_stable() {
        use unicode_normalization::UnicodeNormalization;
        let ranges = [0x1F000..=0x1FAFFu32];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            // Yes for the quick check and combining class 0: unchanged alone and after "a".
            let alone: String = c.to_string().nfc().collect();
            assert_eq!(alone, c.to_string(), "U+{:04X}", u32::from(c));
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "U+{:04X}", u32::from(c));
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", u32::from(c));
        }
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
