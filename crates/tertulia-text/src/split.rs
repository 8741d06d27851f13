//! Turning a long text into a thread whose every part fits a network.

use std::ops::Range;

use tertulia_core::TextRules;
use unicode_segmentation::UnicodeSegmentation;

use crate::boundaries::{inside, protected_ranges, safe_cuts};
use crate::count::fits;

/// How to split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SplitOptions {
    /// Append ` i/n` to every part (counted against the limit like the rest of the text).
    pub numbering: bool,
}

/// Why a text cannot become a thread.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// Something that may not be cut (a URL, a mention, a hashtag, a grapheme) does not fit
    /// in one part on its own.
    #[error("the text from byte {at} cannot be split to fit: an entity or character is longer than a part")]
    Unsplittable {
        /// Byte offset where the part that could not be made starts.
        at: usize,
    },
}

/// Splits `text` into parts that each fit `rules`, breaking after a sentence where it can,
/// else between words, else between characters, and never inside a URL, a mention, a
/// hashtag or a grapheme cluster. White space at the breaks is dropped. With numbering,
/// each part ends with ` i/n`, and that suffix is counted too. A text that fits comes back
/// as one part (numbered `1/1` only if numbering is asked for).
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{fits, rules_for, split_thread, SplitOptions};
/// let rules = rules_for(&PlatformKind::X);
/// let text = "El café de olla lleva canela y piloncillo. ".repeat(12);
/// let parts = split_thread(&text, &rules, SplitOptions { numbering: true }).unwrap();
/// assert!(parts.len() > 1);
/// assert!(parts.iter().all(|part| fits(part, &rules)));
/// assert!(parts[0].ends_with(&format!(" 1/{}", parts.len())));
/// ```
pub fn split_thread(text: &str, rules: &TextRules, options: SplitOptions) -> Result<Vec<String>, SplitError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let ranges = protected_ranges(text, rules);
    let breaks = Breaks::new(text, &ranges);
    if !options.numbering {
        return split_with(text, rules, &breaks, None);
    }
    // Reserve room for a total with as many digits as it turns out to need.
    let mut digits = 1;
    loop {
        let parts = split_with(text, rules, &breaks, Some(digits))?;
        let needed = parts.len().to_string().len();
        if needed <= digits {
            let total = parts.len();
            return Ok(parts.into_iter().enumerate().map(|(i, part)| numbered(&part, i + 1, total)).collect());
        }
        digits = needed;
    }
}

fn numbered(part: &str, index: usize, total: usize) -> String {
    format!("{part} {index}/{total}")
}

/// Candidate break points, by preference.
struct Breaks {
    sentences: Vec<usize>,
    words: Vec<usize>,
    graphemes: Vec<usize>,
}

impl Breaks {
    fn new(text: &str, ranges: &[Range<usize>]) -> Breaks {
        let keep = |at: &usize| !inside(ranges, *at);
        let mut sentences: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).filter(keep).collect();
        sentences.push(text.len());
        let mut words: Vec<usize> =
            text.char_indices().filter(|&(_, c)| c.is_whitespace()).map(|(i, _)| i).filter(keep).collect();
        words.push(text.len());
        Breaks { sentences, words, graphemes: safe_cuts(text, ranges) }
    }
}

fn split_with(
    text: &str,
    rules: &TextRules,
    breaks: &Breaks,
    digits: Option<usize>,
) -> Result<Vec<String>, SplitError> {
    // The widest suffix a part may carry: " 99/99" for two digits.
    let suffix = digits.map(|d| format!(" {}/{}", "9".repeat(d), "9".repeat(d)));
    let part_fits = |part: &str| match &suffix {
        Some(s) => fits(&format!("{part}{s}"), rules),
        None => fits(part, rules),
    };
    let mut parts = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let rest = text[start..].trim_start();
        start = text.len() - rest.len();
        if rest.is_empty() {
            break;
        }
        let end = [&breaks.sentences, &breaks.words, &breaks.graphemes]
            .into_iter()
            .find_map(|candidates| longest_fit(text, start, candidates, &part_fits))
            .ok_or(SplitError::Unsplittable { at: start })?;
        parts.push(text[start..end].trim_end().to_owned());
        start = end;
    }
    Ok(parts)
}

/// The furthest candidate after `start` whose part fits, if any.
fn longest_fit(text: &str, start: usize, candidates: &[usize], part_fits: &impl Fn(&str) -> bool) -> Option<usize> {
    let after: Vec<usize> =
        candidates.iter().copied().filter(|&c| c > start && !text[start..c].trim().is_empty()).collect();
    // Bisect: a longer part is never shorter to count.
    let (mut lo, mut hi) = (0, after.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if part_fits(text[start..after[mid]].trim_end()) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo.checked_sub(1).map(|i| after[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use tertulia_core::PlatformKind;

    use crate::rules_for;

    fn small(limit: u32) -> TextRules {
        TextRules { max_length: limit, ..rules_for(&PlatformKind::Bluesky) }
    }

    #[test]
    fn prefers_sentences_then_words() {
        let parts = split_thread("Uno dos. Tres cuatro cinco seis.", &small(20), SplitOptions::default()).unwrap();
        assert_eq!(parts, ["Uno dos.", "Tres cuatro cinco", "seis."]);
    }

    #[test]
    fn never_breaks_inside_a_url() {
        let text = "mira https://cafetertulia.es/menu/otono ya";
        let parts = split_thread(text, &small(36), SplitOptions::default()).unwrap();
        assert_eq!(parts, ["mira", "https://cafetertulia.es/menu/otono", "ya"]);
    }

    #[test]
    fn numbering_is_counted() {
        let text = "palabra ".repeat(40);
        let rules = small(30);
        let parts = split_thread(&text, &rules, SplitOptions { numbering: true }).unwrap();
        let total = parts.len();
        assert!(total >= 10);
        for (i, part) in parts.iter().enumerate() {
            assert!(fits(part, &rules), "{part}");
            assert!(part.ends_with(&format!(" {}/{total}", i + 1)));
        }
    }

    #[test]
    fn reports_what_cannot_fit() {
        let text = "https://cafetertulia.es/una/ruta/muy/larga/que/no/cabe";
        assert_eq!(split_thread(text, &small(10), SplitOptions::default()), Err(SplitError::Unsplittable { at: 0 }));
    }
}
