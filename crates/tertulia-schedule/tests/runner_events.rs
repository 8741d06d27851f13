//! The runner's `tracing` events, in a binary of their own: a subscriber set for one test
//! must not race with other tests registering the same call sites.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use tertulia_core::{AccountId, BrandId, ManualClock, PlatformKind, Post, PostContent, PostId, PostStatus};
use tertulia_memory::{MemoryPlatform, NetworkProfile};
use tertulia_schedule::{Runner, RunnerConfig};
use tertulia_store::{NewJob, SqliteStore, Store};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_decision_is_a_tracing_event_a_dashboard_can_follow() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(t0));
    let store = Arc::new(SqliteStore::temporary().await.unwrap());
    let network = Arc::new(MemoryPlatform::new(NetworkProfile::mastodon_like().unlimited(), clock.clone()));
    let account = AccountId::new("cafe-masto");
    let mut content = PostContent::text("Hola");
    content.first_comment = Some("¡Gracias!".into());
    let mut post = Post::new(PostId::new("p"), BrandId::new("cafe"), content);
    post.status = PostStatus::Scheduled;
    store.save_post(&post).await.unwrap();
    store.add_jobs(&[NewJob::for_post(&post, &account, PlatformKind::Mastodon, t0)]).await.unwrap();
    network.lose_next_publish_outcome();
    Runner::new(store, clock, RunnerConfig::new("worker-1"))
        .with_platform(account, network)
        .run_until_idle()
        .await
        .unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let events: Vec<&str> = log.lines().filter_map(|line| line.split("event=\"").nth(1)?.split('"').next()).collect();
    assert_eq!(
        events,
        [
            "job_claimed",
            "step_sent",
            "step_unknown",
            "reconciled_found",
            "step_sent",
            "step_published",
            "job_published"
        ]
    );
    assert!(log.lines().all(|line| line.contains("job=p@cafe-masto") && line.contains("post=p")), "{log}");
}
