//! The adapter: [`Bluesky`] implements the [`Platform`] contract over XRPC.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tertulia_core::{
    AccountInfo, AccountMetrics, Author, Capabilities, Clock, Error, ErrorKind, IdempotencyKey, Interaction,
    InteractionQuery, MediaKind, MediaUpload, Operation, Page, Platform, PlatformKind, PostMetrics, PublishLookup,
    PublishOutcome, PublishRequest, PublishStatus, RemoteId, RemotePost, RemoteRef, ReplyRequest, SearchQuery,
    TextRules, UploadedMedia, Visibility,
};
use tokio::sync::RwLock;

use crate::at_uri::AtUri;
use crate::budget::{Write, WriteBudget};
use crate::config::{BlueskyConfig, BudgetPolicy};
use crate::convert::{self, Links};
use crate::error::{is_expired_token, local_error};
use crate::media::{self, UploadedImage};
use crate::session::{Session, SessionListener};
use crate::tid::{self, Tid};
use crate::wire::{
    self, AspectRatio, CreateRecordInput, CreateRecordOutput, CreateSessionInput, DeleteRecordInput, Embed, External,
    GetPostThreadOutput, GetPostsOutput, ListNotificationsOutput, ListRecordsOutput, POST, PostRecord, Profile,
    RecordOutput, ReplyRef, ResolveHandleOutput, SearchPostsOutput, SessionOutput, StrongRef, ThreadNode,
    UploadBlobOutput,
};
use crate::xrpc::{Request, Xrpc};
use tertulia_http::Secret;
use tertulia_http::may_have_been_applied;

/// How far before `sent_at` a lookup still looks, for clocks that disagree.
const LOOKUP_SKEW: chrono::Duration = chrono::Duration::minutes(10);
/// How long the record key chosen for an idempotency key is remembered.
const KEY_MEMORY: chrono::Duration = chrono::Duration::hours(24);
/// Forgetting old keys starts when this many are remembered.
const KEY_MEMORY_PRUNE_AT: usize = 1_024;
/// At most this many pages of the account's posts are read by a lookup.
const LOOKUP_PAGES: usize = 10;

/// A Bluesky account, behind the [`Platform`] contract.
///
/// Build it with [`Bluesky::connect`]; clone it freely (clones share the session).
#[derive(Clone)]
pub struct Bluesky {
    inner: Arc<Inner>,
}

struct Inner {
    xrpc: Xrpc,
    identifier: String,
    password: Option<Secret>,
    state: RwLock<SessionState>,
    refreshing: tokio::sync::Mutex<()>,
    on_session: Option<SessionListener>,
    budget: Mutex<WriteBudget>,
    budget_policy: BudgetPolicy,
    pending: Mutex<HashMap<IdempotencyKey, Pending>>,
    capabilities: Capabilities,
    links: Links,
    clock: Arc<dyn Clock>,
    account: Option<tertulia_core::AccountId>,
}

struct SessionState {
    session: Session,
    generation: u64,
}

/// The record key and creation time chosen for an idempotency key, reused by every retry.
#[derive(Debug, Clone, Copy)]
struct Pending {
    rkey: Tid,
    created_at: DateTime<Utc>,
}

/// A post to create: a publish or a reply, checked and ready to build.
struct Draft<'a> {
    text: &'a str,
    media: &'a [tertulia_core::MediaId],
    link: Option<&'a url::Url>,
    language: Option<&'a str>,
    reply_to: Option<RemoteRef>,
    key: &'a IdempotencyKey,
}

/// A post's thread as the AppView shows it: the post and its replies, recursively.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadView {
    /// The post.
    pub post: RemotePost,
    /// Its replies (each with its own), in the AppView's order.
    pub replies: Vec<ThreadView>,
}

impl ThreadView {
    /// Every post of the thread below this one, depth first.
    pub fn descendants(&self) -> Vec<&RemotePost> {
        let mut out = Vec::new();
        for reply in &self.replies {
            out.push(&reply.post);
            out.extend(reply.descendants());
        }
        out
    }
}

impl fmt::Debug for Bluesky {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bluesky")
            .field("service", &self.inner.xrpc.http.base_url().as_str())
            .field("identifier", &self.inner.identifier)
            .finish_non_exhaustive()
    }
}

