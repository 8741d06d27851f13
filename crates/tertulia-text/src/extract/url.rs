//! URL extraction, matching twitter-text's `extractUrlsWithIndices` decision for decision,
//! written as a scanner over the text (no regular expressions, no allocation).
//!
//! A match is: a preceding character that is not a letter, digit, `@`, `$` or `#` (or the
//! start of the text); an optional `http://` or `https://`; a domain made of labels and a
//! known top-level domain; an optional port; an optional path that ends on a character
//! that may end a path (so a trailing `.` or `!` stays outside) and keeps balanced
//! parentheses; an optional query. Without a scheme, only the ASCII domains inside the
//! match are URLs, and never after `-`, `_`, `.` or `/`.

use super::punycode::label_fits;
use super::tld::match_tld;
use crate::classes::{char_at, char_before, is_cyrillic, is_domain_char, is_invalid, is_latin_accent};

/// Longest URL twitter-text accepts, in UTF-16 units, counting a scheme.
const MAX_URL_LENGTH: usize = 4096;
/// Longest t.co slug.
const MAX_TCO_SLUG_LENGTH: usize = 40;

/// Which network's variant of URL detection to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlFlavor {
    /// twitter-text as X uses it.
    Twitter,
    /// Mastodon's variant: more schemes (`gemini://`, `ipfs://`…) and any non-space
    /// character in a path.
    Mastodon,
}

/// A URL found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlMatch {
    /// Byte range of the URL.
    pub start: usize,
    /// End of the URL (exclusive).
    pub end: usize,
    /// Whether the URL has a scheme.
    pub has_scheme: bool,
}

/// State kept while the ASCII domains of a scheme-less match are handed out one by one.
#[derive(Debug, Clone, Copy)]
struct Pending {
    search: usize,
    domain_end: usize,
    url_end: usize,
    has_path: bool,
}

/// An iterator over the URLs of a text.
#[derive(Debug, Clone)]
pub(crate) struct UrlScanner<'a> {
    text: &'a str,
    pos: usize,
    flavor: UrlFlavor,
    without_scheme: bool,
    pending: Option<Pending>,
    /// Starts below this offset cannot begin a URL without a scheme (see `attempt`).
    dead_until: usize,
    /// No dot before this offset is followed by a TLD.
    tld_dots_from: usize,
}

impl<'a> UrlScanner<'a> {
    pub(crate) fn new(text: &'a str, flavor: UrlFlavor, without_scheme: bool) -> Self {
        let worthwhile = if without_scheme { text.contains('.') } else { text.contains(':') };
        UrlScanner {
            text,
            pos: if worthwhile { 0 } else { text.len() + 1 },
            flavor,
            without_scheme,
            pending: None,
            dead_until: 0,
            tld_dots_from: 0,
        }
    }

    /// Hands out the next ASCII domain of a scheme-less match, if any is left.
    fn next_pending(&mut self) -> Option<UrlMatch> {
        let mut pending = self.pending.take()?;
        let (start, end) = next_ascii_domain(self.text, pending.search, pending.domain_end)?;
        pending.search = end;
        let is_last = next_ascii_domain(self.text, end, pending.domain_end).is_none();
        if !is_last {
            self.pending = Some(pending);
        }
        let end = if is_last && pending.has_path { pending.url_end } else { end };
        Some(UrlMatch { start, end, has_scheme: false })
    }
}

impl Iterator for UrlScanner<'_> {
    type Item = UrlMatch;

    fn next(&mut self) -> Option<UrlMatch> {
        if let Some(found) = self.next_pending() {
            return Some(found);
        }
        let text = self.text;
        while self.pos <= text.len() {
            let (candidate, after) = self.find_match()?;
            self.pos = after;
            let Candidate { url_start, scheme_end, domain_end, path, end, preceding } = candidate;
            let domain = &text[scheme_end..domain_end];
            if !valid_host(domain, &text[url_start..end], scheme_end > url_start) {
                continue;
            }
            if scheme_end == url_start {
                if !self.without_scheme || matches!(preceding, Some('-' | '_' | '.' | '/')) {
                    continue;
                }
                self.pending = Some(Pending { search: scheme_end, domain_end, url_end: end, has_path: path });
                match self.next_pending() {
                    Some(found) => return Some(found),
                    None => continue,
                }
            }
            let url = &text[url_start..end];
            match tco_end(url) {
                Some(Err(())) => continue,
                Some(Ok(len)) => {
                    return Some(UrlMatch { start: url_start, end: url_start + len, has_scheme: true });
                }
                None => return Some(UrlMatch { start: url_start, end, has_scheme: true }),
            }
        }
        None
    }
}

