//! The SQLite store's behaviour: posts, jobs and leases, the step state machine, outcomes and
//! ingest cursors, including after the file is reopened.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tertulia_core::{
    AccountId, BrandId, PlatformKind, Post, PostContent, PostId, PostStatus, RemoteId, RemoteRef, ThreadPart,
};
use tertulia_store::{
    Claim, IngestCommit, IngestItem, IngestKey, JobQuery, JobState, NewJob, OutcomeError, PostQuery, Release,
    SentRequest, SqliteStore, StepKind, StepOutcome, StepState, Store, StoreError,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

fn scheduled_post(id: &str, parts: usize, comment: bool) -> Post {
    let mut content = PostContent::text(format!("{id} part 0"));
    for n in 1..parts {
        content.thread.push(ThreadPart { text: format!("{id} part {n}"), media: vec![] });
    }
    if comment {
        content.first_comment = Some(format!("{id} comment"));
    }
    let mut post = Post::new(PostId::new(id), BrandId::new("cafe"), content);
    post.status = PostStatus::Scheduled;
    post.scheduled_at = Some(t0());
    post
}

fn claim(owner: &str, now: DateTime<Utc>) -> Claim {
    Claim { owner: owner.into(), now, lease: Duration::from_secs(60), limit: 50 }
}

fn sent(text: &str) -> SentRequest {
    SentRequest { text: text.into(), in_reply_to: None }
}

fn published(id: &str, at: DateTime<Utc>) -> StepOutcome {
    StepOutcome::Published { reference: RemoteRef::new(id), published_at: at, reconciled: false }
}

async fn store_with_job(post: &Post, account: &str) -> (SqliteStore, NewJob) {
    let store = SqliteStore::temporary().await.unwrap();
    store.save_post(post).await.unwrap();
    let job = NewJob::for_post(post, &AccountId::new(account), PlatformKind::Mastodon, t0());
    assert_eq!(store.add_jobs(std::slice::from_ref(&job)).await.unwrap(), 1);
    (store, job)
}

#[tokio::test]
async fn posts_round_trip_and_list_by_brand_status_and_time() {
    let store = SqliteStore::temporary().await.unwrap();
    let mut early = scheduled_post("early", 1, false);
    early.scheduled_at = Some(t0() - secs(3600));
    let late = scheduled_post("late", 2, true);
    let mut draft = Post::new(PostId::new("draft"), BrandId::new("cafe"), PostContent::text("borrador"));
    draft.labels.push("evergreen".into());
    let other = Post::new(PostId::new("other"), BrandId::new("otra"), PostContent::text("x"));
    for post in [&late, &early, &draft, &other] {
        store.save_post(post).await.unwrap();
    }
    assert_eq!(store.post(&draft.id).await.unwrap().as_ref(), Some(&draft));
    assert_eq!(store.post(&PostId::new("missing")).await.unwrap(), None);

    let cafe = PostQuery { brand: Some(BrandId::new("cafe")), ..PostQuery::default() };
    let ids: Vec<_> = store.posts(&cafe).await.unwrap().into_iter().map(|p| p.id.into_string()).collect();
    assert_eq!(ids, ["early", "late", "draft"], "by scheduled time, unscheduled last");

    let scheduled_from_t0 =
        PostQuery { statuses: vec![PostStatus::Scheduled], from: Some(t0()), ..PostQuery::default() };
    let ids: Vec<_> = store.posts(&scheduled_from_t0).await.unwrap().into_iter().map(|p| p.id.into_string()).collect();
    assert_eq!(ids, ["late"]);

    // Saving again replaces.
    draft.status = PostStatus::InReview;
    store.save_post(&draft).await.unwrap();
    assert_eq!(store.post(&draft.id).await.unwrap().unwrap().status, PostStatus::InReview);
}

#[tokio::test]
async fn a_job_has_one_step_per_part_then_the_first_comment_and_adding_it_twice_changes_nothing() {
    let post = scheduled_post("p", 3, true);
    let (store, job) = store_with_job(&post, "masto").await;
    assert_eq!(store.add_jobs(std::slice::from_ref(&job)).await.unwrap(), 0);
    let stored = store.job(&job.id).await.unwrap().unwrap();
    let kinds: Vec<_> = stored.steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [StepKind::Part(0), StepKind::Part(1), StepKind::Part(2), StepKind::FirstComment]);
    assert!(stored.steps.iter().all(|s| s.state == StepState::Pending));
    // Keys and markers are distinct per step and the same on every read.
    let keys: std::collections::HashSet<_> = stored.steps.iter().map(|s| s.idempotency_key.clone()).collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(store.job(&job.id).await.unwrap().unwrap().steps, stored.steps);
}

