//! The queue: next free slot within spacing and caps, pin, reorder, requeue, recurring posts
//! and evergreen recycling.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use tertulia_core::{AccountId, Capabilities, PlatformKind, PostId, Quota};
use tertulia_schedule::{
    AccountPlan, Calendar, Conflict, EvergreenRecord, Every, PlacementKind, PostingRules, Queue, QueueError,
    Recurrence, RecurringPlan, Recycler, Until, WeeklySlot, known_publish_quotas,
};

const MADRID: chrono_tz::Tz = chrono_tz::Europe::Madrid;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// Monday 30 November 2026, 07:00 in Madrid.
fn monday() -> DateTime<Utc> {
    utc(2026, 11, 30, 6, 0)
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(60 * n)
}

fn id(s: &str) -> PostId {
    PostId::new(s)
}

fn account(s: &str) -> AccountId {
    AccountId::new(s)
}

fn plan(name: &str, calendar: Calendar, rules: PostingRules) -> AccountPlan {
    AccountPlan { account: account(name), platform: PlatformKind::Mastodon, calendar, rules }
}

fn queue_with(brand_spacing: Duration, plans: Vec<AccountPlan>) -> Queue {
    let mut queue = Queue::new(brand_spacing);
    for p in plans {
        queue.add_account(p);
    }
    queue
}

#[test]
fn posts_fill_the_next_free_slots_in_order() {
    let mut queue = queue_with(
        Duration::ZERO,
        vec![plan("a", Calendar::daily(MADRID, [(9, 0), (13, 0), (19, 0)]), PostingRules::default())],
    );
    let times: Vec<_> =
        ["p1", "p2", "p3", "p4"].iter().map(|p| queue.add(id(p), &account("a"), monday()).unwrap().at).collect();
    // 09:00, 13:00, 19:00 Madrid (UTC+1), then Tuesday 09:00.
    assert_eq!(
        times,
        [utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 12, 0), utc(2026, 11, 30, 18, 0), utc(2026, 12, 1, 8, 0)]
    );
    // A post added later in the day never goes into a slot in the past.
    assert_eq!(queue.add(id("p5"), &account("a"), utc(2026, 12, 1, 10, 0)).unwrap().at, utc(2026, 12, 1, 12, 0));
}

#[test]
fn account_and_brand_spacing_push_posts_to_later_slots() {
    let slots = Calendar::daily(MADRID, [(9, 0), (9, 20), (10, 0), (11, 0)]);
    let rules = PostingRules::default().min_spacing(minutes(45));
    let mut queue = queue_with(minutes(30), vec![plan("a", slots.clone(), rules.clone()), plan("b", slots, rules)]);
    let a1 = queue.add(id("a1"), &account("a"), monday()).unwrap();
    let a2 = queue.add(id("a2"), &account("a"), monday()).unwrap();
    let b1 = queue.add(id("b1"), &account("b"), monday()).unwrap();
    assert_eq!(a1.at, utc(2026, 11, 30, 8, 0)); // 09:00
    assert_eq!(a2.at, utc(2026, 11, 30, 9, 0)); // 09:20 is 20 min after a1, under 45: 10:00
    // b's 09:00 is taken by the brand (a1), 09:20 is 20 min from a1 (brand spacing 30),
    // 10:00 is a2's instant; 11:00 is free.
    assert_eq!(b1.at, utc(2026, 11, 30, 10, 0));
}

#[test]
fn a_pin_keeps_its_exact_time_but_not_on_a_blackout_date_or_over_a_cap() {
    let blackout = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let calendar = Calendar::daily(MADRID, [(9, 0), (19, 0)]).with_blackout([blackout]);
    let rules = PostingRules::default().min_spacing(minutes(120)).daily_cap(2);
    let mut queue = queue_with(Duration::ZERO, vec![plan("a", calendar, rules)]);
    // 09:47 Madrid, not a slot: kept exactly.
    let pinned = queue.pin(id("launch"), &account("a"), utc(2026, 11, 30, 8, 47)).unwrap();
    assert_eq!((pinned.at, pinned.kind), (utc(2026, 11, 30, 8, 47), PlacementKind::Pinned));
    // The 09:00 slot is within 2 h of the pin: the next post goes at 19:00.
    assert_eq!(queue.add(id("p1"), &account("a"), monday()).unwrap().at, utc(2026, 11, 30, 18, 0));
    // The day holds two posts: a third pin that day is refused by the daily cap.
    let err = queue.pin(id("extra"), &account("a"), utc(2026, 11, 30, 21, 0)).unwrap_err();
    assert!(matches!(err, QueueError::Conflict { conflict: Conflict::DailyCap { cap: 2, .. }, .. }), "{err}");
    let err = queue.pin(id("holiday"), &account("a"), utc(2026, 12, 8, 11, 0)).unwrap_err();
    assert!(matches!(err, QueueError::Conflict { conflict: Conflict::Blackout(d), .. } if d == blackout), "{err}");
    assert!(matches!(queue.pin(id("x"), &account("nobody"), monday()).unwrap_err(), QueueError::UnknownAccount(_)));
}

