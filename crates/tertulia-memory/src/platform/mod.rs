//! The in-memory platform: its state, the gate every operation passes, and the seeding,
//! inspection and fault APIs tests use.

mod contract;
mod publish;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use tertulia_core::{
    Author, ClientMarker, Clock, Error, ErrorKind, Interaction, InteractionKind, Operation, RemoteId, RemotePost,
    Result,
};

use crate::faults::{Fault, Faults};
use crate::ids;
use crate::limits::RateLimiter;
use crate::listing::{self};
use crate::seed::build_interaction;
use crate::snapshot::Snapshot;
use crate::state::{State, StoredInteraction, StoredPost};
use crate::{NetworkProfile, NewInteraction};

/// A complete social platform in memory, implementing [`Platform`](tertulia_core::Platform).
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
            .prepare_directory()
            .and_then(|()| snapshot.load())
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
    /// post, and then answer [`PublishStatus::Unknown`](tertulia_core::PublishStatus::Unknown) as if the connection had dropped
    /// before the answer: the post exists and [`find_by_marker`](tertulia_core::Platform::find_by_marker) finds it.
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

    /// See [`write`](Self::write). A change must fail before it modifies anything: in memory
    /// only, it is applied in place (no copy), so seeding thousands of interactions stays fast.
    fn write_locked<R>(
        &self,
        inner: &mut Inner,
        operation: Operation,
        f: impl FnOnce(&mut State, &NetworkProfile, DateTime<Utc>) -> Result<R>,
    ) -> Result<R> {
        let Some(snapshot) = &inner.snapshot else {
            return f(&mut inner.state, &self.profile, self.clock.now());
        };
        let mut next = inner.state.clone();
        let value = f(&mut next, &self.profile, self.clock.now())?;
        snapshot.save(&next).map_err(|failure| {
            self.err(
                ErrorKind::Unexpected,
                operation,
                format!("could not save the state to {}: {failure}", snapshot.path().display()),
            )
        })?;
        inner.state = next;
        Ok(value)
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
