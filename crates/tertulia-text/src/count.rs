//! Length as each network counts it, from a [`TextRules`] value.

use tertulia_core::{Counter, TextRules};
use unicode_segmentation::UnicodeSegmentation;

use crate::extract::{FediverseScanner, UrlFlavor, UrlMatch, UrlScanner};
use crate::x::{XConfig, x_length_with};

/// The length of `text` in `rules.counter` units, as the network counts it: URLs weigh
/// `rules.url_weight` when set (only those with a scheme when `urls_need_scheme`), remote
/// mentions count as local ones when `remote_mentions_count_as_local`, and
/// [`Counter::XWeighted`] follows X's weighting ([`x_length`](crate::x_length)).
///
/// The counting path does not allocate (unless an X text is not in NFC).
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{length, rules_for};
/// let text = "Nuevo menú en https://cafetertulia.es/menu/otono-2026 ☕ @ana@cafe.social";
/// assert_eq!(length(text, &rules_for(&PlatformKind::Mastodon)), 44);
/// assert_eq!(length(text, &rules_for(&PlatformKind::Bluesky)), 72);
/// assert_eq!(length(text, &rules_for(&PlatformKind::X)), 57);
/// ```
pub fn length(text: &str, rules: &TextRules) -> u32 {
    if rules.counter == Counter::XWeighted {
        let config = x_config(rules);
        return x_length_with(text, &config, rules.url_weight.is_some()).weighted_length;
    }
    let mut total: usize = 0;
    let mut cursor = 0;
    let mut previous_was_entity = false;
    for piece in Pieces::new(text, rules) {
        let plain = &text[cursor..piece.start];
        total += measure(plain, rules.counter, previous_was_entity, true);
        let entity_len = match piece.kind {
            PieceKind::Url => rules.url_weight.unwrap_or(0) as usize,
            PieceKind::Mention { name_end } => piece_len(&text[piece.start..name_end], rules.counter),
        };
        total += entity_len;
        cursor = piece.end;
        previous_was_entity = true;
    }
    total += measure(&text[cursor..], rules.counter, previous_was_entity, false);
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// The length of a post with a content warning, as Mastodon counts it: the warning as
/// written, then the text with its URLs and mentions shortened.
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{length_with_spoiler, rules_for};
/// let rules = rules_for(&PlatformKind::Mastodon);
/// assert_eq!(length_with_spoiler("spoiler", "https://cafetertulia.es/una/ruta/larga", &rules), 30);
/// ```
pub fn length_with_spoiler(spoiler_text: &str, text: &str, rules: &TextRules) -> u32 {
    let warning = TextRules { url_weight: None, remote_mentions_count_as_local: false, ..rules.clone() };
    let mut total = length(spoiler_text, &warning) + length(text, rules);
    if rules.counter == Counter::Graphemes
        && let (Some(a), Some(b)) = (spoiler_text.chars().next_back(), text.chars().next())
        && joins(a, b)
    {
        total -= 1;
    }
    total
}

/// Whether `text` fits the network's limits (length and, where set, bytes).
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{fits, rules_for};
/// assert!(fits("¡Hola!", &rules_for(&PlatformKind::Bluesky)));
/// assert!(!fits(&"a".repeat(301), &rules_for(&PlatformKind::Bluesky)));
/// ```
pub fn fits(text: &str, rules: &TextRules) -> bool {
    length(text, rules) <= rules.max_length && rules.max_bytes.is_none_or(|max| text.len() <= max as usize)
}

/// The X configuration a rule value stands for (version 3 weights, its own limit and URL length).
pub(crate) fn x_config(rules: &TextRules) -> XConfig {
    XConfig {
        max_weighted_tweet_length: rules.max_length,
        transformed_url_length: rules.url_weight.unwrap_or(0),
        ..XConfig::v3()
    }
}

fn piece_len(text: &str, counter: Counter) -> usize {
    match counter {
        Counter::Chars => text.chars().count(),
        Counter::Graphemes => count_graphemes(text),
        Counter::Utf16 => text.chars().map(char::len_utf16).sum(),
        Counter::Utf8Bytes => text.len(),
        Counter::XWeighted => text.chars().count(),
    }
}

/// Grapheme clusters of `text`. Two ASCII characters side by side are always two clusters
/// (but for CR LF), so only the stretches around non-ASCII characters go through the
/// segmenter.
pub(crate) fn count_graphemes(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            match bytes.get(i + 1) {
                Some(b'\n') if b == b'\r' => {
                    count += 1;
                    i += 2;
                    continue;
                }
                Some(next) if !next.is_ascii() => {}
                _ => {
                    count += 1;
                    i += 1;
                    continue;
                }
            }
        }
        // Up to the next boundary that is sure: between two ASCII characters (not CR LF).
        let mut j = i + 1;
        while j < bytes.len()
            && !(bytes[j].is_ascii() && bytes[j - 1].is_ascii() && !(bytes[j - 1] == b'\r' && bytes[j] == b'\n'))
        {
            j += 1;
        }
        count += text[i..j].graphemes(true).count();
        i = j;
    }
    count
}