#[test]
fn reorder_keeps_the_slots_and_moves_the_posts() {
    let mut queue = queue_with(
        Duration::ZERO,
        vec![plan("a", Calendar::daily(MADRID, [(9, 0), (13, 0), (19, 0)]), PostingRules::default())],
    );
    for p in ["p1", "p2", "p3"] {
        queue.add(id(p), &account("a"), monday()).unwrap();
    }
    let pinned = queue.pin(id("pin"), &account("a"), utc(2026, 11, 30, 15, 0)).unwrap();
    let reordered = queue.reorder(&account("a"), &[id("p3"), id("p1"), id("p2")]).unwrap();
    let order: Vec<_> = reordered.iter().map(|p| (p.post.as_str().to_owned(), p.at)).collect();
    assert_eq!(
        order,
        [
            ("p3".to_owned(), utc(2026, 11, 30, 8, 0)),
            ("p1".to_owned(), utc(2026, 11, 30, 12, 0)),
            ("p2".to_owned(), utc(2026, 11, 30, 18, 0)),
        ]
    );
    assert_eq!(queue.placement(&id("pin"), &account("a")), Some(&pinned), "pins do not move");
    assert_eq!(queue.reorder(&account("a"), &[id("p1"), id("p2")]).unwrap_err(), QueueError::OrderMismatch);
    assert_eq!(queue.reorder(&account("a"), &[id("p1"), id("p2"), id("pin")]).unwrap_err(), QueueError::OrderMismatch);
}

#[test]
fn a_failed_post_is_requeued_in_the_next_free_slot_after_now() {
    let mut queue = queue_with(
        Duration::ZERO,
        vec![plan("a", Calendar::daily(MADRID, [(9, 0), (13, 0), (19, 0)]), PostingRules::default())],
    );
    for p in ["p1", "p2", "p3"] {
        queue.add(id(p), &account("a"), monday()).unwrap();
    }
    // p1 failed at 09:00; at 09:05 it goes to the next free slot, Tuesday 09:00 (13:00 and 19:00 are taken).
    let again = queue.requeue(&id("p1"), &account("a"), utc(2026, 11, 30, 8, 5)).unwrap();
    assert_eq!(again.at, utc(2026, 12, 1, 8, 0));
    assert_eq!(queue.entries().len(), 3);
    // Its old slot is free again for a new post added before it.
    assert_eq!(queue.add(id("p4"), &account("a"), monday()).unwrap().at, utc(2026, 11, 30, 8, 0));
    assert!(matches!(queue.requeue(&id("nope"), &account("a"), monday()).unwrap_err(), QueueError::NotQueued { .. }));
}

#[test]
fn daily_caps_count_civil_days_and_rolling_quotas_count_any_window() {
    let hourly = Calendar::daily(MADRID, (8..22).map(|h| (h, 0)));
    let capped = PostingRules::default().daily_cap(3);
    let windowed = PostingRules::default().quota(Quota { max: 2, window: Duration::from_secs(3 * 3600) });
    let mut queue =
        queue_with(Duration::ZERO, vec![plan("capped", hourly.clone(), capped), plan("windowed", hourly, windowed)]);
    let capped_times: Vec<_> =
        (0..4).map(|n| queue.add(id(&format!("c{n}")), &account("capped"), monday()).unwrap().at).collect();
    assert_eq!(capped_times[3], utc(2026, 12, 1, 7, 0), "the fourth goes to Tuesday 08:00");
    let windowed_times: Vec<_> =
        (0..3).map(|n| queue.add(id(&format!("w{n}")), &account("windowed"), monday()).unwrap().at).collect();
    // 08:00 and 09:00 fill the window; the third waits until 11:00, three hours after 08:00.
    assert_eq!(windowed_times, [utc(2026, 11, 30, 7, 0), utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 10, 0)]);
    // A pin between them that would put three in a window is refused.
    let err = queue.pin(id("w-pin"), &account("windowed"), utc(2026, 11, 30, 9, 30)).unwrap_err();
    assert!(matches!(err, QueueError::Conflict { conflict: Conflict::Quota { max: 2, .. }, .. }), "{err}");
}