#[tokio::test]
async fn a_lease_is_exclusive_until_it_expires_then_taken_over_and_the_stale_holder_is_refused() {
    let post = scheduled_post("p", 1, false);
    let (store, job) = store_with_job(&post, "masto").await;

    // Not due yet.
    assert!(store.claim_jobs(&claim("a", t0() - secs(1))).await.unwrap().is_empty());
    let first = store.claim_jobs(&claim("a", t0())).await.unwrap().pop().unwrap();
    assert_eq!(first.job.id, job.id);
    assert!(store.claim_jobs(&claim("b", t0() + secs(59))).await.unwrap().is_empty());

    let second = store.claim_jobs(&claim("b", t0() + secs(60))).await.unwrap().pop().unwrap();
    assert!(second.lease.token > first.lease.token);

    let err = store.start_step(&first.lease, 0, &sent("p part 0"), t0() + secs(61)).await.unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost { .. }), "{err}");
    let err = store.release_job(&first.lease, &Release::Published, t0() + secs(61)).await.unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost { .. }), "{err}");
    assert!(matches!(
        store.extend_lease(&first.lease, t0() + secs(300)).await.unwrap_err(),
        StoreError::LeaseLost { .. }
    ));
    // The current holder goes on.
    store.start_step(&second.lease, 0, &sent("p part 0"), t0() + secs(61)).await.unwrap();
    let extended = store.extend_lease(&second.lease, t0() + secs(600)).await.unwrap();
    assert!(store.claim_jobs(&claim("c", t0() + secs(300))).await.unwrap().is_empty());
    assert_eq!(extended.expires_at, t0() + secs(600));
}

#[tokio::test]
async fn a_step_in_flight_survives_a_reopen_and_cannot_be_sent_again_before_it_is_looked_up() {
    let path = std::env::temp_dir().join(format!("tertulia-store-inflight-{}.sqlite", std::process::id()));
    let post = scheduled_post("p", 2, false);
    let job = NewJob::for_post(&post, &AccountId::new("masto"), PlatformKind::Mastodon, t0());
    {
        let store = SqliteStore::open(&path).await.unwrap();
        store.save_post(&post).await.unwrap();
        store.add_jobs(std::slice::from_ref(&job)).await.unwrap();
        let leased = store.claim_jobs(&claim("a", t0())).await.unwrap().pop().unwrap();
        store.start_step(&leased.lease, 0, &sent("p part 0"), t0()).await.unwrap();
        assert_eq!(store.post(&post.id).await.unwrap().unwrap().status, PostStatus::Publishing);
        // The worker dies here: no outcome recorded, no release.
    }
    let store = SqliteStore::open(&path).await.unwrap();
    let taken = store.claim_jobs(&claim("b", t0() + secs(61))).await.unwrap().pop().unwrap();
    let step = &taken.job.steps[0];
    assert_eq!(step.state, StepState::InFlight { sent_at: t0(), request: sent("p part 0") });
    let err = store.start_step(&taken.lease, 0, &sent("p part 0"), t0() + secs(62)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");

    // The lookup finds it: recorded as reconciled, and the thread carries on with part 1.
    let found = StepOutcome::Published { reference: RemoteRef::new("r0"), published_at: t0(), reconciled: true };
    store.finish_step(&taken.lease, 0, &found, t0() + secs(62)).await.unwrap();
    let job_now = store.job(&job.id).await.unwrap().unwrap();
    assert_eq!(job_now.next_step().unwrap().kind, StepKind::Part(1));
    let outcomes = store.outcomes(&job.id).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].status, "reconciled_published");
    assert_eq!(outcomes[0].idempotency_key, step.idempotency_key);
    assert_eq!(outcomes[0].marker, step.marker);
    store.close().await;
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn a_publication_found_by_a_stale_worker_is_kept_but_the_worker_is_told_to_stop() {
    let post = scheduled_post("p", 1, false);
    let (store, job) = store_with_job(&post, "masto").await;
    let first = store.claim_jobs(&claim("a", t0())).await.unwrap().pop().unwrap();
    store.start_step(&first.lease, 0, &sent("p part 0"), t0()).await.unwrap();
    let second = store.claim_jobs(&claim("b", t0() + secs(120))).await.unwrap().pop().unwrap();
    // The slow first worker's call returns after the takeover.
    let err = store.finish_step(&first.lease, 0, &published("r0", t0() + secs(1)), t0() + secs(121)).await.unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost { .. }));
    let now = store.job(&job.id).await.unwrap().unwrap();
    assert_eq!(now.steps[0].reference(), Some(&RemoteRef::new("r0")));
    // The new holder sees the step done and finishes the job without sending anything.
    store.release_job(&second.lease, &Release::Published, t0() + secs(122)).await.unwrap();
    assert_eq!(store.job(&job.id).await.unwrap().unwrap().state, JobState::Published);
}

