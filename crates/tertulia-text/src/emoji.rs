//! Emoji sequences that X weighs as one character: keycaps, flags, tag sequences, and
//! pictographs with their variation selector, skin tone and zero-width-joiner chains.

use unicode_properties::{EmojiStatus, UnicodeEmoji};

const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
const KEYCAP: char = '\u{20E3}';

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

fn is_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}')
}

fn presents_as_emoji(status: EmojiStatus) -> bool {
    matches!(
        status,
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiPresentationAndModifierBase
            | EmojiStatus::EmojiPresentationAndEmojiComponent
            | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    )
}

fn takes_modifier(status: EmojiStatus) -> bool {
    matches!(status, EmojiStatus::EmojiModifierBase | EmojiStatus::EmojiPresentationAndModifierBase)
}

/// One pictograph with what may follow it: a skin tone, or U+FE0F. Returns its byte length.
/// A character that shows as text by default counts only when U+FE0F follows it, unless
/// `in_chain` (after a zero-width joiner).
fn element(rest: &str, in_chain: bool) -> Option<usize> {
    let mut chars = rest.chars();
    let c = chars.next()?;
    if c.is_ascii() {
        return None;
    }
    let status = c.emoji_status();
    if !c.is_emoji_char() || is_regional_indicator(c) {
        return None;
    }
    let mut len = c.len_utf8();
    match chars.next() {
        Some(m) if is_modifier(m) && takes_modifier(status) => len += m.len_utf8(),
        Some(VS16) => len += VS16.len_utf8(),
        _ if presents_as_emoji(status) || in_chain => {}
        _ => return None,
    }
    Some(len)
}

/// Whether `c` can start an emoji sequence at all, answered without a table look-up for
/// the common scripts: below U+203C only ©, ®, digits, `#` and `*` can; CJK ideographs,
/// kana and Hangul syllables cannot (but for four CJK symbols).
#[inline]
pub(crate) fn may_start(c: char) -> bool {
    match u32::from(c) {
        0x30..=0x39 | 0x23 | 0x2A | 0xA9 | 0xAE => true,
        0..=0x203B => false,
        0x3000..=0x9FFF => matches!(c, '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'),
        0xAC00..=0xD7AF | 0xFF00..=0xFFEF => false,
        _ => true,
    }
}

/// The byte length of the emoji sequence starting `rest`, if one does.
#[inline]
pub(crate) fn emoji_len(rest: &str) -> Option<usize> {
    let mut chars = rest.chars();
    let first = chars.next()?;
    if !may_start(first) {
        return None;
    }
    if matches!(first, '0'..='9' | '#' | '*') {
        let mut len = 1;
        let mut next = chars.next();
        if next == Some(VS16) {
            len += VS16.len_utf8();
            next = chars.next();
        }
        return (next == Some(KEYCAP)).then_some(len + KEYCAP.len_utf8());
    }
    if is_regional_indicator(first) {
        return chars.next().filter(|&c| is_regional_indicator(c)).map(|c| first.len_utf8() + c.len_utf8());
    }
    if first == '\u{1F3F4}' {
        let tags: usize =
            chars.clone().take_while(|c| matches!(c, '\u{E0020}'..='\u{E007E}')).map(char::len_utf8).sum();
        if tags > 0 && rest[first.len_utf8() + tags..].starts_with('\u{E007F}') {
            return Some(first.len_utf8() + tags + '\u{E007F}'.len_utf8());
        }
    }
    let mut len = element(rest, false)?;
    while rest[len..].starts_with(ZWJ) {
        match element(&rest[len + ZWJ.len_utf8()..], true) {
            Some(more) => len += ZWJ.len_utf8() + more,
            None => break,
        }
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_sequences() {
        assert_eq!(emoji_len("😷x"), Some("😷".len()));
        assert_eq!(emoji_len("👨‍👩‍👧‍👦!"), Some("👨‍👩‍👧‍👦".len()));
        assert_eq!(emoji_len("🙋🏽"), Some("🙋🏽".len()));
        assert_eq!(emoji_len("1⃣"), Some("1⃣".len()));
        assert_eq!(emoji_len("🇪🇸"), Some("🇪🇸".len()));
        assert_eq!(emoji_len("✌️"), Some("✌️".len()));
        assert_eq!(emoji_len("✌🏿️"), Some("✌🏿".len()));
        assert_eq!(emoji_len("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"), Some(28));
        assert_eq!(emoji_len("©"), None);
        assert_eq!(emoji_len("a"), None);
        assert_eq!(emoji_len("1"), None);
    }

    #[test]
    fn the_quick_rejection_agrees_with_the_tables() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            if !may_start(c) {
                assert!(!c.is_emoji_char() || c.is_ascii(), "{c:?} U+{:04X}", u32::from(c));
            }
        }
    }
}
