//! Mastodon's wire shapes turned into tertulia's types, in one place.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tertulia_core::{
    AccountInfo, AccountMetrics, Author, Capabilities, ConversationId, Handle, Interaction, InteractionKind, MediaId,
    MediaKind, PlatformKind, PostMetrics, Quota, RemoteId, RemotePost, RemoteRef, TextRules, UploadedMedia, Visibility,
};
use tertulia_text::{MastodonLimits, mastodon_rules};
use url::Url;

use crate::html;
use crate::wire::{Account, Conversation, Instance, MediaAttachment, Notification, Status};

/// Interactions that are not statuses (a favourite, a boost, a follow) carry the
/// notification's id under this prefix, so they never collide with a status id and a reply
/// to one is refused before reaching the server.
pub(crate) const NOTIFICATION_PREFIX: &str = "notification:";

/// The shortest lead time of `scheduled_at`.
pub(crate) const MIN_SCHEDULE_LEAD: Duration = Duration::from_secs(5 * 60);

/// The first API version with quotes (Mastodon 4.5).
const QUOTES_API_VERSION: u32 = 7;

/// The text and media rules of the server, from its instance configuration, counted as
/// [`tertulia_text::mastodon_rules`] says; what the server does not say keeps Mastodon's
/// defaults (500 characters, URLs weigh 23, 4 attachments, alt text up to 1500). The media
/// kinds are the server's MIME types, where it lists them.
pub(crate) fn text_rules(instance: &Instance) -> TextRules {
    let statuses = &instance.configuration.statuses;
    let media = &instance.configuration.media_attachments;
    let defaults = MastodonLimits::default();
    let limits = MastodonLimits {
        max_characters: statuses.max_characters.unwrap_or(defaults.max_characters),
        characters_reserved_per_url: statuses
            .characters_reserved_per_url
            .unwrap_or(defaults.characters_reserved_per_url),
        max_media_attachments: statuses.max_media_attachments.unwrap_or(defaults.max_media_attachments),
        image_size_limit: media.image_size_limit.unwrap_or(defaults.image_size_limit),
        video_size_limit: media.video_size_limit.unwrap_or(defaults.video_size_limit),
        description_limit: media.description_limit.unwrap_or(defaults.description_limit),
    };
    let mut rules = mastodon_rules(&limits);
    let mut kinds = Vec::new();
    for mime in &media.supported_mime_types {
        if let Some(kind) = MediaKind::from_mime(mime)
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    if !kinds.is_empty() {
        rules.media.kinds = kinds;
    }
    rules
}

/// Whether the server lists quotes (API version 7, Mastodon 4.5, and later).
pub(crate) fn has_quotes(instance: &Instance) -> bool {
    instance.api_versions.mastodon.is_some_and(|version| version >= QUOTES_API_VERSION)
}

/// What the adapter can do on this server.
pub(crate) fn capabilities(instance: &Instance) -> Capabilities {
    let mut interactions = vec![
        InteractionKind::Mention,
        InteractionKind::Reply,
        InteractionKind::DirectMessage,
        InteractionKind::Reaction,
        InteractionKind::Repost,
        InteractionKind::Follow,
    ];
    if has_quotes(instance) {
        interactions.push(InteractionKind::Quote);
    }
    Capabilities {
        text: text_rules(instance),
        account: true,
        publish: true,
        upload_media: true,
        threads: true,
        first_comment: true,
        native_scheduling: true,
        min_schedule_lead: Some(MIN_SCHEDULE_LEAD),
        delete: true,
        get_post: true,
        reply: true,
        interactions,
        post_metrics: true,
        account_metrics: true,
        search: true,
        find_by_marker: true,
        idempotency_keys: true,
        // The server's own `statuses` limit: 300 per 3 hours per account.
        publish_quota: Some(Quota { max: 300, window: Duration::from_secs(3 * 3600) }),
        ..Capabilities::none(PlatformKind::Mastodon)
    }
}

/// A handle that names the account across servers: `user@domain` (local accounts get the
/// server's domain).
pub(crate) fn handle(acct: &str, domain: &str) -> Handle {
    let acct = acct.trim_start_matches('@');
    if acct.contains('@') { Handle::new(acct) } else { Handle::new(format!("{acct}@{domain}")) }
}

fn url(value: Option<&str>) -> Option<Url> {
    value.and_then(|v| Url::parse(v).ok())
}

pub(crate) fn author(account: &Account, domain: &str) -> Author {
    Author {
        id: RemoteId::new(&account.id),
        handle: handle(&account.acct, domain),
        display_name: account.display_name.clone().filter(|name| !name.is_empty()),
        followers: account.followers_count,
        verified: false,
        url: url(account.url.as_deref()),
    }
}

pub(crate) fn account_info(account: &Account, domain: &str) -> AccountInfo {
    AccountInfo {
        id: RemoteId::new(&account.id),
        handle: handle(&account.acct, domain),
        display_name: account.display_name.clone().filter(|name| !name.is_empty()),
        url: url(account.url.as_deref()),
        followers: account.followers_count,
    }
}

pub(crate) fn account_metrics(account: &Account, now: DateTime<Utc>) -> AccountMetrics {
    AccountMetrics {
        followers: account.followers_count,
        following: account.following_count,
        posts: account.statuses_count,
        as_of: Some(now),
        ..AccountMetrics::default()
    }
}

pub(crate) fn post_metrics(status: &Status, now: DateTime<Utc>) -> PostMetrics {
    PostMetrics {
        likes: status.favourites_count,
        reposts: status.reblogs_count,
        replies: status.replies_count,
        quotes: status.quotes_count,
        as_of: Some(now),
        ..PostMetrics::default()
    }
}

pub(crate) fn reference(status: &Status) -> RemoteRef {
    RemoteRef { id: RemoteId::new(&status.id), url: permalink(status), revision: None }
}

fn permalink(status: &Status) -> Option<Url> {
    url(status.url.as_deref()).or_else(|| url(status.uri.as_deref()))
}

pub(crate) fn media_kind(kind: &str) -> MediaKind {
    match kind {
        "gifv" => MediaKind::Gif,
        "video" => MediaKind::Video,
        "audio" => MediaKind::Audio,
        _ => MediaKind::Image,
    }
}

pub(crate) fn uploaded(attachment: &MediaAttachment) -> UploadedMedia {
    UploadedMedia {
        id: MediaId::new(&attachment.id),
        kind: media_kind(&attachment.kind),
        alt_text: attachment.description.clone(),
        url: url(attachment.url.as_deref()),
    }
}

pub(crate) fn remote_post(status: &Status, domain: &str, now: DateTime<Utc>) -> RemotePost {
    RemotePost {
        reference: reference(status),
        author: author(&status.account, domain),
        text: html::to_text(&status.content),
        created_at: status.created_at,
        in_reply_to: status.in_reply_to_id.as_deref().map(RemoteId::new),
        media: status.media_attachments.iter().map(uploaded).collect(),
        language: status.language.clone(),
        metrics: Some(post_metrics(status, now)),
    }
}

pub(crate) fn visibility_param(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "public",
        Visibility::Unlisted => "unlisted",
        Visibility::Followers => "private",
        Visibility::Direct => "direct",
    }
}

