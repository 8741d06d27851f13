//! What the runner checks before it calls a platform: a post the platform would refuse is
//! failed here, with a clear reason, instead of being sent.

use tertulia_core::{Capabilities, MediaAttachment, MediaKind, MediaSource, PostContent};
use tertulia_store::OutcomeError;

fn invalid(message: impl Into<String>) -> OutcomeError {
    OutcomeError::local("invalid input", message)
}

/// Checks the content as it goes out on the platform described by `capabilities`.
pub(crate) fn validate(content: &PostContent, capabilities: &Capabilities) -> Result<(), OutcomeError> {
    let name = capabilities.platform.display_name();
    if !capabilities.publish {
        return Err(invalid(format!("{name} cannot publish from this adapter")));
    }
    if !content.thread.is_empty() && !capabilities.threads {
        return Err(invalid(format!(
            "{name} cannot publish threads; this post has {} parts",
            content.thread.len() + 1
        )));
    }
    if content.first_comment.is_some() && !(capabilities.first_comment || capabilities.reply) {
        return Err(invalid(format!("{name} cannot add a first comment")));
    }
    let parts = std::iter::once((content.text.as_str(), content.media.as_slice()))
        .chain(content.thread.iter().map(|part| (part.text.as_str(), part.media.as_slice())));
    for (index, (text, media)) in parts.enumerate() {
        if text.trim().is_empty() && media.is_empty() {
            return Err(invalid(format!("part {index} is empty")));
        }
        check_media(index, media, capabilities)?;
    }
    Ok(())
}

fn check_media(index: usize, media: &[MediaAttachment], capabilities: &Capabilities) -> Result<(), OutcomeError> {
    if media.is_empty() {
        return Ok(());
    }
    let rules = &capabilities.text.media;
    let name = capabilities.platform.display_name();
    if !capabilities.upload_media {
        return Err(invalid(format!("part {index} has media and {name} cannot upload media from this adapter")));
    }
    if media.len() > rules.max_items as usize {
        return Err(invalid(format!(
            "part {index} has {} media; {name} takes at most {}",
            media.len(),
            rules.max_items
        )));
    }
    for item in media {
        if !rules.kinds.contains(&item.kind) {
            return Err(invalid(format!("part {index} has a {:?} and {name} does not take that kind", item.kind)));
        }
        let limit = match item.kind {
            MediaKind::Video => rules.max_video_bytes,
            _ => rules.max_image_bytes,
        };
        if let (Some(size), Some(limit)) = (item.size, limit)
            && size > limit
        {
            return Err(invalid(format!("part {index} has {size} bytes of media; {name} takes at most {limit}")));
        }
        if let MediaSource::Url(url) = &item.source {
            return Err(invalid(format!(
                "part {index} has media at {url}: the runner uploads files, download it first"
            )));
        }
    }
    Ok(())
}
