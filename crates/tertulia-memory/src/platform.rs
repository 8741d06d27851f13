//! The in-memory platform: the `Platform` contract over the simulated network's state.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tertulia_core::{
    AccountInfo, AccountMetrics, Author, Capabilities, ClientMarker, Clock, ConversationId, Error, ErrorKind,
    Interaction, InteractionKind, InteractionQuery, MediaUpload, Operation, Page, Platform, PostMetrics, PublishLookup,
    PublishOutcome, PublishRequest, PublishStatus, RemoteId, RemotePost, ReplyRequest, Result, SearchQuery,
    UploadedMedia, Visibility,
};

use crate::faults::{Fault, Faults};
use crate::ids;
use crate::limits::RateLimiter;
use crate::listing::{self, Listed};
use crate::snapshot::Snapshot;
use crate::state::{RememberedKey, State, StoredInteraction, StoredMedia, StoredPost};
use crate::validate;
use crate::{NetworkProfile, NewInteraction};

/// A complete social platform in memory, implementing [`Platform`].
///
/// Deterministic: ids come from a counter, time from the injected [`Clock`], and the
/// community from a seeded [`Community`](crate::Community). See the crate documentation.
#[derive(Debug)]
pub struct MemoryPlatform {
    profile: NetworkProfile,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: State,
    faults: Faults,
    limiter: RateLimiter,
    snapshot: Option<Snapshot>,
}

/// What a publish or a reply asks the network to store.
struct Draft<'a> {
    operation: Operation,
    text: &'a str,
    media: &'a [tertulia_core::MediaId],
    link: Option<&'a url::Url>,
    in_reply_to: Option<&'a RemoteId>,
    schedule_at: Option<DateTime<Utc>>,
    language: Option<&'a String>,
    content_warning: Option<&'a String>,
    visibility: Visibility,
    idempotency_key: &'a tertulia_core::IdempotencyKey,
    marker: &'a ClientMarker,
}

impl MemoryPlatform {
    /// An empty network with this profile and clock, kept in memory only.
    pub fn new(profile: NetworkProfile, clock: Arc<dyn Clock>) -> Self {
        MemoryPlatform {
            profile,
            clock,
            inner: Mutex::new(Inner {
                state: State::default(),
                faults: Faults::default(),
                limiter: RateLimiter::default(),
                snapshot: None,
            }),
        }
    }

    /// A network whose state lives in the file at `path`: read from it if it exists, and
    /// written to it (atomically and durably) before any write operation returns. A process
    /// killed at any moment and opened again finds every post a returned publish reported.
    ///
    /// Faults and rate-limit windows are not kept: they belong to the running process.
    pub fn open(path: impl AsRef<Path>, profile: NetworkProfile, clock: Arc<dyn Clock>) -> Result<Self> {
        let snapshot = Snapshot::new(path.as_ref());
        let platform = profile.capabilities.platform.clone();
        let state = snapshot
            .load()
            .map_err(|error| {
                Error::new(
                    ErrorKind::Configuration,
                    platform.clone(),
                    Operation::Connect,
                    format!("cannot read the state in {}: {error}", snapshot.path().display()),
                )
                .with_source(error)
            })?
            .unwrap_or_default();
        let memory = MemoryPlatform::new(profile, clock);
        {
            let mut inner = memory.lock();
            inner.state = state;
            inner.snapshot = Some(snapshot);
        }
        Ok(memory)
    }

    /// The simulated network's profile.
    pub fn profile(&self) -> &NetworkProfile {
        &self.profile
    }

    /// The clock the network reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    // ---- inspection, for tests -------------------------------------------------------

    /// Every post of the account, oldest first (natively scheduled ones included).
    pub fn posts(&self) -> Vec<StoredPost> {
        self.lock().state.posts.clone()
    }

    /// One post of the account, if it exists.
    pub fn post(&self, id: &RemoteId) -> Option<StoredPost> {
        self.lock().state.post(id).cloned()
    }

    /// How many posts were ever created with this marker (deleted ones included): more than
    /// one means something posted twice.
    pub fn publishes_for(&self, marker: &ClientMarker) -> u32 {
        self.lock().state.publishes.get(marker).copied().unwrap_or(0)
    }

