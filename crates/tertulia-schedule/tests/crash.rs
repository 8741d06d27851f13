//! Crash safety, shown: the runner runs in a child process publishing 200 posts to an
//! in-memory platform whose state lives in a file; the child is killed with SIGKILL at
//! random (seeded) moments and started again, several times; at the end every post is out
//! exactly once and nothing is left pending.
//!
//! The child is this test binary run again with `TERTULIA_CRASH_ROLE=child`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{
    AccountId, AccountInfo, AccountMetrics, BrandId, Capabilities, Interaction, InteractionQuery, ManualClock,
    MediaUpload, Page, Platform, PlatformKind, Post, PostContent, PostId, PostMetrics, PostStatus, PublishLookup,
    PublishOutcome, PublishRequest, RemoteId, RemotePost, ReplyRequest, Result, SearchQuery, ThreadPart, UploadedMedia,
};
use tertulia_memory::{MemoryPlatform, NetworkProfile};
use tertulia_schedule::{Runner, RunnerConfig};
use tertulia_store::{JobQuery, JobState, NewJob, SqliteStore, Store};

const TEST: &str = "the_runner_killed_at_random_moments_publishes_every_post_exactly_once";
const POSTS: usize = 200;
const KILLS: usize = 8;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

fn account() -> AccountId {
    AccountId::new("cafe-bsky")
}

/// Bluesky-like: no idempotency keys, so nothing but the runner's own bookkeeping and its
/// lookups by marker keeps a post from going out twice.
fn profile() -> NetworkProfile {
    NetworkProfile::bluesky_like().unlimited()
}

fn post(n: usize) -> Post {
    let mut content = PostContent::text(format!("Post {n}: café del día"));
    if n.is_multiple_of(3) {
        content.thread.push(ThreadPart { text: format!("Post {n}, segunda parte"), media: vec![] });
    }
    if n.is_multiple_of(5) {
        content.first_comment = Some(format!("Post {n}: el menú, en la web"));
    }
    let mut post = Post::new(PostId::new(format!("p{n:03}")), BrandId::new("cafe"), content);
    post.status = PostStatus::Scheduled;
    post
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The child's platform: the file-backed network, saying on stdout when each publish or
/// reply leaves and when its answer is back, so the parent can kill the worker right in
/// the windows that matter (between the answer and its record, above all).
#[derive(Debug)]
struct Tapped(Arc<MemoryPlatform>);

fn tap(what: &str) {
    println!("tap {what}");
}

#[async_trait::async_trait]
impl Platform for Tapped {
    fn capabilities(&self) -> &Capabilities {
        self.0.capabilities()
    }
    async fn account(&self) -> Result<AccountInfo> {
        self.0.account().await
    }
    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        tap("publish sent");
        let outcome = self.0.publish(request).await;
        tap("publish answered");
        outcome
    }
    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        self.0.upload_media(upload).await
    }
    async fn delete(&self, id: &RemoteId) -> Result<()> {
        self.0.delete(id).await
    }
    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        self.0.get_post(id).await
    }
    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        tap("reply sent");
        let outcome = self.0.reply(request).await;
        tap("reply answered");
        outcome
    }
    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        self.0.list_interactions(query).await
    }
    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        self.0.post_metrics(id).await
    }
    async fn account_metrics(&self) -> Result<AccountMetrics> {
        self.0.account_metrics().await
    }
    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        self.0.search(query).await
    }
    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        self.0.find_by_marker(lookup).await
    }
}

/// The child: one incarnation of a worker. Its clock starts an hour after the previous
/// incarnation's, so the leases the killed one held have expired.
fn child(store: &Path, network: &Path, incarnation: u64) {
    runtime().block_on(async {
        let clock = Arc::new(ManualClock::new(t0() + chrono::Duration::hours(incarnation as i64)));
        let store = Arc::new(SqliteStore::open(store).await.unwrap());
        let network = Arc::new(MemoryPlatform::open(network, profile(), clock.clone()).unwrap());
        let config = RunnerConfig {
            batch: 4,
            concurrency: 2,
            seed: incarnation,
            ..RunnerConfig::new(format!("worker-{incarnation}"))
        };
        let runner = Runner::new(store.clone(), clock.clone(), config)
            .with_platform(account(), Arc::new(Tapped(network.clone())));
        let mut rng = StdRng::seed_from_u64(incarnation);
        let queued = JobQuery { states: vec![JobState::Queued], limit: Some(1), ..JobQuery::default() };
        loop {
            // Now and then the platform posts but the answer is lost.
            if rng.random_bool(0.1) {
                network.lose_next_publish_outcome();
            }
            let report = runner.run_once().await.unwrap();
            println!("progress claimed={} published={}", report.claimed, report.published);
            if report.claimed == 0 {
                if store.jobs(&queued).await.unwrap().is_empty() {
                    break;
                }
                // Jobs waiting for a lookup's grace period or a retry: let time pass.
                clock.advance(Duration::from_secs(30));
            }
        }
        println!("done");
    });
}

