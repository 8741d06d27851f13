//! Cashtags (`$TICKER`) as twitter-text's `validCashtag` finds them: at the start or after
//! white space, one to six ASCII letters, optionally `.` or `_` and one or two letters,
//! followed by the end, white space or ASCII punctuation.

use crate::classes::{char_at, char_before, is_domain_punct, is_space};

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    is_space(c) || c == '\u{FEFF}'
}

fn ends_cashtag(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => is_js_space(c) || is_domain_punct(c),
    }
}

/// The end of a cashtag body starting at `body`, trying the longest forms first.
fn cashtag_end(text: &str, body: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let letters = bytes[body..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    for n in (1..=letters.min(6)).rev() {
        let after = body + n;
        if matches!(bytes.get(after), Some(b'.' | b'_')) {
            let more = bytes[after + 1..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
            for k in (1..=more.min(2)).rev() {
                let end = after + 1 + k;
                if ends_cashtag(char_at(text, end)) {
                    return Some(end);
                }
            }
        }
        if ends_cashtag(char_at(text, after)) {
            return Some(after);
        }
    }
    None
}

/// An iterator over cashtags: `(start, end)` byte ranges, the `$` included.
#[derive(Debug, Clone)]
pub(crate) struct CashtagScanner<'a> {
    text: &'a str,
    pos: usize,
    consumed: usize,
}

impl<'a> CashtagScanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CashtagScanner { text, pos: 0, consumed: 0 }
    }
}

impl Iterator for CashtagScanner<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        while let Some(offset) = memchr::memchr(b'$', text.as_bytes().get(self.pos..)?) {
            let at = self.pos + offset;
            self.pos = at + 1;
            let preceded = match char_before(text, at) {
                None => self.consumed == 0,
                Some(c) => is_space(c) && at - c.len_utf8() >= self.consumed,
            };
            if !preceded {
                continue;
            }
            if let Some(end) = cashtag_end(text, at + 1) {
                self.pos = end;
                self.consumed = end;
                return Some((at, end));
            }
        }
        self.pos = text.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cashtags(text: &str) -> Vec<&str> {
        CashtagScanner::new(text).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_tickers() {
        assert_eq!(cashtags("$CAFE sube, $TEST.T y $x_ab"), ["$CAFE", "$TEST.T", "$x_ab"]);
        assert_eq!(cashtags("$TEST. $TEST_"), ["$TEST", "$TEST"]);
        assert!(cashtags("$123 precio$AB $TOOLONGTICKER").is_empty());
    }
}