    /// Every interaction addressed to the account, newest first, whatever its time.
    pub fn interactions(&self) -> Vec<Interaction> {
        let inner = self.lock();
        let mut all: Vec<&StoredInteraction> = inner.state.interactions.iter().collect();
        all.sort_by(|a, b| listing::newest_first(a, b));
        all.into_iter().map(|stored| stored.interaction.clone()).collect()
    }

    // ---- seeding -----------------------------------------------------------------------

    /// Adds an interaction addressed to the account, filling in what it leaves out; answers
    /// the interaction as stored.
    pub fn add(&self, new: NewInteraction) -> Result<Interaction> {
        self.write(Operation::ListInteractions, |state, profile, now| {
            let interaction = build_interaction(state, profile, now, new, false)?;
            store(&mut state.interactions, state.counter, interaction.clone());
            Ok(interaction)
        })
    }

    /// Adds someone else's public post, which only search finds (as
    /// [`InteractionKind::Listening`]).
    pub fn add_public_post(&self, mut new: NewInteraction) -> Result<Interaction> {
        new.kind = InteractionKind::Listening;
        new.subject = None;
        self.write(Operation::Search, |state, profile, now| {
            let interaction = build_interaction(state, profile, now, new, true)?;
            store(&mut state.public_posts, state.counter, interaction.clone());
            Ok(interaction)
        })
    }

    /// Adds an interaction exactly as given (its id must be new).
    pub fn add_interaction(&self, interaction: Interaction) -> Result<()> {
        self.write(Operation::ListInteractions, |state, profile, _| {
            if state.interaction(&interaction.id).is_some() {
                return Err(error(profile, ErrorKind::Conflict, Operation::ListInteractions, "the interaction exists"));
            }
            state.next();
            store(&mut state.interactions, state.counter, interaction);
            Ok(())
        })
    }

    /// Counts `views` more impressions of one of the account's posts.
    pub fn add_views(&self, post: &RemoteId, views: u64) -> Result<()> {
        self.write(Operation::PostMetrics, |state, profile, _| {
            let stored = state
                .post_mut(post)
                .ok_or_else(|| error(profile, ErrorKind::NotFound, Operation::PostMetrics, "no such post"))?;
            stored.views = stored.views.saturating_add(views);
            Ok(())
        })
    }

    // ---- faults ----------------------------------------------------------------------

    /// Makes the next calls of an operation fail (see [`Fault`]).
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    /// Makes the next `times` calls of `operation` fail with `kind`.
    pub fn fail_next(&self, operation: Operation, kind: ErrorKind, times: u32) {
        self.inject(Fault::new(operation, kind).times(times));
    }

    /// Makes the next call of `operation` ([`Operation::Publish`] or [`Operation::Reply`])
    /// post, and then answer [`PublishStatus::Unknown`] as if the connection had dropped
    /// before the answer: the post exists and [`Platform::find_by_marker`] finds it.
    pub fn lose_next_outcome(&self, operation: Operation) {
        self.lock().faults.lose_next(operation);
    }

    /// [`lose_next_outcome`](Self::lose_next_outcome) for the next publish.
    pub fn lose_next_publish_outcome(&self) {
        self.lose_next_outcome(Operation::Publish);
    }

    /// Forgets every fault still waiting.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    // ---- internals ---------------------------------------------------------------------

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn err(&self, kind: ErrorKind, operation: Operation, message: impl Into<String>) -> Error {
        error(&self.profile, kind, operation, message)
    }

    /// The gate every operation passes: supported, no fault waiting, budget left.
    fn enter(&self, inner: &mut Inner, operation: Operation) -> Result<()> {
        self.profile.capabilities.require(operation)?;
        if let Some(fault) = inner.faults.take(operation) {
            return Err(fault.error(&self.profile.capabilities.platform));
        }
        if let Some(limit) = self.profile.limit_of(operation)
            && let Err(wait) = inner.limiter.spend(operation, limit, self.clock.now())
        {
            return Err(self
                .err(ErrorKind::RateLimited, operation, format!("more than {} calls in {:?}", limit.max, limit.window))
                .with_status(429)
                .with_retry_after(wait));
        }
        Ok(())
    }

    /// Runs a read under the gate.
    fn read<R>(&self, operation: Operation, f: impl FnOnce(&State, DateTime<Utc>) -> Result<R>) -> Result<R> {
        let mut inner = self.lock();
        self.enter(&mut inner, operation)?;
        f(&inner.state, self.clock.now())
    }

