//! The publish runner: due jobs out, step by step, never twice.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use tertulia_core::{
    AccountId, Clock, ErrorKind, MediaAttachment, MediaId, MediaSource, MediaUpload, Platform, PostContent,
    PublishLookup, PublishOutcome, PublishRequest, PublishStatus, RemoteRef, ReplyRequest,
};
use tertulia_store::{
    Claim, Job, Lease, Leased, OutcomeError, Release, SentRequest, Step, StepKind, StepOutcome, StepState, Store,
    StoreError,
};
use tracing::{info, warn};

use crate::Backoff;
use crate::validate::validate;

const TARGET: &str = "tertulia_schedule::runner";

/// How a runner works.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerConfig {
    /// This worker's name, the owner of its leases (unique per process).
    pub worker: String,
    /// How long a lease holds; it is extended before each step when half of it is gone. It
    /// must be longer than the slowest platform call.
    pub lease: Duration,
    /// Jobs claimed at a time.
    pub batch: u32,
    /// Jobs worked on at once.
    pub concurrency: usize,
    /// Delays after temporary failures.
    pub backoff: Backoff,
    /// How long after a send a lookup that finds nothing is trusted to mean "not sent".
    pub reconcile_grace: Duration,
    /// How long a platform that honours idempotency keys remembers them (Mastodon: 1 h).
    pub idempotency_window: Duration,
    /// How long to wait when nothing is due.
    pub idle_wait: Duration,
    /// The seed of the backoff jitter.
    pub seed: u64,
}

impl RunnerConfig {
    /// The defaults for a worker named `worker`: 5-minute leases, batches of 32, 8 jobs at
    /// once, a 2-minute reconcile grace, a 1-hour idempotency window, 5 s idle waits.
    pub fn new(worker: impl Into<String>) -> Self {
        RunnerConfig {
            worker: worker.into(),
            lease: Duration::from_secs(300),
            batch: 32,
            concurrency: 8,
            backoff: Backoff::default(),
            reconcile_grace: Duration::from_secs(120),
            idempotency_window: Duration::from_secs(3600),
            idle_wait: Duration::from_secs(5),
            seed: 0,
        }
    }
}

/// What a runner did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Jobs claimed.
    pub claimed: u64,
    /// Jobs whose every step is out.
    pub published: u64,
    /// Steps sent to a platform.
    pub sent: u64,
    /// Steps found by a lookup after an unknown outcome or a crash.
    pub reconciled: u64,
    /// Jobs put back for a retry after a temporary failure.
    pub retried: u64,
    /// Jobs put back without a failure (rate limit, lookup to repeat, shutdown).
    pub deferred: u64,
    /// Jobs given up.
    pub failed: u64,
    /// Jobs left for a person to check.
    pub unresolved: u64,
}

impl RunReport {
    fn add(&mut self, other: &RunReport) {
        self.claimed += other.claimed;
        self.published += other.published;
        self.sent += other.sent;
        self.reconciled += other.reconciled;
        self.retried += other.retried;
        self.deferred += other.deferred;
        self.failed += other.failed;
        self.unresolved += other.unresolved;
    }
}

/// Why a runner stopped with an error (jobs themselves never stop it: their failures are
/// recorded on the job).
#[derive(Debug, Clone, thiserror::Error)]
#[error("the runner cannot reach its store: {0}")]
pub struct RunnerError(#[from] pub StoreError);

/// The publish runner: claims due jobs with a lease and publishes them step by step, never
/// twice.
///
/// For each claimed job, in order of its steps (thread parts, then the first comment):
///
/// 1. a step already out is skipped (its reference threads the next part);
/// 2. a step left in flight (a crash, or an unknown outcome) is looked up by its marker
///    first: found, it is recorded as out; not found, it is sent again, but only once the
///    reconcile grace period after the send has passed (a slow platform may not show it
///    yet); when the platform cannot look posts up, it is sent again only if the platform
///    honours idempotency keys and the key is still remembered, and otherwise the job is
///    left unresolved for a person to check;
/// 3. a pending step is validated, its media (files) uploaded, then it is marked in flight
///    in the store, *then* sent with its idempotency key and marker, and its outcome
///    recorded.
///
/// Temporary failures are retried with backoff on the injected clock; a rate limit pauses
/// the account until the platform's retry-after; a permanent refusal fails the job.
///
/// Every decision is a `tracing` event at target `tertulia_schedule::runner` with an
/// `event` field (`job_claimed`, `step_sent`, `step_published`, `step_failed`,
/// `step_unknown`, `reconciled_found`, `reconciled_absent`, `job_retry`, `job_deferred`,
/// `rate_limited`, `job_published`, `job_failed`, `job_unresolved`, `runner_stopped`) and
/// the job, post, account and step, so a dashboard can follow each post.
#[derive(Debug)]
pub struct Runner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    platforms: HashMap<AccountId, Arc<dyn Platform>>,
    config: RunnerConfig,
    rng: Mutex<SmallRng>,
    paused: Mutex<HashMap<AccountId, DateTime<Utc>>>,
    stopping: AtomicBool,
}

