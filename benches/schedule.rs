//! Scheduling figures: planning four weeks of slots for 10,000 accounts in 20 zones,
//! fitting the best-time model on 1,000,000 past posts, and the publish runner's throughput
//! on SQLite with the in-memory platform.
//!
//! Run with `cargo bench --bench schedule`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{AccountId, BrandId, ManualClock, PlatformKind, Post, PostContent, PostId, PostStatus, ThreadPart};
use tertulia_memory::{MemoryPlatform, NetworkProfile};
use tertulia_schedule::{
    AccountPlan, BestTime, Calendar, Observation, Planner, PostingRules, Runner, RunnerConfig, WeeklySlot,
};
use tertulia_store::{NewJob, SqliteStore, Store};

const ZONES: [Tz; 20] = [
    chrono_tz::Europe::Madrid,
    chrono_tz::Europe::London,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::America::Chicago,
    chrono_tz::America::Los_Angeles,
    chrono_tz::America::Mexico_City,
    chrono_tz::America::Bogota,
    chrono_tz::America::Santiago,
    chrono_tz::America::Sao_Paulo,
    chrono_tz::America::Argentina::Buenos_Aires,
    chrono_tz::America::St_Johns,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Tokyo,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Australia::Sydney,
    chrono_tz::Australia::Adelaide,
    chrono_tz::Pacific::Auckland,
    chrono_tz::Africa::Johannesburg,
    chrono_tz::UTC,
];

const PLATFORMS: [PlatformKind; 4] =
    [PlatformKind::Mastodon, PlatformKind::Bluesky, PlatformKind::X, PlatformKind::Threads];

fn start() -> DateTime<Utc> {
    // Four weeks from 2 March 2026 cross the March daylight-saving changes of North America
    // and Europe and the April ones of the southern hemisphere.
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
}

fn plans(count: usize) -> Vec<AccountPlan> {
    let mut rng = StdRng::seed_from_u64(42);
    let days = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
    (0..count)
        .map(|n| {
            let zone = ZONES[n % ZONES.len()];
            let platform = PLATFORMS[n % PLATFORMS.len()].clone();
            let slots = days.iter().flat_map(|day| {
                let per_day = if matches!(day, Weekday::Sat | Weekday::Sun) { 2 } else { 4 };
                (0..per_day)
                    .map(|_| WeeklySlot::new(*day, rng.random_range(7..23), 15 * rng.random_range(0..4)))
                    .collect::<Vec<_>>()
            });
            let calendar = Calendar::new(zone).with_slots(slots.collect::<Vec<_>>());
            let rules = PostingRules::for_platform(&platform).min_spacing(Duration::from_secs(3600)).daily_cap(3);
            AccountPlan { account: AccountId::new(format!("account-{n}")), platform, calendar, rules }
        })
        .collect()
}

fn planning(c: &mut Criterion) {
    let plans = plans(10_000);
    let from = start();
    let to = from + chrono::Duration::weeks(4);
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    group.throughput(Throughput::Elements(plans.len() as u64));
    group.bench_function("four weeks, 10,000 accounts, 20 zones", |b| {
        b.iter(|| {
            let planned = Planner::new().plan_all(&plans, from, to);
            std::hint::black_box(planned)
        })
    });
    group.finish();
}

fn observations(count: usize, accounts: usize) -> (Vec<Observation>, HashMap<AccountId, Tz>) {
    let mut rng = StdRng::seed_from_u64(7);
    let ids: Vec<AccountId> = (0..accounts).map(|n| AccountId::new(format!("account-{n}"))).collect();
    let zones = ids.iter().enumerate().map(|(n, id)| (id.clone(), ZONES[n % ZONES.len()])).collect();
    let year = 365 * 24 * 3600;
    let observations = (0..count)
        .map(|n| Observation {
            account: ids[n % accounts].clone(),
            at: start() - chrono::Duration::seconds(rng.random_range(0..year)),
            engagement: rng.random::<f64>() * 0.1,
        })
        .collect();
    (observations, zones)
}

fn fitting(c: &mut Criterion) {
    let (observations, zones) = observations(1_000_000, 2_000);
    let mut group = c.benchmark_group("best time");
    group.sample_size(10);
    group.throughput(Throughput::Elements(observations.len() as u64));
    group.bench_function("fit 1,000,000 posts of 2,000 accounts", |b| {
        b.iter(|| std::hint::black_box(BestTime::default().fit(&observations, &zones, &HashMap::new())))
    });
    group.finish();
}

const JOBS: usize = 2_000;

fn runner_throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let account = AccountId::new("cafe-masto");
    let now = start();
    let mut group = c.benchmark_group("runner");
    group.sample_size(10);
    group.throughput(Throughput::Elements(JOBS as u64));
    group.bench_function("publish 2,000 jobs, SQLite store, in-memory platform", |b| {
        b.iter_batched(
            || {
                runtime.block_on(async {
                    let clock = Arc::new(ManualClock::new(now));
                    let store = Arc::new(SqliteStore::temporary().await.unwrap());
                    let network =
                        Arc::new(MemoryPlatform::new(NetworkProfile::mastodon_like().unlimited(), clock.clone()));
                    let mut jobs = Vec::with_capacity(JOBS);
                    for n in 0..JOBS {
                        let mut content = PostContent::text(format!("Post {n}"));
                        if n.is_multiple_of(4) {
                            content.thread.push(ThreadPart { text: format!("Post {n}, 2/2"), media: vec![] });
                        }
                        let mut post = Post::new(PostId::new(format!("p{n}")), BrandId::new("cafe"), content);
                        post.status = PostStatus::Scheduled;
                        store.save_post(&post).await.unwrap();
                        jobs.push(NewJob::for_post(&post, &account, PlatformKind::Mastodon, now));
                    }
                    store.add_jobs(&jobs).await.unwrap();
                    let config = RunnerConfig { batch: 64, concurrency: 16, ..RunnerConfig::new("bench") };
                    Runner::new(store, clock, config).with_platform(account.clone(), network)
                })
            },
            |runner| {
                let report = runtime.block_on(runner.run_until_idle()).unwrap();
                assert_eq!(report.published, JOBS as u64);
                runner
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, planning, fitting, runner_throughput);
criterion_main!(benches);
