//! Top-level domain look-ups, as twitter-text's `validGTLD`, `validCCTLD` and
//! `validPunycode` patterns match them.

use super::tld_table::{
    COUNTRY_ASCII, COUNTRY_ASCII_KEYS, COUNTRY_OTHER, GENERIC_ASCII, GENERIC_ASCII_KEYS, GENERIC_OTHER,
};
use crate::classes::char_at;

/// The longest TLD in characters; longer runs are never a TLD.
const MAX_TLD_CHARS: usize = 24;

/// Whether a TLD may end before `next`: not before an ASCII letter or digit, `@`, `+` or `-`.
fn may_end_before(next: Option<char>) -> bool {
    !matches!(next, Some(c) if c.is_ascii_alphanumeric() || matches!(c, '@' | '+' | '-'))
}

/// The end (byte offset) of a TLD starting at `start`, if one starts there. `limit` is where
/// the text ends for this search (a TLD may end right at it).
pub(crate) fn match_tld(text: &str, start: usize, limit: usize) -> Option<usize> {
    let text = text.get(..limit)?;
    let rest = text.get(start..)?;
    let first = rest.chars().next()?;
    if first.is_ascii_alphabetic() {
        let run = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let end = start + run;
        if run <= MAX_TLD_CHARS && may_end_before(char_at(text, end)) {
            let mut buf = [0u8; MAX_TLD_CHARS];
            for (slot, byte) in buf.iter_mut().zip(rest.bytes().take(run)) {
                *slot = byte.to_ascii_lowercase();
            }
            if is_ascii_tld(&buf[..run]) {
                return Some(end);
            }
        }
        if !char_at(text, end).is_some_and(|c| c.is_ascii()) {
            // A name that starts in ASCII and goes on outside it (`vermögensberater`).
            if let Some(found) =
                match_other(text, start, GENERIC_OTHER).or_else(|| match_other(text, start, COUNTRY_OTHER))
            {
                return Some(found);
            }
        }
        return match_punycode(text, start);
    }
    if first.is_ascii() {
        return None;
    }
    match_other(text, start, GENERIC_OTHER).or_else(|| match_other(text, start, COUNTRY_OTHER))
}

/// Whether lower-case ASCII `name` is a TLD: names of up to 16 letters are compared as
/// packed integers, longer ones as strings.
fn is_ascii_tld(name: &[u8]) -> bool {
    if name.len() <= 16 {
        let mut packed = [0u8; 16];
        packed[..name.len()].copy_from_slice(name);
        let key = u128::from_be_bytes(packed);
        GENERIC_ASCII_KEYS.binary_search(&key).is_ok() || COUNTRY_ASCII_KEYS.binary_search(&key).is_ok()
    } else {
        let name = std::str::from_utf8(name).unwrap_or("");
        GENERIC_ASCII.binary_search(&name).is_ok() || COUNTRY_ASCII.binary_search(&name).is_ok()
    }
}

/// `xn--` followed by letters and digits (no look-ahead).
fn match_punycode(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?.as_bytes();
    if rest.len() > 4 && rest[..4].eq_ignore_ascii_case(b"xn--") {
        let run = rest[4..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run > 0 {
            return Some(start + 4 + run);
        }
    }
    None
}

/// The longest TLD of `table` (names with non-ASCII letters) that prefixes the text at `start`.
fn match_other(text: &str, start: usize, table: &[&str]) -> Option<usize> {
    let rest = text.get(start..)?;
    // Lower-case a short run of non-ASCII characters into a stack buffer.
    let mut buf = [0u8; MAX_TLD_CHARS * 4];
    let mut ends = [0usize; MAX_TLD_CHARS];
    let mut written = 0;
    let mut count = 0;
    for c in rest.chars() {
        if (c.is_ascii() && !c.is_ascii_alphabetic()) || count == MAX_TLD_CHARS {
            break;
        }
        let mut lower = c.to_lowercase();
        let folded = match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        };
        if written + folded.len_utf8() > buf.len() {
            break;
        }
        written += folded.encode_utf8(&mut buf[written..]).len();
        ends[count] = written;
        count += 1;
    }
    let mut source_end = start;
    let mut source_ends = [0usize; MAX_TLD_CHARS];
    for (slot, c) in source_ends.iter_mut().zip(rest.chars()).take(count) {
        source_end += c.len_utf8();
        *slot = source_end;
    }
    for n in (1..=count).rev() {
        let candidate = std::str::from_utf8(&buf[..ends[n - 1]]).unwrap_or("");
        if table.binary_search(&candidate).is_ok() && may_end_before(char_at(text, source_ends[n - 1])) {
            return Some(source_ends[n - 1]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ascii_tlds_only_before_a_boundary() {
        assert_eq!(match_tld("com", 0, 3), Some(3));
        assert_eq!(match_tld("COM/x", 0, 5), Some(3));
        assert_eq!(match_tld("comm", 0, 4), None);
        assert_eq!(match_tld("com-x", 0, 5), None);
        assert_eq!(match_tld("comだ", 0, 6), Some(3));
        assert_eq!(match_tld("xn--ls8h/", 0, 9), Some(8));
    }

    #[test]
    fn finds_the_longest_non_ascii_tld() {
        let text = "みんなです";
        assert_eq!(match_tld(text, 0, text.len()), Some("みんな".len()));
        let text = "中国/";
        assert_eq!(match_tld(text, 0, text.len()), Some("中国".len()));
    }
}
