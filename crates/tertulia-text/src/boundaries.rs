//! Where a text may be cut: never inside a grapheme cluster, a URL, a mention or a hashtag.

use std::ops::Range;

use tertulia_core::TextRules;
use unicode_segmentation::UnicodeSegmentation;

use crate::extract::{CashtagScanner, FediverseScanner, HashtagScanner, MentionScanner, UrlFlavor, UrlScanner};
use crate::facets::detect_facets;

/// The byte ranges of every entity a cut must not split, under `rules`' URL flavour, sorted.
pub(crate) fn protected_ranges(text: &str, rules: &TextRules) -> Vec<Range<usize>> {
    let flavor = if rules.urls_need_scheme { UrlFlavor::Mastodon } else { UrlFlavor::Twitter };
    let mut ranges: Vec<Range<usize>> = UrlScanner::new(text, flavor, true).map(|m| m.start..m.end).collect();
    ranges.extend(HashtagScanner::new(text).map(|(s, e)| s..e));
    ranges.extend(MentionScanner::new(text).map(|m| m.start..m.end));
    ranges.extend(FediverseScanner::new(text).map(|m| m.start..m.end));
    ranges.extend(CashtagScanner::new(text).map(|(s, e)| s..e));
    ranges.extend(detect_facets(text).items.iter().map(|item| {
        let index = match item {
            crate::facets::Detected::Mention { index, .. } => *index,
            crate::facets::Detected::Ready(facet) => facet.index,
        };
        index.byte_start..index.byte_end
    }));
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges
}

/// Whether a cut at `at` would split one of `ranges` (sorted by start).
pub(crate) fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().take_while(|r| r.start < at).any(|r| at < r.end)
}

/// Grapheme boundaries of `text` (including 0 and `text.len()`) that split no entity.
pub(crate) fn safe_cuts(text: &str, ranges: &[Range<usize>]) -> Vec<usize> {
    let mut cuts: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).filter(|&i| !inside(ranges, i)).collect();
    cuts.push(text.len());
    cuts
}