/// The parts of one regex-style match.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    url_start: usize,
    scheme_end: usize,
    domain_end: usize,
    path: bool,
    end: usize,
    preceding: Option<char>,
}

impl UrlScanner<'_> {
    /// The leftmost match at or after `self.pos`, with the offset where the next search starts.
    ///
    /// Every match has a domain that ends on a TLD right after a dot, inside one run of
    /// label characters and dots (possibly after a scheme). So the search jumps from one
    /// such "TLD dot" to the next and only tries starts within the run that leads to it;
    /// no start before that run can match.
    fn find_match(&mut self) -> Option<(Candidate, usize)> {
        let text = self.text;
        let mut cursor = self.pos;
        loop {
            let Some(dot) = next_tld_dot(text, self.tld_dots_from.max(cursor)) else {
                self.pos = text.len() + 1;
                return None;
            };
            self.tld_dots_from = dot;
            let chain = chain_start(text, dot);
            let url_min = chain - scheme_before(text, chain, self.flavor);
            let mut s = match char_before(text, url_min) {
                Some(c) => url_min - c.len_utf8(),
                None => 0,
            };
            s = s.max(cursor);
            while s <= dot {
                let here = char_at(text, s);
                if let Some(c) = here
                    && is_valid_preceding(c)
                    && let Some(found) = self.attempt(s + c.len_utf8(), Some(c))
                {
                    return Some((found, found.end));
                }
                if s == 0
                    && let Some(found) = self.attempt(0, None)
                {
                    return Some((found, found.end));
                }
                match here {
                    Some(c) => s += c.len_utf8(),
                    None => break,
                }
            }
            cursor = dot + 1;
        }
    }

    /// A URL starting exactly at `u`, if one does.
    fn attempt(&mut self, u: usize, preceding: Option<char>) -> Option<Candidate> {
        let text = self.text;
        if let Some(scheme_end) = scheme_at(text, u, self.flavor)
            && let Some(domain_end) = match_domain(text, scheme_end)
        {
            return Some(self.finish(u, scheme_end, domain_end, preceding));
        }
        if u < self.dead_until {
            return None;
        }
        match match_domain(text, u) {
            Some(domain_end) => Some(self.finish(u, u, domain_end, preceding)),
            None => {
                // No start inside a run of label characters that is not followed by a dot
                // can begin a domain: skip the rest of that run.
                let run = label_run_end(text, u);
                if char_at(text, run) != Some('.') {
                    self.dead_until = run;
                }
                None
            }
        }
    }

    fn finish(&self, u: usize, scheme_end: usize, domain_end: usize, preceding: Option<char>) -> Candidate {
        let text = self.text;
        let mut end = domain_end;
        if char_at(text, end) == Some(':') {
            let digits = text[end + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                end += 1 + digits;
            }
        }
        let mut path = false;
        if char_at(text, end) == Some('/') {
            path = true;
            end = match_path(text, end + 1, self.flavor);
        }
        if char_at(text, end) == Some('?')
            && let Some(query_end) = match_query(text, end + 1)
        {
            end = query_end;
        }
        Candidate { url_start: u, scheme_end, domain_end, path, end, preceding }
    }
}

/// `validUrlPrecedingChars`: anything but ASCII letters and digits, `@ ＠ $ # ＃`, and
/// the invalid characters.
fn is_valid_preceding(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃') || is_invalid(c))
}

/// The end of `http://` or `https://` (any case) at `u`; Mastodon knows a few more schemes.
fn scheme_at(text: &str, u: usize, flavor: UrlFlavor) -> Option<usize> {
    let rest = text.get(u..)?.as_bytes();
    let schemes: &[&[u8]] = match flavor {
        UrlFlavor::Twitter => &[b"https://", b"http://"],
        UrlFlavor::Mastodon => &[
            b"https://",
            b"http://",
            b"dat://",
            b"dweb://",
            b"ipfs://",
            b"ipns://",
            b"ssb://",
            b"gopher://",
            b"gemini://",
        ],
    };
    schemes
        .iter()
        .find(|scheme| rest.len() >= scheme.len() && rest[..scheme.len()].eq_ignore_ascii_case(scheme))
        .map(|scheme| u + scheme.len())
}

