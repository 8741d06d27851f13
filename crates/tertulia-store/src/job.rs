//! Publish jobs: one post going out on one account, step by step, under a lease.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, ClientMarker, Error, IdempotencyKey, PlatformKind, Post, PostId, RemoteRef};

/// A job's id: `"{post}@{account}"` for jobs built with [`NewJob::for_post`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(String);

impl JobId {
    /// Wraps a string as a job id.
    pub fn new(value: impl Into<String>) -> Self {
        JobId(value.into())
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JobId({:?})", self.0)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What one step of a job publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum StepKind {
    /// Part `n` of the post (0 is the post itself, 1.. the thread's further parts).
    Part(u32),
    /// The first comment, under part 0, once every part is out.
    FirstComment,
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepKind::Part(n) => write!(f, "part {n}"),
            StepKind::FirstComment => f.write_str("first comment"),
        }
    }
}

/// A job to add to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Its id; adding a job whose id exists changes nothing.
    pub id: JobId,
    /// The post it publishes.
    pub post: PostId,
    /// The account it publishes on.
    pub account: AccountId,
    /// The account's platform.
    pub platform: PlatformKind,
    /// When it should go out.
    pub due_at: DateTime<Utc>,
    /// Its steps, in the order they go out.
    pub steps: Vec<StepKind>,
    /// How many temporary failures it may meet before it is given up.
    pub max_attempts: u32,
}

impl NewJob {
    /// The job that publishes `post` on `account` at `due_at`: one step per part of the
    /// content as it goes out on `platform`, then the first comment if there is one.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tertulia_core::{AccountId, BrandId, PlatformKind, Post, PostContent, PostId, ThreadPart};
    /// use tertulia_store::{NewJob, StepKind};
    /// let mut content = PostContent::text("1/2 Abrimos");
    /// content.thread.push(ThreadPart { text: "2/2 a las 8".into(), media: vec![] });
    /// content.first_comment = Some("¡Os esperamos!".into());
    /// let post = Post::new(PostId::new("p1"), BrandId::new("cafe"), content);
    /// let job = NewJob::for_post(&post, &AccountId::new("cafe-masto"), PlatformKind::Mastodon, Utc::now());
    /// assert_eq!(job.id.as_str(), "p1@cafe-masto");
    /// assert_eq!(job.steps, vec![StepKind::Part(0), StepKind::Part(1), StepKind::FirstComment]);
    /// ```
    pub fn for_post(post: &Post, account: &AccountId, platform: PlatformKind, due_at: DateTime<Utc>) -> Self {
        let content = post.content_for(&platform);
        let parts = u32::try_from(content.thread.len()).unwrap_or(u32::MAX - 1).saturating_add(1);
        let mut steps: Vec<StepKind> = (0..parts).map(StepKind::Part).collect();
        if content.first_comment.is_some() {
            steps.push(StepKind::FirstComment);
        }
        NewJob {
            id: JobId::new(format!("{}@{}", post.id, account)),
            post: post.id.clone(),
            account: account.clone(),
            platform,
            due_at,
            steps,
            max_attempts: 8,
        }
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for its time, or being worked on under a lease.
    Queued,
    /// Every step is out.
    Published,
    /// Given up: a permanent refusal, or too many temporary failures. Can be requeued.
    Failed,
    /// A step's outcome is unknown and could not be looked up: a person must check the
    /// platform. Never retried automatically.
    Unresolved,
    /// Will not go out.
    Cancelled,
}

impl JobState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Published => "published",
            JobState::Failed => "failed",
            JobState::Unresolved => "unresolved",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<JobState> {
        [JobState::Queued, JobState::Published, JobState::Failed, JobState::Unresolved, JobState::Cancelled]
            .into_iter()
            .find(|state| state.as_str() == name)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one step is. The state is written *before* the platform is called, so a crash
/// between "sent" and "recorded" leaves the step [`StepState::InFlight`], and whoever takes
/// the job over looks the post up by its marker instead of sending it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum StepState {
    /// Not sent yet (or known not to have gone out).
    Pending,
    /// Sent at `sent_at`; the outcome is not recorded yet.
    InFlight {
        /// When the request left.
        sent_at: DateTime<Utc>,
        /// What was sent, exactly, so a lookup compares with it.
        request: SentRequest,
    },
    /// Out.
    Done {
        /// Where it lives.
        reference: RemoteRef,
        /// When the platform says it was created.
        published_at: DateTime<Utc>,
    },
}

/// What a step sent, kept while it is in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    /// The text sent.
    pub text: String,
    /// The post it replied to (a thread's previous part, the post under a first comment).
    pub in_reply_to: Option<RemoteRef>,
}

/// One step of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Its place in the job, from 0.
    pub index: u32,
    /// What it publishes.
    pub kind: StepKind,
    /// The key sent with every attempt of this step (the same each time, so platforms that
    /// honour keys never create it twice).
    pub idempotency_key: IdempotencyKey,
    /// The marker sent with it, to find it when the outcome is unknown.
    pub marker: ClientMarker,
    /// Where it is.
    pub state: StepState,
}

impl Step {
    /// The key and marker of step `index` of `job`: fixed, so every attempt, in any
    /// process, sends the same ones.
    pub fn identity(job: &JobId, index: u32) -> (IdempotencyKey, ClientMarker) {
        (IdempotencyKey::new(format!("tertulia:{job}:{index}")), ClientMarker::new(format!("tertulia:{job}:{index}")))
    }

