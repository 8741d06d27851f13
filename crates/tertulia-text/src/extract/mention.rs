//! Mentions: X's `@user` and `@user/list` (twitter-text's `validMentionOrList`), and the
//! fediverse's `@user@host` as Mastodon finds them.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::classes::{char_at, char_before, is_latin_accent};

/// A mention found in a text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MentionMatch {
    /// Start of the `@`.
    pub start: usize,
    /// End of the whole mention.
    pub end: usize,
    /// End of the user name (the list slug or the host follow it).
    pub name_end: usize,
}

fn is_at(c: char) -> bool {
    c == '@' || c == '＠'
}

/// `endMentionMatch`: a mention followed by `@`, a Latin accent or `://` is not one.
fn ends_badly(after: &str) -> bool {
    after.starts_with(is_at) || after.starts_with(is_latin_accent) || after.starts_with("://")
}

/// An iterator over X mentions and lists.
#[derive(Debug, Clone)]
pub(crate) struct MentionScanner<'a> {
    text: &'a str,
    pos: usize,
    consumed: usize,
}

impl<'a> MentionScanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        MentionScanner { text, pos: 0, consumed: 0 }
    }

    /// `validMentionPrecedingChars` for an `@` at `at`: the start of the text, a character
    /// that is not a letter, digit or one of ``_!#$%&*@＠``, or `RT`/`RT:` (any case) that is
    /// itself at the start or after a character that is not a letter, digit or one of `_+~.-`.
    /// Characters consumed by the previous mention cannot serve.
    fn preceded_well(&self, at: usize) -> bool {
        let text = self.text;
        let consumed = self.consumed;
        let Some(prev) = char_before(text, at) else {
            return consumed == 0;
        };
        let excluded =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '!' | '#' | '$' | '%' | '&' | '*' | '@' | '＠');
        if at - prev.len_utf8() >= consumed && !excluded(prev) {
            return true;
        }
        let bytes = text.as_bytes();
        let mut end = at;
        if bytes[end - 1] == b':' {
            end -= 1;
        }
        if end < 2 || !bytes[end - 2..end].eq_ignore_ascii_case(b"rt") {
            return false;
        }
        let rt = end - 2;
        match char_before(text, rt) {
            None => consumed == 0,
            Some(c) => {
                rt - c.len_utf8() >= consumed
                    && !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '~' | '.' | '-'))
            }
        }
    }
}

impl Iterator for MentionScanner<'_> {
    type Item = MentionMatch;

    fn next(&mut self) -> Option<MentionMatch> {
        let text = self.text;
        // '@' is 0x40; '＠' (U+FF20) is EF BC A0.
        while let Some(offset) = memchr::memchr2(b'@', 0xEF, text.as_bytes().get(self.pos..)?) {
            let at = self.pos + offset;
            if text.as_bytes()[at] == 0xEF && !text[at..].starts_with('＠') {
                self.pos = at + 1;
                continue;
            }
            let sign = char_at(text, at)?;
            self.pos = at + sign.len_utf8();
            if !self.preceded_well(at) {
                continue;
            }
            let body = at + sign.len_utf8();
            let name = text[body..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            if name == 0 {
                continue;
            }
            let name_end = body + name.min(20);
            let mut end = name_end;
            let rest = &text.as_bytes()[end..];
            if rest.len() > 1 && rest[0] == b'/' && rest[1].is_ascii_alphabetic() {
                let slug = rest[2..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                    .count()
                    .min(24);
                end += 2 + slug;
            }
            self.pos = end;
            self.consumed = end;
            if ends_badly(&text[end..]) {
                continue;
            }
            return Some(MentionMatch { start: at, end, name_end });
        }
        self.pos = text.len();
        None
    }
}

/// Mastodon's `MENTION_RE`: `@user` or `@user@host`, not after `=`, `/` or a word
/// character; user names of letters, digits and `_`, joined by `.` or `-`.
#[derive(Debug, Clone)]
pub(crate) struct FediverseScanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> FediverseScanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        FediverseScanner { text, pos: 0 }
    }
}

/// Longest host Mastodon counts as a mention (`Extractor::MAX_DOMAIN_LENGTH`).
const MAX_DOMAIN_LENGTH: usize = 253;

/// Ruby's `[[:word:]]`: letters, marks, numbers and connector punctuation.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark | GeneralCategoryGroup::Number
    ) || c.general_category() == GeneralCategory::ConnectorPunctuation
}

/// The end of `[a-z0-9_]+([.-]+[a-z0-9_]+)*` (or, with `word`, of word characters) from `i`.
fn dotted_run(text: &str, i: usize, word: bool) -> usize {
    let allowed = |c: char| if word { is_word(c) } else { c.is_ascii_alphanumeric() || c == '_' };
    let mut end = i;
    let mut q = i;
    loop {
        let rest = &text[q..];
        let len = rest.char_indices().find(|&(_, c)| !allowed(c)).map_or(rest.len(), |(at, _)| at);
        if len == 0 {
            break;
        }
        end = q + len;
        let seps = text[end..].bytes().take_while(|b| matches!(b, b'.' | b'-')).count();
        if seps == 0 {
            break;
        }
        q = end + seps;
    }
    end
}

impl Iterator for FediverseScanner<'_> {
    type Item = MentionMatch;

    fn next(&mut self) -> Option<MentionMatch> {
        let text = self.text;
        while let Some(offset) = memchr::memchr(b'@', text.as_bytes().get(self.pos..)?) {
            let at = self.pos + offset;
            self.pos = at + 1;
            if let Some(prev) = text[..at].chars().next_back()
                && (prev == '=' || prev == '/' || is_word(prev))
            {
                continue;
            }
            let name_end = dotted_run(text, at + 1, false);
            if name_end == at + 1 {
                continue;
            }
            let mut end = name_end;
            if text[name_end..].starts_with('@') {
                let host_end = dotted_run(text, name_end + 1, true);
                if host_end > name_end + 1 {
                    end = host_end;
                }
            }
            self.pos = end;
            if ends_badly(&text[end..]) {
                continue;
            }
            if end > name_end && text[name_end + 1..end].chars().count() > MAX_DOMAIN_LENGTH {
                continue;
            }
            return Some(MentionMatch { start: at, end, name_end });
        }
        self.pos = text.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(text: &str) -> Vec<&str> {
        MentionScanner::new(text).map(|m| &text[m.start..m.end]).collect()
    }

    fn fedi(text: &str) -> Vec<(&str, &str)> {
        FediverseScanner::new(text).map(|m| (&text[m.start..m.end], &text[m.start..m.name_end])).collect()
    }

    #[test]
    fn finds_x_mentions_and_lists() {
        assert_eq!(x("hola @ana y @bruno/equipo-1!"), ["@ana", "@bruno/equipo-1"]);
        assert_eq!(x("RT@ana rt:@bruno"), ["@ana", "@bruno"]);
        assert!(x("mail@example.com f!@kn @aliceìnheiro").is_empty());
    }

    #[test]
    fn finds_fediverse_mentions() {
        assert_eq!(fedi("hola @ana@cafe.social!"), [("@ana@cafe.social", "@ana")]);
        assert_eq!(fedi("@bruno"), [("@bruno", "@bruno")]);
        assert!(fedi("mail=@ana x@y").is_empty());
    }
}