#[tokio::test]
async fn a_post_is_published_when_every_account_is_and_keeps_one_publication_per_account() {
    let post = scheduled_post("p", 2, true);
    let store = SqliteStore::temporary().await.unwrap();
    store.save_post(&post).await.unwrap();
    let jobs: Vec<_> = ["masto", "bsky"]
        .iter()
        .map(|a| NewJob::for_post(&post, &AccountId::new(*a), PlatformKind::Mastodon, t0()))
        .collect();
    assert_eq!(store.add_jobs(&jobs).await.unwrap(), 2);
    let claimed = store.claim_jobs(&claim("w", t0())).await.unwrap();
    assert_eq!(claimed.len(), 2);
    for (n, leased) in claimed.iter().enumerate() {
        // Releasing before every step is out is refused.
        let err = store.release_job(&leased.lease, &Release::Published, t0()).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)));
        for step in 0..3u32 {
            store.start_step(&leased.lease, step, &sent("x"), t0()).await.unwrap();
            store.finish_step(&leased.lease, step, &published(&format!("r{n}-{step}"), t0()), t0()).await.unwrap();
        }
        store.release_job(&leased.lease, &Release::Published, t0()).await.unwrap();
        let stored = store.post(&post.id).await.unwrap().unwrap();
        let expected = if n == 0 { PostStatus::Publishing } else { PostStatus::Published };
        assert_eq!(stored.status, expected);
    }
    let stored = store.post(&post.id).await.unwrap().unwrap();
    assert_eq!(stored.publications.len(), 2);
    let first = &stored.publications[0];
    assert_eq!(first.parts, [RemoteRef::new("r0-0"), RemoteRef::new("r0-1")]);
    assert_eq!(first.first_comment, Some(RemoteRef::new("r0-2")));
}

#[tokio::test]
async fn retries_count_attempts_failure_fails_the_post_and_requeue_carries_on_where_it_stopped() {
    let post = scheduled_post("p", 2, false);
    let (store, job) = store_with_job(&post, "masto").await;
    let error =
        OutcomeError { kind: "platform unavailable".into(), message: "503".into(), status: Some(503), temporary: true };

    let leased = store.claim_jobs(&claim("w", t0())).await.unwrap().pop().unwrap();
    store.start_step(&leased.lease, 0, &sent("p part 0"), t0()).await.unwrap();
    store.finish_step(&leased.lease, 0, &published("r0", t0()), t0()).await.unwrap();
    store.start_step(&leased.lease, 1, &sent("p part 1"), t0()).await.unwrap();
    let not_sent = StepOutcome::NotSent { error: Some(error.clone()), reconciled: false };
    store.finish_step(&leased.lease, 1, &not_sent, t0()).await.unwrap();
    store
        .release_job(&leased.lease, &Release::Retry { at: t0() + secs(30), error: error.clone() }, t0())
        .await
        .unwrap();
    let stored = store.job(&job.id).await.unwrap().unwrap();
    assert_eq!((stored.attempts, stored.due_at, stored.state), (1, t0() + secs(30), JobState::Queued));
    assert_eq!(stored.steps[1].state, StepState::Pending);
    assert_eq!(stored.last_error.as_ref(), Some(&error));
    assert!(!stored.is_leased(t0()));

    let leased = store.claim_jobs(&claim("w", t0() + secs(30))).await.unwrap().pop().unwrap();
    let refused = OutcomeError {
        kind: "rejected by the platform".into(),
        message: "duplicate".into(),
        status: Some(422),
        temporary: false,
    };
    store.release_job(&leased.lease, &Release::Failed { error: refused }, t0() + secs(31)).await.unwrap();
    assert_eq!(store.post(&post.id).await.unwrap().unwrap().status, PostStatus::Failed);
    assert!(store.claim_jobs(&claim("w", t0() + secs(3600))).await.unwrap().is_empty());

    store.requeue_job(&job.id, t0() + secs(600), t0() + secs(60)).await.unwrap();
    let stored = store.job(&job.id).await.unwrap().unwrap();
    assert_eq!((stored.state, stored.attempts), (JobState::Queued, 0));
    assert_eq!(stored.steps[0].reference(), Some(&RemoteRef::new("r0")), "part 0 stays out");
    assert_eq!(store.post(&post.id).await.unwrap().unwrap().status, PostStatus::Scheduled);
    assert!(matches!(store.requeue_job(&job.id, t0(), t0()).await.unwrap_err(), StoreError::Conflict(_)));
}

