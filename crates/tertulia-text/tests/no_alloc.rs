//! Counting allocates nothing: every network's length of NFC text, URLs, mentions and emoji
//! included, is computed without touching the heap.
//!
//! This test has no harness (`harness = false`): it runs on the main thread alone, so the
//! global allocation count sees only the counting.

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tertulia_core::PlatformKind;
use tertulia_text::{XConfig, length, rules_for, x_length};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const TEXTS: &[&str] = &[
    "Hoy abrimos a las 8: café de olla y pan dulce ☕ https://cafetertulia.es/menu?dia=martes",
    "Gracias @ana@cafe.social y @bruno por venir 🙌🏽 #tertulia #café",
    "Nuevo en cafetertulia.es/blog: 日本の抹茶ラテ 🍵 y 한국 커피 — ¡pruébalos! $CAFE",
    "👩‍👩‍👧‍👦🇪🇸1⃣ Привет, مرحبا, שלום, नमस्ते (http://en.wikipedia.org/wiki/Café_(bebida)).",
    "",
];

fn main() {
    let rules: Vec<_> = PlatformKind::KNOWN.iter().map(rules_for).collect();
    let v3 = XConfig::v3();
    let long = TEXTS.concat().repeat(20);
    let mut texts: Vec<&str> = TEXTS.to_vec();
    texts.push(&long);
    let region = Region::new(GLOBAL);
    let mut total = 0u64;
    for text in &texts {
        for rule in &rules {
            total += u64::from(length(text, rule));
        }
        total += u64::from(x_length(text, &v3).weighted_length);
    }
    let change = region.change();
    assert!(total > 0);
    assert_eq!(change.allocations, 0, "{change:?}");
    assert_eq!(change.reallocations, 0, "{change:?}");
    println!("counting_does_not_allocate: 1 passed, 0 failed ({} texts, {} rule sets)", texts.len(), rules.len() + 1);
}