/// The visibility a status was posted with; an unknown one (a fork's `local`) reads as
/// unlisted, the closest that never widens the audience of a public timeline.
pub(crate) fn visibility(value: Option<&str>) -> Visibility {
    match value {
        Some("public") | None => Visibility::Public,
        Some("private") => Visibility::Followers,
        Some("direct") => Visibility::Direct,
        Some(_) => Visibility::Unlisted,
    }
}

fn status_interaction(status: &Status, kind: InteractionKind, domain: &str) -> Interaction {
    Interaction {
        id: RemoteId::new(&status.id),
        platform: PlatformKind::Mastodon,
        account: None,
        kind,
        author: author(&status.account, domain),
        text: Some(html::to_text(&status.content)),
        language: status.language.clone(),
        created_at: status.created_at,
        subject: None,
        in_reply_to: status.in_reply_to_id.as_deref().map(RemoteId::new),
        conversation: None,
        permalink: permalink(status),
    }
}

/// A notification as an interaction, or `None` for the kinds the adapter does not list
/// (polls, edits, admin events). `me` is the account's own id: a mention that answers one of
/// its statuses is a reply, a mention in a direct status a direct message.
pub(crate) fn notification(notification: &Notification, me: &str, domain: &str) -> Option<Interaction> {
    let status = notification.status.as_ref();
    match notification.kind.as_str() {
        "mention" => {
            let status = status?;
            let kind = if status.visibility.as_deref() == Some("direct") {
                InteractionKind::DirectMessage
            } else if status.in_reply_to_account_id.as_deref() == Some(me) {
                InteractionKind::Reply
            } else {
                InteractionKind::Mention
            };
            let mut interaction = status_interaction(status, kind.clone(), domain);
            if kind == InteractionKind::Reply {
                interaction.subject = interaction.in_reply_to.clone();
            }
            Some(interaction)
        }
        "quote" => {
            let status = status?;
            let mut interaction = status_interaction(status, InteractionKind::Quote, domain);
            interaction.subject =
                status.quote.as_ref().and_then(|q| q.quoted_status.as_ref()).map(|quoted| RemoteId::new(&quoted.id));
            Some(interaction)
        }
        "favourite" | "reblog" | "follow" => {
            let kind = match notification.kind.as_str() {
                "favourite" => InteractionKind::Reaction,
                "reblog" => InteractionKind::Repost,
                _ => InteractionKind::Follow,
            };
            Some(Interaction {
                id: RemoteId::new(format!("{NOTIFICATION_PREFIX}{}", notification.id)),
                platform: PlatformKind::Mastodon,
                account: None,
                kind,
                author: author(&notification.account, domain),
                text: None,
                language: None,
                created_at: notification.created_at,
                subject: status.map(|s| RemoteId::new(&s.id)),
                in_reply_to: None,
                conversation: None,
                permalink: status.and_then(permalink).or_else(|| url(notification.account.url.as_deref())),
            })
        }
        _ => None,
    }
}