#[tokio::test]
async fn an_unresolved_job_makes_the_post_unknown_and_is_never_claimed_again() {
    let post = scheduled_post("p", 1, false);
    let (store, job) = store_with_job(&post, "masto").await;
    let leased = store.claim_jobs(&claim("w", t0())).await.unwrap().pop().unwrap();
    store.start_step(&leased.lease, 0, &sent("p part 0"), t0()).await.unwrap();
    let error = OutcomeError::local("unknown outcome", "no lookup on this platform");
    store.finish_step(&leased.lease, 0, &StepOutcome::Unknown { error: error.clone() }, t0()).await.unwrap();
    store.release_job(&leased.lease, &Release::Unresolved { error }, t0()).await.unwrap();
    assert_eq!(store.post(&post.id).await.unwrap().unwrap().status, PostStatus::Unknown);
    assert!(store.claim_jobs(&claim("w", t0() + secs(86_400))).await.unwrap().is_empty());
    let unresolved = JobQuery { states: vec![JobState::Unresolved], ..JobQuery::default() };
    assert_eq!(store.jobs(&unresolved).await.unwrap()[0].id, job.id);
    assert!(matches!(store.cancel_job(&job.id, t0()).await.unwrap_err(), StoreError::Conflict(_)));
}

#[tokio::test]
async fn a_queued_job_is_moved_or_cancelled_only_while_nobody_works_on_it() {
    let post = scheduled_post("p", 1, false);
    let (store, job) = store_with_job(&post, "masto").await;
    store.reschedule_job(&job.id, t0() + secs(3600), t0()).await.unwrap();
    assert_eq!(store.post(&post.id).await.unwrap().unwrap().scheduled_at, Some(t0() + secs(3600)));
    assert!(store.claim_jobs(&claim("w", t0())).await.unwrap().is_empty());
    let leased = store.claim_jobs(&claim("w", t0() + secs(3600))).await.unwrap().pop().unwrap();
    let now = t0() + secs(3601);
    assert!(matches!(store.reschedule_job(&job.id, t0(), now).await.unwrap_err(), StoreError::Conflict(_)));
    assert!(matches!(store.cancel_job(&job.id, now).await.unwrap_err(), StoreError::Conflict(_)));
    store.release_job(&leased.lease, &Release::Defer { at: now + secs(60) }, now).await.unwrap();
    store.cancel_job(&job.id, now).await.unwrap();
    assert_eq!(store.post(&post.id).await.unwrap().unwrap().status, PostStatus::Cancelled);
    assert!(matches!(
        store.reschedule_job(&tertulia_store::JobId::new("nope"), now, now).await.unwrap_err(),
        StoreError::NotFound { .. }
    ));
}

#[tokio::test]
async fn claims_take_the_earliest_due_first_and_respect_the_limit() {
    let store = SqliteStore::temporary().await.unwrap();
    let mut jobs = Vec::new();
    for n in 0..10i64 {
        let post = scheduled_post(&format!("p{n}"), 1, false);
        store.save_post(&post).await.unwrap();
        jobs.push(NewJob::for_post(&post, &AccountId::new("a"), PlatformKind::Mastodon, t0() + secs(100 - n)));
    }
    store.add_jobs(&jobs).await.unwrap();
    let mut first = store.claim_jobs(&Claim { limit: 3, ..claim("w", t0() + secs(200)) }).await.unwrap();
    first.sort_by_key(|l| l.job.due_at);
    let ids: Vec<_> = first.iter().map(|l| l.job.post.as_str().to_owned()).collect();
    assert_eq!(ids, ["p9", "p8", "p7"]);
    assert_eq!(store.claim_jobs(&claim("v", t0() + secs(200))).await.unwrap().len(), 7);
}

fn item(id: &str, minute: i64) -> IngestItem {
    IngestItem {
        id: RemoteId::new(id),
        occurred_at: t0() + secs(60 * minute),
        payload: Some(format!("{{\"id\":\"{id}\"}}")),
    }
}

