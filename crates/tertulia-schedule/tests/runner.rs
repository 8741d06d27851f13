//! The publish runner on the in-memory platform and a SQLite store: threads in order, the
//! first comment after, retries with backoff on the injected clock, rate limits, unknown
//! outcomes reconciled by marker, crashes between "sent" and "recorded", a clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tertulia_core::{
    AccountId, BrandId, Clock, ErrorKind, ManualClock, Operation, Platform, PlatformKind, Post, PostContent, PostId,
    PostStatus, PublishRequest, ThreadPart,
};
use tertulia_memory::{Fault, MemoryPlatform, NetworkProfile};
use tertulia_schedule::{Backoff, Runner, RunnerConfig};
use tertulia_store::{Claim, JobState, NewJob, SentRequest, SqliteStore, Step, StepState, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

struct Setup {
    clock: Arc<ManualClock>,
    store: Arc<SqliteStore>,
    network: Arc<MemoryPlatform>,
    account: AccountId,
}

impl Setup {
    async fn new(profile: NetworkProfile) -> Self {
        let clock = Arc::new(ManualClock::new(t0()));
        let store = Arc::new(SqliteStore::temporary().await.unwrap());
        let network = Arc::new(MemoryPlatform::new(profile, clock.clone()));
        Setup { clock, store, network, account: AccountId::new("cafe-masto") }
    }

    async fn mastodon() -> Self {
        Setup::new(NetworkProfile::mastodon_like().unlimited()).await
    }

    fn config(&self) -> RunnerConfig {
        RunnerConfig {
            backoff: Backoff {
                initial: Duration::from_secs(10),
                factor: 2.0,
                max: Duration::from_secs(600),
                jitter: 0.0,
            },
            ..RunnerConfig::new("worker-1")
        }
    }

    fn runner(&self, config: RunnerConfig) -> Runner {
        Runner::new(self.store.clone(), self.clock.clone(), config)
            .with_platform(self.account.clone(), self.network.clone())
    }

    async fn schedule(&self, post: &Post, due: DateTime<Utc>) -> NewJob {
        self.store.save_post(post).await.unwrap();
        let job = NewJob::for_post(post, &self.account, self.network.capabilities().platform.clone(), due);
        self.store.add_jobs(std::slice::from_ref(&job)).await.unwrap();
        job
    }

    async fn job(&self, job: &NewJob) -> tertulia_store::Job {
        self.store.job(&job.id).await.unwrap().unwrap()
    }

    async fn post(&self, id: &PostId) -> Post {
        self.store.post(id).await.unwrap().unwrap()
    }

    /// How many times each step of `job` was created on the network.
    fn publishes(&self, job: &tertulia_store::Job) -> Vec<u32> {
        job.steps.iter().map(|step| self.network.publishes_for(&step.marker)).collect()
    }
}

fn scheduled(id: &str, parts: &[&str], comment: Option<&str>) -> Post {
    let mut content = PostContent::text(parts[0]);
    content.thread = parts[1..].iter().map(|t| ThreadPart { text: (*t).into(), media: vec![] }).collect();
    content.first_comment = comment.map(str::to_owned);
    content.language = Some("es".into());
    let mut post = Post::new(PostId::new(id), BrandId::new("cafe"), content);
    post.status = PostStatus::Scheduled;
    post.scheduled_at = Some(t0());
    post
}

#[tokio::test]
async fn a_thread_goes_out_in_order_with_the_first_comment_after_and_each_step_once() {
    let s = Setup::mastodon().await;
    let post = scheduled("hilo", &["1/3 Abrimos", "2/3 a las 8", "3/3 ¡os esperamos!"], Some("Menú en la web"));
    let job = s.schedule(&post, t0()).await;
    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!((report.claimed, report.published, report.sent), (1, 1, 4));

    let job = s.job(&job).await;
    assert_eq!(job.state, JobState::Published);
    assert_eq!(s.publishes(&job), [1, 1, 1, 1]);
    let posts = s.network.posts();
    assert_eq!(posts.len(), 4);
    let texts: Vec<_> = posts.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["1/3 Abrimos", "2/3 a las 8", "3/3 ¡os esperamos!", "Menú en la web"]);
    assert_eq!(posts[1].in_reply_to.as_ref(), Some(&posts[0].reference.id));
    assert_eq!(posts[2].in_reply_to.as_ref(), Some(&posts[1].reference.id));
    assert_eq!(posts[3].in_reply_to.as_ref(), Some(&posts[0].reference.id), "the comment goes under the post");
    // Each step sent its own fixed key and marker.
    for (step, sent) in job.steps.iter().zip(&posts) {
        assert_eq!((&sent.idempotency_key, &sent.marker), (&step.idempotency_key, &step.marker));
        assert_eq!(Step::identity(&job.id, step.index), (step.idempotency_key.clone(), step.marker.clone()));
    }
    let stored = s.post(&post.id).await;
    assert_eq!(stored.status, PostStatus::Published);
    let publication = &stored.publications[0];
    assert_eq!(publication.parts.len(), 3);
    assert_eq!(publication.first_comment.as_ref(), Some(&posts[3].reference));
    assert_eq!(publication.published_at, t0());
}