    /// Applies a change to a copy of the state, saves the copy when the state lives in a file,
    /// and only then makes it the state: a failed save changes nothing.
    fn write<R>(
        &self,
        operation: Operation,
        f: impl FnOnce(&mut State, &NetworkProfile, DateTime<Utc>) -> Result<R>,
    ) -> Result<R> {
        let mut inner = self.lock();
        self.write_locked(&mut inner, operation, f)
    }

    fn write_locked<R>(
        &self,
        inner: &mut Inner,
        operation: Operation,
        f: impl FnOnce(&mut State, &NetworkProfile, DateTime<Utc>) -> Result<R>,
    ) -> Result<R> {
        let mut next = inner.state.clone();
        let value = f(&mut next, &self.profile, self.clock.now())?;
        if let Some(snapshot) = &inner.snapshot {
            snapshot.save(&next).map_err(|failure| {
                self.err(
                    ErrorKind::Unexpected,
                    operation,
                    format!("could not save the state to {}: {failure}", snapshot.path().display()),
                )
            })?;
        }
        inner.state = next;
        Ok(value)
    }

    fn store_post(&self, draft: Draft<'_>) -> PublishStatus {
        let now = self.clock.now();
        let caps = &self.profile.capabilities;
        let operation = draft.operation;
        let mut inner = self.lock();
        if let Err(error) = self.enter(&mut inner, operation) {
            return PublishStatus::Failed(error);
        }
        if caps.idempotency_keys
            && let Some(existing) = self.remembered(&inner.state, draft.idempotency_key, now)
        {
            return PublishStatus::Published { reference: existing.reference, published_at: existing.created_at };
        }
        if let Err(error) = self.check_draft(&inner.state, &draft, now) {
            return PublishStatus::Failed(error);
        }
        let lost = inner.faults.take_lost(operation);
        let stored = self.write_locked(&mut inner, operation, |state, profile, now| {
            let n = state.next();
            let media =
                draft.media.iter().filter_map(|id| state.media.get(id).map(|stored| stored.media.clone())).collect();
            let post = StoredPost {
                reference: ids::own_reference(profile, n),
                text: draft.text.to_owned(),
                created_at: draft.schedule_at.unwrap_or(now),
                in_reply_to: draft.in_reply_to.cloned(),
                media,
                link: draft.link.cloned(),
                language: draft.language.cloned(),
                content_warning: draft.content_warning.cloned(),
                visibility: draft.visibility,
                idempotency_key: draft.idempotency_key.clone(),
                marker: draft.marker.clone(),
                is_reply: operation == Operation::Reply,
                scheduled: draft.schedule_at.is_some(),
                views: 0,
            };
            *state.publishes.entry(draft.marker.clone()).or_default() += 1;
            state
                .keys
                .insert(draft.idempotency_key.clone(), RememberedKey { post: post.reference.id.clone(), at: now });
            state.posts.push(post.clone());
            Ok(post)
        });
        let post = match stored {
            Ok(post) => post,
            Err(error) => return PublishStatus::Failed(error),
        };
        if lost {
            let error = self
                .err(ErrorKind::Transport, operation, "the connection closed before the answer arrived")
                .with_temporary(true);
            return PublishStatus::Unknown(error);
        }
        if post.scheduled {
            PublishStatus::Scheduled { id: post.reference.id, at: post.created_at }
        } else {
            PublishStatus::Published { reference: post.reference, published_at: post.created_at }
        }
    }

    fn remembered(&self, state: &State, key: &tertulia_core::IdempotencyKey, now: DateTime<Utc>) -> Option<StoredPost> {
        let remembered = state.keys.get(key)?;
        let window = chrono::Duration::from_std(self.profile.idempotency_window).unwrap_or(chrono::Duration::MAX);
        let fresh = remembered.at.checked_add_signed(window).is_none_or(|until| now < until);
        if fresh { state.post(&remembered.post).cloned() } else { None }
    }