#[tokio::test]
async fn ingest_commits_are_atomic_versioned_and_deduplicated_across_streams() {
    let store = SqliteStore::temporary().await.unwrap();
    let account = AccountId::new("masto");
    let polling = IngestKey::new(account.clone(), "notifications");
    let webhook = IngestKey::new(account.clone(), "webhook");
    assert_eq!(store.ingest_state(&polling).await.unwrap().version, 0);

    let receipt = store
        .commit_ingest(&IngestCommit {
            key: polling.clone(),
            expected_version: 0,
            cursor: Some("c-2".into()),
            items: vec![item("n2", 2), item("n1", 1)],
            now: t0(),
        })
        .await
        .unwrap();
    assert_eq!((receipt.version, receipt.accepted.len(), receipt.duplicates), (1, 2, 0));

    // A second poller that read version 0 cannot commit over it.
    let stale = IngestCommit {
        key: polling.clone(),
        expected_version: 0,
        cursor: Some("c-stale".into()),
        items: vec![item("n3", 3)],
        now: t0(),
    };
    assert!(matches!(store.commit_ingest(&stale).await.unwrap_err(), StoreError::Conflict(_)));
    assert_eq!(
        store.seen(&account, &[RemoteId::new("n3")]).await.unwrap(),
        Vec::<RemoteId>::new(),
        "nothing half-kept"
    );

    // The webhook delivers n2 again and n3 for the first time.
    let receipt = store
        .commit_ingest(&IngestCommit {
            key: webhook.clone(),
            expected_version: 0,
            cursor: None,
            items: vec![item("n2", 2), item("n3", 3)],
            now: t0() + secs(5),
        })
        .await
        .unwrap();
    assert_eq!(receipt.accepted, [RemoteId::new("n3")]);
    assert_eq!(receipt.duplicates, 1);

    let state = store.ingest_state(&polling).await.unwrap();
    assert_eq!((state.cursor.as_deref(), state.version), (Some("c-2"), 1));
    // A commit without a cursor keeps the stored one.
    store
        .commit_ingest(&IngestCommit {
            key: polling.clone(),
            expected_version: 1,
            cursor: None,
            items: vec![],
            now: t0(),
        })
        .await
        .unwrap();
    assert_eq!(store.ingest_state(&polling).await.unwrap().cursor.as_deref(), Some("c-2"));

    let ids = [RemoteId::new("n1"), RemoteId::new("n4"), RemoteId::new("n3")];
    assert_eq!(store.seen(&account, &ids).await.unwrap(), [RemoteId::new("n1"), RemoteId::new("n3")]);
    // Another account has seen nothing.
    assert!(store.seen(&AccountId::new("bsky"), &ids).await.unwrap().is_empty());

    let log = store.ingested(&account, 0, 10).await.unwrap();
    let order: Vec<_> = log.iter().map(|i| i.item.id.as_str().to_owned()).collect();
    assert_eq!(order, ["n2", "n1", "n3"]);
    assert_eq!(log[2].key, webhook);
    assert_eq!(log[0].item.payload.as_deref(), Some("{\"id\":\"n2\"}"));
    let rest = store.ingested(&account, log[0].seq, 10).await.unwrap();
    assert_eq!(rest.len(), 2);

    assert_eq!(store.prune_ingested(&account, t0() + secs(150)).await.unwrap(), 2);
    assert_eq!(store.seen(&account, &ids).await.unwrap(), [RemoteId::new("n3")]);
}

#[tokio::test]
async fn an_inbox_resumes_from_its_last_commit_after_a_reopen() {
    let path = std::env::temp_dir().join(format!("tertulia-store-ingest-{}.sqlite", std::process::id()));
    let key = IngestKey::new(AccountId::new("masto"), "notifications");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        store
            .commit_ingest(&IngestCommit {
                key: key.clone(),
                expected_version: 0,
                cursor: Some("{\"newest\":\"n5\"}".into()),
                items: (1..=5).map(|n| item(&format!("n{n}"), n)).collect(),
                now: t0(),
            })
            .await
            .unwrap();
        store.close().await;
    }
    let store = SqliteStore::open(&path).await.unwrap();
    let state = store.ingest_state(&key).await.unwrap();
    assert_eq!(state.cursor.as_deref(), Some("{\"newest\":\"n5\"}"));
    assert_eq!(state.version, 1);
    assert_eq!(state.updated_at, Some(t0()));
    let page: Vec<_> = (3..=7).map(|n| RemoteId::new(format!("n{n}"))).collect();
    assert_eq!(store.seen(&key.account, &page).await.unwrap().len(), 3);
    store.close().await;
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn a_temporary_store_deletes_its_file_when_dropped() {
    let store = SqliteStore::temporary().await.unwrap();
    let path = store.path().to_path_buf();
    assert!(path.exists());
    store.close().await;
    drop(store);
    assert!(!path.exists());
}
