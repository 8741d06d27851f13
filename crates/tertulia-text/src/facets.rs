//! Bluesky rich-text facets, found as the official client finds them and ready to put in
//! an `app.bsky.feed.post` record: UTF-8 byte ranges, one feature each.
//!
//! Mentions need a DID, which only the network knows: [`detect_facets`] returns mentions
//! with their handle, and [`DetectedFacets::resolve`] swaps each handle for the DID your
//! resolver gives (mentions it cannot resolve are dropped, as the official client does).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::classes::{char_at, char_before, is_unicode_punct};
use crate::extract::match_tld;

/// Longest tag, in graphemes (`app.bsky.richtext.facet#tag`).
const MAX_TAG_GRAPHEMES: usize = 64;

/// `app.bsky.richtext.facet#byteSlice`: a UTF-8 byte range, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ByteSlice {
    /// First byte.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
}

/// What a facet marks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "$type")]
pub enum FacetFeature {
    /// A mention of an account.
    #[serde(rename = "app.bsky.richtext.facet#mention")]
    Mention {
        /// The account's DID.
        did: String,
    },
    /// A link.
    #[serde(rename = "app.bsky.richtext.facet#link")]
    Link {
        /// The full URI (`https://` is added to a bare domain).
        uri: String,
    },
    /// A hashtag (or a `$CASHTAG`).
    #[serde(rename = "app.bsky.richtext.facet#tag")]
    Tag {
        /// The tag without `#`; a cashtag keeps its `$` and is upper-cased.
        tag: String,
    },
}

/// `app.bsky.richtext.facet`, as it goes in a post record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Facet {
    /// Where in the text.
    pub index: ByteSlice,
    /// What it marks.
    pub features: Vec<FacetFeature>,
}

/// A facet as detected, before mentions are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Detected {
    /// `@handle`; the handle has no `@`.
    Mention {
        /// Where in the text (the `@` included).
        index: ByteSlice,
        /// The handle, such as `ana.bsky.social`.
        handle: String,
    },
    /// Any other facet, already complete.
    Ready(Facet),
}

/// The facets of a text, mentions still holding handles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetectedFacets {
    /// In text order.
    pub items: Vec<Detected>,
}

impl DetectedFacets {
    /// The handles mentioned, in text order (with repeats), for resolving them in bulk.
    pub fn handles(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|item| match item {
            Detected::Mention { handle, .. } => Some(handle.as_str()),
            Detected::Ready(_) => None,
        })
    }

    /// Completes the facets: each mention's handle goes through `resolve` (handle → DID);
    /// a mention that does not resolve is left out.
    ///
    /// ```
    /// use tertulia_text::{detect_facets, FacetFeature};
    /// let facets = detect_facets("hola @ana.bsky.social").resolve(|handle| Some(format!("did:plc:{}", handle.len())));
    /// assert_eq!(facets[0].features[0], FacetFeature::Mention { did: "did:plc:15".into() });
    /// ```
    pub fn resolve(self, mut resolve: impl FnMut(&str) -> Option<String>) -> Vec<Facet> {
        self.items
            .into_iter()
            .filter_map(|item| match item {
                Detected::Ready(facet) => Some(facet),
                Detected::Mention { index, handle } => {
                    resolve(&handle).map(|did| Facet { index, features: vec![FacetFeature::Mention { did }] })
                }
            })
            .collect()
    }
}

/// Finds mentions, links, hashtags and cashtags the way Bluesky's own client does.
///
/// ```
/// use tertulia_text::{detect_facets, FacetFeature};
/// let text = "Café nuevo ☕ en cafe.social #tertulia con @ana.bsky.social";
/// let facets = detect_facets(text).resolve(|_| Some("did:plc:ana".into()));
/// let kinds: Vec<_> = facets.iter().map(|f| &f.features[0]).collect();
/// assert_eq!(kinds[0], &FacetFeature::Link { uri: "https://cafe.social".into() });
/// assert_eq!(&text[facets[1].index.byte_start..facets[1].index.byte_end], "#tertulia");
/// assert_eq!(kinds[2], &FacetFeature::Mention { did: "did:plc:ana".into() });
/// ```
pub fn detect_facets(text: &str) -> DetectedFacets {
    let mut items = Vec::new();
    mentions(text, &mut items);
    links(text, &mut items);
    tags(text, &mut items);
    cashtags(text, &mut items);
    items.sort_by_key(|item| match item {
        Detected::Mention { index, .. } | Detected::Ready(Facet { index, .. }) => index.byte_start,
    });
    DetectedFacets { items }
}

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