#[tokio::test]
async fn a_job_waits_for_its_time() {
    let s = Setup::mastodon().await;
    let post = scheduled("later", &["Más tarde"], None);
    let job = s.schedule(&post, t0() + chrono::Duration::hours(2)).await;
    let runner = s.runner(s.config());
    assert_eq!(runner.run_until_idle().await.unwrap().claimed, 0);
    assert!(s.network.posts().is_empty());
    s.clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(runner.run_until_idle().await.unwrap().published, 1);
    assert_eq!(s.job(&job).await.state, JobState::Published);
    assert_eq!(s.network.posts()[0].created_at, t0() + chrono::Duration::hours(2));
}

#[tokio::test]
async fn temporary_failures_are_retried_with_backoff_on_the_clock_then_published() {
    let s = Setup::mastodon().await;
    let post = scheduled("p", &["Hola"], None);
    let job = s.schedule(&post, t0()).await;
    s.network.fail_next(Operation::Publish, ErrorKind::Unavailable, 2);
    let runner = s.runner(s.config());

    let first = runner.run_until_idle().await.unwrap();
    assert_eq!((first.retried, first.published), (1, 0));
    let stored = s.job(&job).await;
    assert_eq!((stored.attempts, stored.due_at), (1, t0() + chrono::Duration::seconds(10)));
    assert_eq!(stored.steps[0].state, StepState::Pending, "a refused call is not in flight");

    s.clock.advance(Duration::from_secs(10));
    runner.run_until_idle().await.unwrap();
    let stored = s.job(&job).await;
    assert_eq!((stored.attempts, stored.due_at), (2, t0() + chrono::Duration::seconds(30)), "10 s, then 20 s");

    s.clock.advance(Duration::from_secs(20));
    assert_eq!(runner.run_until_idle().await.unwrap().published, 1);
    assert_eq!(s.publishes(&s.job(&job).await), [1]);
    let statuses: Vec<_> = s.store.outcomes(&job.id).await.unwrap().into_iter().map(|o| o.status).collect();
    assert_eq!(statuses, ["not_sent", "not_sent", "published"]);
}

