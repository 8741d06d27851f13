//! Turning a message into tokens the lexicon can look up.
//!
//! One pass over the characters: lower case, accents folded (`está` → `esta`, `ñ` → `n`),
//! letters repeated three or more times shortened to two (`siiii` → `sii`, `goood` →
//! `good`; the lexicon lookup then also tries one), apostrophes inside words dropped
//! (`don't` → `dont`), links replaced by the token `_url`, `@mentions` dropped, hashtags
//! kept as words, emoji and text emoticons (`:)`, `:(`) kept as tokens of their own, and
//! punctuation recorded as clause boundaries (negation does not cross them) and counted
//! (`?`, `¿`, `!`, `¡`).

/// One token: a span of the normalised buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// A clause boundary (punctuation) comes right before this token.
    pub(crate) boundary: bool,
    /// Letters were repeated for emphasis (`nooo`).
    pub(crate) elongated: bool,
    /// The [`word_hash`] of the token's text.
    pub(crate) hash: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over the word's bytes, high bits folded down (tables index with the low ones).
#[inline]
pub(crate) fn word_hash(word: &str) -> u64 {
    let mut hash = FNV_OFFSET;
    for byte in word.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    }
    hash ^ (hash >> 29)
}

/// A message as tokens, with the cues read on the way.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tokens {
    buf: String,
    pub(crate) tokens: Vec<Token>,
    /// `?` and `¿`.
    pub(crate) questions: u16,
    /// `!` and `¡`.
    pub(crate) exclamations: u16,
    /// Letters seen.
    pub(crate) letters: u16,
    /// Upper-case letters seen.
    pub(crate) upper: u16,
    /// Marks only Spanish writes: `ñ`, `¿`, `¡`, accented vowels.
    pub(crate) spanish_marks: u16,
    /// Links.
    pub(crate) urls: u16,
    /// `@mentions`.
    pub(crate) mentions: u16,
    /// `#hashtags`.
    pub(crate) hashtags: u16,
    /// The message starts with `¿` or ends with `?` (a real question rather than a `?` inside).
    pub(crate) ends_with_question: bool,
}

