//! Entities in a post: URLs, hashtags, mentions and cashtags.
//!
//! The rules are twitter-text's (X's reference), which Mastodon also builds on; Mastodon's
//! `@user@host` mentions have their own finder. Every entity carries its byte range; ask
//! for the offsets in another unit with [`Unit::spans`](crate::Unit::spans) or
//! [`Entity::span`].

mod cashtag;
mod hashtag;
mod mention;
mod punycode;
mod tld;
mod tld_table;
mod url;
mod validity;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub(crate) use cashtag::CashtagScanner;
pub(crate) use hashtag::HashtagScanner;
pub(crate) use mention::{FediverseScanner, MentionMatch, MentionScanner};
pub(crate) use tld::match_tld;
pub use url::UrlFlavor;
pub(crate) use url::{UrlMatch, UrlScanner};
pub use validity::{is_valid_hashtag, is_valid_list, is_valid_url, is_valid_username};

use crate::units::{Span, Unit};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A link, with or without a scheme.
    Url,
    /// `#tag` (or `＃tag`).
    Hashtag,
    /// `@user`, `@user/list` or `@user@host`.
    Mention,
    /// `$TICKER`.
    Cashtag,
}

/// An entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Its byte range in the text, sign included (`#`, `@`, `$`).
    pub range: Range<usize>,
    /// The URL as written; the tag, user name or ticker without its sign.
    pub value: String,
    /// For an X list mention, the slug with its slash (`/equipo`).
    pub list_slug: Option<String>,
    /// For a fediverse mention, the host after the second `@`.
    pub host: Option<String>,
}

impl Entity {
    fn new(kind: EntityKind, range: Range<usize>, value: &str) -> Entity {
        Entity { kind, range, value: value.to_owned(), list_slug: None, host: None }
    }

    /// The entity's range in `unit`, for the `text` it was found in.
    ///
    /// ```
    /// use tertulia_text::{extract_hashtags, Span, Unit};
    /// let text = "😀 #café";
    /// let tag = &extract_hashtags(text)[0];
    /// assert_eq!(tag.span(text, Unit::Utf16), Span { start: 3, end: 8 });
    /// assert_eq!(tag.span(text, Unit::Chars), Span { start: 2, end: 7 });
    /// ```
    pub fn span(&self, text: &str, unit: Unit) -> Span {
        Span { start: unit.from_byte(text, self.range.start), end: unit.from_byte(text, self.range.end) }
    }
}

/// How to look for URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UrlOptions {
    /// Whose variant of the rules.
    pub flavor: UrlFlavor,
    /// Whether `example.com` (no scheme) is a URL.
    pub without_scheme: bool,
}

impl Default for UrlOptions {
    fn default() -> Self {
        UrlOptions { flavor: UrlFlavor::Twitter, without_scheme: true }
    }
}

/// URLs, with and without scheme, as X finds them.
///
/// ```
/// use tertulia_text::extract_urls;
/// let urls = extract_urls("Menú nuevo en https://cafetertulia.es/menu (y cafetertulia.es/blog).");
/// let values: Vec<_> = urls.iter().map(|u| u.value.as_str()).collect();
/// assert_eq!(values, ["https://cafetertulia.es/menu", "cafetertulia.es/blog"]);
/// ```
pub fn extract_urls(text: &str) -> Vec<Entity> {
    extract_urls_with(text, UrlOptions::default())
}

/// URLs under the given options.
pub fn extract_urls_with(text: &str, options: UrlOptions) -> Vec<Entity> {
    UrlScanner::new(text, options.flavor, options.without_scheme)
        .map(|m| Entity::new(EntityKind::Url, m.start..m.end, &text[m.start..m.end]))
        .collect()
}

/// Hashtags, leaving out those inside a URL.
///
/// ```
/// use tertulia_text::extract_hashtags;
/// let tags: Vec<_> = extract_hashtags("#Café y #mañana, no #123").into_iter().map(|t| t.value).collect();
/// assert_eq!(tags, ["Café", "mañana"]);
/// ```
pub fn extract_hashtags(text: &str) -> Vec<Entity> {
    let mut found: Vec<Entity> = hashtags(text).collect();
    if found.is_empty() {
        return found;
    }
    let urls = extract_urls(text);
    if !urls.is_empty() {
        found.extend(urls);
        remove_overlaps(&mut found);
        found.retain(|e| e.kind == EntityKind::Hashtag);
    }
    found
}

fn hashtags(text: &str) -> impl Iterator<Item = Entity> + '_ {
    HashtagScanner::new(text).map(move |(s, e)| {
        let sign = text[s..].chars().next().map_or(1, char::len_utf8);
        Entity::new(EntityKind::Hashtag, s..e, &text[s + sign..e])
    })
}

