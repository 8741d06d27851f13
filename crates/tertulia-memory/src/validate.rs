//! The network's rules, enforced: text length, media limits, alt text.

use tertulia_core::{Counter, MediaId, MediaKind, MediaUpload, TextRules};

use crate::length::{byte_length, text_length};
use crate::state::State;

fn counter_name(counter: Counter) -> &'static str {
    match counter {
        Counter::Chars => "characters",
        Counter::Graphemes => "characters (graphemes)",
        Counter::Utf16 => "UTF-16 code units",
        Counter::Utf8Bytes => "bytes",
        Counter::XWeighted => "weighted characters",
    }
}

/// Checks the text of a post or reply (with its content warning, counted as Mastodon does).
pub(crate) fn check_text(
    text: &str,
    content_warning: Option<&str>,
    has_media: bool,
    rules: &TextRules,
) -> Result<(), String> {
    if text.trim().is_empty() && !has_media {
        return Err("a post needs text or media".into());
    }
    let counted = match content_warning {
        Some(warning) => format!("{warning}{text}"),
        None => text.to_owned(),
    };
    let length = text_length(&counted, rules);
    if length > rules.max_length {
        return Err(format!(
            "the text is {length} {} long; this network allows {}",
            counter_name(rules.counter),
            rules.max_length
        ));
    }
    if let Some(max_bytes) = rules.max_bytes {
        let bytes = byte_length(&counted);
        if bytes > max_bytes {
            return Err(format!("the text is {bytes} bytes long; this network allows {max_bytes}"));
        }
    }
    let words = |sigil: char| text.split_whitespace().filter(|word| word.starts_with(sigil) && word.len() > 1).count();
    if let Some(max) = rules.max_hashtags {
        let found = words('#');
        if found > max as usize {
            return Err(format!("the text has {found} hashtags; this network allows {max}"));
        }
    }
    if let Some(max) = rules.max_mentions {
        let found = words('@');
        if found > max as usize {
            return Err(format!("the text has {found} mentions; this network allows {max}"));
        }
    }
    Ok(())
}

/// Checks the media attached to a post: known ids, how many, which kinds together.
pub(crate) fn check_attachments(media: &[MediaId], state: &State, rules: &TextRules) -> Result<(), String> {
    if media.len() > rules.media.max_items as usize {
        return Err(format!("{} attachments; this network allows {}", media.len(), rules.media.max_items));
    }
    let mut kinds = Vec::new();
    for id in media {
        let stored = state.media.get(id).ok_or_else(|| format!("no uploaded media has the id {id}"))?;
        if !kinds.contains(&stored.media.kind) {
            kinds.push(stored.media.kind);
        }
    }
    if !rules.media.mixed_kinds && kinds.len() > 1 {
        return Err("this network does not mix kinds of media in one post".into());
    }
    Ok(())
}

/// Checks an upload against the media rules; answers its kind.
pub(crate) fn check_upload(upload: &MediaUpload, rules: &TextRules) -> Result<MediaKind, String> {
    let kind = MediaKind::from_mime(&upload.mime).ok_or_else(|| format!("unknown media type {:?}", upload.mime))?;
    let media = &rules.media;
    if media.max_items == 0 || !media.kinds.contains(&kind) {
        return Err(format!("this network does not accept {} media", upload.mime));
    }
    if upload.bytes.is_empty() {
        return Err("the media is empty".into());
    }
    let size = upload.bytes.len() as u64;
    let limit = match kind {
        MediaKind::Image | MediaKind::Gif => media.max_image_bytes,
        MediaKind::Video => media.max_video_bytes,
        MediaKind::Audio | MediaKind::Document => None,
    };
    if let Some(limit) = limit.filter(|limit| size > *limit) {
        return Err(format!("the media is {size} bytes; this network allows {limit}"));
    }
    if let (Some(alt), Some(max)) = (&upload.alt_text, media.max_alt_text) {
        let length = text_length(alt, &TextRules { url_weight: None, ..rules.clone() });
        if length > max {
            return Err(format!(
                "the alt text is {length} {} long; this network allows {max}",
                counter_name(rules.counter)
            ));
        }
    }
    Ok(kind)
}