    fn check_draft(&self, state: &State, draft: &Draft<'_>, now: DateTime<Utc>) -> Result<()> {
        let caps = &self.profile.capabilities;
        let operation = draft.operation;
        let invalid = |message: String| self.err(ErrorKind::InvalidInput, operation, message);
        if let Some(at) = draft.schedule_at {
            if !caps.native_scheduling {
                return Err(self.err(
                    ErrorKind::Unsupported,
                    operation,
                    format!("{} has no native scheduling", caps.platform.display_name()),
                ));
            }
            let lead = caps.min_schedule_lead.unwrap_or_default();
            let lead = chrono::Duration::from_std(lead).unwrap_or(chrono::Duration::MAX);
            if at < now.checked_add_signed(lead).unwrap_or(DateTime::<Utc>::MAX_UTC) {
                return Err(invalid(format!("scheduled_at must be at least {} minutes ahead", lead.num_minutes())));
            }
        }
        if !draft.media.is_empty() && !caps.upload_media {
            return Err(self.err(ErrorKind::Unsupported, operation, "this network takes no media"));
        }
        validate::check_text(
            draft.text,
            draft.content_warning.map(String::as_str),
            !draft.media.is_empty(),
            &caps.text,
        )
        .map_err(invalid)?;
        validate::check_attachments(draft.media, state, &caps.text).map_err(invalid)?;
        if let Some(parent) = draft.in_reply_to {
            if operation == Operation::Publish && !caps.threads {
                return Err(self.err(ErrorKind::Unsupported, operation, "this network has no threads"));
            }
            let own = state.post(parent).is_some_and(|post| post.is_visible_at(now));
            if !own && state.interaction(parent).is_none() {
                return Err(self.err(ErrorKind::NotFound, operation, format!("nothing to reply to: {parent}")));
            }
        }
        Ok(())
    }

    fn author(&self) -> Author {
        let account = &self.profile.account;
        Author {
            id: account.id.clone(),
            handle: account.handle.clone(),
            display_name: Some(account.display_name.clone()),
            followers: None,
            verified: false,
            url: ids::profile_url(&self.profile),
        }
    }

    fn remote_post(&self, state: &State, post: &StoredPost, now: DateTime<Utc>) -> RemotePost {
        RemotePost {
            reference: post.reference.clone(),
            author: self.author(),
            text: post.text.clone(),
            created_at: post.created_at,
            in_reply_to: post.in_reply_to.clone(),
            media: post.media.clone(),
            language: post.language.clone(),
            metrics: Some(state.metrics_of(post, self.profile.reports_impressions, now)),
        }
    }

    fn page_size(&self, asked: Option<u32>) -> usize {
        asked.unwrap_or(self.profile.default_page_size).clamp(1, self.profile.max_page_size.max(1)) as usize
    }
}

fn error(profile: &NetworkProfile, kind: ErrorKind, operation: Operation, message: impl Into<String>) -> Error {
    Error::new(kind, profile.capabilities.platform.clone(), operation, message)
}

fn store(list: &mut Vec<StoredInteraction>, seq: u64, interaction: Interaction) {
    list.push(StoredInteraction { seq, interaction });
}

/// Turns a [`NewInteraction`] into an interaction of this network, checking what it refers to.
fn build_interaction(
    state: &mut State,
    profile: &NetworkProfile,
    now: DateTime<Utc>,
    new: NewInteraction,
    public: bool,
) -> Result<Interaction> {
    let not_found = |what: &RemoteId| {
        error(profile, ErrorKind::NotFound, Operation::ListInteractions, format!("no post or interaction {what}"))
    };
    if let Some(subject) = &new.subject
        && state.post(subject).is_none()
    {
        return Err(not_found(subject));
    }
    let in_reply_to = match (&new.in_reply_to, &new.kind) {
        (Some(item), _) => Some(item.clone()),
        (None, InteractionKind::Comment) => new.subject.clone(),
        _ => None,
    };
    if let Some(item) = &in_reply_to
        && state.post(item).is_none()
        && state.interaction(item).is_none()
    {
        return Err(not_found(item));
    }
    let n = state.next();
    let repo = match &profile.id_style {
        crate::IdStyle::AtUri { .. } => new.author.id.as_str().to_owned(),
        crate::IdStyle::Numeric { .. } => String::new(),
    };
    let id = new.id.unwrap_or_else(|| ids::item_id(profile, n, &repo));
    let conversation = match &new.kind {
        InteractionKind::DirectMessage => Some(ConversationId::new(format!("dm-{}", new.author.id))),
        _ => new.subject.as_ref().or(in_reply_to.as_ref()).map(|root| ConversationId::new(thread_root(state, root))),
    };
    let permalink = match &new.kind {
        InteractionKind::Reaction
        | InteractionKind::Repost
        | InteractionKind::Follow
        | InteractionKind::DirectMessage => None,
        _ => ids::permalink(profile, new.author.handle.as_str(), &id),
    };
    Ok(Interaction {
        id,
        platform: profile.capabilities.platform.clone(),
        account: None,
        kind: new.kind,
        author: new.author,
        text: new.text,
        language: new.language,
        created_at: new.at.unwrap_or(now),
        subject: if public { None } else { new.subject },
        in_reply_to,
        conversation,
        permalink,
    })
}

