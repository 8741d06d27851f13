//! Whole-string checks: is this a valid user name, list, hashtag or URL? They follow
//! twitter-text's `isValidUsername`, `isValidList`, `isValidHashtag` and `isValidUrl`.

use super::{extract_hashtags, extract_mentions};
use crate::classes::is_cyrillic;

/// Whether `text` is exactly one X mention, such as `@ana_1`.
///
/// ```
/// use tertulia_text::is_valid_username;
/// assert!(is_valid_username("@ana_1"));
/// assert!(!is_valid_username("@ana-1"));
/// ```
pub fn is_valid_username(text: &str) -> bool {
    let found = extract_mentions(text);
    found.len() == 1 && found[0].list_slug.is_none() && text.get(1..) == Some(found[0].value.as_str())
}

/// Whether `text` is exactly one X list, such as `@ana/equipo`.
///
/// ```
/// use tertulia_text::is_valid_list;
/// assert!(is_valid_list("@ana/equipo"));
/// assert!(!is_valid_list("@ana"));
/// ```
pub fn is_valid_list(text: &str) -> bool {
    let Some(body) = text.strip_prefix(['@', '＠']) else {
        return false;
    };
    let name = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    if !(1..=20).contains(&name) {
        return false;
    }
    let Some(slug) = body[name..].strip_prefix('/') else {
        return false;
    };
    let mut chars = slug.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest = chars.as_str();
    first_ok && rest.len() <= 24 && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `text` is exactly one hashtag, such as `#café`.
///
/// ```
/// use tertulia_text::is_valid_hashtag;
/// assert!(is_valid_hashtag("#café"));
/// assert!(!is_valid_hashtag("#123"));
/// ```
pub fn is_valid_hashtag(text: &str) -> bool {
    let found = extract_hashtags(text);
    let body = text.char_indices().nth(1).map(|(i, _)| &text[i..]);
    found.len() == 1 && body == Some(found[0].value.as_str())
}

/// Whether `text` is one well-formed URL (RFC 3986 with Unicode hosts). With
/// `require_scheme`, it must start with `http://` or `https://`.
///
/// ```
/// use tertulia_text::is_valid_url;
/// assert!(is_valid_url("https://café.example/menu?dia=1", true));
/// assert!(is_valid_url("cafetertulia.es", false));
/// assert!(!is_valid_url("ftp://cafetertulia.es", true));
/// ```
pub fn is_valid_url(text: &str, require_scheme: bool) -> bool {
    // Split as RFC 3986 appendix B does: scheme, authority, path, query, fragment.
    let (scheme, rest) = match text.find("://") {
        Some(i) if i > 0 && !text[..i].contains(['/', '?', '#']) && !text[..i].contains(':') => {
            (Some(&text[..i]), &text[i + 3..])
        }
        _ => (None, text),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let rest = &rest[authority_end..];
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = &rest[..path_end];
    let rest = &rest[path_end..];
    let (query, fragment) = match rest.strip_prefix('?') {
        Some(q) => match q.find('#') {
            Some(i) => (Some(&q[..i]), Some(&q[i + 1..])),
            None => (Some(q), None),
        },
        None => (None, rest.strip_prefix('#')),
    };
    if text.contains('\n') && fragment.is_some_and(|f| f.contains('\n')) {
        return false;
    }
    if require_scheme {
        match scheme {
            Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
            _ => return false,
        }
    }
    valid_path(path) && query.is_none_or(valid_query) && fragment.is_none_or(valid_query) && valid_authority(authority)
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') || is_cyrillic(c)
}

fn is_sub_delim(c: char) -> bool {
    matches!(c, '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=')
}

/// Checks a run of `pchar`s (plus `extra`), validating `%XX` escapes.
fn all_pchars(text: &str, extra: &[char]) -> bool {
    let bytes = text.as_bytes();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '%' {
            let ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return false;
            }
            chars.next();
            chars.next();
            continue;
        }
        if !(is_unreserved(c) || is_sub_delim(c) || matches!(c, ':' | '|' | '@') || extra.contains(&c)) {
            return false;
        }
    }
    true
}

fn valid_path(path: &str) -> bool {
    path.is_empty() || (path.starts_with('/') && path.split('/').all(|segment| all_pchars(segment, &[])))
}

fn valid_query(query: &str) -> bool {
    all_pchars(query, &['/', '?'])
}

