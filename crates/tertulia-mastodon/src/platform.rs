//! The adapter: [`Mastodon`] implements the [`Platform`] contract.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tertulia_core::{
    AccountId, AccountInfo, AccountMetrics, Capabilities, Clock, Error, ErrorKind, IdempotencyKey, Interaction,
    InteractionKind, InteractionQuery, MediaUpload, Operation, Page, Platform, PlatformKind, PostMetrics,
    PublishLookup, PublishOutcome, PublishRequest, PublishStatus, RemoteId, RemotePost, ReplyRequest, Result,
    SearchQuery, SystemClock, UploadedMedia,
};
use tertulia_http::{HttpClient, Jitter, RateLimits, failure_status, query_param, reqwest};

use crate::client::{Api, Created, MediaState};
use crate::config::MastodonConfig;
use crate::convert::{self, MIN_SCHEDULE_LEAD, NOTIFICATION_PREFIX};
use crate::cursor::Listing;
use crate::error::parse_error;
use crate::wire::{Account, NewStatus, Status};

/// Notifications per page: Mastodon's default and maximum.
const NOTIFICATIONS_PAGE: (u32, u32) = (40, 80);
/// Conversations, statuses and search results per page: default and maximum.
const STATUSES_PAGE: (u32, u32) = (20, 40);
/// How far before `sent_at` a status may be dated and still match a lookup: the server's
/// clock and ours may disagree.
const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);
/// How many pages of the account's own statuses a lookup reads at most.
const LOOKUP_PAGES: usize = 5;

/// A status thread around one status (`GET /api/v1/statuses/:id/context`).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusContext {
    /// The statuses it answers, oldest first.
    pub ancestors: Vec<RemotePost>,
    /// The replies below it, in thread order.
    pub descendants: Vec<RemotePost>,
}

/// The Mastodon adapter, connected to one account on one server.
///
/// Build it with [`Mastodon::connect`] (or [`Mastodon::builder`] to inject the clock, the
/// backoff randomness, the `reqwest::Client` and a shared rate-limit store). Connecting reads
/// the server's limits (`GET /api/v2/instance`) into [`Capabilities`] and checks the token
/// (`GET /api/v1/accounts/verify_credentials`).
#[derive(Debug)]
pub struct Mastodon {
    api: Api,
    capabilities: Capabilities,
    me: Account,
    domain: String,
    account: Option<AccountId>,
    clock: Arc<dyn Clock>,
    media_poll_interval: Duration,
    media_processing_timeout: Duration,
}

/// Builds a [`Mastodon`] with injected parts.
#[must_use]
#[derive(Debug)]
pub struct MastodonBuilder {
    config: MastodonConfig,
    clock: Arc<dyn Clock>,
    jitter: Option<Arc<dyn Jitter>>,
    client: Option<reqwest::Client>,
    rate_limits: Option<Arc<RateLimits>>,
}

impl MastodonBuilder {
    /// The clock waits are taken on (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The randomness of retry backoff (default: seeded from the time).
    pub fn jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// The HTTP client (default: a new rustls client).
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// A rate-limit store shared with the process's other adapters.
    pub fn rate_limits(mut self, rate_limits: Arc<RateLimits>) -> Self {
        self.rate_limits = Some(rate_limits);
        self
    }

    fn http(&self, scope: Option<String>) -> Result<HttpClient> {
        let config = &self.config;
        let mut builder = HttpClient::builder(PlatformKind::Mastodon, config.base_url.clone())
            .timeout(config.timeout)
            .retry(config.retry)
            .rate_limit_mode(config.rate_limit_mode)
            .clock(self.clock.clone())
            .error_parser(parse_error);
        if let Some(agent) = &config.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        if let Some(jitter) = &self.jitter {
            builder = builder.jitter(jitter.clone());
        }
        if let Some(client) = &self.client {
            builder = builder.client(client.clone());
        }
        if let Some(limits) = &self.rate_limits {
            builder = builder.rate_limits(limits.clone());
        }
        if let Some(scope) = scope {
            builder = builder.scope(scope);
        }
        builder.build()
    }

