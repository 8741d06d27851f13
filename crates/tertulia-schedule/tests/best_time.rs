//! The best-time model on generated data with a known peak: it finds the peak, its advice
//! beats posting at uniformly random hours on held-out posts, and with thin data it leans on
//! the audience's activity.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{AccountId, Author, HourOfWeek, Interaction, InteractionKind, PlatformKind, PostMetrics, RemoteId};
use tertulia_schedule::{BestTime, Observation, audience_activity};

const MADRID: chrono_tz::Tz = chrono_tz::Europe::Madrid;
/// Wednesday 19:00–20:00 in the account's zone.
const PEAK: usize = 2 * 24 + 19;
/// Saturday 11:00, a smaller bump.
const SECOND: usize = 5 * 24 + 11;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 6, 0, 0, 0).unwrap()
}

fn circular_distance(a: usize, b: usize) -> f64 {
    let d = a.abs_diff(b);
    d.min(HourOfWeek::LEN - d) as f64
}

/// The true expected engagement of an hour of week.
fn truth(hour: usize) -> f64 {
    let bump = |centre: usize, height: f64, width: f64| {
        let d = circular_distance(hour, centre);
        height * (-d * d / (2.0 * width * width)).exp()
    };
    0.02 + bump(PEAK, 0.06, 2.0) + bump(SECOND, 0.025, 3.0)
}