/// Whether `c` may be in a label: a domain character, `-` or `_`.
fn is_label_char(c: char) -> bool {
    is_domain_char(c) || c == '-' || c == '_'
}

/// The same for an ASCII byte, by table.
fn is_label_byte(b: u8) -> bool {
    const TABLE: [bool; 128] = {
        let mut table = [false; 128];
        let mut i = 0;
        while i < 128 {
            let c = i as u8 as char;
            table[i] = !matches!(c, '\u{09}'..='\u{0D}' | ' ')
                && !matches!(
                    c,
                    '!' | '\''
                        | '#'
                        | '%'
                        | '&'
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ','
                        | '\\'
                        | '.'
                        | '/'
                        | ':'
                        | ';'
                        | '<'
                        | '='
                        | '>'
                        | '?'
                        | '@'
                        | '['
                        | ']'
                        | '^'
                        | '{'
                        | '|'
                        | '}'
                        | '~'
                        | '$'
                );
            i += 1;
        }
        table
    };
    TABLE[b as usize]
}

/// The end of the run of label characters (domain characters, `-` and `_`) from `i`.
fn label_run_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = i;
    while j < bytes.len() {
        let b = bytes[j];
        if b < 0x80 {
            if !is_label_byte(b) {
                break;
            }
            j += 1;
        } else {
            match char_at(text, j) {
                Some(c) if is_label_char(c) => j += c.len_utf8(),
                _ => break,
            }
        }
    }
    j
}

/// The first dot at or after `from` that is followed by a TLD.
fn next_tld_dot(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let dot = at + memchr::memchr(b'.', &bytes[at..])?;
        if match_tld(text, dot + 1, text.len()).is_some() {
            return Some(dot);
        }
        at = dot + 1;
    }
    None
}

/// The start of the run of label characters and dots that ends at `dot`.
fn chain_start(text: &str, dot: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = dot;
    while start > 0 {
        let b = bytes[start - 1];
        if b.is_ascii() {
            if !(b == b'.' || is_label_byte(b)) {
                break;
            }
            start -= 1;
        } else {
            match char_before(text, start) {
                Some(c) if is_label_char(c) => start -= c.len_utf8(),
                _ => break,
            }
        }
    }
    start
}

/// The length of a scheme (`http://`…) that ends right at `at`, or 0.
fn scheme_before(text: &str, at: usize, flavor: UrlFlavor) -> usize {
    let head = &text.as_bytes()[..at];
    if !head.ends_with(b"://") {
        return 0;
    }
    let letters = head[..head.len() - 3].iter().rev().take_while(|b| b.is_ascii_alphabetic()).count();
    (3..=letters + 3).rev().find(|&len| scheme_at(text, at - len, flavor) == Some(at)).unwrap_or(0)
}

/// A label from `i` up to the next `.`: `(sub_ok, name_ok, end)` where `end` is the offset
/// of the terminating dot, or `None` when the label does not end on a dot.
fn label_at(text: &str, i: usize) -> Option<(bool, bool, usize)> {
    let end = label_run_end(text, i);
    if end == i || char_at(text, end) != Some('.') {
        return None;
    }
    let label = &text[i..end];
    let first = label.chars().next()?;
    let last = label.chars().next_back()?;
    let edges = is_domain_char(first) && is_domain_char(last);
    Some((edges, edges && memchr::memchr(b'_', label.as_bytes()).is_none(), end))
}

/// `validDomain`: subdomains, a domain name and a TLD, the most labels that still end on
/// a TLD. Returns the end of the TLD.
fn match_domain(text: &str, start: usize) -> Option<usize> {
    let mut best = None;
    let mut i = start;
    while let Some((sub_ok, name_ok, dot)) = label_at(text, i) {
        if name_ok && let Some(end) = match_tld(text, dot + 1, text.len()) {
            best = Some(end);
        }
        if !sub_ok {
            break;
        }
        i = dot + 1;
    }
    best
}