/// A direct-message conversation as an interaction: its last status, in its conversation.
pub(crate) fn conversation(conversation: &Conversation, domain: &str) -> Option<Interaction> {
    let status = conversation.last_status.as_ref()?;
    let mut interaction = status_interaction(status, InteractionKind::DirectMessage, domain);
    interaction.conversation = Some(ConversationId::new(&conversation.id));
    Some(interaction)
}

/// A status found by listening.
pub(crate) fn listening(status: &Status, domain: &str) -> Interaction {
    status_interaction(status, InteractionKind::Listening, domain)
}

/// The notification `types[]` that carry these kinds.
pub(crate) fn notification_types(kinds: &[InteractionKind]) -> Vec<&'static str> {
    let mut types = Vec::new();
    for kind in kinds {
        let name = match kind {
            InteractionKind::Mention | InteractionKind::Reply | InteractionKind::DirectMessage => "mention",
            InteractionKind::Reaction => "favourite",
            InteractionKind::Repost => "reblog",
            InteractionKind::Follow => "follow",
            InteractionKind::Quote => "quote",
            _ => continue,
        };
        if !types.contains(&name) {
            types.push(name);
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_name_the_server() {
        assert_eq!(handle("ana", "cafe.example").as_str(), "ana@cafe.example");
        assert_eq!(handle("bruno@other.example", "cafe.example").as_str(), "bruno@other.example");
        assert_eq!(handle("@ana", "cafe.example").as_str(), "ana@cafe.example");
    }

    #[test]
    fn visibilities_both_ways() {
        for v in [Visibility::Public, Visibility::Unlisted, Visibility::Followers, Visibility::Direct] {
            assert_eq!(visibility(Some(visibility_param(v))), v);
        }
        assert_eq!(visibility(Some("local")), Visibility::Unlisted);
    }

    #[test]
    fn notification_types_are_deduplicated() {
        let kinds =
            [InteractionKind::Mention, InteractionKind::Reply, InteractionKind::Reaction, InteractionKind::Review];
        assert_eq!(notification_types(&kinds), vec!["mention", "favourite"]);
    }
}