/// The root of the thread an item belongs to.
fn thread_root(state: &State, item: &RemoteId) -> String {
    let mut current = item.clone();
    for _ in 0..1000 {
        let parent = state
            .post(&current)
            .and_then(|post| post.in_reply_to.clone())
            .or_else(|| state.interaction(&current).and_then(|i| i.in_reply_to.clone()));
        match parent {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current.into_string()
}

fn outcome(
    request_key: &tertulia_core::IdempotencyKey,
    marker: &ClientMarker,
    status: PublishStatus,
) -> PublishOutcome {
    PublishOutcome { idempotency_key: request_key.clone(), marker: marker.clone(), status }
}

#[async_trait]
impl Platform for MemoryPlatform {
    fn capabilities(&self) -> &Capabilities {
        &self.profile.capabilities
    }

    async fn account(&self) -> Result<AccountInfo> {
        self.read(Operation::Account, |state, _| {
            let account = &self.profile.account;
            Ok(AccountInfo {
                id: account.id.clone(),
                handle: account.handle.clone(),
                display_name: Some(account.display_name.clone()),
                url: ids::profile_url(&self.profile),
                followers: Some(followers(state, &self.profile)),
            })
        })
    }

    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        let status = self.store_post(Draft {
            operation: Operation::Publish,
            text: &request.text,
            media: &request.media,
            link: request.link.as_ref(),
            in_reply_to: request.in_reply_to.as_ref().map(|reference| &reference.id),
            schedule_at: request.schedule_at,
            language: request.language.as_ref(),
            content_warning: request.content_warning.as_ref(),
            visibility: request.visibility,
            idempotency_key: &request.idempotency_key,
            marker: &request.marker,
        });
        outcome(&request.idempotency_key, &request.marker, status)
    }

    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        let mut inner = self.lock();
        self.enter(&mut inner, Operation::UploadMedia)?;
        let kind = validate::check_upload(upload, &self.profile.capabilities.text)
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::UploadMedia, message))?;
        self.write_locked(&mut inner, Operation::UploadMedia, |state, profile, _| {
            let id = ids::media_id(state.next());
            let url = url::Url::parse(&format!("{}media/{id}", profile.base_url)).ok();
            let media = UploadedMedia { id: id.clone(), kind, alt_text: upload.alt_text.clone(), url };
            state.media.insert(id, StoredMedia { media: media.clone(), size: upload.bytes.len() as u64 });
            Ok(media)
        })
    }

    async fn delete(&self, id: &RemoteId) -> Result<()> {
        let mut inner = self.lock();
        self.enter(&mut inner, Operation::Delete)?;
        if inner.state.post(id).is_none() {
            return Err(self.err(ErrorKind::NotFound, Operation::Delete, format!("no post {id}")));
        }
        self.write_locked(&mut inner, Operation::Delete, |state, _, _| {
            state.posts.retain(|post| &post.reference.id != id);
            Ok(())
        })
    }

    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        self.read(Operation::GetPost, |state, now| {
            if let Some(post) = state.post(id).filter(|post| post.is_visible_at(now)) {
                return Ok(self.remote_post(state, post, now));
            }
            let theirs = state
                .interactions
                .iter()
                .chain(&state.public_posts)
                .map(|stored| &stored.interaction)
                .find(|i| &i.id == id && i.created_at <= now && is_public_post(&i.kind));
            match theirs {
                Some(interaction) => Ok(RemotePost {
                    reference: tertulia_core::RemoteRef {
                        id: interaction.id.clone(),
                        url: interaction.permalink.clone(),
                        revision: None,
                    },
                    author: interaction.author.clone(),
                    text: interaction.text.clone().unwrap_or_default(),
                    created_at: interaction.created_at,
                    in_reply_to: interaction.in_reply_to.clone(),
                    media: Vec::new(),
                    language: interaction.language.clone(),
                    metrics: None,
                }),
                None => Err(self.err(ErrorKind::NotFound, Operation::GetPost, format!("no post {id}"))),
            }
        })
    }

    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        let visibility = {
            let inner = self.lock();
            match inner.state.interaction(&request.to).map(|i| &i.kind) {
                Some(InteractionKind::DirectMessage) => Visibility::Direct,
                _ => Visibility::Public,
            }
        };
        let status = self.store_post(Draft {
            operation: Operation::Reply,
            text: &request.text,
            media: &request.media,
            link: None,
            in_reply_to: Some(&request.to),
            schedule_at: None,
            language: request.language.as_ref(),
            content_warning: None,
            visibility,
            idempotency_key: &request.idempotency_key,
            marker: &request.marker,
        });
        outcome(&request.idempotency_key, &request.marker, status)
    }

    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        let limit = self.page_size(query.limit);
        self.read(Operation::ListInteractions, |state, now| {
            let caps = &self.profile.capabilities;
            let wanted = |i: &Interaction| caps.lists(&i.kind) && query.wants(&i.kind) && i.created_at <= now;
            listing::page(
                state.interactions.iter().filter(|stored| wanted(&stored.interaction)),
                query.cursor.as_ref(),
                limit,
                Listed::AsIs,
            )
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::ListInteractions, message))
        })
    }

    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        self.read(Operation::PostMetrics, |state, now| {
            let post = state
                .post(id)
                .filter(|post| post.is_visible_at(now))
                .ok_or_else(|| self.err(ErrorKind::NotFound, Operation::PostMetrics, format!("no post {id}")))?;
            Ok(state.metrics_of(post, self.profile.reports_impressions, now))
        })
    }

    async fn account_metrics(&self) -> Result<AccountMetrics> {
        self.read(Operation::AccountMetrics, |state, now| {
            let posts = state.posts.iter().filter(|post| post.is_visible_at(now)).count();
            Ok(AccountMetrics {
                followers: Some(followers(state, &self.profile)),
                following: Some(self.profile.account.following),
                posts: Some(posts as u64),
                as_of: Some(now),
                ..AccountMetrics::default()
            })
        })
    }

    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        let limit = self.page_size(query.limit);
        let words: Vec<String> = query.query.split_whitespace().map(str::to_lowercase).collect();
        self.read(Operation::Search, |state, now| {
            if words.is_empty() {
                return Err(self.err(ErrorKind::InvalidInput, Operation::Search, "the search has no words"));
            }
            let matches = |i: &Interaction| {
                let text = i.text.as_deref().unwrap_or_default().to_lowercase();
                is_public_post(&i.kind)
                    && i.created_at <= now
                    && words.iter().all(|word| text.contains(word.as_str()))
                    && query.language.as_ref().is_none_or(|language| i.language.as_ref() == Some(language))
            };
            listing::page(
                state.interactions.iter().chain(&state.public_posts).filter(|stored| matches(&stored.interaction)),
                query.cursor.as_ref(),
                limit,
                Listed::AsListening,
            )
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::Search, message))
        })
    }

    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        self.read(Operation::FindByMarker, |state, now| {
            let found =
                state.posts.iter().rev().find(|post| post.marker == lookup.marker && post.created_at >= lookup.sent_at);
            Ok(found.map(|post| self.remote_post(state, post, now)))
        })
    }
}

fn followers(state: &State, profile: &NetworkProfile) -> u64 {
    let follows = state.interactions.iter().filter(|stored| stored.interaction.kind == InteractionKind::Follow).count();
    profile.account.followers.saturating_add(follows as u64)
}

/// Whether an interaction is a public post someone wrote (which search finds and anyone can read).
fn is_public_post(kind: &InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::Comment
            | InteractionKind::Reply
            | InteractionKind::Mention
            | InteractionKind::Quote
            | InteractionKind::Review
            | InteractionKind::Listening
    )
}
