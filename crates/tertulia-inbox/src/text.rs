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
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c.is_alphanumeric() {
                if starts_link(rest) {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    rest = &rest[end..];
                    self.push_word("_url", false, boundary);
                    self.urls = self.urls.saturating_add(1);
                    boundary = false;
                    continue;
                }
                let consumed = self.word(rest, boundary);
                rest = &rest[consumed..];
                boundary = false;
                continue;
            }
            let len = c.len_utf8();
            match c {
                '@' if rest[1..].starts_with(|n: char| n.is_alphanumeric() || n == '_') => {
                    let end = rest[1..]
                        .find(|n: char| !(n.is_alphanumeric() || matches!(n, '_' | '.' | '@')))
                        .map_or(rest.len(), |e| e + 1);
                    rest = &rest[end..];
                    self.mentions = self.mentions.saturating_add(1);
                    continue;
                }
                '#' => self.hashtags = self.hashtags.saturating_add(1),
                '?' => {
                    self.questions = self.questions.saturating_add(1);
                    boundary = true;
                }
                '¿' => {
                    self.questions = self.questions.saturating_add(1);
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                    boundary = true;
                }
                '!' => {
                    self.exclamations = self.exclamations.saturating_add(1);
                    boundary = true;
                }
                '¡' => {
                    self.exclamations = self.exclamations.saturating_add(1);
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                    boundary = true;
                }
                ':' | ';' | '=' => {
                    if let Some((emoji, used)) = emoticon(&rest[len..]) {
                        self.push_word(emoji, false, boundary);
                        rest = &rest[len + used..];
                        boundary = true;
                        continue;
                    }
                    boundary = true;
                }
                '.' | ',' | '(' | ')' | '"' | '“' | '”' | '…' | '-' | '–' | '—' | '/' => boundary = true,
                _ if is_emoji(c) => {
                    let mut tmp = [0u8; 4];
                    self.push_word(c.encode_utf8(&mut tmp), false, boundary);
                }
                _ => {}
            }
            rest = &rest[len..];
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
        self.tokens.push(Token { start, end: self.buf.len() as u32, boundary, elongated });
    }

    /// Reads one word from the start of `text`; returns the bytes consumed.
    fn word(&mut self, text: &str, boundary: bool) -> usize {
        let start = self.buf.len() as u32;
        let mut elongated = false;
        let mut last = '\0';
        let mut run = 0u8;
        let mut consumed = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let folded = if c.is_alphanumeric() {
                if c.is_alphabetic() {
                    self.letters = self.letters.saturating_add(1);
                    if c.is_uppercase() {
                        self.upper = self.upper.saturating_add(1);
                    }
                }
                let lower = if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) };
                let (plain, spanish) = fold(lower);
                if spanish {
                    self.spanish_marks = self.spanish_marks.saturating_add(1);
                }
                plain
            } else if matches!(c, '\'' | '’') && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()) {
                consumed = at + c.len_utf8();
                continue;
            } else {
                break;
            };
            consumed = at + c.len_utf8();
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
            self.buf.push(folded);
        }
        self.tokens.push(Token { start, end: self.buf.len() as u32, boundary, elongated });
        consumed.max(1)
    }
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
        assert!(tokens.ends_with_question == false);
    }
}
