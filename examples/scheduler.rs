//! A week of Café Tertulia's posts: placed by the queue in the hours the best-time model
//! recommends, then published by the runner on in-memory platforms that fail now and then.
//!
//! Run with `cargo run --example scheduler`. No account, no server, no waiting: the clock is
//! a manual one that jumps from one due job to the next.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{
    AccountId, BrandId, Clock, ErrorKind, HourOfWeek, ManualClock, Operation, Platform, PlatformKind, Post,
    PostContent, PostId, PostStatus, ThreadPart,
};
use tertulia_memory::{Fault, MemoryPlatform, NetworkProfile};
use tertulia_schedule::{
    AccountPlan, BestTime, Calendar, EvergreenRecord, Every, Observation, Placement, PlacementKind, PostingRules,
    Queue, Recurrence, Recycler, Runner, RunnerConfig, Until, enqueue,
};
use tertulia_store::{JobQuery, JobState, SqliteStore, Store};

const MADRID: Tz = chrono_tz::Europe::Madrid;
const MEXICO: Tz = chrono_tz::America::Mexico_City;

struct Presence {
    account: AccountId,
    zone: Tz,
    network: Arc<MemoryPlatform>,
    /// The hour of the day its audience answers most (used to generate a past).
    daily_peak: usize,
    /// The day of the week (0 is Monday) that hour does best.
    best_day: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(week())
}