/// `validGeneralUrlPathChars` (Twitter) or any non-space but parentheses and `?` (Mastodon).
fn is_path_char(c: char, flavor: UrlFlavor) -> bool {
    match flavor {
        UrlFlavor::Twitter => {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '!' | '*'
                        | '\''
                        | ';'
                        | ':'
                        | '='
                        | '+'
                        | ','
                        | '.'
                        | '$'
                        | '/'
                        | '%'
                        | '#'
                        | '['
                        | ']'
                        | '-'
                        | '\u{2013}'
                        | '_'
                        | '~'
                        | '@'
                        | '|'
                        | '&'
                )
                || is_cyrillic(c)
                || is_latin_accent(c)
        }
        UrlFlavor::Mastodon => !matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '(' | ')' | '?'),
    }
}

/// `validUrlPathEndingChars` without the balanced-parentheses alternative.
fn is_path_end_char(c: char, flavor: UrlFlavor) -> bool {
    match flavor {
        UrlFlavor::Twitter => {
            c.is_ascii_alphanumeric()
                || matches!(c, '+' | '-' | '=' | '_' | '#' | '/')
                || is_cyrillic(c)
                || is_latin_accent(c)
        }
        UrlFlavor::Mastodon => {
            is_path_char(c, flavor)
                && !matches!(
                    c,
                    '!' | '*'
                        | '"'
                        | '\''
                        | '「'
                        | '」'
                        | '<'
                        | '>'
                        | ';'
                        | ':'
                        | '='
                        | ','
                        | '.'
                        | '$'
                        | '%'
                        | '['
                        | ']'
                        | '~'
                        | '&'
                        | '|'
                        | '@'
                )
        }
    }
}

/// The end of a run of path characters from `i`.
fn path_run_end(text: &str, i: usize, flavor: UrlFlavor) -> usize {
    let rest = &text[i..];
    i + rest.char_indices().find(|&(_, c)| !is_path_char(c, flavor)).map_or(rest.len(), |(at, _)| at)
}

/// `validUrlBalancedParens` at `i` (which holds `(`): one level of nesting at most.
fn match_parens(text: &str, i: usize, flavor: UrlFlavor) -> Option<usize> {
    let inner = i + 1;
    let run = path_run_end(text, inner, flavor);
    match char_at(text, run) {
        Some(')') if run > inner => Some(run + 1),
        Some('(') => {
            let nested = run + 1;
            let nested_end = path_run_end(text, nested, flavor);
            if nested_end == nested || char_at(text, nested_end) != Some(')') {
                return None;
            }
            let tail = path_run_end(text, nested_end + 1, flavor);
            (char_at(text, tail) == Some(')')).then_some(tail + 1)
        }
        _ => None,
    }
}

/// The end of a path whose first character (after `/`) is at `i`: the furthest point, over
/// path characters and balanced parentheses, that ends on a path-ending character.
fn match_path(text: &str, i: usize, flavor: UrlFlavor) -> usize {
    let mut q = i;
    let mut last_good = i;
    while let Some(c) = char_at(text, q) {
        if is_path_char(c, flavor) {
            q += c.len_utf8();
            if is_path_end_char(c, flavor) {
                last_good = q;
            }
        } else if c == '(' {
            match match_parens(text, q, flavor) {
                Some(end) => {
                    q = end;
                    last_good = q;
                }
                None => break,
            }
        } else {
            break;
        }
    }
    last_good
}

fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '?'
                | '*'
                | '\''
                | '@'
                | '('
                | ')'
                | ';'
                | ':'
                | '&'
                | '='
                | '+'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '_'
                | '.'
                | ','
                | '~'
                | '|'
        )
}

fn is_query_end_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '&' | '=' | '#' | '/')
}

/// The end of a query whose first character (after `?`) is at `i`, if it ends on a
/// query-ending character.
fn match_query(text: &str, i: usize) -> Option<usize> {
    let mut last_good = None;
    for (at, c) in text[i..].char_indices() {
        if !is_query_char(c) {
            break;
        }
        if is_query_end_char(c) {
            last_good = Some(i + at + c.len_utf8());
        }
    }
    last_good
}

