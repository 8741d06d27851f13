//! Shortening a text to fit, without cutting a character, a URL, a mention or a hashtag.

use std::borrow::Cow;

use tertulia_core::TextRules;

use crate::boundaries::{protected_ranges, safe_cuts};
use crate::count::fits;

/// `text` cut to fit `rules`, with `ellipsis` appended when anything was cut. The cut falls
/// on a grapheme boundary outside every entity, and white space before the ellipsis is
/// dropped. Returns the text unchanged when it already fits; returns just what fits of the
/// ellipsis (possibly nothing) when not even the first grapheme fits with it.
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{fits, rules_for, truncate};
/// let rules = rules_for(&PlatformKind::Bluesky);
/// let long = format!("{} https://cafetertulia.es/menu", "café ".repeat(60));
/// let short = truncate(&long, &rules, "…");
/// assert!(fits(&short, &rules));
/// assert!(short.ends_with("café…"));
/// ```
pub fn truncate<'a>(text: &'a str, rules: &TextRules, ellipsis: &str) -> Cow<'a, str> {
    if fits(text, rules) {
        return Cow::Borrowed(text);
    }
    let ranges = protected_ranges(text, rules);
    let cuts = safe_cuts(text, &ranges);
    let candidate = |cut: usize| format!("{}{ellipsis}", text[..cut].trim_end());
    // Length grows with the prefix, so the longest fitting cut is found by bisection.
    let (mut lo, mut hi) = (0usize, cuts.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(&candidate(cuts[mid]), rules) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    match lo.checked_sub(1) {
        Some(best) if cuts[best] > 0 => Cow::Owned(candidate(cuts[best])),
        _ => Cow::Owned(if fits(ellipsis, rules) { ellipsis.to_owned() } else { String::new() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tertulia_core::PlatformKind;

    use crate::rules_for;

    #[test]
    fn never_cuts_a_url_or_a_grapheme() {
        let rules = TextRules { max_length: 30, ..rules_for(&PlatformKind::Bluesky) };
        let text = "Hola 👩‍👩‍👧‍👦 visita https://cafetertulia.es/menu hoy";
        let short = truncate(text, &rules, "…");
        assert_eq!(short, "Hola 👩‍👩‍👧‍👦 visita…");
    }

    #[test]
    fn leaves_fitting_text_alone() {
        let rules = rules_for(&PlatformKind::X);
        assert!(matches!(truncate("corto", &rules, "…"), Cow::Borrowed("corto")));
    }
}