fn normal(rng: &mut StdRng) -> f64 {
    // Box–Muller.
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `n` posts at uniformly random instants over a year, in time order, with noisy engagement.
fn generate(rng: &mut StdRng, account: &AccountId, n: usize) -> Vec<Observation> {
    let year = 365 * 24 * 3600;
    let mut posts: Vec<Observation> = (0..n)
        .map(|_| {
            let at = start() + chrono::Duration::seconds(rng.random_range(0..year));
            let hour = HourOfWeek::index(MADRID, at);
            let engagement = (truth(hour) + 0.012 * normal(rng)).max(0.0);
            Observation { account: account.clone(), at, engagement }
        })
        .collect();
    posts.sort_by_key(|o| o.at);
    posts
}

fn zones(account: &AccountId) -> HashMap<AccountId, chrono_tz::Tz> {
    HashMap::from([(account.clone(), MADRID)])
}

#[test]
fn it_finds_a_known_peak_in_generated_data() {
    let mut rng = StdRng::seed_from_u64(7);
    let account = AccountId::new("cafe-masto");
    let posts = generate(&mut rng, &account, 3_000);
    let model = BestTime::default().fit(&posts, &zones(&account), &HashMap::new());
    let top = model.recommend(&account, 3);
    assert_eq!(top[0].hour_of_week, PEAK, "{top:?}");
    assert_eq!((top[0].weekday(), top[0].hour()), (chrono::Weekday::Wed, 19));
    // Its uncertainty is a real figure, small next to the gap to an ordinary hour.
    let curve = model.curve(&account).unwrap();
    let mut sorted = curve.expected.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[HourOfWeek::LEN / 2];
    assert!(top[0].uncertainty > 0.0 && top[0].uncertainty < (top[0].expected - median) / 4.0, "{top:?}");
    assert!((top[0].expected - truth(PEAK)).abs() < 4.0 * top[0].uncertainty + 0.01, "{top:?}");
    assert_eq!(curve.posts, 3_000);
}

#[test]
fn on_held_out_posts_its_hours_beat_uniformly_random_hours() {
    let mut rng = StdRng::seed_from_u64(11);
    let account = AccountId::new("cafe-bsky");
    let posts = generate(&mut rng, &account, 4_000);
    // Learn from the first nine months, judge on the last three.
    let (train, test) = posts.split_at(3_000);
    let model = BestTime::default().fit(train, &zones(&account), &HashMap::new());
    let recommended: Vec<usize> = model.recommend(&account, 10).iter().map(|r| r.hour_of_week).collect();

    let mut by_hour: Vec<Vec<f64>> = vec![Vec::new(); HourOfWeek::LEN];
    for post in test {
        by_hour[HourOfWeek::index(MADRID, post.at)].push(post.engagement);
    }
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let held_out_at = |hours: &[usize]| {
        let values: Vec<f64> = hours.iter().flat_map(|h| by_hour[*h].iter().copied()).collect();
        mean(&values)
    };
    let ours = held_out_at(&recommended);

    // Posting at 10 uniformly random hours, many times over.
    let draws: Vec<f64> = (0..1_000)
        .map(|_| {
            let hours: Vec<usize> = (0..10).map(|_| rng.random_range(0..HourOfWeek::LEN)).collect();
            held_out_at(&hours)
        })
        .collect();
    let random = mean(&draws);
    let beaten = draws.iter().filter(|d| **d < ours).count();
    assert!(ours > 1.8 * random, "recommended {ours:.4} vs random {random:.4}");
    assert!(beaten >= 990, "only {beaten} of 1000 random choices are worse");
}

#[test]
fn with_thin_data_it_leans_on_the_audience_and_says_it_is_unsure() {
    let mut rng = StdRng::seed_from_u64(3);
    let rich = AccountId::new("rich");
    let thin = AccountId::new("thin");
    let mut posts = generate(&mut rng, &rich, 3_000);
    // Three posts, all at an ordinary Monday 10:00, earning a little more than average.
    for week in 0..3 {
        let at = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap() + chrono::Duration::weeks(week);
        posts.push(Observation { account: thin.clone(), at, engagement: 0.04 });
    }
    // The thin account's audience is most active on Tuesday evenings.
    let mut activity = HourOfWeek::default();
    for h in 0..HourOfWeek::LEN {
        activity.add(h, if h == 24 + 20 { 50.0 } else { 5.0 });
    }
    let zones = HashMap::from([(rich.clone(), MADRID), (thin.clone(), MADRID)]);
    let model = BestTime::default().fit(&posts, &zones, &HashMap::from([(thin.clone(), activity)]));
    let best = model.recommend(&thin, 1)[0];
    assert_eq!(best.hour_of_week, 24 + 20, "the audience's busiest hour wins over three posts: {best:?}");
    let rich_best = model.recommend(&rich, 1)[0];
    assert!(best.uncertainty > 2.0 * rich_best.uncertainty, "{best:?} vs {rich_best:?}");
    // Its hours stay near the mean of every account, not at the three posts' 0.04.
    let curve = model.curve(&thin).unwrap();
    let monday_10 = curve.expected[10];
    assert!(monday_10 < 0.04, "{monday_10}");
    // An account with no posts at all gets the flat prior.
    let none = model.recommend(&AccountId::new("new"), 2);
    assert_eq!(none[0].expected, none[1].expected);
    assert_eq!(none[0].evidence, 0.0);
}

#[test]
fn more_posts_make_it_surer() {
    let mut rng = StdRng::seed_from_u64(5);
    let account = AccountId::new("a");
    let few = generate(&mut rng, &account, 300);
    let many = generate(&mut rng, &account, 6_000);
    let fit = |posts: &[Observation]| BestTime::default().fit(posts, &zones(&account), &HashMap::new());
    let (few, many) = (fit(&few), fit(&many));
    let sure = |m: &tertulia_schedule::BestTimeModel| m.curve(&account).unwrap().uncertainty[PEAK];
    assert!(sure(&many) < sure(&few) / 2.0);
}

#[test]
fn observations_come_from_metrics_and_activity_from_interactions() {
    let account = AccountId::new("a");
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 18, 0, 0).unwrap();
    let metrics = PostMetrics { likes: Some(8), replies: Some(2), ..PostMetrics::default() };
    let observation = Observation::from_metrics(account.clone(), at, &metrics, Some(200)).unwrap();
    assert_eq!(observation.engagement, 0.05);
    assert!(Observation::from_metrics(account, at, &metrics, None).is_none());

    let interaction = |minute: i64| Interaction {
        id: RemoteId::new(format!("i{minute}")),
        platform: PlatformKind::Mastodon,
        account: None,
        kind: InteractionKind::Reply,
        author: Author::new("u1", "ana"),
        text: Some("¡Qué rico!".into()),
        language: Some("es".into()),
        created_at: at + chrono::Duration::minutes(minute),
        subject: None,
        in_reply_to: None,
        conversation: None,
        permalink: None,
    };
    let interactions = [interaction(0), interaction(30), interaction(70)];
    let activity = audience_activity(&interactions, MADRID);
    // Monday 19:00 and 20:00 in Madrid.
    assert_eq!((activity.get(19), activity.get(20), activity.total()), (2.0, 1.0, 3.0));
}

#[test]
fn hours_are_counted_in_each_account_zone_across_daylight_saving_changes() {
    // One post per hour for two years in zones with whole, half-hour and southern changes:
    // every hour of week gets its share, the model's bookkeeping agrees with HourOfWeek.
    for zone in [chrono_tz::Australia::Lord_Howe, chrono_tz::America::Santiago, chrono_tz::Asia::Kolkata, MADRID] {
        let account = AccountId::new("a");
        let posts: Vec<Observation> = (0..2 * 365 * 24)
            .map(|h| {
                let at = start() + chrono::Duration::minutes(60 * h + 7);
                Observation { account: account.clone(), at, engagement: HourOfWeek::index(zone, at) as f64 }
            })
            .collect();
        let model = BestTime { prior_strength: 0.0, neighbour_weight: 0.0, ..BestTime::default() }.fit(
            &posts,
            &HashMap::from([(account.clone(), zone)]),
            &HashMap::new(),
        );
        let curve = model.curve(&account).unwrap();
        for h in 0..HourOfWeek::LEN {
            assert_eq!(curve.expected[h], h as f64, "{zone} hour {h}");
        }
    }
}
