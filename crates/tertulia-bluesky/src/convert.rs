//! From the AT Protocol's shapes to tertulia's: posts, authors, interactions, metrics.

use chrono::{DateTime, Utc};
use serde_json::Value;
use tertulia_core::{
    Author, ConversationId, Interaction, InteractionKind, MediaId, MediaKind, PlatformKind, PostMetrics, RemoteId,
    RemotePost, RemoteRef, UploadedMedia,
};
use url::Url;

use crate::at_uri::AtUri;
use crate::error::local_error;
use crate::wire::{Embed, Notification, POST, PostRecord, PostView, Profile};
use tertulia_core::Error;

/// The notification reasons the adapter lists, and the interaction kind of each.
pub(crate) const REASONS: [(&str, InteractionKind); 6] = [
    ("reply", InteractionKind::Reply),
    ("mention", InteractionKind::Mention),
    ("quote", InteractionKind::Quote),
    ("like", InteractionKind::Reaction),
    ("repost", InteractionKind::Repost),
    ("follow", InteractionKind::Follow),
];

/// The interaction kind of a notification reason (`like-via-repost` and the like are kept
/// by name).
pub(crate) fn kind_of_reason(reason: &str) -> InteractionKind {
    REASONS
        .iter()
        .find(|(name, _)| *name == reason)
        .map(|(_, kind)| kind.clone())
        .unwrap_or_else(|| InteractionKind::Other(reason.to_owned()))
}

/// Links people can open, under the web app's base (`https://bsky.app`).
#[derive(Debug, Clone)]
pub(crate) struct Links {
    base: String,
}

impl Links {
    pub fn new(base: &str) -> Self {
        Links { base: base.trim_end_matches('/').to_owned() }
    }

    /// `…/profile/<handle or did>`.
    pub fn profile(&self, actor: &str) -> Option<Url> {
        Url::parse(&format!("{}/profile/{actor}", self.base)).ok()
    }

    /// `…/profile/<handle or did>/post/<rkey>` for a post's AT-URI.
    pub fn post(&self, actor: &str, uri: &str) -> Option<Url> {
        let parsed = AtUri::parse(uri)?;
        if parsed.collection != POST {
            return None;
        }
        Url::parse(&format!("{}/profile/{actor}/post/{}", self.base, parsed.rkey)).ok()
    }
}

/// Reads a datetime as the lexicons write it (RFC 3339).
pub(crate) fn datetime(value: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(value).map(|d| d.with_timezone(&Utc)).map_err(|e| {
        local_error(tertulia_core::ErrorKind::Decode, format!("`{value}` is not an RFC 3339 datetime: {e}"))
    })
}

