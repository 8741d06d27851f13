//! Hashtags (`#tag`, `＃tag`), as twitter-text's `validHashtag` finds them: after the start
//! of the text, a variation selector, or any character that is not a hashtag character or
//! `&`; a run of letters, marks, digits and joiners with at least one letter; not followed
//! by another `#` or by `://`.

use crate::classes::{char_at, char_before, is_hashtag_alnum, is_hashtag_alpha};

/// An iterator over hashtags: `(start, end)` byte ranges, the sign included.
#[derive(Debug, Clone)]
pub(crate) struct HashtagScanner<'a> {
    text: &'a str,
    pos: usize,
    /// Characters before this offset were consumed by the previous match.
    consumed: usize,
}

impl<'a> HashtagScanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        HashtagScanner { text, pos: 0, consumed: 0 }
    }
}

fn is_hash(c: char) -> bool {
    c == '#' || c == '＃'
}

impl Iterator for HashtagScanner<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        // '#' is 0x23; '＃' (U+FF03) is EF BC 83.
        while let Some(offset) = memchr::memchr2(b'#', 0xEF, text.as_bytes().get(self.pos..)?) {
            let at = self.pos + offset;
            if text.as_bytes()[at] == 0xEF && !text[at..].starts_with('＃') {
                self.pos = at + 1;
                continue;
            }
            let sign = char_at(text, at)?;
            self.pos = at + sign.len_utf8();
            let boundary = match char_before(text, at) {
                None => true,
                Some(prev) => {
                    at - prev.len_utf8() >= self.consumed
                        && (matches!(prev, '\u{FE0E}' | '\u{FE0F}') || !(is_hashtag_alnum(prev) || prev == '&'))
                }
            };
            if !boundary {
                continue;
            }
            let body = at + sign.len_utf8();
            if matches!(char_at(text, body), Some('\u{FE0F}' | '\u{20E3}')) {
                continue;
            }
            let rest = &text[body..];
            let len = rest.char_indices().find(|&(_, c)| !is_hashtag_alnum(c)).map_or(rest.len(), |(i, _)| i);
            if len == 0 || !rest[..len].chars().any(is_hashtag_alpha) {
                continue;
            }
            let end = body + len;
            self.pos = end;
            self.consumed = end;
            let after = &text[end..];
            if after.starts_with(is_hash) || after.starts_with("://") {
                continue;
            }
            return Some((at, end));
        }
        self.pos = text.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<&str> {
        HashtagScanner::new(text).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_hashtags_in_many_scripts() {
        assert_eq!(tags("#café con #leche, #ещё #日本語。"), ["#café", "#leche", "#ещё", "#日本語"]);
        assert_eq!(tags("全角 ＃ｈａｓｈｔａｇ１２３"), ["＃ｈａｓｈｔａｇ１２３"]);
    }

    #[test]
    fn needs_a_letter_and_a_boundary() {
        assert!(tags("#123 and a#b and #a#b").is_empty());
        assert_eq!(tags("✌️#hashtag"), ["#hashtag"]);
        assert!(tags("#http://example.com").is_empty());
    }
}