/// The rules of a Bluesky post as this adapter publishes it: 300 graphemes and 3,000 bytes
/// (from `tertulia-text`), and up to four images of 2 MB (videos need the video service,
/// which the adapter does not use).
pub fn text_rules() -> TextRules {
    let mut rules = tertulia_text::rules_for(&PlatformKind::Bluesky);
    rules.media.kinds.retain(|kind| matches!(kind, MediaKind::Image | MediaKind::Gif));
    rules.media.max_video_bytes = None;
    rules
}

/// What the adapter can do.
pub fn capabilities() -> Capabilities {
    Capabilities {
        text: text_rules(),
        account: true,
        publish: true,
        upload_media: true,
        threads: true,
        delete: true,
        get_post: true,
        reply: true,
        interactions: convert::REASONS.iter().map(|(_, kind)| kind.clone()).collect(),
        post_metrics: true,
        account_metrics: true,
        search: true,
        find_by_marker: true,
        ..Capabilities::none(PlatformKind::Bluesky)
    }
}

impl Bluesky {
    /// Connects: restores the configured session, or signs in with the password
    /// (`createSession`) and hands the new session to the listener.
    pub async fn connect(config: BlueskyConfig) -> Result<Self, Error> {
        config.validate()?;
        let parts = config.take_parts();
        let config = parts.config;
        let xrpc = Xrpc { http: config.build_http()?, appview_proxy: config.appview_proxy.clone() };
        let session = match parts.session {
            Some(session) => session,
            None => {
                let password = parts.password.as_ref().ok_or_else(|| {
                    Error::new(ErrorKind::Configuration, PlatformKind::Bluesky, Operation::Connect, "no password")
                })?;
                let session = create_session(&xrpc, &config.identifier, password).await?;
                if let Some(listener) = &parts.on_session {
                    listener(&session);
                }
                session
            }
        };
        Ok(Bluesky {
            inner: Arc::new(Inner {
                xrpc,
                identifier: config.identifier.clone(),
                password: parts.password,
                state: RwLock::new(SessionState { session, generation: 0 }),
                refreshing: tokio::sync::Mutex::new(()),
                on_session: parts.on_session,
                budget: Mutex::new(WriteBudget::new(config.write_limits.iter().copied())),
                budget_policy: config.budget_policy,
                pending: Mutex::new(HashMap::new()),
                capabilities: capabilities(),
                links: Links::new(&config.web_url),
                clock: parts.clock,
                account: config.account.clone(),
            }),
        })
    }

    /// The current session (to persist it; the listener also receives every new one).
    pub async fn session(&self) -> Session {
        self.inner.state.read().await.session.clone()
    }

    /// Refreshes the session now (`refreshSession`), as the adapter does by itself when the
    /// server answers `ExpiredToken`.
    pub async fn refresh_session(&self) -> Result<Session, Error> {
        let generation = self.inner.state.read().await.generation;
        self.refresh(generation).await.map_err(|f| f.with_operation(Operation::Authenticate))?;
        Ok(self.session().await)
    }

    /// Resolves a handle to its DID (`com.atproto.identity.resolveHandle`).
    pub async fn resolve_handle(&self, handle: &str) -> Result<String, Error> {
        let request = Request::query("com.atproto.identity.resolveHandle").param("handle", handle);
        let out: ResolveHandleOutput =
            self.authed_json(&request).await.map_err(|f| f.with_operation(Operation::Publish))?;
        Ok(out.did)
    }

    /// Reads a post's thread (`app.bsky.feed.getPostThread`), `depth` levels of replies deep.
    pub async fn thread(&self, id: &RemoteId, depth: u16) -> Result<ThreadView, Error> {
        let op = Operation::GetPost;
        let request = Request::query("app.bsky.feed.getPostThread")
            .param("uri", id.as_str())
            .param("depth", depth.min(1000).to_string())
            .param("parentHeight", "0")
            .appview();
        let out: GetPostThreadOutput = self.authed_json(&request).await.map_err(|f| f.with_operation(op))?;
        let now = self.inner.clock.now();
        match out.thread {
            ThreadNode::Post(node) => thread_view(&node, &self.inner.links, now).map_err(|f| f.with_operation(op)),
            ThreadNode::NotFound { uri } => Err(not_found(op, &uri)),
            ThreadNode::Blocked { uri } => Err(Error::new(
                ErrorKind::PermissionDenied,
                PlatformKind::Bluesky,
                op,
                format!("{uri} is blocked for this account"),
            )),
            ThreadNode::Other => Err(not_found(op, id.as_str())),
        }
    }

    /// The write points left in the tightest window (of 5,000 per hour and 35,000 per day),
    /// as counted by this adapter.
    pub fn write_points_left(&self) -> u32 {
        let now = self.inner.clock.now();
        self.inner.budget.lock().map(|mut b| b.remaining(now)).unwrap_or(0)
    }