/// Writes a datetime as the lexicons want it: RFC 3339, UTC, milliseconds.
pub(crate) fn format_datetime(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A profile as a tertulia author.
pub(crate) fn author(profile: &Profile, links: &Links) -> Author {
    Author {
        id: RemoteId::new(&profile.did),
        handle: profile.handle.as_str().into(),
        display_name: profile.display_name.clone().filter(|name| !name.is_empty()),
        followers: profile.followers_count,
        verified: profile.verification.as_ref().and_then(|v| v.verified_status.as_deref()) == Some("valid"),
        url: links.profile(&profile.handle),
    }
}

/// A post record read from a JSON value (the `record` of a view, the `value` of getRecord).
pub(crate) fn post_record(value: &Value) -> Result<PostRecord, Error> {
    serde_json::from_value(value.clone())
        .map_err(|e| local_error(tertulia_core::ErrorKind::Decode, format!("not a post record: {e}")))
}

/// The counts of a post view.
pub(crate) fn metrics(view: &PostView, now: DateTime<Utc>) -> PostMetrics {
    PostMetrics {
        likes: view.like_count,
        reposts: view.repost_count,
        replies: view.reply_count,
        quotes: view.quote_count,
        saves: view.bookmark_count,
        as_of: Some(now),
        ..PostMetrics::default()
    }
}

/// The images of a record, with their alt text; the view's URLs when it has them.
fn media(record: &PostRecord, view_embed: Option<&Value>) -> Vec<UploadedMedia> {
    let images = match &record.embed {
        Some(Embed::Images { images }) => images.as_slice(),
        Some(Embed::RecordWithMedia { media, .. }) => match media.as_ref() {
            Embed::Images { images } => images.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    let view_images = view_embed
        .and_then(|e| e.get("images").or_else(|| e.get("media").and_then(|m| m.get("images"))))
        .and_then(Value::as_array);
    images
        .iter()
        .enumerate()
        .map(|(i, image)| UploadedMedia {
            id: MediaId::new(&image.image.reference.link),
            kind: MediaKind::from_mime(&image.image.mime_type).unwrap_or(MediaKind::Image),
            alt_text: Some(image.alt.clone()).filter(|alt| !alt.is_empty()),
            url: view_images
                .and_then(|list| list.get(i))
                .and_then(|v| v.get("fullsize"))
                .and_then(Value::as_str)
                .and_then(|u| Url::parse(u).ok()),
        })
        .collect()
}

/// A post as the AppView shows it.
pub(crate) fn remote_post(view: &PostView, links: &Links, now: DateTime<Utc>) -> Result<RemotePost, Error> {
    let record = post_record(&view.record)?;
    let created_at = datetime(&record.created_at).or_else(|_| datetime(&view.indexed_at))?;
    Ok(RemotePost {
        reference: RemoteRef {
            id: RemoteId::new(&view.uri),
            url: links.post(&view.author.handle, &view.uri),
            revision: Some(view.cid.clone()),
        },
        author: author(&view.author, links),
        text: record.text.clone(),
        created_at,
        in_reply_to: record.reply.as_ref().map(|r| RemoteId::new(&r.parent.uri)),
        media: media(&record, view.embed.as_ref()),
        language: record.langs.first().cloned(),
        metrics: Some(metrics(view, now)),
    })
}

/// A post as its repository holds it (no counts: those come from the AppView).
pub(crate) fn remote_post_from_record(
    uri: &str,
    cid: Option<&str>,
    record: &PostRecord,
    author: Author,
    links: &Links,
) -> Result<RemotePost, Error> {
    Ok(RemotePost {
        reference: RemoteRef {
            id: RemoteId::new(uri),
            url: links.post(author.handle.as_str(), uri),
            revision: cid.map(str::to_owned),
        },
        text: record.text.clone(),
        created_at: datetime(&record.created_at)?,
        in_reply_to: record.reply.as_ref().map(|r| RemoteId::new(&r.parent.uri)),
        media: media(record, None),
        language: record.langs.first().cloned(),
        metrics: None,
        author,
    })
}

/// A notification as an interaction.
pub(crate) fn interaction(notification: &Notification, links: &Links) -> Result<Interaction, Error> {
    let kind = kind_of_reason(&notification.reason);
    let is_post = notification.record.get("$type").and_then(Value::as_str) == Some(POST);
    let record = if is_post { Some(post_record(&notification.record)?) } else { None };
    let created_at = notification
        .record
        .get("createdAt")
        .and_then(Value::as_str)
        .map(datetime)
        .unwrap_or_else(|| datetime(&notification.indexed_at))
        .or_else(|_| datetime(&notification.indexed_at))?;
    let reply = record.as_ref().and_then(|r| r.reply.as_ref());
    // What the interaction is about: the liked, reposted or quoted post, or the replied one.
    let subject = notification
        .reason_subject
        .clone()
        .or_else(|| reply.map(|r| r.parent.uri.clone()))
        .or_else(|| subject_of(&notification.record));
    Ok(Interaction {
        id: RemoteId::new(&notification.uri),
        platform: PlatformKind::Bluesky,
        account: None,
        kind,
        author: author(&notification.author, links),
        text: record.as_ref().map(|r| r.text.clone()),
        language: record.as_ref().and_then(|r| r.langs.first().cloned()),
        created_at,
        subject: subject.map(RemoteId::new),
        in_reply_to: reply.map(|r| RemoteId::new(&r.parent.uri)),
        conversation: reply.map(|r| ConversationId::new(&r.root.uri)),
        permalink: if is_post {
            links.post(&notification.author.handle, &notification.uri)
        } else {
            links.profile(&notification.author.handle)
        },
    })
}

/// The `subject.uri` of a like or repost record.
fn subject_of(record: &Value) -> Option<String> {
    record.get("subject")?.get("uri")?.as_str().map(str::to_owned)
}

/// A post found by search, as a listening interaction.
pub(crate) fn listening(view: &PostView, links: &Links) -> Result<Interaction, Error> {
    let record = post_record(&view.record)?;
    let reply = record.reply.as_ref();
    Ok(Interaction {
        id: RemoteId::new(&view.uri),
        platform: PlatformKind::Bluesky,
        account: None,
        kind: InteractionKind::Listening,
        author: author(&view.author, links),
        text: Some(record.text.clone()),
        language: record.langs.first().cloned(),
        created_at: datetime(&record.created_at).or_else(|_| datetime(&view.indexed_at))?,
        subject: None,
        in_reply_to: reply.map(|r| RemoteId::new(&r.parent.uri)),
        conversation: reply.map(|r| ConversationId::new(&r.root.uri)),
        permalink: links.post(&view.author.handle, &view.uri),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_become_kinds() {
        for (reason, kind) in REASONS {
            assert_eq!(kind_of_reason(reason), kind);
        }
        assert_eq!(kind_of_reason("like-via-repost"), InteractionKind::Other("like-via-repost".into()));
    }

    #[test]
    fn links_follow_the_web_app() {
        let links = Links::new("https://bsky.app/");
        let uri = "at://did:plc:abc/app.bsky.feed.post/3k4duaz5vfs2b";
        assert_eq!(
            links.post("ana.bsky.social", uri).unwrap().as_str(),
            "https://bsky.app/profile/ana.bsky.social/post/3k4duaz5vfs2b"
        );
        assert!(links.post("ana.bsky.social", "at://did:plc:abc/app.bsky.feed.like/3k4").is_none());
    }

    #[test]
    fn datetimes_round_trip_in_the_lexicon_format() {
        let at = datetime("2023-08-07T05:49:40.501974Z").unwrap();
        assert_eq!(format_datetime(at), "2023-08-07T05:49:40.501Z");
        assert!(datetime("yesterday").is_err());
    }
}