/// How one job ended in this pass.
enum JobEnd {
    Published,
    Retry,
    Deferred,
    Failed,
    Unresolved,
    /// Another worker took it over, or the store failed: nothing more to do here.
    Dropped,
}

/// What a lookup of a step in flight found.
enum Lookup {
    Found(RemoteRef, DateTime<Utc>),
    /// Not out: safe to send again.
    Absent,
    /// Not found yet, but too soon after the send to be sure: look again at this instant.
    TooSoon(DateTime<Utc>),
    /// The lookup failed for now.
    Failed(OutcomeError),
    /// No way to know.
    Impossible(OutcomeError),
}

impl Runner {
    /// A runner over `store` reading `clock`, with no platforms yet.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: RunnerConfig) -> Self {
        let rng = Mutex::new(SmallRng::seed_from_u64(config.seed));
        Runner {
            store,
            clock,
            platforms: HashMap::new(),
            config,
            rng,
            paused: Mutex::new(HashMap::new()),
            stopping: AtomicBool::new(false),
        }
    }

    /// Publishes `account`'s jobs through `platform`.
    pub fn with_platform(mut self, account: AccountId, platform: Arc<dyn Platform>) -> Self {
        self.platforms.insert(account, platform);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RunnerConfig {
        &self.config
    }

    /// Claims one batch of due jobs and works on them.
    pub async fn run_once(&self) -> Result<RunReport, RunnerError> {
        let claim = Claim {
            owner: self.config.worker.clone(),
            now: self.clock.now(),
            lease: self.config.lease,
            limit: self.config.batch.max(1),
        };
        let claimed = self.store.claim_jobs(&claim).await?;
        let mut report = RunReport { claimed: claimed.len() as u64, ..RunReport::default() };
        let reports: Vec<RunReport> = futures::stream::iter(claimed)
            .map(|leased| self.work(leased))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        for one in &reports {
            report.add(one);
        }
        Ok(report)
    }

    /// Works until no job is due at the clock's current time.
    pub async fn run_until_idle(&self) -> Result<RunReport, RunnerError> {
        let mut report = RunReport::default();
        loop {
            let once = self.run_once().await?;
            report.add(&once);
            if once.claimed == 0 || self.stopping.load(Ordering::SeqCst) {
                return Ok(report);
            }
        }
    }

    /// Works until `shutdown` completes, waiting `idle_wait` on the clock when nothing is
    /// due. On shutdown it starts no new step: calls already sent are awaited and recorded,
    /// and jobs not finished are released at once (never left leased), so another worker
    /// can take them straight away.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<RunReport, RunnerError> {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut report = RunReport::default();
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                break;
            }
            let batch = self.run_once();
            let mut batch = std::pin::pin!(batch);
            let once = tokio::select! {
                biased;
                () = &mut shutdown => {
                    self.stop();
                    batch.await?
                }
                result = &mut batch => result?,
            };
            report.add(&once);
            if self.stopping.load(Ordering::SeqCst) {
                break;
            }
            if once.claimed == 0 {
                tokio::select! {
                    biased;
                    () = &mut shutdown => self.stop(),
                    () = self.clock.sleep(self.config.idle_wait) => {}
                }
            }
        }
        info!(target: TARGET, event = "runner_stopped", worker = %self.config.worker, published = report.published);
        Ok(report)
    }

    /// Asks the runner to stop starting steps (what [`run`](Self::run) does on shutdown).
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    async fn work(&self, leased: Leased) -> RunReport {
        let mut report = RunReport::default();
        let Leased { lease, job } = leased;
        info!(target: TARGET, event = "job_claimed", job = %job.id, post = %job.post, account = %job.account, attempts = job.attempts);
        let end = match self.publish_job(lease, job.clone(), &mut report).await {
            Ok(end) => end,
            Err(StoreError::LeaseLost { .. }) => {
                warn!(target: TARGET, event = "lease_lost", job = %job.id, post = %job.post, account = %job.account);
                JobEnd::Dropped
            }
            Err(error) => {
                // The lease expires and the job is taken over; nothing is lost.
                warn!(target: TARGET, event = "store_error", job = %job.id, post = %job.post, account = %job.account, %error);
                JobEnd::Dropped
            }
        };
        match end {
            JobEnd::Published => report.published += 1,
            JobEnd::Retry => report.retried += 1,
            JobEnd::Deferred => report.deferred += 1,
            JobEnd::Failed => report.failed += 1,
            JobEnd::Unresolved => report.unresolved += 1,
            JobEnd::Dropped => {}
        }
        report
    }

    async fn release(&self, lease: &Lease, job: &Job, release: Release) -> Result<JobEnd, StoreError> {
        let now = self.clock.now();
        self.store.release_job(lease, &release, now).await?;
        let (job_id, post, account) = (&job.id, &job.post, &job.account);
        Ok(match release {
            Release::Published => {
                info!(target: TARGET, event = "job_published", job = %job_id, post = %post, account = %account);
                JobEnd::Published
            }
            Release::Retry { at, error } => {
                info!(target: TARGET, event = "job_retry", job = %job_id, post = %post, account = %account, %at, error = %error, attempt = job.attempts + 1);
                JobEnd::Retry
            }
            Release::Defer { at } => {
                info!(target: TARGET, event = "job_deferred", job = %job_id, post = %post, account = %account, %at);
                JobEnd::Deferred
            }
            Release::Failed { error } => {
                warn!(target: TARGET, event = "job_failed", job = %job_id, post = %post, account = %account, error = %error);
                JobEnd::Failed
            }
            Release::Unresolved { error } => {
                warn!(target: TARGET, event = "job_unresolved", job = %job_id, post = %post, account = %account, error = %error);
                JobEnd::Unresolved
            }
        })
    }

    fn backoff_at(&self, attempts: u32, retry_after: Option<Duration>) -> DateTime<Utc> {
        let delay = {
            let mut rng = self.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            self.config.backoff.delay(attempts, &mut *rng)
        };
        // At least a second: a job put back "now" would be claimed again at once.
        let delay = retry_after.map_or(delay, |after| after.max(delay)).max(Duration::from_secs(1));
        later(self.clock.now(), delay)
    }

    /// A temporary failure: retried with backoff, or given up after too many attempts.
    async fn retry_or_fail(
        &self,
        lease: &Lease,
        job: &Job,
        error: OutcomeError,
        retry_after: Option<Duration>,
    ) -> Result<JobEnd, StoreError> {
        if job.attempts + 1 >= job.max_attempts {
            let error = OutcomeError {
                message: format!("gave up after {} attempts: {}", job.attempts + 1, error.message),
                ..error
            };
            return self.release(lease, job, Release::Failed { error }).await;
        }
        let at = self.backoff_at(job.attempts, retry_after);
        self.release(lease, job, Release::Retry { at, error }).await
    }

    async fn publish_job(&self, mut lease: Lease, job: Job, report: &mut RunReport) -> Result<JobEnd, StoreError> {
        let Some(platform) = self.platforms.get(&job.account).cloned() else {
            let error = OutcomeError::local("configuration error", format!("no platform for account {}", job.account));
            return self.release(&lease, &job, Release::Failed { error }).await;
        };
        if let Some(until) = self.paused_until(&job.account) {
            return self.release(&lease, &job, Release::Defer { at: until }).await;
        }
        let Some(post) = self.store.post(&job.post).await? else {
            let error = OutcomeError::local("not found", format!("post {} is not in the store", job.post));
            return self.release(&lease, &job, Release::Failed { error }).await;
        };
        let content = post.content_for(&job.platform);
        if job.next_step().is_some_and(|step| step.state == StepState::Pending)
            && let Err(error) = validate(&content, platform.capabilities())
        {
            return self.release(&lease, &job, Release::Failed { error }).await;
        }

        let mut previous: Option<RemoteRef> = None;
        let mut root: Option<RemoteRef> = None;
        for step in &job.steps {
            if let StepState::Done { reference, .. } = &step.state {
                if step.kind != StepKind::FirstComment {
                    root.get_or_insert_with(|| reference.clone());
                    previous = Some(reference.clone());
                }
                continue;
            }
            if self.stopping.load(Ordering::SeqCst) {
                let now = self.clock.now();
                return self.release(&lease, &job, Release::Defer { at: now }).await;
            }
            lease = self.keep_lease(lease).await?;
            let mut pending = step.state == StepState::Pending;
            if let StepState::InFlight { sent_at, request } = &step.state {
                match self.settle_in_flight(&lease, &job, step, *sent_at, request, platform.as_ref(), report).await? {
                    Settled::Out(reference) => {
                        if step.kind != StepKind::FirstComment {
                            root.get_or_insert_with(|| reference.clone());
                            previous = Some(reference);
                        }
                    }
                    Settled::SendAgain => pending = true,
                    Settled::End(end) => return Ok(end),
                }
            }
            if pending {
                match self
                    .send(&lease, &job, step, &content, previous.as_ref(), root.as_ref(), platform.as_ref(), report)
                    .await?
                {
                    Settled::Out(reference) => {
                        if step.kind != StepKind::FirstComment {
                            root.get_or_insert_with(|| reference.clone());
                            previous = Some(reference);
                        }
                    }
                    Settled::SendAgain => {
                        // Only reached when a lookup right after an unknown outcome proved it absent.
                        let now = self.clock.now();
                        return self.release(&lease, &job, Release::Defer { at: now }).await;
                    }
                    Settled::End(end) => return Ok(end),
                }
            }
        }
        self.release(&lease, &job, Release::Published).await
    }

    async fn keep_lease(&self, lease: Lease) -> Result<Lease, StoreError> {
        let now = self.clock.now();
        let half = chrono::Duration::from_std(self.config.lease / 2).unwrap_or(chrono::Duration::MAX);
        if lease.expires_at - now > half {
            return Ok(lease);
        }
        self.store.extend_lease(&lease, later(now, self.config.lease)).await
    }

    fn paused_until(&self, account: &AccountId) -> Option<DateTime<Utc>> {
        let paused = self.paused.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        paused.get(account).copied().filter(|until| *until > self.clock.now())
    }

    fn pause(&self, account: &AccountId, until: DateTime<Utc>) {
        let mut paused = self.paused.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = paused.entry(account.clone()).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Looks up a step left in flight and records what was found.
    #[allow(clippy::too_many_arguments)]
    async fn settle_in_flight(
        &self,
        lease: &Lease,
        job: &Job,
        step: &Step,
        sent_at: DateTime<Utc>,
        request: &SentRequest,
        platform: &dyn Platform,
        report: &mut RunReport,
    ) -> Result<Settled, StoreError> {
        let fields = (&job.id, &job.post, &job.account, step.index);
        match self.look_up(step, sent_at, request, platform).await {
            Lookup::Found(reference, published_at) => {
                info!(target: TARGET, event = "reconciled_found", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, remote_id = %reference.id);
                let outcome = StepOutcome::Published { reference: reference.clone(), published_at, reconciled: true };
                self.store.finish_step(lease, step.index, &outcome, self.clock.now()).await?;
                report.reconciled += 1;
                Ok(Settled::Out(reference))
            }
            Lookup::Absent => {
                info!(target: TARGET, event = "reconciled_absent", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3);
                let outcome = StepOutcome::NotSent { error: None, reconciled: true };
                self.store.finish_step(lease, step.index, &outcome, self.clock.now()).await?;
                Ok(Settled::SendAgain)
            }
            Lookup::TooSoon(at) => Ok(Settled::End(self.release(lease, job, Release::Defer { at }).await?)),
            Lookup::Failed(error) => Ok(Settled::End(self.retry_or_fail(lease, job, error, None).await?)),
            Lookup::Impossible(error) => {
                Ok(Settled::End(self.release(lease, job, Release::Unresolved { error }).await?))
            }
        }
    }

    async fn look_up(
        &self,
        step: &Step,
        sent_at: DateTime<Utc>,
        request: &SentRequest,
        platform: &dyn Platform,
    ) -> Lookup {
        let now = self.clock.now();
        let capabilities = platform.capabilities();
        if !capabilities.find_by_marker {
            // The same key again is safe only while the platform remembers it.
            if capabilities.idempotency_keys && now < later(sent_at, self.config.idempotency_window) {
                return Lookup::Absent;
            }
            return Lookup::Impossible(OutcomeError::local(
                "unknown outcome",
                format!(
                    "{} cannot look posts up by marker and no longer remembers the key: check the account for {}",
                    capabilities.platform.display_name(),
                    step.marker
                ),
            ));
        }
        let lookup = PublishLookup {
            marker: step.marker.clone(),
            idempotency_key: step.idempotency_key.clone(),
            text: request.text.clone(),
            in_reply_to: request.in_reply_to.as_ref().map(|r| r.id.clone()),
            sent_at,
        };
        match platform.find_by_marker(&lookup).await {
            Ok(Some(found)) => Lookup::Found(found.reference, found.created_at),
            Ok(None) => {
                let trusted_from = later(sent_at, self.config.reconcile_grace);
                if now >= trusted_from { Lookup::Absent } else { Lookup::TooSoon(trusted_from) }
            }
            Err(error) if error.is_temporary() => Lookup::Failed(OutcomeError::from(&error)),
            Err(error) => Lookup::Impossible(OutcomeError::from(&error)),
        }
    }

    /// Sends a pending step: in flight first, then the call, then the outcome.
    #[allow(clippy::too_many_arguments)]
    async fn send(
        &self,
        lease: &Lease,
        job: &Job,
        step: &Step,
        content: &PostContent,
        previous: Option<&RemoteRef>,
        root: Option<&RemoteRef>,
        platform: &dyn Platform,
        report: &mut RunReport,
    ) -> Result<Settled, StoreError> {
        let fields = (&job.id, &job.post, &job.account, step.index);
        let sent_at = self.clock.now();
        let outcome = match step.kind {
            StepKind::Part(n) => {
                let Some(mut request) = part_request(content, n, step, previous) else {
                    let error = OutcomeError::local("invalid input", format!("the post has no part {n} any more"));
                    return Ok(Settled::End(self.release(lease, job, Release::Failed { error }).await?));
                };
                let media = if n == 0 { &content.media[..] } else { &content.thread[n as usize - 1].media[..] };
                match upload(platform, media).await {
                    Ok(ids) => request.media = ids,
                    Err(Upload::Retry(error, after)) => {
                        return Ok(Settled::End(self.retry_or_fail(lease, job, error, after).await?));
                    }
                    Err(Upload::Fail(error)) => {
                        return Ok(Settled::End(self.release(lease, job, Release::Failed { error }).await?));
                    }
                }
                let sent = SentRequest { text: request.text.clone(), in_reply_to: request.in_reply_to.clone() };
                self.store.start_step(lease, step.index, &sent, sent_at).await?;
                info!(target: TARGET, event = "step_sent", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, kind = %step.kind, key = %step.idempotency_key);
                report.sent += 1;
                let outcome = platform.publish(&request).await;
                (outcome, sent)
            }
            StepKind::FirstComment => {
                let (Some(text), Some(root)) = (content.first_comment.as_ref(), root) else {
                    let error =
                        OutcomeError::local("invalid input", "the first comment has no text or no post to go under");
                    return Ok(Settled::End(self.release(lease, job, Release::Failed { error }).await?));
                };
                let mut request =
                    ReplyRequest::new(root.id.clone(), text.clone(), step.idempotency_key.clone(), step.marker.clone());
                request.language.clone_from(&content.language);
                let sent = SentRequest { text: request.text.clone(), in_reply_to: Some(root.clone()) };
                self.store.start_step(lease, step.index, &sent, sent_at).await?;
                info!(target: TARGET, event = "step_sent", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, kind = %step.kind, key = %step.idempotency_key);
                report.sent += 1;
                let outcome = platform.reply(&request).await;
                (outcome, sent)
            }
        };
        let (PublishOutcome { status, .. }, sent) = outcome;
        let now = self.clock.now();
        match status {
            PublishStatus::Published { reference, published_at } => {
                info!(target: TARGET, event = "step_published", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, remote_id = %reference.id);
                let outcome = StepOutcome::Published { reference: reference.clone(), published_at, reconciled: false };
                self.store.finish_step(lease, step.index, &outcome, now).await?;
                Ok(Settled::Out(reference))
            }
            PublishStatus::Scheduled { id, at } => {
                // The runner never asks for native scheduling; a platform that holds the post
                // anyway has it, and will publish it at `at`.
                let reference = RemoteRef::new(id);
                info!(target: TARGET, event = "step_published", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, remote_id = %reference.id, scheduled_for = %at);
                let outcome =
                    StepOutcome::Published { reference: reference.clone(), published_at: at, reconciled: false };
                self.store.finish_step(lease, step.index, &outcome, now).await?;
                Ok(Settled::Out(reference))
            }
            PublishStatus::Failed(error) => {
                let recorded = OutcomeError::from(&error);
                warn!(target: TARGET, event = "step_failed", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, error = %recorded, temporary = recorded.temporary);
                let outcome = StepOutcome::NotSent { error: Some(recorded.clone()), reconciled: false };
                self.store.finish_step(lease, step.index, &outcome, now).await?;
                if error.kind() == ErrorKind::RateLimited {
                    let until = self.backoff_at(0, error.retry_after());
                    self.pause(&job.account, until);
                    info!(target: TARGET, event = "rate_limited", job = %fields.0, post = %fields.1, account = %fields.2, %until);
                    return Ok(Settled::End(self.release(lease, job, Release::Defer { at: until }).await?));
                }
                if error.is_temporary() {
                    return Ok(Settled::End(self.retry_or_fail(lease, job, recorded, error.retry_after()).await?));
                }
                Ok(Settled::End(self.release(lease, job, Release::Failed { error: recorded }).await?))
            }
            PublishStatus::Unknown(error) => {
                let recorded = OutcomeError::from(&error);
                warn!(target: TARGET, event = "step_unknown", job = %fields.0, post = %fields.1, account = %fields.2, step = fields.3, error = %recorded);
                self.store.finish_step(lease, step.index, &StepOutcome::Unknown { error: recorded }, now).await?;
                // Look it up now; if it is not visible yet, the lookup defers the job.
                self.settle_in_flight(lease, job, step, sent_at, &sent, platform, report).await
            }
        }
    }
}