fn is_js_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A handle ends in a known TLD (lower case), or in `.test`.
fn valid_handle_domain(domain: &str) -> bool {
    if domain.ends_with(".test") {
        return true;
    }
    match domain.rfind('.') {
        Some(dot) if dot > 0 => {
            let tld = &domain[dot + 1..];
            !tld.is_empty()
                && tld.bytes().all(|b| !b.is_ascii_uppercase())
                && match_tld(domain, dot + 1, domain.len()) == Some(domain.len())
        }
        _ => false,
    }
}

/// Preceded by the start, white space or `(`; `after_line` also accepts a line start.
fn preceded(text: &str, at: usize, consumed: usize, paren: bool) -> bool {
    match char_before(text, at) {
        None => true,
        Some(c) => at - c.len_utf8() >= consumed && (is_js_space(c) || (paren && c == '(')),
    }
}

fn mentions(text: &str, out: &mut Vec<Detected>) {
    let mut consumed = 0;
    let mut pos = 0;
    while let Some(offset) = text[pos..].find('@') {
        let at = pos + offset;
        pos = at + 1;
        if !preceded(text, at, consumed, true) {
            continue;
        }
        let body = at + 1;
        let run = text[body..].bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')).count();
        // Back off to a word boundary.
        let mut len = run;
        while len > 0 {
            let last = text.as_bytes()[body + len - 1] as char;
            let next = char_at(text, body + len);
            if is_js_word(last) != next.is_some_and(is_js_word) {
                break;
            }
            len -= 1;
        }
        if len == 0 {
            continue;
        }
        let end = body + len;
        consumed = end;
        pos = end;
        let handle = &text[body..end];
        if valid_handle_domain(handle) {
            out.push(Detected::Mention {
                index: ByteSlice { byte_start: at, byte_end: end },
                handle: handle.to_owned(),
            });
        }
    }
}

/// Whether a position starts a line (for the `m` flag's `^`).
fn line_start(text: &str, at: usize) -> bool {
    match char_before(text, at) {
        None => true,
        Some(c) => matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'),
    }
}

fn links(text: &str, out: &mut Vec<Detected>) {
    let mut consumed = 0;
    let mut s = 0;
    while s <= text.len() {
        // Where the link would start: at `s` after a line start, or after a space or `(` at `s`.
        let here = char_at(text, s);
        let mut starts = [None, None];
        if s >= consumed && line_start(text, s) {
            starts[0] = Some(s);
        }
        if let Some(c) = here
            && s >= consumed
            && (is_js_space(c) || c == '(')
        {
            starts[1] = Some(s + c.len_utf8());
        }
        let mut matched = false;
        for start in starts.into_iter().flatten() {
            if let Some((end, domain_end, with_scheme)) = link_at(text, start) {
                matched = true;
                consumed = end;
                s = end;
                push_link(text, start, end, domain_end, with_scheme, out);
                break;
            }
        }
        if !matched {
            match here {
                Some(c) => s += c.len_utf8(),
                None => break,
            }
        }
    }
}