#[test]
fn a_full_calendar_says_so_instead_of_looping() {
    let calendar = Calendar::new(MADRID).with_slots([WeeklySlot::new(Weekday::Mon, 9, 0)]);
    let mut queue = queue_with(Duration::ZERO, vec![plan("a", calendar, PostingRules::default())]).horizon_days(14);
    queue.add(id("p1"), &account("a"), monday()).unwrap();
    queue.add(id("p2"), &account("a"), monday()).unwrap();
    let err = queue.add(id("p3"), &account("a"), monday()).unwrap_err();
    assert_eq!(err, QueueError::NoFreeSlot { account: account("a"), days: 14 });
}

#[test]
fn a_recurring_post_keeps_its_civil_time_across_daylight_saving_and_skips_blackouts() {
    let blackout = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let calendar = Calendar::new(MADRID).with_blackout([blackout]);
    let mut queue = queue_with(Duration::ZERO, vec![plan("a", calendar, PostingRules::default())]);
    let series = Recurrence {
        post: id("menu"),
        start: NaiveDate::from_ymd_opt(2026, 3, 24).unwrap(),
        time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        every: Every::Weeks(1),
        until: Until::Date(NaiveDate::from_ymd_opt(2026, 4, 14).unwrap()),
    };
    let RecurringPlan { placed, skipped } = queue.add_recurring(&series, &account("a")).unwrap();
    let got: Vec<_> = placed.iter().map(|p| (p.post.as_str().to_owned(), p.at)).collect();
    assert_eq!(
        got,
        [
            ("menu#1".to_owned(), utc(2026, 3, 24, 11, 0)), // 12:00 CET
            ("menu#3".to_owned(), utc(2026, 4, 7, 10, 0)),  // 12:00 CEST
            ("menu#4".to_owned(), utc(2026, 4, 14, 10, 0)),
        ]
    );
    assert_eq!(skipped, [(blackout, Conflict::Blackout(blackout))]);
    assert!(placed.iter().all(|p| p.kind == PlacementKind::Recurring));

    let daily = Recurrence {
        post: id("tip"),
        start: NaiveDate::from_ymd_opt(2026, 3, 25).unwrap(),
        every: Every::Days(2),
        until: Until::Count(5),
        ..series
    };
    let placed = queue.add_recurring(&daily, &account("a")).unwrap().placed;
    assert_eq!(placed.len(), 4, "five occurrences, one on the blackout date");
}

#[test]
fn evergreen_posts_come_back_after_their_cool_down_best_first_up_to_a_cap() {
    let mut queue = queue_with(
        Duration::ZERO,
        vec![plan("a", Calendar::daily(MADRID, [(9, 0), (19, 0)]), PostingRules::default())],
    );
    let recycler = Recycler { cool_down: Duration::from_secs(30 * 86_400), max_repeats: 2, min_engagement: 0.02 };
    let now = monday();
    let record = |post: &str, days_ago: i64, repeats: u32, engagement: f64| EvergreenRecord {
        post: id(post),
        account: account("a"),
        last_published: now - chrono::Duration::days(days_ago),
        repeats,
        engagement,
    };
    let history = [
        record("guide", 45, 0, 0.05),
        record("recipe", 60, 1, 0.08),
        record("fresh", 10, 0, 0.20), // still cooling down
        record("tired", 90, 2, 0.30), // repeated enough
        record("weak", 90, 0, 0.005), // below the bar
        record("other", 90, 0, 0.50), // another account's
    ];
    let mut history = history.to_vec();
    history[5].account = account("b");
    let placed = queue.recycle(&recycler, &account("a"), &history, now, 10).unwrap();
    let got: Vec<_> = placed.iter().map(|p| (p.post.as_str().to_owned(), p.kind.clone(), p.at)).collect();
    assert_eq!(
        got,
        [
            (
                "recipe~2".to_owned(),
                PlacementKind::Evergreen { origin: id("recipe"), repeat: 2 },
                utc(2026, 11, 30, 8, 0)
            ),
            (
                "guide~1".to_owned(),
                PlacementKind::Evergreen { origin: id("guide"), repeat: 1 },
                utc(2026, 11, 30, 18, 0)
            ),
        ]
    );
    // Recycling again does not queue a second repeat of a post already waiting.
    assert!(queue.recycle(&recycler, &account("a"), &history, now, 10).unwrap().is_empty());
}

