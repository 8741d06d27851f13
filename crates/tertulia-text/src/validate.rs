//! Checking a post against every network it goes to, reporting every problem at once.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use tertulia_core::{MediaAttachment, MediaKind, PlatformKind, Post, PostContent, TextRules, Voice};

use crate::count::{length, length_with_spoiler};
use crate::extract::{FediverseScanner, HashtagScanner, MentionScanner};
use crate::rules::TELEGRAM_CAPTION_LIMIT;
use crate::truncate::truncate;

/// One thing wrong with a post on one network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The network.
    pub platform: PlatformKind,
    /// The part of the thread (0 for the first or only part).
    pub part: usize,
    /// What is wrong, where and by how much.
    pub kind: ProblemKind,
}

/// What is wrong. Ranges are UTF-8 byte ranges of the part's text (convert them with
/// [`Unit::spans`](crate::Unit::spans)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// No text and no media.
    Empty,
    /// Longer than the network allows, in its own unit.
    TooLong {
        /// The length as the network counts it.
        length: u32,
        /// The limit.
        limit: u32,
        /// How much over.
        over: u32,
        /// The part of the text past what would fit.
        overflow: Range<usize>,
    },
    /// More UTF-8 bytes than the network allows (Bluesky's second cap).
    TooManyBytes {
        /// The size in bytes.
        bytes: u32,
        /// The limit.
        limit: u32,
        /// How much over.
        over: u32,
    },
    /// More hashtags than allowed.
    TooManyHashtags {
        /// How many the text has.
        count: u32,
        /// The limit.
        limit: u32,
        /// The hashtags beyond the limit.
        extra: Vec<Range<usize>>,
    },
    /// More mentions than allowed.
    TooManyMentions {
        /// How many the text has.
        count: u32,
        /// The limit.
        limit: u32,
        /// The mentions beyond the limit.
        extra: Vec<Range<usize>>,
    },
    /// More attachments than allowed (one, for a video, GIF, audio or document on a
    /// network that does not mix kinds).
    TooManyMedia {
        /// How many are attached.
        count: u32,
        /// The limit.
        limit: u32,
    },
    /// An attachment of a kind the network does not take.
    MediaKindNotAllowed {
        /// Position of the attachment.
        index: usize,
        /// Its kind.
        media: MediaKind,
    },
    /// Attachments of different kinds on a network that takes one kind per post.
    MixedMedia,
    /// An attachment larger than the network takes.
    MediaTooLarge {
        /// Position of the attachment.
        index: usize,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Alt text longer than the network takes.
    AltTextTooLong {
        /// Position of the attachment.
        index: usize,
        /// Its length in characters.
        length: u32,
        /// The limit.
        limit: u32,
    },
    /// A word or phrase the brand's voice forbids.
    ForbiddenWord {
        /// The forbidden entry as the voice lists it.
        word: String,
        /// Where it occurs.
        range: Range<usize>,
    },
}

/// Checks `post` as it goes out on each of `targets` (the network and its rules), applying
/// each network's variant, and returns every problem found, in target then part order.
///
/// ```
/// use tertulia_core::{BrandId, PlatformKind, Post, PostContent, PostId, Voice};
/// use tertulia_text::{rules_for, validate_post, ProblemKind};
/// let text = format!("{} ¡barato!", "Café de especialidad. ".repeat(14));
/// let post = Post::new(PostId::new("p1"), BrandId::new("cafe"), PostContent::text(text));
/// let voice = Voice { forbidden_words: vec!["barato".into()], ..Voice::default() };
/// let targets = [PlatformKind::X, PlatformKind::Mastodon]
///     .map(|p| (p.clone(), rules_for(&p)));
/// let problems = validate_post(&post, &targets, &voice);
/// assert!(matches!(problems[0].kind, ProblemKind::TooLong { limit: 280, .. }));
/// assert!(problems.iter().any(|p| p.platform == PlatformKind::Mastodon
///     && matches!(p.kind, ProblemKind::ForbiddenWord { .. })));
/// ```
pub fn validate_post(post: &Post, targets: &[(PlatformKind, TextRules)], voice: &Voice) -> Vec<Problem> {
    targets
        .iter()
        .flat_map(|(platform, rules)| validate_content(&post.content_for(platform), platform, rules, voice))
        .collect()
}

