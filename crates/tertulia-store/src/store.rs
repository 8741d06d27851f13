//! The storage contract.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tertulia_core::{AccountId, Post, PostId, RemoteId};

use crate::{
    Claim, IngestCommit, IngestKey, IngestReceipt, IngestState, IngestedItem, Job, JobId, JobQuery, Lease, Leased,
    NewJob, OutcomeRecord, PostQuery, Release, Result, SentRequest, StepOutcome,
};

/// Durable state for publishing and ingesting, used as `Arc<dyn Store>`.
///
/// Every method is one atomic change, except [`finish_step`](Store::finish_step), which may
/// log the outcome and then update the step: a crash between the two leaves the step in
/// flight, to be looked up, never sent again blindly. Writes on a leased job carry the
/// [`Lease`] and fail
/// with [`StoreError::LeaseLost`](crate::StoreError::LeaseLost) once another worker took the
/// job over, except the one write that records a fact: a step found published is recorded
/// whoever holds the lease.
///
/// Instants come from the caller (its injected clock), never from the database, so a
/// store behaves the same under a manual clock in tests.
#[async_trait]
pub trait Store: Send + Sync + Debug {
    // ---- posts ----

    /// Saves a post (insert or replace).
    async fn save_post(&self, post: &Post) -> Result<()>;

    /// Reads a post.
    async fn post(&self, id: &PostId) -> Result<Option<Post>>;

    /// Lists posts.
    async fn posts(&self, query: &PostQuery) -> Result<Vec<Post>>;

    // ---- jobs ----

    /// Adds jobs, each with its steps pending; a job whose id exists is left as it is.
    /// Returns how many were added.
    async fn add_jobs(&self, jobs: &[NewJob]) -> Result<usize>;

    /// Reads a job with its steps.
    async fn job(&self, id: &JobId) -> Result<Option<Job>>;

    /// Lists jobs, by due time.
    async fn jobs(&self, query: &JobQuery) -> Result<Vec<Job>>;

    /// Moves a queued job that nobody is working on to a new due time (pin, reorder).
    /// Fails with a conflict when the job is not queued or is leased at `now`.
    async fn reschedule_job(&self, id: &JobId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()>;

    /// Puts a failed job back in the queue at `due_at` with its attempts reset; steps already
    /// out stay out, so a thread carries on where it stopped.
    async fn requeue_job(&self, id: &JobId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()>;

    /// Cancels a queued job nobody is working on, or a failed one.
    async fn cancel_job(&self, id: &JobId, now: DateTime<Utc>) -> Result<()>;

    /// Claims up to `claim.limit` queued jobs due at `claim.now` whose lease is free or
    /// expired, earliest first. Each claim increases the job's lease token.
    async fn claim_jobs(&self, claim: &Claim) -> Result<Vec<Leased>>;

    /// Extends a lease until `until`.
    async fn extend_lease(&self, lease: &Lease, until: DateTime<Utc>) -> Result<Lease>;

    /// Marks step `step` in flight, with what is about to be sent, *before* the platform is
    /// called. The post moves to publishing.
    async fn start_step(&self, lease: &Lease, step: u32, request: &SentRequest, now: DateTime<Utc>) -> Result<()>;

    /// Records how step `step` ended, in the outcome log, then in the step (done, pending
    /// again, or left in flight when the outcome is unknown).
    async fn finish_step(&self, lease: &Lease, step: u32, outcome: &StepOutcome, now: DateTime<Utc>) -> Result<()>;

    /// Lets go of a job: due again later, published, failed or unresolved. The post's status
    /// and publications follow in the same transaction.
    async fn release_job(&self, lease: &Lease, release: &Release, now: DateTime<Utc>) -> Result<()>;

    /// Every outcome recorded for a job, in order.
    async fn outcomes(&self, job: &JobId) -> Result<Vec<OutcomeRecord>>;

    // ---- ingest cursors ----

    /// Where a stream stopped (the default state before its first commit).
    async fn ingest_state(&self, key: &IngestKey) -> Result<IngestState>;

    /// Commits items read and the new watermark together. Items already kept for the
    /// account are counted as duplicates and not kept again. Fails with a conflict when the
    /// stored version is not `commit.expected_version`.
    async fn commit_ingest(&self, commit: &IngestCommit) -> Result<IngestReceipt>;

    /// Which of `ids` the account has already kept (from any of its streams).
    async fn seen(&self, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>>;

    /// Items kept for the account after log position `after_seq`, oldest first.
    async fn ingested(&self, account: &AccountId, after_seq: i64, limit: u32) -> Result<Vec<IngestedItem>>;

    /// Forgets the account's items that happened before `before` (their ids are no longer
    /// recognised as seen, so prune only what no stream can bring back). Returns how many
    /// were forgotten.
    async fn prune_ingested(&self, account: &AccountId, before: DateTime<Utc>) -> Result<u64>;
}
