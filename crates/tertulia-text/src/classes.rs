//! Character classes shared by the extractors, as twitter-text defines them.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Characters twitter-text treats as white space (`spacesGroup`).
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{09}'..='\u{0D}'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{180E}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Characters a post may not contain (byte-order marks and U+FFFF).
pub(crate) fn is_invalid(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

/// Bidirectional formatting characters.
pub(crate) fn is_directional(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// ASCII punctuation that ends a domain label (`punct`; `"` and `` ` `` are not in it).
pub(crate) fn is_domain_punct(c: char) -> bool {
    matches!(
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
            | '-'
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
            | '_'
            | '{'
            | '|'
            | '}'
            | '~'
            | '$'
    )
}

/// A character that may appear in a domain label (`validDomainChars`).
pub(crate) fn is_domain_char(c: char) -> bool {
    !is_domain_punct(c) && !is_space(c) && !is_invalid(c)
}

/// Latin letters with accents (`latinAccentChars`).
pub(crate) fn is_latin_accent(c: char) -> bool {
    matches!(
        c,
        '\u{C0}'..='\u{D6}'
            | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{FF}'
            | '\u{0100}'..='\u{024F}'
            | '\u{0253}'
            | '\u{0254}'
            | '\u{0256}'
            | '\u{0257}'
            | '\u{0259}'
            | '\u{025B}'
            | '\u{0263}'
            | '\u{0268}'
            | '\u{026F}'
            | '\u{0272}'
            | '\u{0289}'
            | '\u{028B}'
            | '\u{02BB}'
            | '\u{0300}'..='\u{036F}'
            | '\u{1E00}'..='\u{1EFF}'
    )
}

/// Cyrillic letters and marks (U+0400..U+04FF).
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// A letter or mark that may appear in a hashtag (`hashtagAlpha`).
pub(crate) fn is_hashtag_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    // Large blocks made only of letters: CJK ideographs, kana, Hangul syllables.
    if matches!(u32::from(c), 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3) {
        return true;
    }
    matches!(c.general_category_group(), GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark)
}

/// A letter, mark, digit or joiner that may appear in a hashtag (`hashtagAlphaNumeric`).
pub(crate) fn is_hashtag_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    is_hashtag_alpha(c)
        || c.general_category() == GeneralCategory::DecimalNumber
        || matches!(
            c,
            '\u{200C}'
                | '\u{200D}'
                | '\u{A67E}'
                | '\u{05BE}'
                | '\u{05F3}'
                | '\u{05F4}'
                | '\u{FF5E}'
                | '\u{301C}'
                | '\u{309B}'
                | '\u{309C}'
                | '\u{30A0}'
                | '\u{30FB}'
                | '\u{3003}'
                | '\u{0F0B}'
                | '\u{0F0C}'
                | '\u{B7}'
        )
}

/// Unicode punctuation (general category P*).
pub(crate) fn is_unicode_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// The character starting at byte `i`, if any.
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// The character ending at byte `i`, if any.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|head| head.chars().next_back())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_punctuation_follows_the_unicode_categories() {
        for c in (0u8..128).map(char::from) {
            let expected = c.general_category_group() == GeneralCategoryGroup::Punctuation;
            assert_eq!(is_unicode_punct(c), expected, "{c:?}");
        }
    }

    #[test]
    fn the_letter_blocks_are_letters() {
        for c in ('\u{3041}'..='\u{3096}')
            .chain('\u{30A1}'..='\u{30FA}')
            .chain('\u{4E00}'..='\u{9FFF}')
            .chain('\u{AC00}'..='\u{D7A3}')
        {
            assert_eq!(c.general_category_group(), GeneralCategoryGroup::Letter, "{c:?}");
        }
    }

    #[test]
    fn hashtag_classes_accept_letters_of_every_script() {
        for c in ['a', 'ñ', 'ж', 'ק', 'ب', 'ก', '한', '漢', 'カ'] {
            assert!(is_hashtag_alpha(c), "{c:?}");
        }
        assert!(is_hashtag_alnum('٤'));
        assert!(!is_hashtag_alpha('٤'));
        assert!(!is_hashtag_alnum('!'));
        assert!(is_hashtag_alnum('_'));
    }
}
