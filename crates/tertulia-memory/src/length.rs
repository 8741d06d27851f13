//! Text length in a network's counter, as the simulated network enforces it.
//!
//! This is a self-contained approximation good enough for a simulation: URLs are found by a
//! simple scan. The X weighting lives in one function, [`x_weighted_length`], which the
//! `tertulia-text` crate's exact twitter-text implementation replaces.

use tertulia_core::{Counter, TextRules};
use unicode_segmentation::UnicodeSegmentation;

/// The length of `text` under `rules`, in the rules' counter.
///
/// URLs count as `rules.url_weight` when set, and `@user@host` counts as `@user` when
/// `rules.remote_mentions_count_as_local` is set.
///
/// ```
/// use tertulia_core::{Counter, TextRules};
/// use tertulia_memory::text_length;
/// let rules = TextRules { counter: Counter::Graphemes, url_weight: Some(23), urls_need_scheme: true, ..TextRules::default() };
/// assert_eq!(text_length("¡Hola! 👋🏽", &rules), 8);
/// assert_eq!(text_length("https://example.com/a/very/long/path/indeed", &rules), 23);
/// ```
pub fn text_length(text: &str, rules: &TextRules) -> u32 {
    let mut total = 0u32;
    for (token, kind) in tokens(text, rules) {
        let length = match kind {
            Token::Url => rules.url_weight.unwrap_or_else(|| count(token, rules.counter)),
            Token::RemoteMention => {
                let local = token.rsplit_once('@').map_or(token, |(user, _)| user);
                count(local, rules.counter)
            }
            Token::Text => count(token, rules.counter),
        };
        total = total.saturating_add(length);
    }
    total
}

/// UTF-8 bytes of `text`, for networks with a second cap in bytes.
pub fn byte_length(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

fn count(text: &str, counter: Counter) -> u32 {
    let length = match counter {
        Counter::Chars => text.chars().count(),
        Counter::Graphemes => text.graphemes(true).count(),
        Counter::Utf16 => text.encode_utf16().count(),
        Counter::Utf8Bytes => text.len(),
        Counter::XWeighted => return x_weighted_length(text),
    };
    u32::try_from(length).unwrap_or(u32::MAX)
}

/// The X weighted length of text without URLs: code points in U+0000–U+10FF,
/// U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point 2, and a
/// multi-code-point emoji sequence (ZWJ, skin tone, flag) weighs 2 as a whole.
///
/// An approximation of twitter-text v3 (it does not normalise to NFC first): the one place
/// that `tertulia-text`'s conformant counter replaces.
///
/// ```
/// use tertulia_memory::x_weighted_length;
/// assert_eq!(x_weighted_length("café"), 4);
/// assert_eq!(x_weighted_length("喫茶店"), 6);
/// assert_eq!(x_weighted_length("👩‍💻"), 2);
/// ```
pub fn x_weighted_length(text: &str) -> u32 {
    let mut total = 0u32;
    for grapheme in text.graphemes(true) {
        let mut chars = grapheme.chars();
        let first = chars.next();
        let weight = match (first, chars.next()) {
            (Some(c), None) => weight_of(c),
            (Some(_), Some(_)) if is_emoji_sequence(grapheme) => 2,
            _ => grapheme.chars().map(weight_of).sum(),
        };
        total = total.saturating_add(weight);
    }
    total
}

fn weight_of(c: char) -> u32 {
    let light = matches!(c as u32, 0x0000..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037);
    if light { 1 } else { 2 }
}

fn is_emoji_sequence(grapheme: &str) -> bool {
    grapheme.chars().any(|c| {
        matches!(c as u32,
            0x200D                      // zero width joiner
            | 0xFE0F                    // emoji presentation
            | 0x1F3FB..=0x1F3FF         // skin tones
            | 0x1F1E6..=0x1F1FF         // regional indicators (flags)
            | 0x1F000..=0x1FAFF         // pictographs
            | 0x2600..=0x27BF) // dingbats and symbols
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Text,
    Url,
    RemoteMention,
}

/// Splits text into runs of plain text, URLs and remote mentions, looking at each
/// whitespace-separated word (trailing punctuation stays plain text).
fn tokens<'a>(text: &'a str, rules: &TextRules) -> Vec<(&'a str, Token)> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    for (start, word) in words(text) {
        let word = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        let kind = classify(word, rules);
        if kind != Token::Text {
            if plain_start < start {
                out.push((&text[plain_start..start], Token::Text));
            }
            out.push((word, kind));
            plain_start = start + word.len();
        }
    }
    if plain_start < text.len() {
        out.push((&text[plain_start..], Token::Text));
    }
    out
}

/// The whitespace-separated words of `text`, with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(begin) = start.take() {
                out.push((begin, &text[begin..index]));
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    if let Some(begin) = start {
        out.push((begin, &text[begin..]));
    }
    out
}

fn classify(word: &str, rules: &TextRules) -> Token {
    if word.is_empty() {
        return Token::Text;
    }
    let lower = word.to_ascii_lowercase();
    let has_scheme = lower.starts_with("https://") || lower.starts_with("http://");
    if has_scheme && word.len() > "https://".len() {
        return Token::Url;
    }
    if rules.remote_mentions_count_as_local
        && word.starts_with('@')
        && word[1..].split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
    {
        return Token::RemoteMention;
    }
    if !rules.urls_need_scheme && looks_like_bare_domain(&lower) {
        return Token::Url;
    }
    Token::Text
}

fn looks_like_bare_domain(word: &str) -> bool {
    let host = word.split('/').next().unwrap_or(word);
    let Some((name, tld)) = host.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !word.starts_with('@')
        && !word.starts_with('#')
        && (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(counter: Counter) -> TextRules {
        TextRules { counter, ..TextRules::default() }
    }

    #[test]
    fn each_counter_counts_its_unit() {
        let text = "e\u{301}👍🏽";
        assert_eq!(text_length(text, &rules(Counter::Chars)), 4);
        assert_eq!(text_length(text, &rules(Counter::Graphemes)), 2);
        assert_eq!(text_length(text, &rules(Counter::Utf16)), 6);
        assert_eq!(text_length(text, &rules(Counter::Utf8Bytes)), 11);
    }

    #[test]
    fn urls_and_remote_mentions_follow_the_rules() {
        let mastodon = TextRules {
            counter: Counter::Graphemes,
            url_weight: Some(23),
            urls_need_scheme: true,
            remote_mentions_count_as_local: true,
            ..TextRules::default()
        };
        assert_eq!(text_length("hola @ana@social.example", &mastodon), "hola @ana".len() as u32);
        // Without a scheme, not a URL on Mastodon.
        assert_eq!(text_length("example.com", &mastodon), 11);
        assert_eq!(text_length("ver https://example.com/carta.", &mastodon), 4 + 23 + 1);
        let x = TextRules { counter: Counter::XWeighted, url_weight: Some(23), ..TextRules::default() };
        assert_eq!(text_length("ver example.com", &x), 4 + 23);
    }
}