    /// Where the step lives, if it is out.
    pub fn reference(&self) -> Option<&RemoteRef> {
        match &self.state {
            StepState::Done { reference, .. } => Some(reference),
            _ => None,
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// The post.
    pub post: PostId,
    /// The account.
    pub account: AccountId,
    /// The account's platform.
    pub platform: PlatformKind,
    /// Where it is.
    pub state: JobState,
    /// When it is next due.
    pub due_at: DateTime<Utc>,
    /// Temporary failures met so far.
    pub attempts: u32,
    /// The most it may meet.
    pub max_attempts: u32,
    /// Who holds the lease, if anyone ever claimed it.
    pub lease_owner: Option<String>,
    /// Until when the lease holds.
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// The last failure.
    pub last_error: Option<OutcomeError>,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

impl Job {
    /// Whether someone holds a live lease on it at `now`.
    pub fn is_leased(&self, now: DateTime<Utc>) -> bool {
        self.state == JobState::Queued && self.lease_expires_at.is_some_and(|until| until > now)
    }

    /// The first step that is not out, if any.
    pub fn next_step(&self) -> Option<&Step> {
        self.steps.iter().find(|step| !matches!(step.state, StepState::Done { .. }))
    }
}

/// A claim on due jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Who claims (a worker id, unique per process).
    pub owner: String,
    /// The claimer's clock: jobs due at or before it, with no live lease, are claimed.
    pub now: DateTime<Utc>,
    /// How long the lease holds unless extended.
    pub lease: Duration,
    /// The most jobs to claim.
    pub limit: u32,
}

/// A lease on one job: every write the holder makes carries it, and fails with
/// [`StoreError::LeaseLost`](crate::StoreError::LeaseLost) once someone else took the job over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The job.
    pub job: JobId,
    /// The holder.
    pub owner: String,
    /// Increases at every claim, so a stale holder is told apart from the current one.
    pub token: i64,
    /// Until when it holds.
    pub expires_at: DateTime<Utc>,
}

/// A claimed job and its lease.
#[derive(Debug, Clone, PartialEq)]
pub struct Leased {
    /// The lease.
    pub lease: Lease,
    /// The job as it was when claimed.
    pub job: Job,
}

/// How a sent step ended, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum StepOutcome {
    /// It is out (the platform said so, or a lookup by marker found it).
    Published {
        /// Where it lives.
        reference: RemoteRef,
        /// When the platform says it was created.
        published_at: DateTime<Utc>,
        /// Whether it was found by a lookup rather than answered by the call.
        reconciled: bool,
    },
    /// It did not go out (the platform refused, or a lookup after the grace period found
    /// nothing): the step is pending again.
    NotSent {
        /// Why, if there was an error.
        error: Option<OutcomeError>,
        /// Whether this was concluded by a lookup.
        reconciled: bool,
    },
    /// Nobody knows: the step stays in flight, to be looked up.
    Unknown {
        /// What happened.
        error: OutcomeError,
    },
}

/// How a worker lets go of a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Release {
    /// A temporary failure: try again at `at` (counts as an attempt).
    Retry {
        /// When.
        at: DateTime<Utc>,
        /// What failed.
        error: OutcomeError,
    },
    /// Not now, nothing failed (a rate limit, a lookup to repeat, a shutdown): due again at `at`.
    Defer {
        /// When.
        at: DateTime<Utc>,
    },
    /// Every step is out.
    Published,
    /// Given up.
    Failed {
        /// Why.
        error: OutcomeError,
    },
    /// An outcome stays unknown and cannot be looked up: a person must check.
    Unresolved {
        /// What is known.
        error: OutcomeError,
    },
}

/// A platform error, as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeError {
    /// Its kind (`"rate limited"`, `"rejected by the platform"`).
    pub kind: String,
    /// Its message.
    pub message: String,
    /// The HTTP status, if any.
    pub status: Option<u16>,
    /// Whether trying again may succeed.
    pub temporary: bool,
}

impl OutcomeError {
    /// An error raised by tertulia itself rather than a platform (validation, a lookup
    /// that is impossible).
    pub fn local(kind: impl Into<String>, message: impl Into<String>) -> Self {
        OutcomeError { kind: kind.into(), message: message.into(), status: None, temporary: false }
    }
}

impl From<&Error> for OutcomeError {
    fn from(error: &Error) -> Self {
        OutcomeError {
            kind: error.kind().to_string(),
            message: error.to_string(),
            status: error.status(),
            temporary: error.is_temporary(),
        }
    }
}

impl fmt::Display for OutcomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One recorded outcome: every answer a step ever got, with its key and marker.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRecord {
    /// The order it was recorded in.
    pub seq: i64,
    /// The job.
    pub job: JobId,
    /// The step.
    pub step: u32,
    /// Who recorded it.
    pub owner: String,
    /// The key sent.
    pub idempotency_key: IdempotencyKey,
    /// The marker sent.
    pub marker: ClientMarker,
    /// `"published"`, `"not_sent"` or `"unknown"`, with `"reconciled_"` before the first two
    /// when a lookup concluded it.
    pub status: String,
    /// Where it lives, when published.
    pub reference: Option<RemoteRef>,
    /// The error, if any.
    pub error: Option<OutcomeError>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Which jobs to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobQuery {
    /// Only this post's jobs.
    pub post: Option<PostId>,
    /// Only this account's.
    pub account: Option<AccountId>,
    /// Only in these states (empty: all).
    pub states: Vec<JobState>,
    /// The most to return (none: all).
    pub limit: Option<u32>,
}