#[test]
fn quotas_come_from_the_adapter_when_it_reports_one_and_from_the_platform_otherwise() {
    let threads = PostingRules::for_platform(&PlatformKind::Threads);
    assert_eq!(threads.quotas, [Quota { max: 250, window: Duration::from_secs(86_400) }]);
    let server = Quota { max: 10, window: Duration::from_secs(3600) };
    let caps = Capabilities { publish_quota: Some(server), ..Capabilities::none(PlatformKind::Mastodon) };
    assert_eq!(PostingRules::for_capabilities(&caps).quotas, [server]);
    let caps = Capabilities::none(PlatformKind::Mastodon);
    assert_eq!(PostingRules::for_capabilities(&caps).quotas, known_publish_quotas(&PlatformKind::Mastodon));
    assert!(known_publish_quotas(&PlatformKind::LinkedIn).is_empty());
}

#[test]
fn placements_restored_after_a_restart_keep_new_ones_away() {
    let calendar = Calendar::daily(MADRID, [(9, 0), (13, 0)]);
    let mut before = queue_with(Duration::ZERO, vec![plan("a", calendar.clone(), PostingRules::default())]);
    let kept: Vec<_> = ["p1", "p2"].iter().map(|p| before.add(id(p), &account("a"), monday()).unwrap()).collect();
    let mut after = queue_with(Duration::ZERO, vec![plan("a", calendar, PostingRules::default())]);
    after.restore(kept.clone());
    assert_eq!(after.entries(), &kept[..]);
    assert_eq!(after.add(id("p3"), &account("a"), monday()).unwrap().at, utc(2026, 12, 1, 8, 0));
}

#[tokio::test]
async fn placements_become_jobs_and_the_post_is_scheduled_at_its_earliest() {
    use tertulia_core::{BrandId, Post, PostContent, PostStatus};
    use tertulia_store::{JobQuery, SqliteStore, Store, StoreError};

    let slots = Calendar::daily(MADRID, [(9, 0), (13, 0)]);
    let mut queue = queue_with(
        minutes(30),
        vec![plan("masto", slots.clone(), PostingRules::default()), plan("bsky", slots, PostingRules::default())],
    );
    let mut post = Post::new(id("p1"), BrandId::new("cafe"), PostContent::text("Hola"));
    let placements = vec![
        queue.add(id("p1"), &account("masto"), monday()).unwrap(),
        queue.add(id("p1"), &account("bsky"), monday()).unwrap(),
    ];
    let platforms = [(account("masto"), PlatformKind::Mastodon), (account("bsky"), PlatformKind::Bluesky)].into();
    let store = SqliteStore::temporary().await.unwrap();

    let err = tertulia_schedule::enqueue(&store, &mut post, &placements, &platforms).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "a draft is not scheduled: {err}");

    post.status = PostStatus::Approved;
    assert_eq!(tertulia_schedule::enqueue(&store, &mut post, &placements, &platforms).await.unwrap(), 2);
    let stored = store.post(&post.id).await.unwrap().unwrap();
    assert_eq!(stored.status, PostStatus::Scheduled);
    assert_eq!(stored.targets, [account("masto"), account("bsky")]);
    assert_eq!(stored.scheduled_at, Some(utc(2026, 11, 30, 8, 0)));
    let jobs = store.jobs(&JobQuery { post: Some(post.id.clone()), ..JobQuery::default() }).await.unwrap();
    let dues: Vec<_> = jobs.iter().map(|j| (j.account.as_str().to_owned(), j.platform.clone(), j.due_at)).collect();
    assert_eq!(
        dues,
        [
            ("masto".to_owned(), PlatformKind::Mastodon, utc(2026, 11, 30, 8, 0)),
            ("bsky".to_owned(), PlatformKind::Bluesky, utc(2026, 11, 30, 12, 0)),
        ]
    );
}