    /// Connects: reads the server's limits and checks the token. An invalid or revoked token
    /// is an [`ErrorKind::Unauthenticated`] error here, before anything is published.
    pub async fn connect(mut self) -> Result<Mastodon> {
        if self.rate_limits.is_none() {
            self.rate_limits = Some(Arc::new(RateLimits::new()));
        }
        if self.client.is_none() {
            let client = reqwest::Client::builder().build().map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    PlatformKind::Mastodon,
                    Operation::Connect,
                    "the HTTP client could not start",
                )
                .with_source(e)
            })?;
            self.client = Some(client);
        }
        let discovery = Api::new(self.http(None)?, &self.config.token)?;
        let instance = discovery.instance().await?;
        let me = discovery.verify_credentials(Operation::Connect).await?;
        // Budgets are kept per account: two accounts on one server do not share them.
        let scope = format!("{}/accounts/{}", discovery.http().scope(), me.id);
        let api = Api::new(self.http(Some(scope))?, &self.config.token)?;
        Ok(Mastodon {
            api,
            capabilities: convert::capabilities(&instance),
            me,
            domain: instance.domain,
            account: self.config.account.clone(),
            clock: self.clock,
            media_poll_interval: self.config.media_poll_interval,
            media_processing_timeout: self.config.media_processing_timeout,
        })
    }
}

impl Mastodon {
    /// A builder, to inject the clock, randomness, HTTP client or rate-limit store.
    pub fn builder(config: MastodonConfig) -> MastodonBuilder {
        MastodonBuilder { config, clock: Arc::new(SystemClock), jitter: None, client: None, rate_limits: None }
    }

    /// Connects with the defaults (see [`MastodonBuilder::connect`]).
    pub async fn connect(config: MastodonConfig) -> Result<Mastodon> {
        Mastodon::builder(config).connect().await
    }

    /// The server's domain, as it names itself.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The thread around a status: what it answers and the replies below it.
    pub async fn context(&self, id: &RemoteId) -> Result<StatusContext> {
        let context = self.api.context(Operation::GetPost, id).await?;
        let now = self.clock.now();
        let convert =
            |statuses: &[Status]| statuses.iter().map(|s| convert::remote_post(s, &self.domain, now)).collect();
        Ok(StatusContext { ancestors: convert(&context.ancestors), descendants: convert(&context.descendants) })
    }

    /// Marks interactions as the configured account's.
    fn stamp(&self, mut interaction: Interaction) -> Interaction {
        interaction.account = self.account.clone();
        interaction
    }

