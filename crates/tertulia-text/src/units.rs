//! Offsets in the unit a caller works in: UTF-8 bytes (Rust, Bluesky facets), UTF-16 code
//! units (JavaScript, X, Telegram entities) or Unicode scalar values.

use serde::{Deserialize, Serialize};

/// The unit of an offset or a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// UTF-8 bytes, as Rust slices and Bluesky facets count.
    Utf8,
    /// UTF-16 code units, as JavaScript, X and Telegram count.
    Utf16,
    /// Unicode scalar values (Rust `char`s).
    Chars,
}

/// A half-open range `[start, end)` in some [`Unit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First position.
    pub start: usize,
    /// One past the last position.
    pub end: usize,
}

impl Unit {
    /// The length of `text` in this unit.
    ///
    /// ```
    /// use tertulia_text::Unit;
    /// assert_eq!(Unit::Utf8.len("café"), 5);
    /// assert_eq!(Unit::Utf16.len("😀"), 2);
    /// assert_eq!(Unit::Chars.len("😀"), 1);
    /// ```
    pub fn len(self, text: &str) -> usize {
        match self {
            Unit::Utf8 => text.len(),
            Unit::Utf16 => text.chars().map(char::len_utf16).sum(),
            Unit::Chars => text.chars().count(),
        }
    }

    /// Converts a byte offset of `text` into this unit. An offset inside a character or
    /// past the end is clamped to the character boundary before it.
    ///
    /// ```
    /// use tertulia_text::Unit;
    /// let text = "¡olé! 😀";
    /// assert_eq!(Unit::Utf16.from_byte(text, text.len()), 8);
    /// ```
    pub fn from_byte(self, text: &str, byte: usize) -> usize {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        self.len(&text[..byte])
    }

    /// Converts byte ranges of `text` into this unit in one pass. The ranges may come in
    /// any order.
    ///
    /// ```
    /// use tertulia_text::{Span, Unit};
    /// let text = "😀 #café";
    /// let spans = Unit::Utf16.spans(text, &[5..11]);
    /// assert_eq!(spans, [Span { start: 3, end: 8 }]);
    /// ```
    pub fn spans(self, text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<Span> {
        if self == Unit::Utf8 {
            return ranges.iter().map(|r| Span { start: r.start, end: r.end }).collect();
        }
        let mut points: Vec<(usize, usize)> = Vec::with_capacity(ranges.len() * 2);
        for (i, r) in ranges.iter().enumerate() {
            points.push((r.start, i * 2));
            points.push((r.end, i * 2 + 1));
        }
        points.sort_unstable();
        let mut converted = vec![0usize; ranges.len() * 2];
        let mut units = 0usize;
        let mut chars = text.char_indices().peekable();
        for (byte, slot) in points {
            while let Some(&(at, c)) = chars.peek() {
                if at + c.len_utf8() > byte {
                    break;
                }
                units += if self == Unit::Utf16 { c.len_utf16() } else { 1 };
                chars.next();
            }
            converted[slot] = units;
        }
        converted.chunks(2).map(|pair| Span { start: pair[0], end: pair[1] }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_ranges_in_any_order() {
        let text = "a😀b😀c";
        let spans = Unit::Utf16.spans(text, &[10..11, 0..1, 1..5]);
        assert_eq!(spans, [Span { start: 6, end: 7 }, Span { start: 0, end: 1 }, Span { start: 1, end: 3 }]);
        let chars = Unit::Chars.spans(text, &[10..11, 0..1]);
        assert_eq!(chars, [Span { start: 4, end: 5 }, Span { start: 0, end: 1 }]);
    }
}
