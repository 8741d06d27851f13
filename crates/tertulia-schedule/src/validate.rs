//! What the runner checks before it calls a platform: a post the platform would refuse is
//! failed here, with a clear reason, instead of being sent.

use tertulia_core::{Capabilities, MediaSource, PostContent, Voice};
use tertulia_store::OutcomeError;
use tertulia_text::{Problem, ProblemKind, validate_content};

fn invalid(message: impl Into<String>) -> OutcomeError {
    OutcomeError::local("invalid input", message)
}

/// Checks the content as it goes out on the platform described by `capabilities`: what the
/// adapter can do, then the network's text and media rules, counted by `tertulia-text`.
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
    let media = content.media.iter().chain(content.thread.iter().flat_map(|part| &part.media));
    let mut has_media = false;
    for item in media {
        has_media = true;
        if let MediaSource::Url(url) = &item.source {
            return Err(invalid(format!("media at {url}: the runner uploads files, download it first")));
        }
    }
    if has_media && !capabilities.upload_media {
        return Err(invalid(format!("{name} cannot upload media from this adapter")));
    }
    let mut problems = validate_content(content, &capabilities.platform, &capabilities.text, &Voice::default());
    if let Some(comment) = &content.first_comment {
        let as_post = PostContent::text(comment.clone());
        problems.extend(validate_content(&as_post, &capabilities.platform, &capabilities.text, &Voice::default()));
    }
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(invalid(describe(first, problems.len()))),
    }
}

fn describe(problem: &Problem, count: usize) -> String {
    let name = problem.platform.display_name();
    let what = match &problem.kind {
        ProblemKind::Empty => "is empty".to_owned(),
        ProblemKind::TooLong { length, limit, .. } => format!("is {length} long; {name} takes {limit}"),
        ProblemKind::TooManyBytes { bytes, limit, .. } => format!("is {bytes} bytes; {name} takes {limit}"),
        ProblemKind::TooManyHashtags { count, limit, .. } => format!("has {count} hashtags; {name} takes {limit}"),
        ProblemKind::TooManyMentions { count, limit, .. } => format!("has {count} mentions; {name} takes {limit}"),
        ProblemKind::TooManyMedia { count, limit } => format!("has {count} media; {name} takes {limit}"),
        ProblemKind::MediaKindNotAllowed { index, media } => {
            format!("has a {media:?} (media {index}) {name} does not take")
        }
        ProblemKind::MixedMedia => format!("mixes kinds of media, which {name} does not take"),
        ProblemKind::MediaTooLarge { index, size, limit } => {
            format!("has media {index} of {size} bytes; {name} takes {limit}")
        }
        ProblemKind::AltTextTooLong { index, length, limit } => {
            format!("has alt text {length} long on media {index}; {name} takes {limit}")
        }
        other => format!("{other:?}"),
    };
    let more = if count > 1 { format!(" (and {} more problems)", count - 1) } else { String::new() };
    format!("part {} {what}{more}", problem.part)
}