/// `(userinfo@)?host(:port)?` where the host is an IPv4 address, a bracketed IPv6 address
/// or a (possibly Unicode) domain. Mirrors the reference's first-match behaviour: an IPv4
/// host ends after the first digit of its last octet.
fn valid_authority(authority: &str) -> bool {
    let host_start = match authority.find('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            if !all_userinfo(userinfo) {
                // The optional group fails; the host then starts at the beginning.
                0
            } else {
                at + 1
            }
        }
        None => 0,
    };
    let rest = &authority[host_start..];
    let host_len = match ip_host_len(rest) {
        Some(len) => len,
        None => match unicode_domain_len(rest) {
            Some(len) => len,
            None => return false,
        },
    };
    let after = &rest[host_len..];
    let matched_port = match after.strip_prefix(':') {
        Some(port) => {
            let digits = port.bytes().take_while(u8::is_ascii_digit).count().min(5);
            if digits > 0 { 1 + digits } else { 0 }
        }
        None => 0,
    };
    host_len + matched_port == rest.len()
}

fn all_userinfo(userinfo: &str) -> bool {
    all_pchars(userinfo, &[]) && !userinfo.contains(['|', '@'])
}

fn dec_octet(text: &str) -> bool {
    match text.len() {
        1 => true,
        2 => !text.starts_with('0'),
        3 => {
            text.starts_with('1')
                || (text.starts_with('2')
                    && (text.as_bytes()[1] < b'5' || (text.as_bytes()[1] == b'5' && text.as_bytes()[2] <= b'5')))
        }
        _ => false,
    }
}

/// Length of an IP host at the start of `text`, as the first regex match finds it.
fn ip_host_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // IPv4: three octets each followed by a dot, then one digit.
    let mut i = 0;
    let mut ok = true;
    for _ in 0..3 {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || bytes.get(i + digits) != Some(&b'.') || !dec_octet(&text[i..i + digits]) {
            ok = false;
            break;
        }
        i += digits + 1;
    }
    if ok && bytes.get(i).is_some_and(u8::is_ascii_digit) {
        return Some(i + 1);
    }
    if bytes.first() == Some(&b'[') {
        let inner = bytes[1..].iter().take_while(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.')).count();
        if inner > 0 && bytes.get(1 + inner) == Some(&b']') {
            return Some(inner + 2);
        }
    }
    None
}

/// Length of `(subdomain.)* domain. tld` at the start of `text`: the most labels that
/// still leave a valid domain label and a TLD.
fn unicode_domain_len(text: &str) -> Option<usize> {
    let wide = |c: char| !c.is_ascii();
    let sub_ok = |label: &str| segment_ok(label, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || wide(c));
    let name_ok = |label: &str| segment_ok(label, |c| c.is_ascii_alphanumeric() || c == '-' || wide(c));
    let labels: Vec<&str> = text.split('.').collect();
    let mut best = None;
    let mut offset = 0;
    for label in labels.iter().take(labels.len().saturating_sub(1)) {
        // The labels before are subdomains, this one the domain, the next starts the TLD.
        if name_ok(label) {
            let tld_start = offset + label.len() + 1;
            if let Some(len) = tld_len(&text[tld_start..]) {
                best = Some(tld_start + len);
            }
        }
        if !sub_ok(label) {
            break;
        }
        offset += label.len() + 1;
    }
    best
}

fn segment_ok(label: &str, inner: impl Fn(char) -> bool) -> bool {
    let edge = |c: char| c.is_ascii_alphanumeric() || !c.is_ascii();
    let mut chars = label.chars();
    match (chars.next(), label.chars().next_back()) {
        (Some(first), Some(last)) => edge(first) && edge(last) && label.chars().all(inner),
        _ => false,
    }
}

/// The longest TLD-shaped prefix: a letter (or non-ASCII), then letters, digits, `-`,
/// ending on a letter, digit or non-ASCII character.
fn tld_len(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    if first.is_ascii() && !first.is_ascii_alphabetic() {
        return None;
    }
    let mut best = first.len_utf8();
    for (i, c) in chars {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            best = i + c.len_utf8();
        } else if c != '-' {
            break;
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_urls_like_the_reference() {
        assert!(is_valid_url("http://example.com", true));
        assert!(is_valid_url("http://[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:80/index.html", true));
        assert!(is_valid_url("http://user:PASSW0RD@example.com:8080/login.php", true));
        assert!(!is_valid_url("http://256.1.2.3/", true));
        assert!(!is_valid_url("http://example.com/#anchor ", true));
        assert!(!is_valid_url("https://user:pass[word]@www.example.com/", true));
        assert!(is_valid_url("http://☃.net/", true));
        assert!(!is_valid_url("http://☃-.net/", true));
    }
}