#[tokio::test]
async fn too_many_temporary_failures_fail_the_job_and_a_refusal_fails_it_at_once() {
    let s = Setup::mastodon().await;
    let mut flaky = NewJob::for_post(&scheduled("flaky", &["x"], None), &s.account, PlatformKind::Mastodon, t0());
    flaky.max_attempts = 3;
    s.store.save_post(&scheduled("flaky", &["x"], None)).await.unwrap();
    s.store.add_jobs(std::slice::from_ref(&flaky)).await.unwrap();
    s.network.fail_next(Operation::Publish, ErrorKind::Transport, 10);
    let runner = s.runner(s.config());
    for _ in 0..5 {
        runner.run_until_idle().await.unwrap();
        s.clock.advance(Duration::from_secs(600));
    }
    let stored = s.job(&flaky).await;
    assert_eq!(stored.state, JobState::Failed);
    assert!(stored.last_error.unwrap().message.contains("gave up after 3 attempts"));
    assert_eq!(s.post(&PostId::new("flaky")).await.status, PostStatus::Failed);

    s.network.clear_faults();
    let refused = s.schedule(&scheduled("refused", &["y"], None), s.clock.now()).await;
    s.network.inject(Fault::new(Operation::Publish, ErrorKind::Rejected));
    let report = runner.run_until_idle().await.unwrap();
    assert_eq!((report.failed, report.retried), (1, 0));
    assert_eq!(s.job(&refused).await.state, JobState::Failed);
    assert!(s.network.posts().is_empty());
}

#[tokio::test]
async fn a_rate_limit_pauses_the_account_until_retry_after_without_counting_an_attempt() {
    let s = Setup::mastodon().await;
    let a = s.schedule(&scheduled("a", &["uno"], None), t0()).await;
    let b = s.schedule(&scheduled("b", &["dos"], None), t0()).await;
    s.network.inject(Fault::new(Operation::Publish, ErrorKind::RateLimited).retry_after(Duration::from_secs(900)));
    let config = RunnerConfig { concurrency: 1, ..s.config() };
    let runner = s.runner(config);
    let report = runner.run_until_idle().await.unwrap();
    assert_eq!((report.deferred, report.published, report.sent), (2, 0, 1), "the second job is not even tried");
    for job in [&a, &b] {
        let stored = s.job(job).await;
        assert_eq!(stored.attempts, 0);
        assert_eq!(stored.due_at, t0() + chrono::Duration::seconds(900));
    }
    s.clock.advance(Duration::from_secs(900));
    assert_eq!(runner.run_until_idle().await.unwrap().published, 2);
}

#[tokio::test]
async fn an_unknown_outcome_is_looked_up_by_marker_and_not_posted_again() {
    let s = Setup::mastodon().await;
    let post = scheduled("p", &["1/2 Hola", "2/2 Adiós"], None);
    let job = s.schedule(&post, t0()).await;
    s.network.lose_next_publish_outcome();
    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!((report.published, report.reconciled, report.sent), (1, 1, 2));
    let stored = s.job(&job).await;
    assert_eq!(s.publishes(&stored), [1, 1]);
    let statuses: Vec<_> = s.store.outcomes(&job.id).await.unwrap().into_iter().map(|o| o.status).collect();
    assert_eq!(statuses, ["unknown", "reconciled_published", "published"]);
    assert_eq!(s.network.posts()[1].in_reply_to.as_ref(), Some(&s.network.posts()[0].reference.id));
}

/// A worker that dies after marking a step in flight: `sent` says whether its call reached
/// the network before it died.
async fn die_in_flight(s: &Setup, job: &NewJob, sent: bool) {
    let claim = Claim { owner: "dead-worker".into(), now: s.clock.now(), lease: Duration::from_secs(60), limit: 1 };
    let leased = s.store.claim_jobs(&claim).await.unwrap().pop().unwrap();
    let text = s.post(&job.post).await.content.text;
    s.store
        .start_step(&leased.lease, 0, &SentRequest { text: text.clone(), in_reply_to: None }, s.clock.now())
        .await
        .unwrap();
    if sent {
        let step = &leased.job.steps[0];
        let outcome =
            s.network.publish(&PublishRequest::new(text, step.idempotency_key.clone(), step.marker.clone())).await;
        assert!(outcome.published().is_some());
    }
}