impl Tokens {
    /// Tokenises `text`, reusing this value's buffers.
    pub(crate) fn read(&mut self, text: &str) {
        self.buf.clear();
        self.tokens.clear();
        self.questions = 0;
        self.exclamations = 0;
        self.letters = 0;
        self.upper = 0;
        self.spanish_marks = 0;
        self.urls = 0;
        self.mentions = 0;
        self.hashtags = 0;
        self.ends_with_question = text.trim_start().starts_with('¿') || text.trim_end().ends_with('?');
        let mut boundary = true;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    if (b == b'h' || b == b'w') && starts_link(&text[at..]) {
                        at += text[at..].find(char::is_whitespace).unwrap_or(text.len() - at);
                        self.push_word("_url", false, boundary);
                        self.urls = self.urls.saturating_add(1);
                    } else {
                        at = self.word(text, at, boundary);
                    }
                    boundary = false;
                    continue;
                }
                match b {
                    b'@' if bytes.get(at + 1).is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_') => {
                        at += 1;
                        while bytes
                            .get(at)
                            .is_some_and(|n| n.is_ascii_alphanumeric() || matches!(n, b'_' | b'.' | b'@'))
                        {
                            at += 1;
                        }
                        self.mentions = self.mentions.saturating_add(1);
                        continue;
                    }
                    b'#' => self.hashtags = self.hashtags.saturating_add(1),
                    b'?' => {
                        self.questions = self.questions.saturating_add(1);
                        boundary = true;
                    }
                    b'!' => {
                        self.exclamations = self.exclamations.saturating_add(1);
                        boundary = true;
                    }
                    b':' | b';' | b'=' => {
                        if let Some((emoji, used)) = emoticon(&text[at + 1..]) {
                            self.push_word(emoji, false, boundary);
                            at += 1 + used;
                            boundary = true;
                            continue;
                        }
                        boundary = true;
                    }
                    b'.' | b',' | b'(' | b')' | b'"' | b'-' | b'/' => boundary = true,
                    _ => {}
                }
                at += 1;
                continue;
            }
            let Some(c) = text[at..].chars().next() else { break };
            if c.is_alphanumeric() {
                at = self.word(text, at, boundary);
                boundary = false;
                continue;
            }
            match c {
                '¿' => {
                    self.questions = self.questions.saturating_add(1);
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                    boundary = true;
                }
                '¡' => {
                    self.exclamations = self.exclamations.saturating_add(1);
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                    boundary = true;
                }
                '“' | '”' | '…' | '–' | '—' => boundary = true,
                _ if is_emoji(c) => {
                    let mut tmp = [0u8; 4];
                    self.push_word(c.encode_utf8(&mut tmp), false, boundary);
                }
                _ => {}
            }
            at += c.len_utf8();
        }
    }

    /// The text of a token.
    pub(crate) fn text(&self, token: &Token) -> &str {
        self.buf.get(token.start as usize..token.end as usize).unwrap_or("")
    }

    /// Whether most letters are capitals (shouting), in a message long enough to tell.
    pub(crate) fn shouting(&self) -> bool {
        self.letters >= 8 && u32::from(self.upper) * 10 >= u32::from(self.letters) * 7
    }

    fn push_word(&mut self, word: &str, elongated: bool, boundary: bool) {
        let start = self.buf.len() as u32;
        self.buf.push_str(word);
        self.tokens.push(Token { start, end: self.buf.len() as u32, boundary, elongated, hash: word_hash(word) });
    }

    /// Reads the word starting at byte `from` of `text`; returns where it ends.
    fn word(&mut self, text: &str, from: usize, boundary: bool) -> usize {
        let start = self.buf.len() as u32;
        let bytes = text.as_bytes();
        let mut elongated = false;
        let mut last = '\0';
        let mut run = 0u8;
        let mut hash = FNV_OFFSET;
        let mut at = from;
        while at < bytes.len() {
            let b = bytes[at];
            let folded = if b < 0x80 {
                if b.is_ascii_alphabetic() {
                    self.letters = self.letters.saturating_add(1);
                    if b.is_ascii_uppercase() {
                        self.upper = self.upper.saturating_add(1);
                    }
                    at += 1;
                    char::from(b.to_ascii_lowercase())
                } else if b.is_ascii_digit() {
                    at += 1;
                    char::from(b)
                } else if (b == b'\'') && next_is_alphabetic(text, at + 1) {
                    at += 1;
                    continue;
                } else {
                    break;
                }
            } else {
                let Some(c) = text[at..].chars().next() else { break };
                if c == '’' && next_is_alphabetic(text, at + c.len_utf8()) {
                    at += c.len_utf8();
                    continue;
                }
                if !c.is_alphanumeric() {
                    break;
                }
                at += c.len_utf8();
                if c.is_alphabetic() {
                    self.letters = self.letters.saturating_add(1);
                    if c.is_uppercase() {
                        self.upper = self.upper.saturating_add(1);
                    }
                }
                let lower = c.to_lowercase().next().unwrap_or(c);
                let (plain, spanish) = fold(lower);
                if spanish {
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                }
                plain
            };
            if folded == last {
                run = run.saturating_add(1);
                if run >= 2 {
                    elongated = true;
                    continue;
                }
            } else {
                run = 0;
                last = folded;
            }
            if folded.is_ascii() {
                hash = (hash ^ folded as u64).wrapping_mul(FNV_PRIME);
            } else {
                let mut tmp = [0u8; 4];
                for byte in folded.encode_utf8(&mut tmp).bytes() {
                    hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
                }
            }
            self.buf.push(folded);
        }
        let hash = hash ^ (hash >> 29);
        self.tokens.push(Token { start, end: self.buf.len() as u32, boundary, elongated, hash });
        if at == from { from + text[from..].chars().next().map_or(1, char::len_utf8) } else { at }
    }
}