    // ----- sessions -----

    async fn token(&self) -> (Secret, u64) {
        let state = self.inner.state.read().await;
        (state.session.access_secret().clone(), state.generation)
    }

    /// Calls with the access token; on `ExpiredToken`, refreshes once and calls again.
    async fn authed(&self, request: &Request) -> Result<Vec<u8>, Error> {
        let (token, generation) = self.token().await;
        match self.inner.xrpc.call(request, Some(&token)).await {
            Err(failure) if is_expired_token(&failure) => {
                self.refresh(generation).await?;
                let (token, _) = self.token().await;
                self.inner.xrpc.call(request, Some(&token)).await
            }
            other => other,
        }
    }

    async fn authed_json<T: serde::de::DeserializeOwned>(&self, request: &Request) -> Result<T, Error> {
        let body = self.authed(request).await?;
        crate::xrpc::decode(&body)
    }

    /// Replaces the session of `generation` with a refreshed one; if another task already
    /// did, uses theirs. Falls back to signing in when the refresh token is refused.
    async fn refresh(&self, generation: u64) -> Result<(), Error> {
        let _one_at_a_time = self.inner.refreshing.lock().await;
        let refresh_jwt = {
            let state = self.inner.state.read().await;
            if state.generation != generation {
                return Ok(());
            }
            state.session.refresh_secret().clone()
        };
        // The old refresh token stays valid for two hours after a refresh, so resending is safe.
        let request = Request::empty_procedure("com.atproto.server.refreshSession").repeatable();
        let refreshed = match self.inner.xrpc.call_json::<SessionOutput>(&request, Some(&refresh_jwt)).await {
            Ok(out) => session_from(out),
            Err(failure) => Err(failure),
        };
        let session = match refreshed {
            Ok(session) => session,
            Err(failure) if failure.kind() == ErrorKind::Unauthenticated => match &self.inner.password {
                Some(password) => create_session(&self.inner.xrpc, &self.inner.identifier, password)
                    .await
                    .map_err(|e| local_error(e.kind(), e.message()))?,
                None => return Err(failure),
            },
            Err(failure) => return Err(failure),
        };
        let mut state = self.inner.state.write().await;
        state.session = session;
        state.generation += 1;
        if let Some(listener) = &self.inner.on_session {
            listener(&state.session);
        }
        Ok(())
    }

    async fn did(&self) -> String {
        self.inner.state.read().await.session.did().to_owned()
    }

    async fn own_author(&self) -> Author {
        let state = self.inner.state.read().await;
        let mut author = Author::new(state.session.did(), state.session.handle());
        author.url = self.inner.links.profile(state.session.handle());
        author
    }

    // ----- writes -----

    /// Waits for (or refuses) the write points of `write`.
    async fn spend(&self, write: Write) -> Result<DateTime<Utc>, Error> {
        loop {
            let now = self.inner.clock.now();
            let verdict = self.inner.budget.lock().map_err(|_| poisoned())?.try_spend(write, now);
            match verdict {
                Ok(()) => return Ok(now),
                Err(wait) if self.inner.budget_policy == BudgetPolicy::Wait => self.inner.clock.sleep(wait).await,
                Err(wait) => {
                    let message =
                        format!("the account's write points are spent (a {write:?} costs {})", write.points());
                    return Err(local_error(ErrorKind::RateLimited, message).with_retry_after(wait));
                }
            }
        }
    }

    fn refund(&self, write: Write, at: DateTime<Utc>) {
        if let Ok(mut budget) = self.inner.budget.lock() {
            budget.refund(write, at);
        }
    }

    /// The record key and time for `key`: the first attempt's, for every retry.
    /// Keys are remembered for a day, also after success: publishing the same key again
    /// then finds the post already there instead of making a second one.
    fn pending(&self, key: &IdempotencyKey) -> Result<Pending, Error> {
        let mut pending = self.inner.pending.lock().map_err(|_| poisoned())?;
        let now = self.inner.clock.now();
        if pending.len() >= KEY_MEMORY_PRUNE_AT {
            pending.retain(|_, p| now - p.created_at < KEY_MEMORY);
        }
        Ok(*pending.entry(key.clone()).or_insert_with(|| Pending { rkey: Tid::for_key(now, key), created_at: now }))
    }