/// Checks one network's content (first part, then each thread part).
pub fn validate_content(
    content: &PostContent,
    platform: &PlatformKind,
    rules: &TextRules,
    voice: &Voice,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let warning = content.content_warning.as_deref().filter(|w| !w.is_empty() && rules.remote_mentions_count_as_local);
    let parts = std::iter::once((content.text.as_str(), content.media.as_slice()))
        .chain(content.thread.iter().map(|p| (p.text.as_str(), p.media.as_slice())));
    for (part, (text, media)) in parts.enumerate() {
        let warning = if part == 0 { warning } else { None };
        for kind in check_part(text, media, warning, platform, rules, voice) {
            problems.push(Problem { platform: platform.clone(), part, kind });
        }
    }
    problems
}

fn check_part(
    text: &str,
    media: &[MediaAttachment],
    warning: Option<&str>,
    platform: &PlatformKind,
    rules: &TextRules,
    voice: &Voice,
) -> Vec<ProblemKind> {
    let mut found = Vec::new();
    if text.trim().is_empty() && media.is_empty() {
        found.push(ProblemKind::Empty);
    }
    let mut rules = rules.clone();
    if *platform == PlatformKind::Telegram && !media.is_empty() {
        rules.max_length = rules.max_length.min(TELEGRAM_CAPTION_LIMIT);
    }
    let counted = match warning {
        Some(w) => length_with_spoiler(w, text, &rules),
        None => length(text, &rules),
    };
    if counted > rules.max_length {
        let kept = truncate(text, &rules, "").len();
        found.push(ProblemKind::TooLong {
            length: counted,
            limit: rules.max_length,
            over: counted - rules.max_length,
            overflow: kept..text.len(),
        });
    }
    if let Some(limit) = rules.max_bytes {
        let bytes = u32::try_from(text.len()).unwrap_or(u32::MAX);
        if bytes > limit {
            found.push(ProblemKind::TooManyBytes { bytes, limit, over: bytes - limit });
        }
    }
    if let Some(limit) = rules.max_hashtags {
        let tags: Vec<Range<usize>> = HashtagScanner::new(text).map(|(s, e)| s..e).collect();
        if let Some(extra) = over_cap(&tags, limit) {
            found.push(ProblemKind::TooManyHashtags { count: count(&tags), limit, extra });
        }
    }
    if let Some(limit) = rules.max_mentions {
        let mentions: Vec<Range<usize>> = if rules.remote_mentions_count_as_local {
            FediverseScanner::new(text).map(|m| m.start..m.end).collect()
        } else {
            MentionScanner::new(text).map(|m| m.start..m.end).collect()
        };
        if let Some(extra) = over_cap(&mentions, limit) {
            found.push(ProblemKind::TooManyMentions { count: count(&mentions), limit, extra });
        }
    }
    check_media(media, &rules, &mut found);
    for word in voice.forbidden_words.iter().filter(|w| !w.trim().is_empty()) {
        for range in find_word(text, word.trim()) {
            found.push(ProblemKind::ForbiddenWord { word: word.clone(), range });
        }
    }
    found
}

fn count<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

fn over_cap(items: &[Range<usize>], limit: u32) -> Option<Vec<Range<usize>>> {
    let limit = limit as usize;
    (items.len() > limit).then(|| items[limit..].to_vec())
}

fn check_media(media: &[MediaAttachment], rules: &TextRules, found: &mut Vec<ProblemKind>) {
    let caps = &rules.media;
    let single_only = !caps.mixed_kinds && media.iter().any(|m| m.kind != MediaKind::Image);
    let limit = if single_only { caps.max_items.min(1) } else { caps.max_items };
    let total = count(media);
    if total > limit {
        found.push(ProblemKind::TooManyMedia { count: total, limit });
    }
    if !caps.mixed_kinds && media.iter().any(|m| m.kind != media[0].kind) {
        found.push(ProblemKind::MixedMedia);
    }
    for (index, item) in media.iter().enumerate() {
        if !caps.kinds.contains(&item.kind) {
            found.push(ProblemKind::MediaKindNotAllowed { index, media: item.kind });
        }
        let cap = match item.kind {
            MediaKind::Image => caps.max_image_bytes,
            MediaKind::Video => caps.max_video_bytes,
            _ => None,
        };
        if let (Some(size), Some(limit)) = (item.size, cap)
            && size > limit
        {
            found.push(ProblemKind::MediaTooLarge { index, size, limit });
        }
        if let (Some(alt), Some(limit)) = (&item.alt_text, caps.max_alt_text) {
            let chars = u32::try_from(alt.chars().count()).unwrap_or(u32::MAX);
            if chars > limit {
                found.push(ProblemKind::AltTextTooLong { index, length: chars, limit });
            }
        }
    }
}