#[tokio::test]
async fn a_crash_after_the_call_is_reconciled_when_the_lease_is_taken_over() {
    // Bluesky-like: no idempotency keys, so only the lookup prevents a second post.
    let s = Setup::new(NetworkProfile::bluesky_like().unlimited()).await;
    let job = s.schedule(&scheduled("p", &["Hola"], None), t0()).await;
    die_in_flight(&s, &job, true).await;
    let runner = s.runner(s.config());
    assert_eq!(runner.run_until_idle().await.unwrap().claimed, 0, "the dead worker's lease still holds");
    s.clock.advance(Duration::from_secs(61));
    let report = runner.run_until_idle().await.unwrap();
    assert_eq!((report.published, report.reconciled, report.sent), (1, 1, 0));
    assert_eq!(s.publishes(&s.job(&job).await), [1]);
    assert_eq!(s.post(&job.post).await.status, PostStatus::Published);
}

#[tokio::test]
async fn a_crash_before_the_call_is_sent_again_only_after_the_grace_period() {
    let s = Setup::new(NetworkProfile::bluesky_like().unlimited()).await;
    let job = s.schedule(&scheduled("p", &["Hola"], None), t0()).await;
    die_in_flight(&s, &job, false).await;
    s.clock.advance(Duration::from_secs(61));
    let runner = s.runner(s.config());
    let report = runner.run_until_idle().await.unwrap();
    assert_eq!((report.deferred, report.sent), (1, 0), "not found 61 s after the send is not proof yet");
    assert_eq!(s.job(&job).await.due_at, t0() + chrono::Duration::seconds(120));
    s.clock.advance(Duration::from_secs(59));
    let report = runner.run_until_idle().await.unwrap();
    assert_eq!((report.published, report.sent), (1, 1));
    assert_eq!(s.publishes(&s.job(&job).await), [1]);
    let statuses: Vec<_> = s.store.outcomes(&job.id).await.unwrap().into_iter().map(|o| o.status).collect();
    assert_eq!(statuses, ["reconciled_not_sent", "published"]);
}

#[tokio::test]
async fn without_a_lookup_an_unknown_outcome_is_left_for_a_person() {
    let profile = NetworkProfile::bluesky_like().unlimited().supports(Operation::FindByMarker, false);
    let s = Setup::new(profile).await;
    let job = s.schedule(&scheduled("p", &["Hola"], None), t0()).await;
    s.network.lose_next_publish_outcome();
    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!(report.unresolved, 1);
    assert_eq!(s.job(&job).await.state, JobState::Unresolved);
    assert_eq!(s.post(&job.post).await.status, PostStatus::Unknown);
    s.clock.advance(Duration::from_secs(86_400));
    assert_eq!(s.runner(s.config()).run_until_idle().await.unwrap().claimed, 0);
    assert_eq!(s.publishes(&s.job(&job).await), [1]);
}

#[tokio::test]
async fn with_idempotency_keys_and_no_lookup_the_same_key_is_sent_again_within_its_window() {
    let profile = NetworkProfile::mastodon_like().unlimited().supports(Operation::FindByMarker, false);
    let s = Setup::new(profile).await;
    let job = s.schedule(&scheduled("p", &["Hola"], None), t0()).await;
    die_in_flight(&s, &job, true).await;
    s.clock.advance(Duration::from_secs(61));
    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!(report.published, 1);
    // The platform answered the repeated key with the post it already had.
    assert_eq!(s.publishes(&s.job(&job).await), [1]);
    assert_eq!(s.network.posts().len(), 1);
}

#[tokio::test]
async fn a_variant_the_platform_cannot_take_fails_before_any_call() {
    let profile = NetworkProfile::mastodon_like().unlimited().supports(Operation::Publish, true);
    let mut caps = profile.capabilities.clone();
    caps.threads = false;
    let s = Setup::new(profile.capabilities(caps)).await;
    let job = s.schedule(&scheduled("p", &["1/2", "2/2"], None), t0()).await;
    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!((report.failed, report.sent), (1, 0));
    let stored = s.job(&job).await;
    assert!(stored.last_error.unwrap().message.contains("threads"));
    assert!(s.network.posts().is_empty());
}