    /// Checks a draft against Bluesky's rules before anything is sent.
    fn check(&self, draft: &Draft<'_>) -> Result<(), Error> {
        let rules = &self.inner.capabilities.text;
        if !tertulia_text::fits(draft.text, rules) {
            return Err(local_error(
                ErrorKind::InvalidInput,
                format!(
                    "the text has {} graphemes and {} bytes; Bluesky takes {} and {}",
                    tertulia_text::length(draft.text, rules),
                    draft.text.len(),
                    rules.max_length,
                    rules.max_bytes.unwrap_or(u32::MAX)
                ),
            ));
        }
        if draft.text.trim().is_empty() && draft.media.is_empty() {
            return Err(local_error(ErrorKind::InvalidInput, "a post needs text or an image"));
        }
        if draft.media.len() > media::MAX_IMAGES {
            return Err(local_error(
                ErrorKind::InvalidInput,
                format!("{} images; a Bluesky post takes at most {}", draft.media.len(), media::MAX_IMAGES),
            ));
        }
        Ok(())
    }

    /// The facets of `text` (found by `tertulia-text` as the official client finds them);
    /// each mentioned handle is resolved once, and a mention whose handle does not resolve
    /// stays plain text.
    async fn facets(&self, text: &str) -> Result<Vec<tertulia_text::Facet>, Error> {
        let detected = tertulia_text::detect_facets(text);
        let mut dids: HashMap<String, Option<String>> = HashMap::new();
        for handle in detected.handles() {
            if dids.contains_key(handle) {
                continue;
            }
            let request = Request::query("com.atproto.identity.resolveHandle").param("handle", handle);
            let did = match self.authed_json::<ResolveHandleOutput>(&request).await {
                Ok(out) => Some(out.did),
                Err(failure) if failure.kind() == ErrorKind::NotFound || failure.kind() == ErrorKind::InvalidInput => {
                    None
                }
                Err(failure) => return Err(failure),
            };
            dids.insert(handle.to_owned(), did);
        }
        Ok(detected.resolve(|handle| dids.get(handle).cloned().flatten()))
    }

    /// The `reply` of a post answering `parent`: its strong ref, and its root.
    async fn reply_ref(&self, parent: &RemoteRef) -> Result<ReplyRef, Error> {
        let uri = AtUri::parse(parent.id.as_str()).filter(|u| u.collection == POST).ok_or_else(|| {
            local_error(ErrorKind::InvalidInput, format!("`{}` is not the AT-URI of a post", parent.id))
        })?;
        let own = uri.repo == self.did().await;
        // The account's own posts are read from its repository, which has them at once; the
        // AppView may not have indexed them yet. Others' posts come from the AppView.
        let (cid, record) = if own {
            let out = self.get_record(&uri).await?;
            (out.cid.unwrap_or_default(), out.value)
        } else {
            let request = Request::query("app.bsky.feed.getPosts").param("uris", parent.id.as_str()).appview();
            let out: GetPostsOutput = self.authed_json(&request).await?;
            let view = out
                .posts
                .into_iter()
                .next()
                .ok_or_else(|| local_error(ErrorKind::NotFound, format!("the post {} was not found", parent.id)))?;
            (view.cid.clone(), convert::post_record(&view.record)?)
        };
        let cid = parent.revision.clone().filter(|c| !c.is_empty()).unwrap_or(cid);
        let parent_ref = StrongRef { uri: parent.id.as_str().to_owned(), cid };
        let root = record.reply.map(|r| r.root).unwrap_or_else(|| parent_ref.clone());
        Ok(ReplyRef { root, parent: parent_ref })
    }

    async fn get_record(&self, uri: &AtUri) -> Result<RecordOutput<PostRecord>, Error> {
        let request = Request::query("com.atproto.repo.getRecord")
            .param("repo", &uri.repo)
            .param("collection", &uri.collection)
            .param("rkey", &uri.rkey);
        self.authed_json(&request).await
    }