fn next_is_alphabetic(text: &str, at: usize) -> bool {
    text.get(at..).and_then(|rest| rest.chars().next()).is_some_and(char::is_alphabetic)
}

fn starts_link(text: &str) -> bool {
    let head = text.get(..8).unwrap_or(text);
    head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.")
}

/// Text emoticons after `:`, `;` or `=`, as the emoji that means the same.
fn emoticon(after: &str) -> Option<(&'static str, usize)> {
    let after = after.strip_prefix('-').map_or((after, 0), |s| (s, 1));
    let (text, dash) = after;
    let c = text.chars().next()?;
    let emoji = match c {
        ')' | ']' => "🙂",
        '(' | '[' => "🙁",
        'D' => "😄",
        '/' | '\\' => "😕",
        'P' | 'p' => "😛",
        '\'' if text[1..].starts_with('(') => return Some(("😢", dash + 2)),
        _ => return None,
    };
    Some((emoji, dash + c.len_utf8()))
}

/// Lower-case letter with its accent folded, and whether the mark is one only Spanish uses
/// among the two languages read here.
fn fold(c: char) -> (char, bool) {
    match c {
        'á' | 'é' | 'í' | 'ó' | 'ú' | 'ñ' => (
            match c {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' => 'u',
                _ => 'n',
            },
            true,
        ),
        'à' | 'â' | 'ä' | 'ã' => ('a', false),
        'è' | 'ê' | 'ë' => ('e', false),
        'ì' | 'î' | 'ï' => ('i', false),
        'ò' | 'ô' | 'ö' | 'õ' => ('o', false),
        'ù' | 'û' | 'ü' => ('u', false),
        'ç' => ('c', false),
        _ => (c, false),
    }
}

/// Whether a character is an emoji we keep as a token (skin tones, joiners and variation
/// selectors are dropped).
fn is_emoji(c: char) -> bool {
    let code = c as u32;
    matches!(code, 0x1F100..=0x1F1FF | 0x1F300..=0x1F3FA | 0x1F400..=0x1F64F | 0x1F680..=0x1F6FF | 0x1F900..=0x1FAFF | 0x2600..=0x27BF | 0x2B50)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut tokens = Tokens::default();
        tokens.read(text);
        tokens.tokens.iter().map(|t| tokens.text(t).to_owned()).collect()
    }

    #[test]
    fn folds_accents_case_elongation_and_apostrophes() {
        assert_eq!(words("¡NO está mal, Señor! Don't goooo"), ["no", "esta", "mal", "senor", "dont", "goo"]);
        assert_eq!(
            words("siiiii 😍😍 :( https://x.example/a?b=1 @cafe_tertulia #fail"),
            ["sii", "😍", "😍", "🙁", "_url", "fail"]
        );
    }

    #[test]
    fn odd_text_never_panics() {
        let mut tokens = Tokens::default();
        for text in [
            "",
            "'",
            "’x",
            "x’",
            "@",
            "@@a",
            "#",
            ":",
            ":-",
            "🏳️‍🌈👩🏽‍💻",
            "ÀÉÎÕÜ ǅ ß ﬁ",
            "http",
            "www.",
            "a\u{301}",
            "\u{200d}",
            "¿¡",
            "x''y",
            "日本語テキスト",
        ] {
            tokens.read(text);
            for token in &tokens.tokens {
                assert!(!tokens.text(token).is_empty() || text.is_empty());
                assert_eq!(token.hash, word_hash(tokens.text(token)), "{text}");
            }
        }
    }

    #[test]
    fn records_boundaries_and_cues() {
        let mut tokens = Tokens::default();
        tokens.read("¿Dónde está mi pedido? No llega.");
        assert_eq!(tokens.questions, 2);
        assert!(tokens.spanish_marks >= 2);
        assert!(tokens.tokens[0].boundary);
        assert!(tokens.tokens[4].boundary, "the clause after `?` starts fresh");
        assert!(!tokens.tokens[5].boundary);
        tokens.read("WHY IS THIS STILL BROKEN");
        assert!(tokens.shouting());
        assert!(!tokens.ends_with_question);
    }
}
