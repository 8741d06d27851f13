//! Mastodon's JSON shapes, as the server sends them. Unknown fields are ignored; fields a
//! server may omit are optional.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v2/instance`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Instance {
    pub domain: String,
    #[serde(default)]
    pub configuration: Configuration,
    #[serde(default)]
    pub api_versions: ApiVersions,
}

/// `GET /api/v1/instance`, read only when a server has no v2 (Mastodon before 4.0, some
/// compatible servers): `uri` is the domain; Pleroma and Akkoma put the length limit in
/// `max_toot_chars`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct InstanceV1 {
    pub uri: String,
    #[serde(default)]
    pub max_toot_chars: Option<u32>,
    #[serde(default)]
    pub configuration: Configuration,
}

impl From<InstanceV1> for Instance {
    fn from(v1: InstanceV1) -> Self {
        let mut configuration = v1.configuration;
        configuration.statuses.max_characters = configuration.statuses.max_characters.or(v1.max_toot_chars);
        let domain =
            v1.uri.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_owned();
        Instance { domain, configuration, api_versions: ApiVersions::default() }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ApiVersions {
    #[serde(default)]
    pub mastodon: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Configuration {
    #[serde(default)]
    pub statuses: StatusLimits,
    #[serde(default)]
    pub media_attachments: MediaLimits,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StatusLimits {
    pub max_characters: Option<u32>,
    pub max_media_attachments: Option<u32>,
    pub characters_reserved_per_url: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct MediaLimits {
    #[serde(default)]
    pub supported_mime_types: Vec<String>,
    pub description_limit: Option<u32>,
    pub image_size_limit: Option<u64>,
    pub video_size_limit: Option<u64>,
}

/// An account (`verify_credentials`, a status's author, a notification's actor).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Account {
    pub id: String,
    pub acct: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub followers_count: Option<u64>,
    #[serde(default)]
    pub following_count: Option<u64>,
    #[serde(default)]
    pub statuses_count: Option<u64>,
}

/// A status.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Status {
    pub id: String,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub in_reply_to_account_id: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub spoiler_text: String,
    pub account: Account,
    #[serde(default)]
    pub media_attachments: Vec<MediaAttachment>,
    #[serde(default)]
    pub replies_count: Option<u64>,
    #[serde(default)]
    pub reblogs_count: Option<u64>,
    #[serde(default)]
    pub favourites_count: Option<u64>,
    #[serde(default)]
    pub quotes_count: Option<u64>,
    #[serde(default)]
    pub quote: Option<Quote>,
}

/// The quote of a status (Mastodon 4.5+): which status it quotes.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Quote {
    #[serde(default)]
    pub quoted_status: Option<QuotedStatus>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct QuotedStatus {
    pub id: String,
}

/// `POST /api/v1/statuses` with `scheduled_at`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ScheduledStatus {
    pub id: String,
    pub scheduled_at: DateTime<Utc>,
}

/// `GET /api/v1/statuses/:id/source`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct StatusSource {
    pub text: String,
}

/// `GET /api/v1/statuses/:id/context`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Context {
    #[serde(default)]
    pub ancestors: Vec<Status>,
    #[serde(default)]
    pub descendants: Vec<Status>,
}

/// A media attachment (`POST /api/v2/media`, `GET /api/v1/media/:id`, a status's media).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MediaAttachment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `GET /api/v1/notifications`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub account: Account,
    #[serde(default)]
    pub status: Option<Status>,
}

/// `GET /api/v1/conversations`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Conversation {
    pub id: String,
    #[serde(default)]
    pub last_status: Option<Status>,
}

/// `GET /api/v2/search`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SearchResults {
    #[serde(default)]
    pub statuses: Vec<Status>,
}

/// The body of `POST /api/v1/statuses`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NewStatus {
    pub status: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoiler_text: Option<String>,
    pub visibility: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
}

/// An error body: `{"error": "...", "error_description"?: "..."}`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}
