#![doc = include_str!("../README.md")]

mod analyze;
mod boundaries;
mod classes;
mod count;
mod emoji;
mod extract;
mod facets;
mod rules;
mod split;
mod truncate;
mod units;
mod validate;
mod x;

pub use analyze::{Analysis, analyze};
pub use count::{fits, length, length_with_spoiler};
pub use extract::{
    Entity, EntityKind, UrlFlavor, UrlOptions, extract_cashtags, extract_entities, extract_fediverse_mentions,
    extract_hashtags, extract_mentions, extract_reply, extract_urls, extract_urls_with, is_valid_hashtag,
    is_valid_list, is_valid_url, is_valid_username,
};
pub use facets::{ByteSlice, Detected, DetectedFacets, Facet, FacetFeature, detect_facets};
pub use rules::{
    InstanceConfiguration, MastodonLimits, MediaConfiguration, PINTEREST_TITLE_LIMIT, REDDIT_TITLE_LIMIT,
    StatusesConfiguration, TELEGRAM_CAPTION_LIMIT, mastodon_rules, rules_for,
};
pub use split::{SplitError, SplitOptions, split_thread};
pub use truncate::truncate;
pub use units::{Span, Unit};
pub use validate::{Problem, ProblemKind, validate_content, validate_post};
pub use x::{WeightRange, XConfig, XLength, x_length};