#[tokio::test]
async fn on_shutdown_no_job_is_left_leased_and_the_next_worker_publishes_each_once() {
    let s = Setup::mastodon().await;
    let mut jobs = Vec::new();
    for n in 0..20 {
        jobs.push(s.schedule(&scheduled(&format!("p{n}"), &["a", "b"], None), t0()).await);
    }
    let runner = s.runner(RunnerConfig { batch: 5, ..s.config() });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    stop.send(()).unwrap();
    let report = runner
        .run(async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    assert_eq!(report.claimed, 5, "one batch claimed as the signal arrived");
    assert_eq!(report.deferred, 5, "and released at once");
    for job in &jobs {
        let stored = s.job(job).await;
        assert_eq!(stored.state, JobState::Queued);
        assert!(!stored.is_leased(s.clock.now()), "{} is still leased", job.id);
    }
    let next = Runner::new(s.store.clone(), s.clock.clone(), RunnerConfig::new("worker-2"))
        .with_platform(s.account.clone(), s.network.clone());
    assert_eq!(next.run_until_idle().await.unwrap().published, 20);
    for job in &jobs {
        assert_eq!(s.publishes(&s.job(job).await), [1, 1]);
    }
}

#[tokio::test]
async fn media_files_are_uploaded_with_their_alt_text_and_urls_are_refused() {
    use tertulia_core::{MediaAttachment, MediaKind, MediaSource};
    let s = Setup::mastodon().await;
    let path = std::env::temp_dir().join(format!("tertulia-runner-media-{}.png", std::process::id()));
    std::fs::write(&path, [0x89, b'P', b'N', b'G', 1, 2, 3, 4]).unwrap();
    let attachment = |source| MediaAttachment {
        source,
        kind: MediaKind::Image,
        mime: "image/png".into(),
        alt_text: Some("Una taza de café".into()),
        size: Some(8),
        dimensions: Some((2, 2)),
    };
    let mut post = scheduled("foto", &["Nuestra taza"], None);
    post.content.media.push(attachment(MediaSource::Path(path.display().to_string())));
    let job = s.schedule(&post, t0()).await;
    let mut remote = scheduled("remota", &["Otra taza"], None);
    remote.content.media.push(attachment(MediaSource::Url("https://example.com/taza.png".parse().unwrap())));
    let refused = s.schedule(&remote, t0()).await;

    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!((report.published, report.failed), (1, 1));
    let published = &s.network.posts()[0];
    assert_eq!(published.media.len(), 1);
    assert_eq!(published.media[0].alt_text.as_deref(), Some("Una taza de café"));
    assert_eq!(s.job(&job).await.state, JobState::Published);
    assert!(s.job(&refused).await.last_error.unwrap().message.contains("download it first"));
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn each_variant_is_checked_against_the_network_text_rules_before_any_call() {
    use tertulia_core::Variant;
    let s = Setup::new(NetworkProfile::bluesky_like().unlimited()).await;
    let long = "Café de especialidad, tostado cada martes. ".repeat(10);
    let too_long = s.schedule(&scheduled("largo", &[long.as_str()], None), t0()).await;
    // The same text with a Bluesky variant that fits goes out.
    let mut fitted = scheduled("corto", &[long.as_str()], None);
    fitted.variants.insert(
        PlatformKind::Bluesky,
        Variant { text: Some("Café tostado cada martes.".into()), ..Variant::default() },
    );
    let fits = s.schedule(&fitted, t0()).await;

    let report = s.runner(s.config()).run_until_idle().await.unwrap();
    assert_eq!((report.failed, report.published, report.sent), (1, 1, 1));
    let error = s.job(&too_long).await.last_error.unwrap();
    assert_eq!(error.kind, "invalid input");
    assert!(error.message.contains("part 0 is 430 long; Bluesky takes 300"), "{}", error.message);
    assert_eq!(s.job(&fits).await.state, JobState::Published);
    assert_eq!(s.network.posts()[0].text, "Café tostado cada martes.");
}
