//! Rich-text facets: where a post's mentions, links and hashtags sit, in UTF-8 bytes.
//!
//! Detection follows the rules of Bluesky's reference client: a mention is `@` and a valid
//! handle after the start, a space or `(`; a link is an `http(s)://` URL there, without
//! trailing `.,;:!?` (nor a `)` it does not open); a hashtag is `#` or `＃` after the start or
//! a space, without trailing punctuation, with at least one character that is not a digit,
//! at most 64 characters. Mentions become facets only once their handle resolves to a DID.

use std::ops::Range;

/// A span of the text and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// UTF-8 byte range in the text, end exclusive.
    pub bytes: Range<usize>,
    /// What the span is.
    pub kind: SpanKind,
}

/// What a span is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SpanKind {
    /// `@handle`: the handle, without `@`.
    Mention(String),
    /// A URL.
    Link(String),
    /// `#tag`: the tag, without `#`.
    Tag(String),
}

const MAX_TAG_CHARS: usize = 64;

/// Finds the mentions, links and hashtags of `text`, in order.
pub(crate) fn detect(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    let mut skip_until = 0;
    for (at, c) in text.char_indices() {
        if at < skip_until {
            previous = Some(c);
            continue;
        }
        let after_space = previous.is_none_or(char::is_whitespace);
        let after_space_or_paren = after_space || previous == Some('(');
        let found = match c {
            '@' if after_space_or_paren => mention(text, at),
            'h' | 'H' if after_space_or_paren => link(text, at),
            '#' | '＃' if after_space => tag(text, at, c.len_utf8()),
            _ => None,
        };
        if let Some(span) = found {
            skip_until = span.bytes.end;
            spans.push(span);
        }
        previous = Some(c);
    }
    spans
}

fn mention(text: &str, at: usize) -> Option<Span> {
    let rest = &text[at + 1..];
    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(rest.len());
    let handle = rest[..len].trim_end_matches(['.', '-']);
    is_handle(handle)
        .then(|| Span { bytes: at..at + 1 + handle.len(), kind: SpanKind::Mention(handle.to_ascii_lowercase()) })
}

/// A handle: dot-separated labels of letters, digits and inner hyphens; at least two
/// labels; the last starts with a letter.
fn is_handle(handle: &str) -> bool {
    let labels: Vec<&str> = handle.split('.').collect();
    labels.len() >= 2
        && handle.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()))
}

fn link(text: &str, at: usize) -> Option<Span> {
    let rest = &text[at..];
    let lower: String = rest.chars().take(8).collect::<String>().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let mut url = &rest[..len];
    url = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    if url.ends_with(')') && !url.contains('(') {
        url = url[..url.len() - 1].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    }
    let host = url.split("://").nth(1).unwrap_or("");
    if host.is_empty() || host.starts_with(['/', '?', '#']) {
        return None;
    }
    Some(Span { bytes: at..at + url.len(), kind: SpanKind::Link(url.to_owned()) })
}

fn tag(text: &str, at: usize, hash_len: usize) -> Option<Span> {
    let rest = &text[at + hash_len..];
    if rest.starts_with('\u{fe0f}') {
        return None;
    }
    let len = rest.find(|c: char| c.is_whitespace() || is_invisible(c)).unwrap_or(rest.len());
    let tag = rest[..len].trim_end_matches(is_punctuation);
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
        return None;
    }
    if !tag.chars().any(|c| !c.is_numeric() && !is_punctuation(c)) {
        return None;
    }
    Some(Span { bytes: at..at + hash_len + tag.len(), kind: SpanKind::Tag(tag.to_owned()) })
}

/// The invisible characters that end a hashtag.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{2060}' | '\u{200A}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{20E2}')
}

/// Unicode punctuation (general category P) of the Latin, general-punctuation and CJK
/// blocks: what the reference client strips from the end of a hashtag. Symbols such as
/// `$`, `+` or `~` are not punctuation and stay.
fn is_punctuation(c: char) -> bool {
    matches!(c,
        '!' | '"' | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '@'
        | '[' | '\\' | ']' | '_' | '{' | '}' | '¡' | '§' | '«' | '¶' | '·' | '»' | '¿'
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{2043}' | '\u{2045}'..='\u{2051}' | '\u{2053}'..='\u{205E}'
        | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
        | '\u{FF01}'..='\u{FF03}' | '\u{FF05}'..='\u{FF0A}' | '\u{FF0C}'..='\u{FF0F}' | '\u{FF1A}' | '\u{FF1B}'
        | '\u{FF1F}' | '\u{FF20}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, SpanKind)> {
        detect(text).into_iter().map(|s| (&text[s.bytes.clone()], s.kind)).collect()
    }

    #[test]
    fn byte_offsets_match_the_documented_example() {
        let text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.";
        let spans = detect(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].bytes, 23..35);
        assert_eq!(spans[0].kind, SpanKind::Mention("atproto.com".into()));
        assert_eq!(spans[1].bytes, 74..108);
        assert_eq!(spans[1].kind, SpanKind::Link("https://en.wikipedia.org/wiki/CBOR".into()));
    }

    #[test]
    fn hashtags_lose_trailing_punctuation_and_need_a_letter() {
        assert_eq!(kinds("Café #TertuliaCafé, ¡ven!"), vec![("#TertuliaCafé", SpanKind::Tag("TertuliaCafé".into()))]);
        assert!(kinds("número #1 y #2024").is_empty());
        assert_eq!(kinds("#2024año"), vec![("#2024año", SpanKind::Tag("2024año".into()))]);
        assert!(kinds("a#b").is_empty(), "a tag starts after a space");
        assert!(kinds("#\u{fe0f}⃣").is_empty(), "keycap emoji are not tags");
    }

    #[test]
    fn mentions_need_a_valid_handle() {
        assert_eq!(kinds("hola @ana.test."), vec![("@ana.test", SpanKind::Mention("ana.test".into()))]);
        assert_eq!(
            kinds("(@Bruno.Bsky.Social)"),
            vec![("@Bruno.Bsky.Social", SpanKind::Mention("bruno.bsky.social".into()))]
        );
        assert!(kinds("@ana y correo ana@cafe.test").is_empty());
        assert!(kinds("@ana.123").is_empty(), "the last label starts with a letter");
    }

    #[test]
    fn links_lose_trailing_punctuation_and_unopened_parentheses() {
        assert_eq!(
            kinds("(ver https://example.com/menu?dia=lunes)."),
            vec![("https://example.com/menu?dia=lunes", SpanKind::Link("https://example.com/menu?dia=lunes".into()))]
        );
        assert_eq!(
            kinds("https://es.wikipedia.org/wiki/Café_(bebida)"),
            vec![(
                "https://es.wikipedia.org/wiki/Café_(bebida)",
                SpanKind::Link("https://es.wikipedia.org/wiki/Café_(bebida)".into())
            )]
        );
        assert!(kinds("https:// nada").is_empty());
    }
}