async fn week() -> Result<(), Box<dyn std::error::Error>> {
    // Monday 30 November 2026, 07:00 in Madrid.
    let start = Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).single().ok_or("bad start")?;
    let clock = Arc::new(ManualClock::new(start));
    let shared: Arc<dyn Clock> = clock.clone();
    let presences = [
        Presence {
            account: AccountId::new("cafe-masto"),
            zone: MADRID,
            network: Arc::new(MemoryPlatform::new(NetworkProfile::mastodon_like().unlimited(), shared.clone())),
            daily_peak: 19,
            best_day: 0, // Monday
        },
        Presence {
            account: AccountId::new("cafe-bsky"),
            zone: MADRID,
            network: Arc::new(MemoryPlatform::new(NetworkProfile::bluesky_like().unlimited(), shared.clone())),
            daily_peak: 9,
            best_day: 1, // Tuesday
        },
        Presence {
            account: AccountId::new("cafe-mx"),
            zone: MEXICO,
            network: Arc::new(MemoryPlatform::new(NetworkProfile::x_like().unlimited(), shared.clone())),
            daily_peak: 13, // in Mexico City
            best_day: 2,    // Wednesday
        },
    ];

    // 1. The best time to post, learnt from a year of (generated) past posts.
    let mut rng = StdRng::seed_from_u64(30);
    let mut past = Vec::new();
    for presence in &presences {
        for _ in 0..1_500 {
            let at = start - chrono::Duration::seconds(rng.random_range(0..365 * 86_400));
            let hour = HourOfWeek::index(presence.zone, at);
            let distance =
                (hour % 24).abs_diff(presence.daily_peak).min(24 - (hour % 24).abs_diff(presence.daily_peak)) as f64;
            let bump = (-distance * distance / 8.0).exp() * if hour / 24 == presence.best_day { 0.05 } else { 0.025 };
            let engagement = 0.015 + bump + 0.01 * rng.random::<f64>();
            past.push(Observation { account: presence.account.clone(), at, engagement });
        }
    }
    let zones: HashMap<AccountId, Tz> = presences.iter().map(|p| (p.account.clone(), p.zone)).collect();
    let model = BestTime::default().fit(&past, &zones, &HashMap::new());

    println!("== Best hours to post (expected engagement ± standard error)");
    let mut queue = Queue::new(Duration::from_secs(20 * 60));
    for presence in &presences {
        let ranked = model.recommend(&presence.account, HourOfWeek::LEN);
        let shown: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|r| format!("{:?} {:02}:00 {:.3}±{:.3}", r.weekday(), r.hour(), r.expected, r.uncertainty))
            .collect();
        println!("  {:<11} ({}): {}", presence.account, presence.zone, shown.join(", "));
        // The calendar: each weekday's best hour.
        let mut slots = Vec::new();
        for recommendation in &ranked {
            if !slots.iter().any(|s: &tertulia_schedule::WeeklySlot| s.day == recommendation.weekday()) {
                slots.push(recommendation.slot());
            }
        }
        let capabilities = presence.network.capabilities();
        queue.add_account(AccountPlan {
            account: presence.account.clone(),
            platform: capabilities.platform.clone(),
            calendar: Calendar::new(presence.zone).with_slots(slots),
            rules: PostingRules::for_capabilities(capabilities).min_spacing(Duration::from_secs(2 * 3600)).daily_cap(2),
        });
    }

    // 2. A week of posts, placed by the queue.
    let mut posts: Vec<Post> = Vec::new();
    let mut placements: Vec<Placement> = Vec::new();
    let texts = [
        "Nuevo tueste de la semana: Huila, Colombia ☕",
        "¿Sabías que el espresso perfecto tarda 25 segundos?",
        "Hoy abrimos hasta las 22:00 🎶",
        "Receta: café de olla para el fin de semana",
        "Gracias por 10.000 cafés servidos este mes 🙌",
    ];
    for (n, text) in texts.iter().enumerate() {
        let post = approved(&format!("semana-{n}"), PostContent::text(*text));
        for presence in &presences {
            placements.push(queue.add(post.id.clone(), &presence.account, clock.now())?);
        }
        posts.push(post);
    }
    let mut thread = PostContent::text("1/3 Cómo elegimos nuestro café");
    thread.thread = vec![
        ThreadPart { text: "2/3 Visitamos cada finca antes de comprar".into(), media: vec![] },
        ThreadPart { text: "3/3 Y lo tostamos aquí, cada martes".into(), media: vec![] },
    ];
    thread.first_comment = Some("Más en nuestra web: cafetertulia.example".into());
    let thread = approved("hilo-origen", thread);
    placements.push(queue.add(thread.id.clone(), &AccountId::new("cafe-masto"), clock.now())?);
    placements.push(queue.add(thread.id.clone(), &AccountId::new("cafe-bsky"), clock.now())?);
    posts.push(thread);
    // Pinned: the launch goes out at 12:00 on Thursday in Mexico City, whatever the calendar says.
    let launch = approved("lanzamiento-mx", PostContent::text("¡Abrimos en la Roma! Hoy a las 12:00 🎉"));
    let noon = MEXICO
        .from_local_datetime(
            &NaiveDate::from_ymd_opt(2026, 12, 3)
                .unwrap_or_default()
                .and_time(NaiveTime::MIN + chrono::Duration::hours(12)),
        )
        .single()
        .ok_or("no noon")?;
    placements.push(queue.pin(launch.id.clone(), &AccountId::new("cafe-mx"), noon.with_timezone(&Utc))?);
    posts.push(launch);
    // Recurring: the daily menu at 13:00 in Madrid, Monday to Friday.
    let menu = Recurrence {
        post: PostId::new("menu"),
        start: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
        time: NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default(),
        every: Every::Days(1),
        until: Until::Count(5),
    };
    let recurring = queue.add_recurring(&menu, &AccountId::new("cafe-masto"))?;
    for (date, conflict) in &recurring.skipped {
        println!("  (the menu of {date} is not placed: {conflict})");
    }
    for placement in &recurring.placed {
        posts.push(approved(placement.post.as_str(), PostContent::text("Menú del día: lentejas, tortilla y flan 🍮")));
    }
    placements.extend(recurring.placed);
    // Evergreen: the best old post on Bluesky comes back.
    let history = [EvergreenRecord {
        post: PostId::new("guia-molienda"),
        account: AccountId::new("cafe-bsky"),
        last_published: start - chrono::Duration::days(60),
        repeats: 0,
        engagement: 0.09,
    }];
    let recycler = Recycler { cool_down: Duration::from_secs(30 * 86_400), max_repeats: 3, min_engagement: 0.05 };
    for placement in queue.recycle(&recycler, &AccountId::new("cafe-bsky"), &history, clock.now(), 1)? {
        posts.push(approved(placement.post.as_str(), PostContent::text("Guía: qué molienda para cada cafetera")));
        placements.push(placement);
    }

    println!("\n== The plan");
    let by_account: HashMap<&AccountId, &Presence> = presences.iter().map(|p| (&p.account, p)).collect();
    let mut plan = placements.clone();
    plan.sort_by_key(|p| p.at);
    for placement in &plan {
        let zone = by_account.get(&placement.account).map_or(MADRID, |p| p.zone);
        let how = match &placement.kind {
            PlacementKind::Slot => "next free slot".to_owned(),
            PlacementKind::Pinned => "pinned".to_owned(),
            PlacementKind::Recurring => "recurring".to_owned(),
            PlacementKind::Evergreen { origin, repeat } => format!("evergreen, repeat {repeat} of {origin}"),
        };
        println!("  {}  {:<11} {:<16} {how}", when(placement.at, zone), placement.account, placement.post);
    }

    // 3. Into the store, and out through the runner.
    let store = Arc::new(SqliteStore::temporary().await?);
    let platforms: HashMap<AccountId, PlatformKind> =
        presences.iter().map(|p| (p.account.clone(), p.network.capabilities().platform.clone())).collect();
    for post in &mut posts {
        enqueue(store.as_ref(), post, &placements, &platforms).await?;
    }
    let mut runner = Runner::new(store.clone(), shared.clone(), RunnerConfig::new("scheduler-example"));
    for presence in &presences {
        runner = runner.with_platform(presence.account.clone(), presence.network.clone());
    }
    // Trouble on the way: Bluesky is down for two calls, Mastodon loses an answer after
    // posting, X rate-limits for a quarter of an hour.
    presences[1].network.fail_next(Operation::Publish, ErrorKind::Unavailable, 2);
    presences[0].network.lose_next_publish_outcome();
    presences[2]
        .network
        .inject(Fault::new(Operation::Publish, ErrorKind::RateLimited).retry_after(Duration::from_secs(900)));

    let queued = JobQuery { states: vec![JobState::Queued], ..JobQuery::default() };
    loop {
        runner.run_until_idle().await?;
        let waiting = store.jobs(&queued).await?;
        let Some(next) = waiting.iter().map(|job| job.due_at).min() else { break };
        clock.set(next.max(clock.now()));
    }

    println!("\n== What happened");
    let mut timeline = Vec::new();
    for job in store.jobs(&JobQuery::default()).await? {
        let zone = by_account.get(&job.account).map_or(MADRID, |p| p.zone);
        for outcome in store.outcomes(&job.id).await? {
            let step = &job.steps[outcome.step as usize];
            let detail = match (&outcome.reference, &outcome.error) {
                (Some(reference), _) => format!("→ {}", reference.id),
                (None, Some(error)) => format!("({})", error.message),
                (None, None) => String::new(),
            };
            timeline.push((
                outcome.recorded_at,
                format!(
                    "  {}  {:<11} {:<18} {:<13} {:<20} {}",
                    when(outcome.recorded_at, zone),
                    job.account,
                    job.post,
                    step.kind.to_string(),
                    outcome.status,
                    detail
                ),
            ));
        }
    }
    timeline.sort_by_key(|(at, _)| *at);
    for (_, line) in &timeline {
        println!("{line}");
    }

    println!("\n== Every post at the end of the week");
    let mut all = store.posts(&tertulia_store::PostQuery::default()).await?;
    all.sort_by(|a, b| a.id.cmp(&b.id));
    for post in &all {
        let places: Vec<String> = post
            .publications
            .iter()
            .map(|p| format!("{} ({} part{})", p.account, p.parts.len(), if p.parts.len() == 1 { "" } else { "s" }))
            .collect();
        println!("  {:<16} {:<10} {}", post.id, post.status.to_string(), places.join(", "));
    }
    let published = all.iter().filter(|p| p.status == PostStatus::Published).count();
    let duplicates: u32 = presences
        .iter()
        .map(|p| {
            p.network.posts().iter().map(|post| p.network.publishes_for(&post.marker).saturating_sub(1)).sum::<u32>()
        })
        .sum();
    println!("\n{published} of {} posts published, {duplicates} duplicates.", all.len());
    Ok(())
}

fn approved(id: &str, content: PostContent) -> Post {
    let mut content = content;
    content.language = Some("es".into());
    let mut post = Post::new(PostId::new(id), BrandId::new("cafe-tertulia"), content);
    post.status = PostStatus::Approved;
    post
}

/// An instant in the account's zone and in UTC.
fn when(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!("{} {} ({} UTC)", local.format("%a %d %b %H:%M"), local.format("%Z"), at.format("%H:%M"))
}
