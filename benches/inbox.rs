//! Inbox benchmarks: classify and score a million interactions and take the top 100; update
//! one item in a ranked inbox of a million; the ranked index's bytes per interaction.
//!
//! `cargo bench --bench inbox`

use std::hint::black_box;
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{Brand, BrandId};
use tertulia_inbox::{BusinessCalendar, Classifier, RankedIndex, RuleClassifier, Signals, Slot, Standing, Weights};

const MILLION: usize = 1_000_000;

const OPENERS: &[&str] = &["", "", "Hola, ", "Buenas! ", "hey ", "Hi, ", "@cafe_tertulia ", "Ojo: ", "ok so ", "Oye, "];
const BODIES: &[&str] = &[
    "mi pedido no ha llegado y nadie responde",
    "¿a qué hora abren los domingos?",
    "me encanta el nuevo latte de calabaza",
    "¿cuánto cuesta la suscripción mensual?",
    "encontré una cucaracha en el azucarero, asqueroso",
    "gana dinero desde casa, link en mi bio",
    "hoy toca café con las amigas",
    "no está nada mal el croissant de almendra",
    "genial, otra vez el pedido equivocado",
    "me cobraron dos veces, quiero mi reembolso",
    "my order still hasn't arrived and nobody answers",
    "what time do you open on sundays?",
    "loving the new pumpkin latte",
    "how much is the monthly subscription?",
    "found a cockroach in the sugar bowl, disgusting",
    "make money from home, link in bio",
    "coffee with the girls today",
    "not bad at all, the new almond croissant",
    "oh great, another wrong order",
    "i was charged twice and i want a refund",
    "do you ship to canada? want to place a big order",
    "the app keeps crashing every time i try to pay",
];
const CLOSERS: &[&str] =
    &["", "", "", "!!", "?", " 😡", " 😍", " 🙄", " please", " por favor", " YA", " lol", " jajaja", "..."];

/// A million varied messages (each its own `String`), with followers, verification and
/// arrival instants: the same seed gives the same inbox.
fn messages(n: usize) -> Vec<(String, u64, bool, chrono::DateTime<Utc>)> {
    let mut rng = SmallRng::seed_from_u64(0x007e_571a);
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).single().unwrap_or_default();
    (0..n)
        .map(|i| {
            let mut text = String::with_capacity(96);
            text.push_str(OPENERS[rng.random_range(0..OPENERS.len())]);
            text.push_str(BODIES[rng.random_range(0..BODIES.len())]);
            if rng.random_bool(0.3) {
                text.push_str(", ");
                text.push_str(BODIES[rng.random_range(0..BODIES.len())]);
            }
            text.push_str(CLOSERS[rng.random_range(0..CLOSERS.len())]);
            if rng.random_bool(0.05) {
                text = text.to_uppercase();
            }
            let followers = 10u64.pow(rng.random_range(0..7)) + rng.random_range(0..1000);
            let at = start + chrono::Duration::seconds((i as i64 * 7 * 24 * 3600) / n as i64);
            (text, followers, rng.random_bool(0.02), at)
        })
        .collect()
}

fn setup() -> (Brand, BusinessCalendar) {
    let brand = Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default();
    let calendar = BusinessCalendar::new(&brand, from, to);
    (brand, calendar)
}

fn signals(classifier: &RuleClassifier, text: &str, followers: u64, verified: bool) -> Signals {
    Signals {
        understanding: classifier.understand(text, None),
        followers,
        verified,
        standing: Standing::default(),
        unanswered: true,
        platform_weight: 0.0,
    }
}

fn classify_score_top(c: &mut Criterion) {
    let (_, calendar) = setup();
    let classifier = RuleClassifier::builtin();
    let weights = Weights::default();
    let inbox = messages(MILLION);
    let pass = || {
        let keys: Vec<i64> = inbox
            .iter()
            .map(|(text, followers, verified, at)| {
                signals(&classifier, text, *followers, *verified).rank_key(&weights, calendar.position(*at))
            })
            .collect();
        let index = RankedIndex::from_keys(keys);
        black_box(index.top(100).map(|(slot, _)| slot.0).sum::<u32>())
    };
    // One pass timed by the process's own CPU clock too: on a shared machine the wall time
    // includes waiting for a core, the CPU time does not.
    if let (Some(cpu_before), wall) = (cpu_seconds(), std::time::Instant::now()) {
        pass();
        let wall = wall.elapsed().as_secs_f64();
        if let Some(cpu_after) = cpu_seconds() {
            println!("one pass of 1,000,000: {wall:.2} s wall, {:.2} s CPU", cpu_after - cpu_before);
        }
    }
    let mut group = c.benchmark_group("inbox");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("classify_score_top100_of_1m", |b| b.iter(pass));
    group.finish();
}

/// User plus system CPU time of this process, from `/proc/self/stat` (Linux; `None`
/// elsewhere), in seconds at the kernel's usual 100 ticks per second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn update_one_of_1m(c: &mut Criterion) {
    let (_, calendar) = setup();
    let classifier = RuleClassifier::builtin();
    let weights = Weights::default();
    let inbox = messages(MILLION);
    let mut items: Vec<(Signals, i64)> = inbox
        .iter()
        .map(|(text, followers, verified, at)| {
            (signals(&classifier, text, *followers, *verified), calendar.position(*at))
        })
        .collect();
    drop(inbox);
    let mut index = RankedIndex::from_keys(items.iter().map(|(s, arrival)| s.rank_key(&weights, *arrival)).collect());
    println!(
        "ranked index: {} interactions, {} bytes, {:.1} bytes per interaction",
        index.len(),
        index.heap_bytes(),
        index.heap_bytes() as f64 / index.len() as f64
    );
    let mut rng = SmallRng::seed_from_u64(42);
    let mut group = c.benchmark_group("inbox");
    // One update: an author's standing changes (a case opens or closes), the item is
    // re-scored from its signals and moved in the index.
    group.bench_function("rescore_one_in_1m", |b| {
        b.iter_batched(
            || rng.random_range(0..MILLION as u32),
            |slot| {
                let (signals, arrival) = &mut items[slot as usize];
                signals.standing.open_case = !signals.standing.open_case;
                let key = signals.rank_key(&weights, *arrival);
                black_box(index.update(Slot(slot), key))
            },
            BatchSize::SmallInput,
        )
    });
    // An answer and an arrival: one item leaves, a new one comes in.
    group.bench_function("answer_and_arrive_in_1m", |b| {
        b.iter_batched(
            || (rng.random_range(0..MILLION as u32), rng.random_range(-50_000_000i64..50_000_000)),
            |(slot, key)| {
                if index.remove(Slot(slot)).is_some() {
                    black_box(index.insert(key));
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, classify_score_top, update_one_of_1m);
criterion_main!(benches);