enum Settled {
    /// The step is out, here.
    Out(RemoteRef),
    /// The step is known not to be out: send it.
    SendAgain,
    /// The job was released.
    End(JobEnd),
}

/// Why media could not be uploaded.
enum Upload {
    /// For now: try again later (after the platform's retry-after, if it gave one).
    Retry(OutcomeError, Option<Duration>),
    /// For good.
    Fail(OutcomeError),
}

/// Uploads a part's media (files on disk) and returns their ids, in order. Uploads are not
/// posts: one repeated after a crash leaves an unused upload, never a second post.
async fn upload(platform: &dyn Platform, media: &[MediaAttachment]) -> Result<Vec<MediaId>, Upload> {
    let mut ids = Vec::with_capacity(media.len());
    for item in media {
        let MediaSource::Path(path) = &item.source else {
            return Err(Upload::Fail(OutcomeError::local(
                "invalid input",
                "the runner uploads media from files; download media given by URL first",
            )));
        };
        let owned = path.clone();
        let bytes = tokio::task::spawn_blocking(move || std::fs::read(owned))
            .await
            .map_err(|error| Upload::Retry(OutcomeError::local("unexpected error", error.to_string()), None))?
            .map_err(|error| {
                Upload::Fail(OutcomeError::local("invalid input", format!("cannot read {path}: {error}")))
            })?;
        let mut upload = MediaUpload::new(bytes, item.mime.clone());
        upload.alt_text.clone_from(&item.alt_text);
        upload.dimensions = item.dimensions;
        upload.file_name = std::path::Path::new(path).file_name().map(|name| name.to_string_lossy().into_owned());
        match platform.upload_media(&upload).await {
            Ok(uploaded) => ids.push(uploaded.id),
            Err(error) if error.is_temporary() => {
                return Err(Upload::Retry(OutcomeError::from(&error), error.retry_after()));
            }
            Err(error) => return Err(Upload::Fail(OutcomeError::from(&error))),
        }
    }
    Ok(ids)
}

/// The request for part `n` of `content`, continuing `previous`.
fn part_request(content: &PostContent, n: u32, step: &Step, previous: Option<&RemoteRef>) -> Option<PublishRequest> {
    let text = if n == 0 { content.text.clone() } else { content.thread.get(n as usize - 1)?.text.clone() };
    let mut request = PublishRequest::new(text, step.idempotency_key.clone(), step.marker.clone());
    request.language.clone_from(&content.language);
    if n == 0 {
        request.link.clone_from(&content.link);
        request.content_warning.clone_from(&content.content_warning);
    }
    if n > 0 {
        request.in_reply_to = Some(previous?.clone());
    }
    Some(request)
}

fn later(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(duration)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