    fn invalid(&self, operation: Operation, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidInput, PlatformKind::Mastodon, operation, message)
    }

    /// Sends a status and turns the answer into an outcome: a failure before the answer is
    /// unknown (the status may exist), a refusal is failed.
    async fn create(&self, operation: Operation, status: NewStatus, key: &IdempotencyKey) -> PublishStatus {
        match self.api.create_status(operation, &status, key).await {
            Ok(Created::Status(status)) => {
                PublishStatus::Published { reference: convert::reference(&status), published_at: status.created_at }
            }
            Ok(Created::Scheduled(scheduled)) => {
                PublishStatus::Scheduled { id: RemoteId::new(scheduled.id), at: scheduled.scheduled_at }
            }
            Err(error) => failure_status(error),
        }
    }

    /// Refuses, before sending, a status this server would refuse: longer than its limit as
    /// it counts (content warning and text together, URLs at their fixed weight, remote
    /// mentions as local ones), or with more attachments than it takes.
    fn check_status(&self, operation: Operation, status: &NewStatus) -> Result<()> {
        let rules = &self.capabilities.text;
        let warning = status.spoiler_text.as_deref().unwrap_or_default();
        let length = tertulia_text::length_with_spoiler(warning, &status.status, rules);
        if length > rules.max_length {
            return Err(self.invalid(
                operation,
                format!(
                    "the status is {length} characters as {} counts them, {} over its limit of {}",
                    self.domain,
                    length - rules.max_length,
                    rules.max_length
                ),
            ));
        }
        if status.media_ids.len() > rules.media.max_items as usize {
            return Err(self.invalid(
                operation,
                format!(
                    "{} takes at most {} attachments, not {}",
                    self.domain,
                    rules.media.max_items,
                    status.media_ids.len()
                ),
            ));
        }
        Ok(())
    }

    fn check_schedule(&self, at: DateTime<Utc>) -> Result<()> {
        let earliest = self.clock.now() + MIN_SCHEDULE_LEAD;
        if at < earliest {
            return Err(self.invalid(
                Operation::Publish,
                format!("Mastodon schedules at least 5 minutes ahead: {at} is before {earliest}"),
            ));
        }
        Ok(())
    }

    fn page_limit(limit: Option<u32>, (default, max): (u32, u32)) -> u32 {
        limit.unwrap_or(default).clamp(1, max)
    }

    /// Waits for media the server is still processing (202, then 206 while it works).
    async fn wait_for_media(&self, mut attachment: crate::wire::MediaAttachment) -> Result<UploadedMedia> {
        let started = self.clock.now();
        // At least a tenth of a second between polls, whatever the config says: a zero
        // interval must not turn into a busy loop against the server.
        let first = self.media_poll_interval.max(Duration::from_millis(100));
        let mut wait = first;
        loop {
            let waited = (self.clock.now() - started).to_std().unwrap_or_default();
            if waited >= self.media_processing_timeout {
                let message = format!(
                    "media {} was still processing after {}s; attach it later or upload again",
                    attachment.id,
                    waited.as_secs()
                );
                return Err(Error::new(
                    ErrorKind::Unavailable,
                    PlatformKind::Mastodon,
                    Operation::UploadMedia,
                    message,
                ));
            }
            self.clock.sleep(wait).await;
            wait = (wait + wait / 2).min(first * 10);
            match self.api.media(&attachment.id).await? {
                MediaState::Ready(ready) => return Ok(convert::uploaded(&ready)),
                MediaState::Processing(processing) => attachment = processing,
            }
        }
    }

    /// The account's statuses that could be the one looked up: created after `sent_at` (less
    /// the allowed clock skew) and answering the same status.
    async fn lookup_candidates(&self, lookup: &PublishLookup) -> Result<Vec<Status>> {
        let operation = Operation::FindByMarker;
        let since = lookup.sent_at - CLOCK_SKEW;
        let answers =
            |status: &Status| status.in_reply_to_id.as_deref() == lookup.in_reply_to.as_ref().map(|id| id.as_str());
        if let Some(parent) = &lookup.in_reply_to {
            let context = self.api.context(operation, parent).await?;
            return Ok(context
                .descendants
                .into_iter()
                .filter(|s| s.account.id == self.me.id && answers(s) && s.created_at >= since)
                .collect());
        }
        let mut candidates = Vec::new();
        let mut max_id: Option<String> = None;
        for _ in 0..LOOKUP_PAGES {
            let mut query = vec![("limit", STATUSES_PAGE.1.to_string()), ("exclude_reblogs", "true".to_owned())];
            if let Some(max_id) = &max_id {
                query.push(("max_id", max_id.clone()));
            }
            let page = self.api.account_statuses(operation, &self.me.id, &query).await?;
            let reached_older = page.items.iter().any(|s| s.created_at < since);
            candidates.extend(page.items.into_iter().filter(|s| s.created_at >= since && answers(s)));
            max_id = page.links.next.as_ref().and_then(|next| query_param(next, "max_id"));
            if reached_older || max_id.is_none() {
                break;
            }
        }
        Ok(candidates)
    }
}

/// Text compared for a lookup: without leading mentions (a reply gains one) and surrounding
/// space.
fn comparable(text: &str) -> &str {
    let mut rest = text.trim();
    while rest.starts_with('@') {
        match rest.find(char::is_whitespace) {
            Some(end) => rest = rest[end..].trim_start(),
            None => return "",
        }
    }
    rest
}

/// Whether a status's source text is the text that was sent: equal, or equal followed by
/// the link the adapter appended.
fn same_text(source: &str, sent: &str) -> bool {
    let (source, sent) = (comparable(source), comparable(sent));
    source == sent
        || source.strip_prefix(sent).is_some_and(|rest| {
            let rest = rest.trim();
            !rest.is_empty() && !rest.contains(char::is_whitespace) && url::Url::parse(rest).is_ok()
        })
}

