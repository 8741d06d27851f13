//! Count-and-extract throughput: tertulia-text against the `twitter-text` crate (0.3.1, a
//! Rust port of X's reference library), measured in the same run on the same corpus.
//!
//! The corpus is every input of twitter-text's conformance files (read from
//! `js-reference-outputs.json` under `TERTULIA_CONFORMANCE`, default `../shared/conformance`,
//! when present) plus long multilingual posts generated from a fixed seed. One iteration
//! measures and extracts every text of the corpus: X's weighted length (v3, URLs as 23)
//! and all entities (URLs, mentions, hashtags, cashtags) with their indices.
//!
//! ```text
//! cargo bench --bench text
//! ```
//!
//! Besides criterion's own report, the run prints texts/s and MB/s for both libraries and
//! the ratio between them.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tertulia_core::PlatformKind;
use tertulia_text::{analyze, rules_for};
use twitter_text::extractor::{Extract, Extractor};

/// Fragments the generated posts are made of: several scripts, emoji sequences, URLs with
/// and without scheme, mentions, hashtags and cashtags.
const FRAGMENTS: &[&str] = &[
    "Hoy abrimos a las 8 con café de olla y pan dulce.",
    "¡Gracias @ana y @bruno por la tertulia de anoche!",
    "Menú de otoño en https://cafetertulia.es/menu/otono-2026?utm_source=x",
    "Reserva en cafetertulia.es/reservas antes del viernes.",
    "#café #tertulia #otoño",
    "$CAFE sube un 3% esta semana.",
    "日本の抹茶ラテを始めました。ぜひお試しください！",
    "새로운 원두가 도착했습니다. 많이 사랑해 주세요.",
    "Новый сорт кофе уже в продаже — приходите!",
    "قهوة عربية طازجة كل صباح ☕",
    "नमस्ते! आज की विशेष चाय मसाला चाय है।",
    "Família inteira 👨‍👩‍👧‍👦 no café 🇪🇸 1⃣ 🙋🏽",
    "Ver (http://en.wikipedia.org/wiki/Café_(bebida)) para la historia.",
    "Escríbenos: hola@cafetertulia.es o @cafe@social.example",
];

/// A small deterministic generator (xorshift), so the corpus is the same every run.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn generated_posts(count: usize) -> Vec<String> {
    let mut rng = Seeded(0x7e57_c0ff_ee00_2026);
    (0..count)
        .map(|_| {
            let pieces = 3 + (rng.next() % 10) as usize;
            (0..pieces).map(|_| FRAGMENTS[(rng.next() % FRAGMENTS.len() as u64) as usize]).collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn conformance_inputs() -> Vec<String> {
    let dir =
        std::env::var_os("TERTULIA_CONFORMANCE").map_or_else(|| PathBuf::from("../shared/conformance"), PathBuf::from);
    let path = dir.join("twitter-text/js-reference-outputs.json");
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} not found; the corpus is the generated posts only", path.display());
        return Vec::new();
    };
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
    doc.as_array()
        .map(|cases| cases.iter().filter_map(|c| c["text"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn corpus() -> Vec<String> {
    let mut texts = conformance_inputs();
    texts.extend(generated_posts(400));
    texts
}

fn tertulia(corpus: &[String]) -> usize {
    let rules = rules_for(&PlatformKind::X);
    corpus
        .iter()
        .map(|text| {
            let found = analyze(text, &rules);
            found.length as usize + found.entities.len()
        })
        .sum()
}

fn reference(corpus: &[String]) -> usize {
    let config = twitter_text_config::config_v3();
    let extractor = Extractor::new();
    corpus
        .iter()
        .map(|text| {
            let parsed = twitter_text::parse(text, config, true);
            parsed.weighted_length as usize + extractor.extract_entities_with_indices(text).len()
        })
        .sum()
}

/// Times one pass of each library over the corpus, alternating them for about `budget`
/// so that a busy machine slows both alike, and returns the median seconds per pass of each.
fn seconds_per_pass(corpus: &[String], budget: Duration) -> (f64, f64) {
    let started = Instant::now();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    while started.elapsed() < budget || ours.len() < 5 {
        for (run, samples) in [(tertulia as fn(&[String]) -> usize, &mut ours), (reference, &mut theirs)] {
            let lap = Instant::now();
            black_box(run(black_box(corpus)));
            samples.push(lap.elapsed().as_secs_f64());
        }
    }
    let median = |samples: &mut Vec<f64>| {
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    };
    (median(&mut ours), median(&mut theirs))
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let texts = corpus.len() as u64;
    let bytes: u64 = corpus.iter().map(|t| t.len() as u64).sum();

    let mut group = c.benchmark_group("count_and_extract");
    group.throughput(Throughput::Elements(texts));
    group.bench_function("tertulia", |b| b.iter(|| tertulia(black_box(&corpus))));
    group.bench_function("twitter_text_0_3_1", |b| b.iter(|| reference(black_box(&corpus))));
    group.finish();

    // One summary line per library, from an alternating timed loop in the same run.
    let (ours, theirs) = seconds_per_pass(&corpus, Duration::from_secs(6));
    let mb = bytes as f64 / 1_000_000.0;
    println!("corpus: {texts} texts, {bytes} bytes");
    for (name, secs) in [("tertulia-text", ours), ("twitter-text 0.3.1", theirs)] {
        println!("{name}: {:.0} texts/s, {:.2} MB/s", texts as f64 / secs, mb / secs);
    }
    println!("speed-up: {:.1}x", theirs / ours);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
