//! The AT Protocol's JSON shapes, as the lexicons define them: only the fields the adapter
//! reads or writes. Unknown fields are ignored when reading, so a server that adds fields
//! does not break the adapter.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The XRPC error body: `{"error": "<Name>", "message": "<text>"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct XrpcError {
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `com.atproto.server.createSession` input.
#[derive(Serialize)]
pub(crate) struct CreateSessionInput<'a> {
    pub identifier: &'a str,
    pub password: &'a str,
}

/// `com.atproto.server.createSession` and `refreshSession` output.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionOutput {
    pub access_jwt: String,
    pub refresh_jwt: String,
    pub handle: String,
    pub did: String,
}

/// `com.atproto.repo.strongRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StrongRef {
    pub uri: String,
    pub cid: String,
}

/// `app.bsky.feed.post#replyRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReplyRef {
    pub root: StrongRef,
    pub parent: StrongRef,
}

/// A blob reference as `uploadBlob` returns it and records embed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Blob {
    #[serde(rename = "$type")]
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: Link,
    pub mime_type: String,
    pub size: u64,
}

/// A CID link, `{"$link": "<cid>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Link {
    #[serde(rename = "$link")]
    pub link: String,
}

/// `com.atproto.repo.uploadBlob` output.
#[derive(Deserialize)]
pub(crate) struct UploadBlobOutput {
    pub blob: Blob,
}

/// `app.bsky.embed.defs#aspectRatio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AspectRatio {
    pub width: u32,
    pub height: u32,
}

/// `app.bsky.embed.images#image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Image {
    pub image: Blob,
    pub alt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
}

/// `app.bsky.embed.external#external`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct External {
    pub uri: String,
    pub title: String,
    pub description: String,
}

/// The embeds a post record may carry (those the adapter writes or reads back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "$type")]
pub(crate) enum Embed {
    #[serde(rename = "app.bsky.embed.images")]
    Images { images: Vec<Image> },
    #[serde(rename = "app.bsky.embed.external")]
    External { external: External },
    #[serde(rename = "app.bsky.embed.record")]
    Record { record: StrongRef },
    #[serde(rename = "app.bsky.embed.recordWithMedia")]
    RecordWithMedia { record: EmbeddedRecord, media: Box<Embed> },
    #[serde(other)]
    Other,
}

/// `app.bsky.embed.record` inside a `recordWithMedia`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EmbeddedRecord {
    pub record: StrongRef,
}

/// An `app.bsky.feed.post` record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PostRecord {
    #[serde(rename = "$type", default = "post_type")]
    pub kind: String,
    pub text: String,
    pub created_at: String,
    /// Kept as JSON: a record read back may carry facet features this adapter does not know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<ReplyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<Embed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub langs: Vec<String>,
}

pub(crate) const POST: &str = "app.bsky.feed.post";

fn post_type() -> String {
    POST.to_owned()
}

/// `com.atproto.repo.createRecord` input.
#[derive(Serialize)]
pub(crate) struct CreateRecordInput<'a, R: Serialize> {
    pub repo: &'a str,
    pub collection: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rkey: Option<&'a str>,
    pub record: &'a R,
}

/// `com.atproto.repo.createRecord` output.
#[derive(Debug, Deserialize)]
pub(crate) struct CreateRecordOutput {
    pub uri: String,
    pub cid: String,
}

/// `com.atproto.repo.deleteRecord` input.
#[derive(Serialize)]
pub(crate) struct DeleteRecordInput<'a> {
    pub repo: &'a str,
    pub collection: &'a str,
    pub rkey: &'a str,
}

/// `com.atproto.repo.getRecord` output, and one item of `listRecords`.
#[derive(Debug, Deserialize)]
pub(crate) struct RecordOutput<T> {
    pub uri: String,
    #[serde(default)]
    pub cid: Option<String>,
    pub value: T,
}

/// `com.atproto.repo.listRecords` output.
#[derive(Debug, Deserialize)]
pub(crate) struct ListRecordsOutput<T> {
    #[serde(default)]
    pub cursor: Option<String>,
    pub records: Vec<RecordOutput<T>>,
}

/// `com.atproto.identity.resolveHandle` output.
#[derive(Deserialize)]
pub(crate) struct ResolveHandleOutput {
    pub did: String,
}

/// `app.bsky.actor.defs#profileViewBasic` / `#profileView` / `#profileViewDetailed`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Profile {
    pub did: String,
    pub handle: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub followers_count: Option<u64>,
    #[serde(default)]
    pub follows_count: Option<u64>,
    #[serde(default)]
    pub posts_count: Option<u64>,
    #[serde(default)]
    pub verification: Option<Verification>,
}

/// `app.bsky.actor.defs#verificationState` (only what says "verified").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Verification {
    #[serde(default)]
    pub verified_status: Option<String>,
}

/// `app.bsky.feed.defs#postView`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PostView {
    pub uri: String,
    pub cid: String,
    pub author: Profile,
    pub record: Value,
    #[serde(default)]
    pub embed: Option<Value>,
    #[serde(default)]
    pub reply_count: Option<u64>,
    #[serde(default)]
    pub repost_count: Option<u64>,
    #[serde(default)]
    pub like_count: Option<u64>,
    #[serde(default)]
    pub quote_count: Option<u64>,
    #[serde(default)]
    pub bookmark_count: Option<u64>,
    pub indexed_at: String,
}

/// `app.bsky.feed.getPosts` output.
#[derive(Deserialize)]
pub(crate) struct GetPostsOutput {
    pub posts: Vec<PostView>,
}

/// `app.bsky.feed.searchPosts` output.
#[derive(Deserialize)]
pub(crate) struct SearchPostsOutput {
    #[serde(default)]
    pub cursor: Option<String>,
    pub posts: Vec<PostView>,
}

/// `app.bsky.feed.getPostThread` output.
#[derive(Deserialize)]
pub(crate) struct GetPostThreadOutput {
    pub thread: ThreadNode,
}

/// One node of a thread: `#threadViewPost`, `#notFoundPost` or `#blockedPost`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "$type")]
pub(crate) enum ThreadNode {
    #[serde(rename = "app.bsky.feed.defs#threadViewPost")]
    Post(Box<ThreadViewPost>),
    #[serde(rename = "app.bsky.feed.defs#notFoundPost")]
    NotFound { uri: String },
    #[serde(rename = "app.bsky.feed.defs#blockedPost")]
    Blocked { uri: String },
    #[serde(other)]
    Other,
}

/// `app.bsky.feed.defs#threadViewPost`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ThreadViewPost {
    pub post: PostView,
    #[serde(default)]
    pub replies: Vec<ThreadNode>,
}

/// `app.bsky.notification.listNotifications` output.
#[derive(Deserialize)]
pub(crate) struct ListNotificationsOutput {
    #[serde(default)]
    pub cursor: Option<String>,
    pub notifications: Vec<Notification>,
}

/// `app.bsky.notification.listNotifications#notification`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Notification {
    pub uri: String,
    pub author: Profile,
    pub reason: String,
    #[serde(default)]
    pub reason_subject: Option<String>,
    pub record: Value,
    pub indexed_at: String,
}