/// The text to send: the link appended on its own line when the text does not already
/// carry it (Mastodon makes its card from a link in the text).
fn text_with_link(request: &PublishRequest) -> String {
    match &request.link {
        Some(link) if !request.text.contains(link.as_str()) => {
            if request.text.trim().is_empty() {
                link.to_string()
            } else {
                format!("{}\n\n{link}", request.text.trim_end())
            }
        }
        _ => request.text.clone(),
    }
}

/// Whether `text` mentions `acct` (`@ana` or `@ana@cafe.example`), ignoring case.
fn mentions(text: &str, acct: &str) -> bool {
    let wanted = format!("@{}", acct.to_lowercase());
    text.to_lowercase().split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')).any(|word| {
        let word = word.trim_end_matches(['.', ':', '!', '?']);
        word == wanted
    })
}

#[async_trait]
impl Platform for Mastodon {
    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    async fn account(&self) -> Result<AccountInfo> {
        let account = self.api.verify_credentials(Operation::Account).await?;
        Ok(convert::account_info(&account, &self.domain))
    }

    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        let outcome = |status| PublishOutcome {
            idempotency_key: request.idempotency_key.clone(),
            marker: request.marker.clone(),
            status,
        };
        if request.text.trim().is_empty() && request.media.is_empty() && request.link.is_none() {
            return outcome(PublishStatus::Failed(
                self.invalid(Operation::Publish, "a status needs text, media or a link"),
            ));
        }
        if let Some(at) = request.schedule_at
            && let Err(error) = self.check_schedule(at)
        {
            return outcome(PublishStatus::Failed(error));
        }
        let status = NewStatus {
            status: text_with_link(request),
            media_ids: request.media.iter().map(|id| id.as_str().to_owned()).collect(),
            in_reply_to_id: request.in_reply_to.as_ref().map(|r| r.id.as_str().to_owned()),
            spoiler_text: request.content_warning.clone().filter(|w| !w.is_empty()),
            visibility: convert::visibility_param(request.visibility),
            language: request.language.clone(),
            scheduled_at: request.schedule_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        };
        if let Err(error) = self.check_status(Operation::Publish, &status) {
            return outcome(PublishStatus::Failed(error));
        }
        outcome(self.create(Operation::Publish, status, &request.idempotency_key).await)
    }

    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        if upload.bytes.is_empty() {
            return Err(self.invalid(Operation::UploadMedia, "the media is empty"));
        }
        let media = &self.capabilities.text.media;
        if let (Some(alt), Some(limit)) = (&upload.alt_text, media.max_alt_text) {
            let length = alt.chars().count();
            if length > limit as usize {
                let message = format!("the alt text is {length} characters; {} takes at most {limit}", self.domain);
                return Err(self.invalid(Operation::UploadMedia, message));
            }
        }
        let kind = tertulia_core::MediaKind::from_mime(&upload.mime);
        let size_limit = match kind {
            Some(tertulia_core::MediaKind::Image | tertulia_core::MediaKind::Gif) => media.max_image_bytes,
            Some(tertulia_core::MediaKind::Video | tertulia_core::MediaKind::Audio) => media.max_video_bytes,
            _ => None,
        };
        if let Some(limit) = size_limit
            && upload.bytes.len() as u64 > limit
        {
            let message = format!("the file is {} bytes; {} takes at most {limit}", upload.bytes.len(), self.domain);
            return Err(self.invalid(Operation::UploadMedia, message));
        }
        match self.api.upload_media(upload).await? {
            MediaState::Ready(attachment) => Ok(convert::uploaded(&attachment)),
            MediaState::Processing(attachment) => self.wait_for_media(attachment).await,
        }
    }

    async fn delete(&self, id: &RemoteId) -> Result<()> {
        self.api.delete_status(id).await
    }

    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        let status = self.api.status(Operation::GetPost, id).await?;
        Ok(convert::remote_post(&status, &self.domain, self.clock.now()))
    }

    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        let outcome = |status| PublishOutcome {
            idempotency_key: request.idempotency_key.clone(),
            marker: request.marker.clone(),
            status,
        };
        if request.to.as_str().starts_with(NOTIFICATION_PREFIX) {
            let error = self.invalid(Operation::Reply, "a favourite, boost or follow cannot be replied to");
            return outcome(PublishStatus::Failed(error));
        }
        if request.text.trim().is_empty() && request.media.is_empty() {
            return outcome(PublishStatus::Failed(self.invalid(Operation::Reply, "a reply needs text or media")));
        }
        // Nothing is sent before the parent is read, so any failure here is a clean one.
        let parent = match self.api.status(Operation::Reply, &request.to).await {
            Ok(parent) => parent,
            Err(error) => return outcome(PublishStatus::Failed(error)),
        };
        let mut text = request.text.clone();
        let acct = &parent.account.acct;
        let local_in_full = format!("{acct}@{}", self.domain);
        let mentioned = mentions(&text, acct) || (!acct.contains('@') && mentions(&text, &local_in_full));
        if parent.account.id != self.me.id && !mentioned {
            text = format!("@{} {text}", parent.account.acct);
        }
        let status = NewStatus {
            status: text,
            media_ids: request.media.iter().map(|id| id.as_str().to_owned()).collect(),
            in_reply_to_id: Some(parent.id.clone()),
            spoiler_text: Some(parent.spoiler_text.clone()).filter(|w| !w.is_empty()),
            visibility: convert::visibility_param(convert::visibility(parent.visibility.as_deref())),
            language: request.language.clone(),
            scheduled_at: None,
        };
        if let Err(error) = self.check_status(Operation::Reply, &status) {
            return outcome(PublishStatus::Failed(error));
        }
        outcome(self.create(Operation::Reply, status, &request.idempotency_key).await)
    }

    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        let listed: Vec<InteractionKind> =
            self.capabilities.interactions.iter().filter(|kind| query.wants(kind)).cloned().collect();
        if listed.is_empty() {
            return Ok(Page::empty());
        }
        let operation = Operation::ListInteractions;
        if listed == [InteractionKind::DirectMessage] {
            let limit = Self::page_limit(query.limit, STATUSES_PAGE);
            let mut params = vec![("limit", limit.to_string())];
            if let Some(cursor) = &query.cursor {
                params.push(("max_id", Listing::Conversations.position(cursor, operation)?));
            }
            let page = self.api.conversations(&params).await?;
            let items = page
                .items
                .iter()
                .filter_map(|c| convert::conversation(c, &self.domain))
                .map(|i| self.stamp(i))
                .collect();
            let next = next_cursor(&page.links, !page.items.is_empty(), Listing::Conversations);
            return Ok(Page::new(items, next));
        }
        let limit = Self::page_limit(query.limit, NOTIFICATIONS_PAGE);
        let mut params = vec![("limit", limit.to_string())];
        params.extend(convert::notification_types(&listed).into_iter().map(|t| ("types[]", t.to_owned())));
        if let Some(cursor) = &query.cursor {
            params.push(("max_id", Listing::Notifications.position(cursor, operation)?));
        }
        let page = self.api.notifications(&params).await?;
        let items = page
            .items
            .iter()
            .filter_map(|n| convert::notification(n, &self.me.id, &self.domain))
            .filter(|interaction| listed.contains(&interaction.kind))
            .map(|interaction| self.stamp(interaction))
            .collect();
        let next = next_cursor(&page.links, !page.items.is_empty(), Listing::Notifications);
        Ok(Page::new(items, next))
    }

    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        let status = self.api.status(Operation::PostMetrics, id).await?;
        Ok(convert::post_metrics(&status, self.clock.now()))
    }

    async fn account_metrics(&self) -> Result<AccountMetrics> {
        let account = self.api.verify_credentials(Operation::AccountMetrics).await?;
        Ok(convert::account_metrics(&account, self.clock.now()))
    }

    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        let operation = Operation::Search;
        let words = query.query.trim();
        if words.is_empty() {
            return Err(self.invalid(operation, "the search query is empty"));
        }
        let limit = Self::page_limit(query.limit, STATUSES_PAGE);
        let in_language = |status: &Status| match (&query.language, &status.language) {
            (Some(wanted), Some(language)) => wanted.eq_ignore_ascii_case(language),
            (Some(_), None) => false,
            (None, _) => true,
        };
        let tag = words.strip_prefix('#').filter(|tag| !tag.is_empty() && !tag.contains(char::is_whitespace));
        if let Some(tag) = tag {
            let mut params = vec![("limit", limit.to_string())];
            if let Some(cursor) = &query.cursor {
                params.push(("max_id", Listing::Tag.position(cursor, operation)?));
            }
            let page = self.api.tag_timeline(tag, &params).await?;
            let items = page
                .items
                .iter()
                .filter(|s| in_language(s))
                .map(|s| self.stamp(convert::listening(s, &self.domain)))
                .collect();
            let next = next_cursor(&page.links, !page.items.is_empty(), Listing::Tag);
            return Ok(Page::new(items, next));
        }
        let offset: u32 = match &query.cursor {
            Some(cursor) => Listing::Search
                .position(cursor, operation)?
                .parse()
                .map_err(|_| self.invalid(operation, "this cursor does not continue a Mastodon search listing"))?,
            None => 0,
        };
        let params = vec![
            ("q", words.to_owned()),
            ("type", "statuses".to_owned()),
            ("resolve", "false".to_owned()),
            ("limit", limit.to_string()),
            ("offset", offset.to_string()),
        ];
        let results = self.api.search(&params).await?;
        let found = results.statuses.len() as u32;
        let items = results
            .statuses
            .iter()
            .filter(|s| in_language(s))
            .map(|s| self.stamp(convert::listening(s, &self.domain)))
            .collect();
        let next = (found >= limit).then(|| Listing::Search.cursor(&(offset + found).to_string()));
        Ok(Page::new(items, next))
    }

    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        let mut candidates = self.lookup_candidates(lookup).await?;
        // The earliest match is the one that was sent (a later one would be a repost).
        candidates.sort_by_key(|status| status.created_at);
        for status in candidates {
            let source = self.api.status_source(Operation::FindByMarker, &RemoteId::new(&status.id)).await?;
            if same_text(&source.text, &lookup.text) {
                return Ok(Some(convert::remote_post(&status, &self.domain, self.clock.now())));
            }
        }
        Ok(None)
    }
}