    /// Builds and creates the post of a draft.
    async fn create_post(&self, draft: Draft<'_>) -> Result<PublishStatus, Outcome> {
        self.check(&draft)?;
        let images = draft.media.iter().map(UploadedImage::from_media_id).collect::<Result<Vec<_>, _>>()?;
        let facets = self
            .facets(draft.text)
            .await?
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| local_error(ErrorKind::Unexpected, format!("cannot encode a facet: {e}")))?;
        let reply = match &draft.reply_to {
            Some(parent) => Some(self.reply_ref(parent).await?),
            None => None,
        };
        let embed = if !images.is_empty() {
            Some(Embed::Images { images: images.iter().map(UploadedImage::to_image).collect() })
        } else {
            draft.link.map(|link| Embed::External {
                external: External {
                    uri: link.to_string(),
                    title: link.host_str().unwrap_or_default().to_owned(),
                    description: String::new(),
                },
            })
        };
        let pending = self.pending(draft.key)?;
        let record = PostRecord {
            kind: POST.to_owned(),
            text: draft.text.to_owned(),
            created_at: convert::format_datetime(pending.created_at),
            facets,
            reply,
            embed,
            langs: draft.language.map(|l| vec![l.to_owned()]).unwrap_or_default(),
        };
        let did = self.did().await;
        let rkey = pending.rkey.to_string();
        let input = CreateRecordInput { repo: &did, collection: POST, rkey: Some(&rkey), record: &record };
        // Sent once: what happened to a create without an answer is read back below.
        let request = Request::procedure("com.atproto.repo.createRecord", &input)?;
        let spent_at = self.spend(Write::Create).await?;
        match self.authed(&request).await {
            Ok(body) => {
                // Created; if the answer cannot be read, the record key still finds it.
                let out: CreateRecordOutput = match crate::xrpc::decode(&body) {
                    Ok(out) => out,
                    Err(failure) => return self.settle(&did, &rkey, &record, failure).await,
                };
                Ok(self.published(&out.uri, &out.cid, pending.created_at).await)
            }
            Err(failure) if !may_have_been_applied(&failure) => {
                if failure.status().is_none() || failure.kind() == ErrorKind::RateLimited {
                    self.refund(Write::Create, spent_at);
                }
                Err(Outcome::Failed(failure))
            }
            Err(failure) => self.settle(&did, &rkey, &record, failure).await,
        }
    }

    /// After a create that may or may not have happened: reads the record key back.
    async fn settle(&self, did: &str, rkey: &str, sent: &PostRecord, failure: Error) -> Result<PublishStatus, Outcome> {
        let uri = AtUri { repo: did.to_owned(), collection: POST.to_owned(), rkey: rkey.to_owned() };
        match self.get_record(&uri).await {
            Ok(found) if same_post(&found.value, sent) => {
                tracing::info!(uri = %found.uri, "the create went through before its answer was lost");
                let created_at = convert::datetime(&sent.created_at).unwrap_or_else(|_| self.inner.clock.now());
                let cid = found.cid.unwrap_or_default();
                Ok(self.published(&found.uri, &cid, created_at).await)
            }
            Ok(found) => Err(Outcome::Failed(local_error(
                ErrorKind::Conflict,
                format!("the record key of this publish already holds another post ({})", found.uri),
            ))),
            // The server answered, and the record is not there: nothing was created.
            Err(probe) if probe.kind() == ErrorKind::NotFound && failure.status().is_some() => {
                Err(Outcome::Failed(failure))
            }
            // No answer: the request may still be on its way. Unknown, and not retried.
            Err(_) => Err(Outcome::Unknown(failure)),
        }
    }

    async fn published(&self, uri: &str, cid: &str, at: DateTime<Utc>) -> PublishStatus {
        let handle = self.inner.state.read().await.session.handle().to_owned();
        PublishStatus::Published {
            reference: RemoteRef {
                id: RemoteId::new(uri),
                url: self.inner.links.post(&handle, uri),
                revision: Some(cid.to_owned()),
            },
            published_at: at,
        }
    }

    async fn publish_draft(
        &self,
        draft: Draft<'_>,
        marker: &tertulia_core::ClientMarker,
        op: Operation,
    ) -> PublishOutcome {
        let key = draft.key.clone();
        let status = match self.create_post(draft).await {
            Ok(status) => status,
            Err(Outcome::Failed(f)) => PublishStatus::Failed(f.with_operation(op)),
            Err(Outcome::Unknown(f)) => PublishStatus::Unknown(f.with_operation(op)),
        };
        PublishOutcome { idempotency_key: key, marker: marker.clone(), status }
    }

    async fn find_record(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>, Error> {
        let did = self.did().await;
        let author = self.own_author().await;
        let wanted_clock = tid::clock_id_for(&lookup.idempotency_key);
        let earliest = lookup.sent_at.checked_sub_signed(LOOKUP_SKEW).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let remembered = self.inner.pending.lock().map_err(|_| poisoned())?.get(&lookup.idempotency_key).copied();
        if let Some(pending) = remembered {
            let uri = AtUri { repo: did.clone(), collection: POST.to_owned(), rkey: pending.rkey.to_string() };
            match self.get_record(&uri).await {
                Ok(found) => {
                    let post = convert::remote_post_from_record(
                        &found.uri,
                        found.cid.as_deref(),
                        &found.value,
                        author,
                        &self.inner.links,
                    )?;
                    return Ok(Some(post));
                }
                Err(f) if f.kind() == ErrorKind::NotFound => {}
                Err(f) => return Err(f),
            }
        }
        let mut cursor: Option<String> = None;
        for _ in 0..LOOKUP_PAGES {
            let request = Request::query("com.atproto.repo.listRecords")
                .param("repo", &did)
                .param("collection", POST)
                .param("limit", "100")
                .param_opt("cursor", cursor.clone());
            let page: ListRecordsOutput<serde_json::Value> = self.authed_json(&request).await?;
            let mut older_than_wanted = false;
            for item in &page.records {
                let Ok(record) = convert::post_record(&item.value) else { continue };
                let Ok(created) = convert::datetime(&record.created_at) else { continue };
                if created < earliest {
                    older_than_wanted = true;
                    continue;
                }
                let rkey_matches = AtUri::parse(&item.uri)
                    .and_then(|u| Tid::parse(&u.rkey))
                    .is_some_and(|t| t.clock_id() == wanted_clock);
                let parent = record.reply.as_ref().map(|r| r.parent.uri.as_str());
                if rkey_matches
                    && record.text == lookup.text
                    && parent == lookup.in_reply_to.as_ref().map(RemoteId::as_str)
                {
                    let post = convert::remote_post_from_record(
                        &item.uri,
                        item.cid.as_deref(),
                        &record,
                        author,
                        &self.inner.links,
                    )?;
                    return Ok(Some(post));
                }
            }
            match page.cursor {
                Some(next) if !older_than_wanted && !page.records.is_empty() => cursor = Some(next),
                _ => break,
            }
        }
        Ok(None)
    }
}