/// Length of a plain stretch between entities. With grapheme counting, a stretch that
/// starts with a combining character joins the ASCII entity before it, and one that ends
/// with a prepended character joins the entity after it, as in the rewritten text the
/// network counts.
fn measure(text: &str, counter: Counter, after_entity: bool, before_entity: bool) -> usize {
    let len = piece_len(text, counter);
    if counter != Counter::Graphemes || text.is_empty() {
        return len;
    }
    let mut len = len;
    if after_entity && text.chars().next().is_some_and(|c| joins('x', c)) {
        len -= 1;
    }
    if before_entity && len > 0 && text.chars().next_back().is_some_and(|c| joins(c, 'x')) {
        len -= 1;
    }
    len
}

/// Whether `a` followed by `b` is one grapheme cluster.
fn joins(a: char, b: char) -> bool {
    let mut buf = [0u8; 8];
    let first = a.encode_utf8(&mut buf).len();
    let second = b.encode_utf8(&mut buf[first..]).len();
    std::str::from_utf8(&buf[..first + second]).is_ok_and(|pair| pair.graphemes(true).count() == 1)
}

#[derive(Debug, Clone, Copy)]
enum PieceKind {
    Url,
    Mention { name_end: usize },
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    kind: PieceKind,
}

/// URLs and remote mentions in text order, overlaps dropped (URLs win ties), without
/// allocating.
struct Pieces<'a> {
    urls: Option<std::iter::Peekable<UrlScanner<'a>>>,
    mentions: Option<std::iter::Peekable<FediverseScanner<'a>>>,
    last_end: usize,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str, rules: &TextRules) -> Self {
        let flavor = if rules.urls_need_scheme { UrlFlavor::Mastodon } else { UrlFlavor::Twitter };
        Pieces {
            urls: rules.url_weight.map(|_| UrlScanner::new(text, flavor, !rules.urls_need_scheme).peekable()),
            mentions: rules.remote_mentions_count_as_local.then(|| FediverseScanner::new(text).peekable()),
            last_end: 0,
        }
    }
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        loop {
            let url = self.urls.as_mut().and_then(|u| u.peek().copied());
            let mention = self.mentions.as_mut().and_then(|m| m.peek().copied());
            let piece = match (url, mention) {
                (None, None) => return None,
                (Some(u), Some(m)) if m.start < u.start => self.take_mention(m),
                (Some(u), _) => self.take_url(u),
                (None, Some(m)) => self.take_mention(m),
            };
            if piece.start >= self.last_end {
                self.last_end = piece.end;
                return Some(piece);
            }
        }
    }
}

impl Pieces<'_> {
    fn take_url(&mut self, u: UrlMatch) -> Piece {
        if let Some(urls) = self.urls.as_mut() {
            urls.next();
        }
        Piece { start: u.start, end: u.end, kind: PieceKind::Url }
    }

    fn take_mention(&mut self, m: crate::extract::MentionMatch) -> Piece {
        if let Some(mentions) = self.mentions.as_mut() {
            mentions.next();
        }
        Piece { start: m.start, end: m.end, kind: PieceKind::Mention { name_end: m.name_end } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tertulia_core::PlatformKind;

    use crate::rules_for;

    #[test]
    fn counts_in_each_unit() {
        let text = "café 😀";
        let mut rules = TextRules::default();
        for (counter, expected) in
            [(Counter::Chars, 6), (Counter::Graphemes, 6), (Counter::Utf16, 7), (Counter::Utf8Bytes, 10)]
        {
            rules.counter = counter;
            assert_eq!(length(text, &rules), expected, "{counter:?}");
        }
    }

    #[test]
    fn mastodon_counts_urls_and_remote_mentions_short() {
        let rules = rules_for(&PlatformKind::Mastodon);
        assert_eq!(length("https://example.com/a/very/long/path/indeed/yes", &rules), 23);
        assert_eq!(length("@ana@cafe.social", &rules), 4);
        assert_eq!(length("cafetertulia.es", &rules), 15);
    }

    #[test]
    fn a_combining_mark_after_a_url_joins_its_placeholder() {
        let rules = rules_for(&PlatformKind::Mastodon);
        assert_eq!(length("https://example.com/\u{301}", &rules), 23);
    }
}
