//! Counting and extracting in one go.

use tertulia_core::{Counter, TextRules};

use crate::count::{length, x_config};
use crate::extract::{Entity, entities_with_urls, extract_entities};
use crate::x::{is_nfc, weigh};

/// A text's length under a network's rules and its entities (as X finds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// The length, as [`length`] gives it.
    pub length: u32,
    /// The entities, as [`extract_entities`] gives them.
    pub entities: Vec<Entity>,
}

/// [`length`] and [`extract_entities`] together. For X's counter the URLs are found once
/// and serve both (when the text is already in NFC, as nearly every text is).
///
/// ```
/// use tertulia_core::PlatformKind;
/// use tertulia_text::{analyze, rules_for};
/// let found = analyze("Menú nuevo: https://cafetertulia.es/menu #otoño", &rules_for(&PlatformKind::X));
/// assert_eq!(found.length, 42);
/// assert_eq!(found.entities.len(), 2);
/// ```
pub fn analyze(text: &str, rules: &TextRules) -> Analysis {
    if rules.counter == Counter::XWeighted && is_nfc(text) {
        let (entities, urls) = entities_with_urls(text);
        let config = x_config(rules);
        let weigh_urls = rules.url_weight.is_some();
        let measured = weigh(text, text, true, &config, urls.into_iter().filter(|_| weigh_urls));
        return Analysis { length: measured.weighted_length, entities };
    }
    Analysis { length: length(text, rules), entities: extract_entities(text) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tertulia_core::PlatformKind;

    use crate::rules_for;

    #[test]
    fn agrees_with_the_separate_calls() {
        for text in ["hola https://cafetertulia.es/a.b #x @y $CAFE", "A\\u{301} cafetertulia.es", "日本語 t.co/abc", ""]
        {
            for platform in [PlatformKind::X, PlatformKind::Mastodon] {
                let rules = rules_for(&platform);
                let both = analyze(text, &rules);
                assert_eq!(both.length, length(text, &rules));
                assert_eq!(both.entities, extract_entities(text));
            }
        }
    }
}
