//! Mock-server helpers and response bodies in Mastodon's shapes (written for these tests,
//! following the documented entities).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};
use tertulia_core::{Clock, ManualClock};
use tertulia_http::{RetryPolicy, SeededJitter};
use tertulia_mastodon::{Mastodon, MastodonConfig};

pub const TOKEN: &str = "tok-cafe-123";
pub const DOMAIN: &str = "cafe.example";
pub const ME: &str = "109000000000000001";

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
}

pub fn elapsed(clock: &ManualClock) -> Duration {
    (clock.now() - start()).to_std().unwrap()
}

pub fn instance(max_characters: u32, api_version: u32) -> Value {
    json!({
        "domain": DOMAIN,
        "title": "Café Tertulia social",
        "version": "4.5.0",
        "source_url": "https://github.com/mastodon/mastodon",
        "usage": {"users": {"active_month": 1200}},
        "languages": ["es", "en"],
        "configuration": {
            "urls": {"streaming": "wss://cafe.example"},
            "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 4},
            "statuses": {"max_characters": max_characters, "max_media_attachments": 4, "characters_reserved_per_url": 23},
            "media_attachments": {
                "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "audio/mpeg"],
                "description_limit": 1500,
                "image_size_limit": 16777216,
                "image_matrix_limit": 33177600,
                "video_size_limit": 103809024,
                "video_frame_rate_limit": 120,
                "video_matrix_limit": 8294400
            },
            "polls": {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746},
            "translation": {"enabled": false}
        },
        "registrations": {"enabled": false, "approval_required": false, "message": null},
        "api_versions": {"mastodon": api_version},
        "contact": {"email": "hola@cafe.example"},
        "rules": []
    })
}

pub fn account(id: &str, username: &str, acct: &str, display_name: &str) -> Value {
    let host = acct.split_once('@').map_or(DOMAIN, |(_, host)| host);
    json!({
        "id": id,
        "username": username,
        "acct": acct,
        "display_name": display_name,
        "locked": false,
        "bot": false,
        "created_at": "2024-03-01T00:00:00.000Z",
        "note": "",
        "url": format!("https://{host}/@{username}"),
        "avatar": format!("https://{host}/avatars/{id}.png"),
        "avatar_static": format!("https://{host}/avatars/{id}.png"),
        "header": "",
        "header_static": "",
        "followers_count": 240,
        "following_count": 35,
        "statuses_count": 812,
        "last_status_at": "2026-11-25",
        "emojis": [],
        "fields": []
    })
}

pub fn me() -> Value {
    account(ME, "cafetertulia", "cafetertulia", "Café Tertulia")
}

pub fn ana() -> Value {
    account("109000000000000002", "ana", "ana", "Ana")
}

pub fn bruno() -> Value {
    account("209000000000000003", "bruno", "bruno@other.example", "Bruno")
}

/// A status of `author`, with the counters and fields the server sends.
pub fn status(id: &str, created_at: &str, author: Value, content: &str) -> Value {
    let username = author["username"].as_str().unwrap_or("x").to_owned();
    json!({
        "id": id,
        "created_at": created_at,
        "in_reply_to_id": null,
        "in_reply_to_account_id": null,
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "es",
        "uri": format!("https://{DOMAIN}/users/{username}/statuses/{id}"),
        "url": format!("https://{DOMAIN}/@{username}/{id}"),
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "quotes_count": 0,
        "edited_at": null,
        "favourited": false,
        "reblogged": false,
        "muted": false,
        "bookmarked": false,
        "content": content,
        "reblog": null,
        "application": {"name": "tertulia", "website": null},
        "account": author,
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": null,
        "poll": null
    })
}

pub fn with(mut value: Value, changes: Value) -> Value {
    if let (Some(object), Some(changes)) = (value.as_object_mut(), changes.as_object()) {
        for (key, change) in changes {
            object.insert(key.clone(), change.clone());
        }
    }
    value
}

pub fn media(id: &str, kind: &str, ready: bool, description: Option<&str>) -> Value {
    json!({
        "id": id,
        "type": kind,
        "url": if ready { json!(format!("https://files.{DOMAIN}/media_attachments/{id}/original.png")) } else { Value::Null },
        "preview_url": format!("https://files.{DOMAIN}/media_attachments/{id}/small.png"),
        "remote_url": null,
        "preview_remote_url": null,
        "text_url": null,
        "meta": {"original": {"width": 640, "height": 480, "size": "640x480", "aspect": 1.3333333333333333}},
        "description": description,
        "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"
    })
}

pub fn notification(id: &str, kind: &str, created_at: &str, actor: Value, status: Option<Value>) -> Value {
    let mut value = json!({
        "id": id,
        "type": kind,
        "group_key": format!("ungrouped-{id}"),
        "created_at": created_at,
        "account": actor,
    });
    if let Some(status) = status {
        value["status"] = status;
    }
    value
}

/// Mocks what `connect` reads: the instance and the account.
pub async fn mock_connect(server: &mut ServerGuard, instance: Value) -> (Mock, Mock) {
    let instance = server
        .mock("GET", "/api/v2/instance")
        .with_header("content-type", "application/json; charset=utf-8")
        .with_body(instance.to_string())
        .create_async()
        .await;
    let credentials = server
        .mock("GET", "/api/v1/accounts/verify_credentials")
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .with_header("content-type", "application/json; charset=utf-8")
        .with_body(me().to_string())
        .create_async()
        .await;
    (instance, credentials)
}

pub fn config(base: &str) -> MastodonConfig {
    let mut config = MastodonConfig::new(base.parse().unwrap(), TOKEN);
    config.retry = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
    config
}

pub async fn connect_to(base: &str, clock: &Arc<ManualClock>, config: MastodonConfig) -> Mastodon {
    let _ = base;
    Mastodon::builder(config).clock(clock.clone()).jitter(Arc::new(SeededJitter::new(11))).connect().await.unwrap()
}

/// A mock server with the instance and account mocked, and the adapter connected to it.
pub async fn connected() -> (ServerGuard, Mastodon, Arc<ManualClock>) {
    let mut server = mockito::Server::new_async().await;
    mock_connect(&mut server, instance(500, 7)).await;
    let clock = Arc::new(ManualClock::new(start()));
    let mastodon = connect_to(&server.url(), &clock, config(&server.url())).await;
    (server, mastodon, clock)
}

pub fn json_header() -> (&'static str, &'static str) {
    ("content-type", "application/json; charset=utf-8")
}

pub fn bearer() -> Matcher {
    Matcher::Exact(format!("Bearer {TOKEN}"))
}