/// twitter-text's `isValidUrl` for a match: every host label fits in 63 characters once
/// Punycode-encoded, a host starting `xn--` has an ASCII domain in it, and the URL with a
/// scheme is at most 4096 UTF-16 units.
fn valid_host(domain: &str, url: &str, has_scheme: bool) -> bool {
    if domain.starts_with("xn--") && next_ascii_domain(domain, 0, domain.len()).is_none() {
        return false;
    }
    if !domain.split('.').all(label_fits) {
        return false;
    }
    let scheme = if has_scheme { 0 } else { "https://".len() };
    let mut units = scheme;
    for c in url.chars() {
        units += c.len_utf16();
        if units > MAX_URL_LENGTH {
            return false;
        }
    }
    true
}

/// `[-a-z0-9à-ÿ…]` of `validAsciiDomain`.
fn is_ascii_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_latin_accent(c)
}

/// `validAsciiDomain` searched in `text[from..limit]`: labels of ASCII letters, digits,
/// `-` and Latin accents, then a TLD (which may end at `limit`).
pub(crate) fn next_ascii_domain(text: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    let mut s = from;
    while s < limit {
        if let Some(end) = ascii_domain_at(text, s, limit) {
            return Some((s, end));
        }
        s += char_at(text, s)?.len_utf8();
    }
    None
}

fn ascii_domain_at(text: &str, start: usize, limit: usize) -> Option<usize> {
    let mut best = None;
    let mut i = start;
    loop {
        let rest = text.get(i..limit)?;
        let len = rest.char_indices().find(|&(_, c)| !is_ascii_label_char(c)).map_or(rest.len(), |(at, _)| at);
        if len == 0 || !rest[len..].starts_with('.') {
            break;
        }
        let dot = i + len;
        if let Some(end) = match_tld(text, dot + 1, limit) {
            best = Some(end);
        }
        i = dot + 1;
    }
    best
}

/// For a `t.co` URL: `Some(Ok(len))` keeps only the slug (and a query), `Some(Err(()))`
/// rejects a slug longer than 40 characters, `None` when the URL is not a t.co link.
fn tco_end(url: &str) -> Option<Result<usize, ()>> {
    let bytes = url.as_bytes();
    let after_scheme = if bytes.len() >= 8 && bytes[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else if bytes.len() >= 7 && bytes[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else {
        return None;
    };
    let rest = &bytes[after_scheme..];
    if rest.len() < 5 || !rest[..5].eq_ignore_ascii_case(b"t.co/") {
        return None;
    }
    let slug_start = after_scheme + 5;
    let slug = bytes[slug_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if slug == 0 {
        return None;
    }
    if slug > MAX_TCO_SLUG_LENGTH {
        return Some(Err(()));
    }
    let mut end = slug_start + slug;
    if url[end..].starts_with('?')
        && let Some(query_end) = match_query(url, end + 1)
    {
        end = query_end;
    }
    Some(Ok(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        UrlScanner::new(text, UrlFlavor::Twitter, true).map(|m| &text[m.start..m.end]).collect()
    }

    #[test]
    fn finds_urls_with_and_without_scheme() {
        assert_eq!(urls("see https://example.com/a?b=c, and café.fr."), ["https://example.com/a?b=c", "café.fr"]);
        assert_eq!(urls("text http://google.com"), ["http://google.com"]);
        assert_eq!(urls("foo.baz foo.co.jp"), ["foo.co.jp"]);
    }

    #[test]
    fn keeps_balanced_parentheses_and_drops_trailing_punctuation() {
        assert_eq!(urls("http://en.wikipedia.org/wiki/Primer_(film)"), ["http://en.wikipedia.org/wiki/Primer_(film)"]);
        assert_eq!(urls("(see http://example.com/path.)"), ["http://example.com/path"]);
        assert_eq!(urls("http://example.com/path!!!!"), ["http://example.com/path"]);
    }

    #[test]
    fn ignores_addresses_and_bad_hosts() {
        assert!(urls("Email me at name.al-lastname@foo.com").is_empty());
        assert!(urls("http://-leadingdash.twitter.com").is_empty());
        assert!(urls("http://twitter_underscore.com").is_empty());
    }

    #[test]
    fn trims_tco_links_to_their_slug() {
        assert_eq!(urls("http://t.co/pbY2NfTZ's"), ["http://t.co/pbY2NfTZ"]);
        assert!(urls("http://t.co/abcdefghijklmnopqrstuvwxyz012345678901234").is_empty());
    }
}