/// X mentions and lists (`@user`, `@user/list`).
///
/// ```
/// use tertulia_text::extract_mentions;
/// let names: Vec<_> = extract_mentions("gracias @ana y @bruno/equipo").into_iter().map(|m| m.value).collect();
/// assert_eq!(names, ["ana", "bruno"]);
/// ```
pub fn extract_mentions(text: &str) -> Vec<Entity> {
    mentions(text).collect()
}

fn mentions(text: &str) -> impl Iterator<Item = Entity> + '_ {
    MentionScanner::new(text).map(move |m| {
        let sign = text[m.start..].chars().next().map_or(1, char::len_utf8);
        let mut entity = Entity::new(EntityKind::Mention, m.start..m.end, &text[m.start + sign..m.name_end]);
        if m.end > m.name_end {
            entity.list_slug = Some(text[m.name_end..m.end].to_owned());
        }
        entity
    })
}

/// Fediverse mentions (`@user` and `@user@host`) as Mastodon finds them.
///
/// ```
/// use tertulia_text::extract_fediverse_mentions;
/// let found = extract_fediverse_mentions("hola @ana@cafe.social y @bruno");
/// assert_eq!(found[0].value, "ana");
/// assert_eq!(found[0].host.as_deref(), Some("cafe.social"));
/// assert_eq!(found[1].host, None);
/// ```
pub fn extract_fediverse_mentions(text: &str) -> Vec<Entity> {
    FediverseScanner::new(text)
        .map(|m| {
            let mut entity = Entity::new(EntityKind::Mention, m.start..m.end, &text[m.start + 1..m.name_end]);
            if m.end > m.name_end {
                entity.host = Some(text[m.name_end + 1..m.end].to_owned());
            }
            entity
        })
        .collect()
}

/// Cashtags (`$CAFE`).
///
/// ```
/// use tertulia_text::extract_cashtags;
/// let found = extract_cashtags("$CAFE sube");
/// assert_eq!(found[0].value, "CAFE");
/// ```
pub fn extract_cashtags(text: &str) -> Vec<Entity> {
    cashtags(text).collect()
}

fn cashtags(text: &str) -> impl Iterator<Item = Entity> + '_ {
    CashtagScanner::new(text).map(|(s, e)| Entity::new(EntityKind::Cashtag, s..e, &text[s + 1..e]))
}

/// Every entity X sees, in text order, overlaps resolved in favour of the earlier one.
///
/// ```
/// use tertulia_text::{extract_entities, EntityKind};
/// let kinds: Vec<_> = extract_entities("@ana mira https://cafetertulia.es/#menu #nuevo $CAFE")
///     .into_iter().map(|e| e.kind).collect();
/// assert_eq!(kinds, [EntityKind::Mention, EntityKind::Url, EntityKind::Hashtag, EntityKind::Cashtag]);
/// ```
pub fn extract_entities(text: &str) -> Vec<Entity> {
    entities_with_urls(text).0
}

/// [`extract_entities`], also returning every URL match (before overlaps are resolved).
pub(crate) fn entities_with_urls(text: &str) -> (Vec<Entity>, Vec<UrlMatch>) {
    let urls: Vec<UrlMatch> = UrlScanner::new(text, UrlFlavor::Twitter, true).collect();
    let mut all: Vec<Entity> =
        urls.iter().map(|m| Entity::new(EntityKind::Url, m.start..m.end, &text[m.start..m.end])).collect();
    all.extend(mentions(text));
    all.extend(hashtags(text));
    all.extend(cashtags(text));
    if all.len() > 1 {
        remove_overlaps(&mut all);
    }
    (all, urls)
}

/// The user a post replies to: a mention at the very start (after white space only).
///
/// ```
/// use tertulia_text::extract_reply;
/// assert_eq!(extract_reply(" @ana gracias").as_deref(), Some("ana"));
/// assert_eq!(extract_reply("gracias @ana"), None);
/// ```
pub fn extract_reply(text: &str) -> Option<String> {
    let start = text
        .char_indices()
        .find(|&(_, c)| !(crate::classes::is_space(c) || crate::classes::is_directional(c)))
        .map(|(i, _)| i)?;
    let rest = &text[start..];
    let sign = rest.chars().next().filter(|&c| c == '@' || c == '＠')?;
    let body = &rest[sign.len_utf8()..];
    let len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count().min(20);
    if len == 0 {
        return None;
    }
    let after = &body[len..];
    if after.starts_with(['@', '＠']) || after.starts_with(crate::classes::is_latin_accent) || after.starts_with("://")
    {
        return None;
    }
    Some(body[..len].to_owned())
}

/// Sorts by start (stable) and drops every entity that overlaps the one kept before it.
pub(crate) fn remove_overlaps(entities: &mut Vec<Entity>) {
    entities.sort_by_key(|e| e.range.start);
    let mut last_end = 0;
    let mut first = true;
    entities.retain(|e| {
        if first || e.range.start >= last_end {
            first = false;
            last_end = e.range.end;
            true
        } else {
            false
        }
    });
}