/// The cursor to the next page, from the `Link` header's `max_id`; none on an empty page
/// (Mastodon keeps sending a `next` link at the end of a listing).
fn next_cursor(links: &tertulia_http::Links, had_items: bool, listing: Listing) -> Option<tertulia_core::Cursor> {
    if !had_items {
        return None;
    }
    let max_id = links.next.as_ref().and_then(|next| query_param(next, "max_id"))?;
    Some(listing.cursor(&max_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_compare_the_text_without_added_mentions_or_link() {
        assert!(same_text("@ana@cafe.example ¡Gracias!", "¡Gracias!"));
        assert!(same_text("Abrimos a las 8\n\nhttps://cafe.example/menu", "Abrimos a las 8"));
        assert!(!same_text("Abrimos a las 9", "Abrimos a las 8"));
        assert!(!same_text("Abrimos a las 8 y más", "Abrimos a las 8"));
        assert!(same_text("@ana", ""));
    }

    #[test]
    fn mentions_are_found_whole_and_in_any_case() {
        assert!(mentions("Hola @Ana, gracias", "ana"));
        assert!(mentions("@bruno@other.example: sí", "bruno@other.example"));
        assert!(!mentions("Hola @anabel", "ana"));
        assert!(!mentions("Hola @ana@other.example", "ana"));
    }

    #[test]
    fn a_link_is_appended_once() {
        let key = IdempotencyKey::new("k");
        let marker = tertulia_core::ClientMarker::new("m");
        let link = url::Url::parse("https://cafe.example/menu").unwrap();
        let request = PublishRequest::new("Menú de otoño ", key.clone(), marker.clone()).link(link.clone());
        assert_eq!(text_with_link(&request), "Menú de otoño\n\nhttps://cafe.example/menu");
        let request = PublishRequest::new("Menú: https://cafe.example/menu", key, marker).link(link);
        assert_eq!(text_with_link(&request), "Menú: https://cafe.example/menu");
    }
}