/// Why a create did not end published.
enum Outcome {
    /// Nothing was created: safe to retry.
    Failed(Error),
    /// It may have been created: look it up first.
    Unknown(Error),
}

impl From<Error> for Outcome {
    fn from(failure: Error) -> Self {
        Outcome::Failed(failure)
    }
}

#[async_trait]
impl Platform for Bluesky {
    fn capabilities(&self) -> &Capabilities {
        &self.inner.capabilities
    }

    async fn account(&self) -> Result<AccountInfo, Error> {
        let profile = match self.profile().await {
            Ok(profile) => profile,
            // A new account the AppView has not indexed yet: the session knows who it is.
            Err(failure) if failure.kind() == ErrorKind::NotFound => {
                let author = self.own_author().await;
                return Ok(AccountInfo {
                    id: author.id,
                    handle: author.handle,
                    display_name: None,
                    url: author.url,
                    followers: None,
                });
            }
            Err(failure) => return Err(failure.with_operation(Operation::Account)),
        };
        Ok(AccountInfo {
            id: RemoteId::new(&profile.did),
            url: self.inner.links.profile(&profile.handle),
            handle: profile.handle.as_str().into(),
            display_name: profile.display_name.filter(|n| !n.is_empty()),
            followers: profile.followers_count,
        })
    }

    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        let op = Operation::Publish;
        let refuse = |kind: ErrorKind, message: &str| PublishOutcome {
            idempotency_key: request.idempotency_key.clone(),
            marker: request.marker.clone(),
            status: PublishStatus::Failed(Error::new(kind, PlatformKind::Bluesky, op, message)),
        };
        if request.schedule_at.is_some() {
            return refuse(ErrorKind::Unsupported, "Bluesky has no native scheduling: publish at the time instead");
        }
        if request.visibility != Visibility::Public {
            return refuse(ErrorKind::InvalidInput, "Bluesky posts are public: no other visibility exists");
        }
        if request.content_warning.is_some() {
            return refuse(
                ErrorKind::InvalidInput,
                "Bluesky has no free-text content warning (only moderation self-labels)",
            );
        }
        let draft = Draft {
            text: &request.text,
            media: &request.media,
            link: request.link.as_ref(),
            language: request.language.as_deref(),
            reply_to: request.in_reply_to.clone(),
            key: &request.idempotency_key,
        };
        self.publish_draft(draft, &request.marker, op).await
    }

    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia, Error> {
        let op = Operation::UploadMedia;
        let kind = media::check_upload(&upload.mime, upload.bytes.len(), upload.dimensions)
            .map_err(|f| f.with_operation(op))?;
        // The same bytes give the same blob, so an upload is safe to retry.
        let request =
            Request::upload("com.atproto.repo.uploadBlob", upload.bytes.clone(), upload.mime.clone()).repeatable();
        let out: UploadBlobOutput = self.authed_json(&request).await.map_err(|f| f.with_operation(op))?;
        let image = UploadedImage {
            blob: out.blob,
            alt: upload.alt_text.clone().unwrap_or_default(),
            aspect_ratio: upload.dimensions.map(|(width, height)| AspectRatio { width, height }),
        };
        Ok(UploadedMedia {
            id: image.to_media_id().map_err(|f| f.with_operation(op))?,
            kind,
            alt_text: upload.alt_text.clone(),
            url: None,
        })
    }

    async fn delete(&self, id: &RemoteId) -> Result<(), Error> {
        let op = Operation::Delete;
        let uri = AtUri::parse(id.as_str()).ok_or_else(|| {
            Error::new(ErrorKind::InvalidInput, PlatformKind::Bluesky, op, format!("`{id}` is not an AT-URI"))
        })?;
        let did = self.did().await;
        if uri.repo != did {
            return Err(Error::new(
                ErrorKind::PermissionDenied,
                PlatformKind::Bluesky,
                op,
                "the record is not in this account's repository",
            ));
        }
        let input = DeleteRecordInput { repo: &did, collection: &uri.collection, rkey: &uri.rkey };
        // Deleting what is already gone succeeds, so a delete is safe to retry.
        let request =
            Request::procedure("com.atproto.repo.deleteRecord", &input).map_err(|f| f.with_operation(op))?.repeatable();
        let spent_at = self.spend(Write::Delete).await.map_err(|f| f.with_operation(op))?;
        match self.authed(&request).await {
            Ok(_) => Ok(()),
            Err(failure) => {
                if !may_have_been_applied(&failure) {
                    self.refund(Write::Delete, spent_at);
                }
                Err(failure.with_operation(op))
            }
        }
    }

    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost, Error> {
        let op = Operation::GetPost;
        let uri = AtUri::parse(id.as_str()).filter(|u| u.collection == POST).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                PlatformKind::Bluesky,
                op,
                format!("`{id}` is not the AT-URI of a post"),
            )
        })?;
        if let Some(view) = self.post_view(id).await.map_err(|f| f.with_operation(op))? {
            return convert::remote_post(&view, &self.inner.links, self.inner.clock.now())
                .map_err(|f| f.with_operation(op));
        }
        // Not (yet) indexed by the AppView: the account's own posts are in its repository.
        if uri.repo == self.did().await {
            let found = self.get_record(&uri).await.map_err(|f| f.with_operation(op))?;
            let author = self.own_author().await;
            return convert::remote_post_from_record(
                &found.uri,
                found.cid.as_deref(),
                &found.value,
                author,
                &self.inner.links,
            )
            .map_err(|f| f.with_operation(op));
        }
        Err(not_found(op, id.as_str()))
    }

    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        let draft = Draft {
            text: &request.text,
            media: &request.media,
            link: None,
            language: request.language.as_deref(),
            reply_to: Some(RemoteRef::new(request.to.clone())),
            key: &request.idempotency_key,
        };
        self.publish_draft(draft, &request.marker, Operation::Reply).await
    }

    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>, Error> {
        let op = Operation::ListInteractions;
        let reasons: Vec<&str> =
            convert::REASONS.iter().filter(|(_, kind)| query.wants(kind)).map(|(reason, _)| *reason).collect();
        if reasons.is_empty() {
            return Ok(Page::empty());
        }
        let mut request = Request::query("app.bsky.notification.listNotifications")
            .param("limit", query.limit.unwrap_or(50).clamp(1, 100).to_string())
            .param_opt("cursor", query.cursor.as_ref().map(|c| c.as_str().to_owned()))
            .appview();
        for reason in &reasons {
            request = request.param("reasons", *reason);
        }
        let out: ListNotificationsOutput = self.authed_json(&request).await.map_err(|f| f.with_operation(op))?;
        let mut items = Vec::with_capacity(out.notifications.len());
        for notification in &out.notifications {
            let mut interaction =
                convert::interaction(notification, &self.inner.links).map_err(|f| f.with_operation(op))?;
            interaction.account = self.inner.account.clone();
            if query.wants(&interaction.kind) {
                items.push(interaction);
            }
        }
        let next =
            out.cursor.filter(|c| !c.is_empty() && !out.notifications.is_empty()).map(tertulia_core::Cursor::new);
        Ok(Page::new(items, next))
    }

    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics, Error> {
        let op = Operation::PostMetrics;
        let view =
            self.post_view(id).await.map_err(|f| f.with_operation(op))?.ok_or_else(|| not_found(op, id.as_str()))?;
        Ok(convert::metrics(&view, self.inner.clock.now()))
    }

    async fn account_metrics(&self) -> Result<AccountMetrics, Error> {
        let profile = self.profile().await.map_err(|f| f.with_operation(Operation::AccountMetrics))?;
        Ok(AccountMetrics {
            followers: profile.followers_count,
            following: profile.follows_count,
            posts: profile.posts_count,
            as_of: Some(self.inner.clock.now()),
            ..AccountMetrics::default()
        })
    }

    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>, Error> {
        let op = Operation::Search;
        if query.query.trim().is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, PlatformKind::Bluesky, op, "the search is empty"));
        }
        let request = Request::query("app.bsky.feed.searchPosts")
            .param("q", query.query.as_str())
            .param("limit", query.limit.unwrap_or(25).clamp(1, 100).to_string())
            .param_opt("cursor", query.cursor.as_ref().map(|c| c.as_str().to_owned()))
            .param_opt("lang", query.language.clone())
            .appview();
        let out: SearchPostsOutput = self.authed_json(&request).await.map_err(|f| f.with_operation(op))?;
        let items = out
            .posts
            .iter()
            .map(|view| {
                convert::listening(view, &self.inner.links).map(|mut found| {
                    found.account = self.inner.account.clone();
                    found
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|f| f.with_operation(op))?;
        let next = out.cursor.filter(|c| !c.is_empty() && !out.posts.is_empty()).map(tertulia_core::Cursor::new);
        Ok(Page::new(items, next))
    }

    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>, Error> {
        self.find_record(lookup).await.map_err(|f| f.with_operation(Operation::FindByMarker))
    }
}

impl Bluesky {
    async fn profile(&self) -> Result<Profile, Error> {
        let did = self.did().await;
        let request = Request::query("app.bsky.actor.getProfile").param("actor", did).appview();
        self.authed_json(&request).await
    }

    async fn post_view(&self, id: &RemoteId) -> Result<Option<wire::PostView>, Error> {
        let request = Request::query("app.bsky.feed.getPosts").param("uris", id.as_str()).appview();
        let out: GetPostsOutput = self.authed_json(&request).await?;
        Ok(out.posts.into_iter().find(|p| p.uri == id.as_str()))
    }
}

/// Signs in (`createSession`).
async fn create_session(xrpc: &Xrpc, identifier: &str, password: &Secret) -> Result<Session, Error> {
    let op = Operation::Authenticate;
    let input = CreateSessionInput { identifier, password: password.expose() };
    // Signing in twice does no harm.
    let request =
        Request::procedure("com.atproto.server.createSession", &input).map_err(|f| f.with_operation(op))?.repeatable();
    let out: SessionOutput = xrpc.call_json(&request, None).await.map_err(|f| f.with_operation(op))?;
    session_from(out).map_err(|f| f.with_operation(op))
}

/// A session from the server's answer; an answer with an empty token is refused, so the
/// session in use is never replaced by an empty one.
fn session_from(out: SessionOutput) -> Result<Session, Error> {
    Session::new(out.did, out.handle, out.access_jwt, out.refresh_jwt)
        .map_err(|_| local_error(ErrorKind::Decode, "the server answered a session without tokens"))
}

/// Whether a record read back is the post that was sent.
fn same_post(found: &PostRecord, sent: &PostRecord) -> bool {
    found.text == sent.text
        && found.created_at == sent.created_at
        && found.reply.as_ref().map(|r| &r.parent.uri) == sent.reply.as_ref().map(|r| &r.parent.uri)
}

fn thread_view(node: &wire::ThreadViewPost, links: &Links, now: DateTime<Utc>) -> Result<ThreadView, Error> {
    let post = convert::remote_post(&node.post, links, now)?;
    let mut replies = Vec::new();
    for reply in &node.replies {
        if let ThreadNode::Post(reply) = reply {
            replies.push(thread_view(reply, links, now)?);
        }
    }
    Ok(ThreadView { post, replies })
}

fn not_found(op: Operation, id: &str) -> Error {
    Error::new(ErrorKind::NotFound, PlatformKind::Bluesky, op, format!("{id} was not found"))
}

fn poisoned() -> Error {
    local_error(ErrorKind::Unexpected, "an internal lock was poisoned by a panic elsewhere")
}
