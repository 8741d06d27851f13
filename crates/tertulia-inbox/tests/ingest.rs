//! Ingest against the in-memory platform: a restart resumes with no gap
//! and no duplicate, a failed poll loses nothing, and a webhook and a poll bringing the same
//! interaction keep it once.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use tertulia_core::{
    AccountId, AccountInfo, AccountMetrics, Author, Capabilities, Clock, Error, ErrorKind, Interaction,
    InteractionKind, InteractionQuery, ManualClock, MediaUpload, Operation, Page, Platform, PostMetrics, PublishLookup,
    PublishOutcome, PublishRequest, RemoteId, RemotePost, ReplyRequest, Result, SearchQuery, UploadedMedia,
};
use tertulia_inbox::{
    Arrival, CursorStore, Inbox, IngestSettings, Ingestor, MemoryCursorStore, RuleClassifier, Source, Weights,
};
use tertulia_memory::{MemoryPlatform, NetworkProfile, NewInteraction};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

fn account() -> AccountId {
    AccountId::new("cafe-masto")
}

fn network(clock: Arc<ManualClock>) -> Arc<MemoryPlatform> {
    let profile = NetworkProfile::mastodon_like().account_id(account()).unlimited().page_size(20, 40);
    Arc::new(MemoryPlatform::new(profile, clock))
}

fn mention(network: &MemoryPlatform, n: u32, at: DateTime<Utc>) -> Interaction {
    let author = Author::new(format!("u{}", n % 17), format!("person{}", n % 17));
    network
        .add(
            NewInteraction::new(InteractionKind::Mention, author)
                .text(format!("¿Abrís mañana? ({n})"))
                .language("es")
                .at(at),
        )
        .unwrap()
}

/// An ingestor over a store that outlives it, as a database outlives a process.
fn ingestor(store: &Arc<MemoryCursorStore>, clock: Arc<ManualClock>, max_pages: u32) -> Ingestor {
    let store: Arc<dyn CursorStore> = store.clone();
    Ingestor::new(store, clock, IngestSettings { max_pages, ..IngestSettings::default() })
}

#[tokio::test]
async fn a_restart_resumes_with_no_gap_and_no_duplicate() {
    let clock = Arc::new(ManualClock::new(start()));
    let network = network(clock.clone());
    let mut expected: Vec<RemoteId> =
        (0..130).map(|n| mention(&network, n, start() - Duration::minutes(i64::from(130 - n))).id).collect();
    let source = Source::new(account(), network.clone());
    let store = Arc::new(MemoryCursorStore::new());

    // Three pages of twenty: the first poll reads the newest sixty and remembers the rest.
    let first = ingestor(&store, clock.clone(), 3);
    let mut read: Vec<RemoteId> = first.poll(&source).await.unwrap().into_iter().map(|i| i.id).collect();
    assert_eq!(read.len(), 60);
    drop(first);

    // The process restarts; meanwhile fifteen new mentions arrive.
    clock.advance(std::time::Duration::from_secs(600));
    for n in 130..145 {
        expected.push(mention(&network, n, clock.now() - Duration::seconds(i64::from(145 - n))).id);
    }
    let second = ingestor(&store, clock.clone(), 3);
    for _ in 0..10 {
        let batch = second.poll(&source).await.unwrap();
        read.extend(batch.into_iter().map(|i| i.id));
    }
    let unique: HashSet<&RemoteId> = read.iter().collect();
    assert_eq!(unique.len(), read.len(), "nothing read twice");
    assert_eq!(unique, expected.iter().collect::<HashSet<_>>(), "nothing missed");

    // The inbox rebuilt from the store after another restart holds each one once.
    let third = ingestor(&store, clock.clone(), 3);
    let (kept, _) = third.replay(&account(), 0).await.unwrap();
    let mut inbox = Inbox::new(
        tertulia_core::Brand::new("cafe".into(), "Café", chrono_tz::Europe::Madrid),
        Weights::default(),
        Arc::new(RuleClassifier::builtin()),
        clock.now(),
    );
    for interaction in kept {
        assert_ne!(inbox.add(interaction), Arrival::Duplicate);
    }
    assert_eq!(inbox.len(), 145);
}

/// The in-memory platform, failing the `n`-th listing call (counting from 1).
#[derive(Debug)]
struct FailingPage {
    inner: Arc<MemoryPlatform>,
    calls: std::sync::atomic::AtomicU32,
    fail_at: u32,
}