fn spawn(store: &Path, network: &Path, incarnation: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env("TERTULIA_CRASH_ROLE", "child")
        .env("TERTULIA_CRASH_STORE", store)
        .env("TERTULIA_CRASH_NETWORK", network)
        .env("TERTULIA_CRASH_INCARNATION", incarnation.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_runner_killed_at_random_moments_publishes_every_post_exactly_once() {
    if std::env::var("TERTULIA_CRASH_ROLE").as_deref() == Ok("child") {
        let store = PathBuf::from(std::env::var("TERTULIA_CRASH_STORE").unwrap());
        let network = PathBuf::from(std::env::var("TERTULIA_CRASH_NETWORK").unwrap());
        let incarnation = std::env::var("TERTULIA_CRASH_INCARNATION").unwrap().parse().unwrap();
        child(&store, &network, incarnation);
        return;
    }

    let dir = TempDir(std::env::temp_dir().join(format!("tertulia-crash-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let store_path = dir.0.join("store.sqlite");
    let network_path = dir.0.join("network.json");

    let posts: Vec<Post> = (0..POSTS).map(post).collect();
    runtime().block_on(async {
        let store = SqliteStore::open(&store_path).await.unwrap();
        let mut jobs = Vec::new();
        for (n, post) in posts.iter().enumerate() {
            store.save_post(post).await.unwrap();
            let due = t0() - chrono::Duration::seconds((POSTS - n) as i64);
            jobs.push(NewJob::for_post(post, &account(), PlatformKind::Bluesky, due));
        }
        assert_eq!(store.add_jobs(&jobs).await.unwrap(), POSTS);
        store.close().await;
    });

    // Kill the worker at random moments: after a seeded number of the lines it prints before
    // and after each call and each batch (it keeps working while the parent reads them, so
    // the kill lands just after: often between a platform's answer and its record).
    let mut rng = StdRng::seed_from_u64(20261130);
    let mut kills = 0;
    let mut incarnation = 0;
    while kills < KILLS {
        let mut worker = spawn(&store_path, &network_path, incarnation);
        incarnation += 1;
        // The reader stays open until the worker is dead: it must die of the signal, not of
        // a closed pipe.
        let mut reader = BufReader::new(worker.stdout.take().unwrap());
        let kill_after = rng.random_range(1..=24);
        let mut seen = 0;
        let mut finished = false;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if line.trim_end() == "done" {
                finished = true;
                break;
            }
            if line.starts_with("progress") || line.starts_with("tap") {
                seen += 1;
                if seen == kill_after {
                    break;
                }
            }
        }
        if finished {
            assert!(worker.wait().unwrap().success());
            break;
        }
        worker.kill().unwrap(); // SIGKILL
        let status = worker.wait().unwrap();
        drop(reader);
        assert!(!status.success(), "the worker was killed");
        kills += 1;
    }
    assert!(kills >= 3, "the worker finished before it could be killed more than {kills} times");

    // A last worker finishes the work.
    let mut worker = spawn(&store_path, &network_path, incarnation);
    let output: Vec<String> = BufReader::new(worker.stdout.take().unwrap()).lines().map(Result::unwrap).collect();
    assert_eq!(output.iter().filter(|line| *line == "done").count(), 1);
    let status = worker.wait().unwrap();
    assert!(status.success(), "the last worker failed: {status}");

    runtime().block_on(async {
        let store = SqliteStore::open(&store_path).await.unwrap();
        let clock = Arc::new(ManualClock::new(t0() + chrono::Duration::hours(100)));
        let network = MemoryPlatform::open(&network_path, profile(), clock).unwrap();
        let jobs = store.jobs(&JobQuery::default()).await.unwrap();
        assert_eq!(jobs.len(), POSTS);
        let mut steps = 0;
        let (mut reconciled, mut after_crash, mut resent) = (0, 0, 0);
        for job in &jobs {
            assert_eq!(job.state, JobState::Published, "{} is {}", job.id, job.state);
            for step in &job.steps {
                assert_eq!(network.publishes_for(&step.marker), 1, "{} {} went out a wrong number of times", job.id, step.kind);
                steps += 1;
            }
            let outcomes = store.outcomes(&job.id).await.unwrap();
            for found in outcomes.iter().filter(|o| o.status == "reconciled_published") {
                reconciled += 1;
                // Found by marker with no unknown answer before it: the worker died after the call.
                if !outcomes.iter().any(|o| o.step == found.step && o.status == "unknown") {
                    after_crash += 1;
                }
            }
            // Looked up and not found: the worker died between marking the step and calling.
            resent += outcomes.iter().filter(|o| o.status == "reconciled_not_sent").count();
        }
        assert_eq!(network.posts().len(), steps, "no post the runner does not know of");
        for post in &posts {
            let stored = store.post(&post.id).await.unwrap().unwrap();
            assert_eq!(stored.status, PostStatus::Published, "{}", post.id);
            assert_eq!(stored.publications.len(), 1);
        }
        assert!(reconciled > 0, "no unknown outcome was reconciled");
        println!(
            "{POSTS} posts, {steps} steps, {kills} kills: {reconciled} steps found by marker ({after_crash} after a kill), \
             {resent} sent again after a lookup proved them absent"
        );
    });
}