/// A link at `start`: `(end, domain_end, has_scheme)`.
fn link_at(text: &str, start: usize) -> Option<(usize, usize, bool)> {
    let rest = &text[start..];
    let bytes = rest.as_bytes();
    let non_space_end = |from: usize| {
        from + rest[from..].char_indices().find(|&(_, c)| is_js_space(c)).map_or(rest.len() - from, |(i, _)| i)
    };
    for scheme in ["https://", "http://"] {
        if bytes.len() > scheme.len() && bytes[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes()) {
            let end = non_space_end(scheme.len());
            if end > scheme.len() {
                return Some((start + end, start + end, true));
            }
        }
    }
    // [a-z][a-z0-9]*(\.[a-z0-9]+)+ then any non-space.
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut i = bytes.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let mut labels = 0;
    while bytes.get(i) == Some(&b'.') {
        let label = bytes[i + 1..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if label == 0 {
            break;
        }
        i += 1 + label;
        labels += 1;
    }
    if labels == 0 {
        return None;
    }
    Some((start + non_space_end(i), start + i, false))
}

fn push_link(text: &str, start: usize, end: usize, domain_end: usize, with_scheme: bool, out: &mut Vec<Detected>) {
    let written = &text[start..end];
    let mut uri_end = end;
    if !written.starts_with("http") {
        let _ = with_scheme;
        if !valid_handle_domain(&text[start..domain_end]) {
            return;
        }
    }
    let trimmed = &text[start..uri_end];
    if trimmed.ends_with(['.', ',', ';', ':', '!', '?']) {
        uri_end -= 1;
    }
    let trimmed = &text[start..uri_end];
    if trimmed.ends_with(')') && !trimmed.contains('(') {
        uri_end -= 1;
    }
    let written = &text[start..uri_end];
    let uri = if written.starts_with("http") { written.to_owned() } else { format!("https://{written}") };
    out.push(Detected::Ready(Facet {
        index: ByteSlice { byte_start: start, byte_end: uri_end },
        features: vec![FacetFeature::Link { uri }],
    }));
}

/// A character that may be in a tag.
fn tag_char(c: char) -> bool {
    !(c.is_whitespace()
        || c == '\u{FEFF}'
        || matches!(c, '\u{AD}' | '\u{2060}' | '\u{200A}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{20E2}'))
}

fn tags(text: &str, out: &mut Vec<Detected>) {
    let mut consumed = 0;
    let mut pos = 0;
    while let Some(offset) = text[pos..].find(['#', '＃']) {
        let at = pos + offset;
        let sign = if text[at..].starts_with('#') { 1 } else { '＃'.len_utf8() };
        pos = at + sign;
        let ok = match char_before(text, at) {
            None => true,
            Some(c) => at - c.len_utf8() >= consumed && (c.is_whitespace() || c == '\u{FEFF}'),
        };
        if !ok {
            continue;
        }
        let body = at + sign;
        consumed = body;
        if text[body..].starts_with('\u{FE0F}') {
            continue;
        }
        let run = text[body..].char_indices().find(|&(_, c)| !tag_char(c)).map_or(text.len() - body, |(i, _)| i);
        let raw = &text[body..body + run];
        if !raw.chars().any(|c| !(c.is_ascii_digit() || is_unicode_punct(c))) {
            continue;
        }
        consumed = body + run;
        pos = body + run;
        let tag = raw.trim_end_matches(is_unicode_punct);
        if tag.is_empty() || tag.graphemes(true).count() > MAX_TAG_GRAPHEMES {
            continue;
        }
        out.push(Detected::Ready(Facet {
            index: ByteSlice { byte_start: at, byte_end: body + tag.len() },
            features: vec![FacetFeature::Tag { tag: tag.to_owned() }],
        }));
    }
}

fn cashtags(text: &str, out: &mut Vec<Detected>) {
    let mut pos = 0;
    while let Some(offset) = text[pos..].find('$') {
        let at = pos + offset;
        pos = at + 1;
        let ok = match char_before(text, at) {
            None => true,
            Some(c) => is_js_space(c) || c == '(',
        };
        if !ok {
            continue;
        }
        let bytes = &text.as_bytes()[at + 1..];
        if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let run = bytes.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run > 5 {
            continue;
        }
        let end = at + 1 + run;
        let after_ok = match char_at(text, end) {
            None => true,
            Some(c) => is_js_space(c) || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '"' | '\'' | '’'),
        };
        if !after_ok {
            continue;
        }
        pos = end;
        out.push(Detected::Ready(Facet {
            index: ByteSlice { byte_start: at, byte_end: end },
            features: vec![FacetFeature::Tag { tag: format!("${}", text[at + 1..end].to_ascii_uppercase()) }],
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, usize, String)> {
        detect_facets(text)
            .resolve(|h| Some(format!("did:fake:{h}")))
            .into_iter()
            .map(|f| {
                let value = match &f.features[0] {
                    FacetFeature::Mention { did } => did.clone(),
                    FacetFeature::Link { uri } => uri.clone(),
                    FacetFeature::Tag { tag } => tag.clone(),
                };
                (f.index.byte_start, f.index.byte_end, value)
            })
            .collect()
    }

    #[test]
    fn finds_mentions_links_and_tags_in_bytes() {
        assert_eq!(found("(@ana.bsky.social)"), [(1, 17, "did:fake:ana.bsky.social".to_owned())]);
        assert_eq!(found("mira cafe.social/menu."), [(5, 21, "https://cafe.social/menu".to_owned())]);
        assert_eq!(found("☕ #café!"), [(4, 10, "café".to_owned())]);
        assert_eq!(found("($GOOG)"), [(1, 6, "$GOOG".to_owned())]);
        assert!(found("e.g. website.com.jpg not@mention #1").is_empty());
    }

    #[test]
    fn serialises_as_the_lexicon_says() {
        let facets = detect_facets("#cafe").resolve(|_| None);
        let json = serde_json::to_value(&facets).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"index": {"byteStart": 0, "byteEnd": 5},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "cafe"}]}])
        );
    }
}