#[async_trait]
impl Platform for FailingPage {
    fn capabilities(&self) -> &Capabilities {
        self.inner.capabilities()
    }
    async fn account(&self) -> Result<AccountInfo> {
        self.inner.account().await
    }
    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        self.inner.publish(request).await
    }
    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        self.inner.upload_media(upload).await
    }
    async fn delete(&self, id: &RemoteId) -> Result<()> {
        self.inner.delete(id).await
    }
    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        self.inner.get_post(id).await
    }
    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        self.inner.reply(request).await
    }
    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        let call = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if call == self.fail_at {
            return Err(Error::new(
                ErrorKind::Unavailable,
                self.inner.capabilities().platform.clone(),
                Operation::ListInteractions,
                "connection reset",
            ));
        }
        self.inner.list_interactions(query).await
    }
    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        self.inner.post_metrics(id).await
    }
    async fn account_metrics(&self) -> Result<AccountMetrics> {
        self.inner.account_metrics().await
    }
    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        self.inner.search(query).await
    }
    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        self.inner.find_by_marker(lookup).await
    }
}

#[tokio::test]
async fn a_poll_that_fails_half_way_commits_nothing_and_the_next_reads_everything() {
    let clock = Arc::new(ManualClock::new(start()));
    let network = network(clock.clone());
    let expected: HashSet<RemoteId> =
        (0..70).map(|n| mention(&network, n, start() - Duration::minutes(i64::from(70 - n))).id).collect();
    let flaky = Arc::new(FailingPage { inner: network.clone(), calls: 0.into(), fail_at: 3 });
    let source = Source::new(account(), flaky);
    let store = Arc::new(MemoryCursorStore::new());
    let ingestor = ingestor(&store, clock.clone(), 10);
    let error = ingestor.poll(&source).await.unwrap_err();
    assert!(error.to_string().contains("connection reset"));
    let read: HashSet<RemoteId> = ingestor.poll(&source).await.unwrap().into_iter().map(|i| i.id).collect();
    assert_eq!(read, expected);
    assert!(ingestor.poll(&source).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_webhook_and_a_poll_keep_each_interaction_once_and_hide_nothing_older() {
    let clock = Arc::new(ManualClock::new(start()));
    let network = network(clock.clone());
    let store = Arc::new(MemoryCursorStore::new());
    let ingestor = ingestor(&store, clock.clone(), 10);
    let source = Source::new(account(), network.clone());
    // A first poll: the stream is up to date at 09:00.
    for n in 0..5 {
        mention(&network, n, start() - Duration::minutes(30 - i64::from(n)));
    }
    assert_eq!(ingestor.poll(&source).await.unwrap().len(), 5);
    // Fifty mentions arrive; the newest also comes by webhook before the next poll.
    clock.advance(std::time::Duration::from_secs(3600));
    let later: Vec<Interaction> =
        (5..55).map(|n| mention(&network, n, start() + Duration::minutes(i64::from(n)))).collect();
    let newest = later.last().unwrap().clone();
    assert_eq!(ingestor.deliver(&account(), newest.clone()).await.unwrap().map(|i| i.id), Some(newest.id.clone()));
    assert_eq!(
        ingestor.deliver(&account(), newest.clone()).await.unwrap(),
        None,
        "the same delivery twice is kept once"
    );
    // The poll returns the 49 others: the webhook's item is not repeated, and the older
    // items below it are not taken as already read.
    let polled = ingestor.poll(&source).await.unwrap();
    assert_eq!(polled.len(), 49);
    assert!(polled.iter().all(|i| i.id != newest.id));
    assert!(polled.windows(2).all(|w| w[0].created_at <= w[1].created_at), "oldest first");
}

#[cfg(feature = "store")]
#[tokio::test]
async fn cursors_in_sqlite_survive_the_process() {
    use tertulia_inbox::StoreCursors;
    use tertulia_store::SqliteStore;

    let dir = std::env::temp_dir().join(format!("tertulia-inbox-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cursors.sqlite");
    let open = |clock: Arc<ManualClock>| {
        let path = path.clone();
        async move {
            let store = SqliteStore::open(&path).await.unwrap();
            let cursors: Arc<dyn CursorStore> = Arc::new(StoreCursors::new(Arc::new(store)));
            Ingestor::new(cursors, clock, IngestSettings { max_pages: 2, ..IngestSettings::default() })
        }
    };
    let clock = Arc::new(ManualClock::new(start()));
    let network = network(clock.clone());
    let expected: HashSet<RemoteId> =
        (0..90).map(|n| mention(&network, n, start() - Duration::minutes(i64::from(90 - n))).id).collect();
    let source = Source::new(account(), network.clone());

    let first = open(clock.clone()).await;
    let mut read: Vec<RemoteId> = first.poll(&source).await.unwrap().into_iter().map(|i| i.id).collect();
    assert_eq!(read.len(), 40, "two pages of twenty, the rest left for later");
    drop(first);

    let second = open(clock.clone()).await;
    for _ in 0..5 {
        read.extend(second.poll(&source).await.unwrap().into_iter().map(|i| i.id));
    }
    assert_eq!(read.len(), expected.len(), "nothing read twice");
    assert_eq!(read.iter().cloned().collect::<HashSet<_>>(), expected, "nothing missed");
    let (kept, _) = second.replay(&account(), 0).await.unwrap();
    assert_eq!(kept.len(), 90);
    drop(second);
    let _ = std::fs::remove_dir_all(&dir);
}