/// Every occurrence of `word` in `text`, ignoring case, as a whole word (not inside a
/// longer word).
fn find_word(text: &str, word: &str) -> Vec<Range<usize>> {
    // Lower-case the text, remembering where each lower-cased byte came from.
    let mut lower = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        for l in c.to_lowercase() {
            for _ in 0..l.len_utf8() {
                origin.push(i);
            }
            lower.push(l);
        }
    }
    origin.push(text.len());
    let needle: String = word.chars().flat_map(char::to_lowercase).collect();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(&needle) {
        let start = from + at;
        let end = start + needle.len();
        from = start + needle.chars().next().map_or(1, char::len_utf8);
        let before = lower[..start].chars().next_back();
        let after = lower[end..].chars().next();
        let word_char = |c: char| c.is_alphanumeric() || c == '_';
        if before.is_some_and(word_char) || after.is_some_and(word_char) {
            continue;
        }
        let original_end = origin.get(end).copied().unwrap_or(text.len());
        found.push(origin[start]..original_end);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use tertulia_core::MediaSource;

    use crate::rules_for;

    fn image(size: u64) -> MediaAttachment {
        MediaAttachment {
            source: MediaSource::Path("foto.jpg".into()),
            kind: MediaKind::Image,
            mime: "image/jpeg".into(),
            alt_text: None,
            size: Some(size),
            dimensions: None,
        }
    }

    fn check(content: &PostContent, platform: PlatformKind) -> Vec<ProblemKind> {
        let rules = rules_for(&platform);
        validate_content(content, &platform, &rules, &Voice::default()).into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn reports_length_with_where_and_how_much() {
        let text = "a".repeat(305);
        let problems = check(&PostContent::text(text), PlatformKind::Bluesky);
        assert_eq!(problems, [ProblemKind::TooLong { length: 305, limit: 300, over: 5, overflow: 300..305 }]);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let tags: String = (0..32).map(|i| format!("#t{i} ")).collect();
        let mut content = PostContent::text(format!("{tags}{}", "x".repeat(2200)));
        content.media = vec![image(1); 11];
        content.media[3] = image(9 * 1024 * 1024);
        let problems = check(&content, PlatformKind::Instagram);
        assert!(problems.iter().any(|p| matches!(p, ProblemKind::TooLong { .. })));
        assert!(
            problems
                .iter()
                .any(|p| matches!(p, ProblemKind::TooManyHashtags { count: 32, limit: 30, extra } if extra.len() == 2))
        );
        assert!(problems.iter().any(|p| matches!(p, ProblemKind::TooManyMedia { count: 11, limit: 10 })));
        assert!(problems.iter().any(|p| matches!(p, ProblemKind::MediaTooLarge { index: 3, .. })));
    }

    #[test]
    fn reports_empty_posts_and_forbidden_words() {
        assert_eq!(check(&PostContent::text("  "), PlatformKind::X), [ProblemKind::Empty]);
        let voice = Voice { forbidden_words: vec!["Barato".into()], ..Voice::default() };
        let rules = rules_for(&PlatformKind::X);
        let problems = validate_content(&PostContent::text("¡BARATO! y baratos"), &PlatformKind::X, &rules, &voice);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::ForbiddenWord { word: "Barato".into(), range: 2..8 });
    }

    #[test]
    fn telegram_captions_are_shorter() {
        let mut content = PostContent::text("a".repeat(2000));
        assert!(check(&content, PlatformKind::Telegram).is_empty());
        content.media = vec![image(1)];
        assert!(matches!(check(&content, PlatformKind::Telegram)[0], ProblemKind::TooLong { limit: 1024, .. }));
    }
}
