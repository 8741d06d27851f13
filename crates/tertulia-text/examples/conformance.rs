//! Runs the networks' published conformance data against tertulia-text and prints one line
//! per file and section, `N passed, M failed`. Exits with status 1 if any case fails.
//!
//! ```text
//! cargo run -p tertulia-text --example conformance -- [DIR]
//! ```
//!
//! `DIR` defaults to `../shared/conformance` and holds `twitter-text/`, `bluesky-richtext/`
//! and `mastodon-length/`. twitter-text's indices are UTF-16 code units; its `tweets`
//! section is checked with configuration v1, `WeightedTweetsCounterTest` with v2 and the
//! other counting sections with v3.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use tertulia_core::PlatformKind;
use tertulia_text::{
    Entity, FacetFeature, MastodonLimits, Unit, XConfig, detect_facets, extract_cashtags, extract_entities,
    extract_hashtags, extract_mentions, extract_reply, extract_urls, is_valid_hashtag, is_valid_list, is_valid_url,
    is_valid_username, length_with_spoiler, mastodon_rules, rules_for, x_length,
};
use unicode_segmentation::UnicodeSegmentation;

/// Tally of one section.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

struct Report {
    failed_total: usize,
}

impl Report {
    fn section(&mut self, name: &str, cases: impl IntoIterator<Item = (String, Result<(), String>)>) {
        let mut tally = Tally::default();
        for (label, outcome) in cases {
            match outcome {
                Ok(()) => tally.passed += 1,
                Err(why) => {
                    tally.failed += 1;
                    eprintln!("FAIL {name}: {label}: {why}");
                }
            }
        }
        self.failed_total += tally.failed;
        println!("{name}: {} passed, {} failed", tally.passed, tally.failed);
    }
}

fn check<T: PartialEq + std::fmt::Debug>(got: T, expected: T) -> Result<(), String> {
    if got == expected { Ok(()) } else { Err(format!("got {got:?}, expected {expected:?}")) }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn yaml_sections(path: &Path) -> Vec<(String, Vec<Yaml>)> {
    let doc: Yaml = serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let tests = doc.get("tests").and_then(Yaml::as_mapping).cloned().unwrap_or_default();
    tests
        .into_iter()
        .map(|(k, v)| (k.as_str().unwrap_or_default().to_owned(), v.as_sequence().cloned().unwrap_or_default()))
        .collect()
}

fn text_of(case: &Yaml) -> String {
    case.get("text").and_then(Yaml::as_str).unwrap_or_default().to_owned()
}

fn label_of(case: &Yaml) -> String {
    case.get("description").and_then(Yaml::as_str).unwrap_or_default().to_owned()
}

fn strings(value: Option<&Yaml>) -> Vec<String> {
    value
        .and_then(Yaml::as_sequence)
        .map(|s| s.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn num(value: &Yaml, key: &str) -> i64 {
    value.get(key).and_then(Yaml::as_i64).unwrap_or(-1)
}

fn utf16(text: &str, entity: &Entity) -> (i64, i64) {
    let span = entity.span(text, Unit::Utf16);
    (span.start as i64, span.end as i64)
}

fn weighted(case: &Yaml, config: &XConfig) -> Result<(), String> {
    let text = text_of(case);
    let got = x_length(&text, config);
    let expected = case.get("expected").cloned().unwrap_or(Yaml::Null);
    check(
        (
            i64::from(got.weighted_length),
            got.valid,
            i64::from(got.permillage),
            0,
            got.display_range_end as i64,
            0,
            got.valid_range_end,
        ),
        (
            num(&expected, "weightedLength"),
            expected.get("valid").and_then(Yaml::as_bool).unwrap_or(false),
            num(&expected, "permillage"),
            num(&expected, "displayRangeStart"),
            num(&expected, "displayRangeEnd"),
            num(&expected, "validRangeStart"),
            num(&expected, "validRangeEnd"),
        ),
    )
}

fn validate_case(section: &str, case: &Yaml) -> Result<(), String> {
    let text = text_of(case);
    let expected = case.get("expected").and_then(Yaml::as_bool);
    let got = match section {
        "tweets" => x_length(&text, &XConfig::v1()).valid,
        "usernames" => is_valid_username(&text),
        "lists" => is_valid_list(&text),
        "hashtags" => is_valid_hashtag(&text),
        "urls" => is_valid_url(&text, true),
        "urls_without_protocol" => is_valid_url(&text, false),
        "WeightedTweetsCounterTest" => return weighted(case, &XConfig::v2()),
        "WeightedTweetsWithDiscountedEmojiCounterTest" | "UnicodeDirectionalMarkerCounterTest" => {
            return weighted(case, &XConfig::v3());
        }
        other => return Err(format!("unknown section {other}")),
    };
    check(Some(got), expected)
}

fn indexed(text: &str, found: &[Entity], key: &str) -> Vec<(String, i64, i64)> {
    let _ = key;
    found
        .iter()
        .map(|e| {
            let (s, end) = utf16(text, e);
            (e.value.clone(), s, end)
        })
        .collect()
}

fn expected_indexed(case: &Yaml, key: &str) -> Vec<(String, i64, i64)> {
    case.get("expected")
        .and_then(Yaml::as_sequence)
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let value = item.get(key).and_then(Yaml::as_str).unwrap_or_default().to_owned();
                    let indices = item.get("indices").and_then(Yaml::as_sequence).cloned().unwrap_or_default();
                    let at = |i: usize| indices.get(i).and_then(Yaml::as_i64).unwrap_or(-1);
                    (value, at(0), at(1))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn mentions_only(text: &str) -> Vec<Entity> {
    extract_mentions(text).into_iter().filter(|m| m.list_slug.is_none()).collect()
}

fn extract_case(section: &str, case: &Yaml) -> Result<(), String> {
    let text = text_of(case);
    let values = |found: Vec<Entity>| found.into_iter().map(|e| e.value).collect::<Vec<_>>();
    match section {
        "mentions" => check(values(mentions_only(&text)), strings(case.get("expected"))),
        "mentions_with_indices" => {
            check(indexed(&text, &mentions_only(&text), ""), expected_indexed(case, "screen_name"))
        }
        "mentions_or_lists_with_indices" => {
            let got: Vec<_> = extract_mentions(&text)
                .iter()
                .map(|e| {
                    let (s, end) = utf16(&text, e);
                    (e.value.clone(), e.list_slug.clone().unwrap_or_default(), s, end)
                })
                .collect();
            let expected: Vec<_> = case
                .get("expected")
                .and_then(Yaml::as_sequence)
                .map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            let indices = item.get("indices").and_then(Yaml::as_sequence).cloned().unwrap_or_default();
                            let at = |i: usize| indices.get(i).and_then(Yaml::as_i64).unwrap_or(-1);
                            (
                                item.get("screen_name").and_then(Yaml::as_str).unwrap_or_default().to_owned(),
                                item.get("list_slug").and_then(Yaml::as_str).unwrap_or_default().to_owned(),
                                at(0),
                                at(1),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            check(got, expected)
        }
        "replies" => check(extract_reply(&text), case.get("expected").and_then(Yaml::as_str).map(str::to_owned)),
        "urls" | "tco_urls_with_params" => check(values(extract_urls(&text)), strings(case.get("expected"))),
        "urls_with_indices" | "urls_with_directional_markers" => {
            check(indexed(&text, &extract_urls(&text), ""), expected_indexed(case, "url"))
        }
        "hashtags" | "hashtags_from_astral" => check(values(extract_hashtags(&text)), strings(case.get("expected"))),
        "hashtags_with_indices" => {
            check(indexed(&text, &extract_hashtags(&text), ""), expected_indexed(case, "hashtag"))
        }
        "cashtags" => check(values(extract_cashtags(&text)), strings(case.get("expected"))),
        "cashtags_with_indices" => {
            check(indexed(&text, &extract_cashtags(&text), ""), expected_indexed(case, "cashtag"))
        }
        other => Err(format!("unknown section {other}")),
    }
}

fn twitter_text(dir: &Path, report: &mut Report) {
    let base = dir.join("twitter-text");
    for (section, cases) in yaml_sections(&base.join("validate.yml")) {
        report.section(
            &format!("validate.yml/{section}"),
            cases.iter().map(|c| (label_of(c), validate_case(&section, c))),
        );
    }
    for (section, cases) in yaml_sections(&base.join("extract.yml")) {
        report
            .section(&format!("extract.yml/{section}"), cases.iter().map(|c| (label_of(c), extract_case(&section, c))));
    }
    for (section, cases) in yaml_sections(&base.join("tlds.yml")) {
        report.section(
            &format!("tlds.yml/{section}"),
            cases.iter().map(|c| {
                let text = text_of(c);
                let got: Vec<_> = extract_urls(&text).into_iter().map(|e| e.value).collect();
                (label_of(c), check(got, strings(c.get("expected"))))
            }),
        );
    }
    js_reference(&base, report);
}

/// What the reference JavaScript answers for every input of the two files.
fn js_reference(base: &Path, report: &mut Report) {
    let doc: Json = serde_json::from_str(&read(&base.join("js-reference-outputs.json"))).unwrap_or(Json::Null);
    let cases = doc.as_array().cloned().unwrap_or_default();
    for (key, config) in
        [("parseTweet_v1", XConfig::v1()), ("parseTweet_v2", XConfig::v2()), ("parseTweet_v3", XConfig::v3())]
    {
        report.section(
            &format!("js-reference-outputs.json/{key}"),
            cases.iter().map(|case| {
                let text = case["text"].as_str().unwrap_or_default();
                let got = x_length(text, &config);
                let e = &case[key];
                let outcome = check(
                    (
                        i64::from(got.weighted_length),
                        got.valid,
                        i64::from(got.permillage),
                        got.display_range_end as i64,
                        got.valid_range_end,
                    ),
                    (
                        e["weightedLength"].as_i64().unwrap_or(-1),
                        e["valid"].as_bool().unwrap_or(false),
                        e["permillage"].as_i64().unwrap_or(-1),
                        e["displayRangeEnd"].as_i64().unwrap_or(-1),
                        e["validRangeEnd"].as_i64().unwrap_or(-1),
                    ),
                );
                (case["description"].as_str().unwrap_or_default().to_owned(), outcome)
            }),
        );
    }
    report.section(
        "js-reference-outputs.json/entities",
        cases.iter().map(|case| {
            let text = case["text"].as_str().unwrap_or_default();
            let got: Vec<_> = extract_entities(text)
                .iter()
                .map(|e| {
                    let (s, end) = utf16(text, e);
                    let value = match e.kind {
                        tertulia_text::EntityKind::Mention => {
                            format!("@{}{}", e.value, e.list_slug.clone().unwrap_or_default())
                        }
                        tertulia_text::EntityKind::Hashtag => format!("#{}", e.value),
                        tertulia_text::EntityKind::Cashtag => format!("${}", e.value),
                        tertulia_text::EntityKind::Url => e.value.clone(),
                    };
                    (value, s, end)
                })
                .collect();
            let expected: Vec<_> = case["entities"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let value = if let Some(url) = e["url"].as_str() {
                        url.to_owned()
                    } else if let Some(tag) = e["hashtag"].as_str() {
                        format!("#{tag}")
                    } else if let Some(name) = e["screenName"].as_str() {
                        format!("@{name}{}", e["listSlug"].as_str().unwrap_or_default())
                    } else {
                        format!("${}", e["cashtag"].as_str().unwrap_or_default())
                    };
                    (value, e["indices"][0].as_i64().unwrap_or(-1), e["indices"][1].as_i64().unwrap_or(-1))
                })
                .collect();
            (case["description"].as_str().unwrap_or_default().to_owned(), check(got, expected))
        }),
    );
}

fn bluesky(dir: &Path, report: &mut Report) {
    let path = dir.join("bluesky-richtext/cases.json");
    let doc: Json = serde_json::from_str(&read(&path)).unwrap_or(Json::Null);
    let cases = doc["detect_facets_cases"].as_array().cloned().unwrap_or_default();
    for (group, name) in [("segments (mentions+links)", "segments"), ("tags", "tags"), ("cashtags", "cashtags")] {
        report.section(
            &format!("bluesky-richtext/cases.json/{name}"),
            cases.iter().filter(|c| c["group"] == group).map(|case| {
                let text = case["input"].as_str().unwrap_or_default();
                let mut got: Vec<_> = detect_facets(text)
                    .resolve(|handle| Some(format!("did:fake:{handle}")))
                    .into_iter()
                    .map(|f| {
                        let (kind, value) = match &f.features[0] {
                            FacetFeature::Mention { did } => ("mention", did.clone()),
                            FacetFeature::Link { uri } => ("link", uri.clone()),
                            FacetFeature::Tag { tag } => ("tag", tag.clone()),
                        };
                        (f.index.byte_start as i64, f.index.byte_end as i64, kind.to_owned(), value)
                    })
                    .collect();
                if name == "cashtags" {
                    got.retain(|(_, _, kind, value)| kind == "tag" && value.starts_with('$'));
                }
                let expected: Vec<_> = case["expected_facets"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|f| {
                        (
                            f["byteStart"].as_i64().unwrap_or(-1),
                            f["byteEnd"].as_i64().unwrap_or(-1),
                            f["type"].as_str().unwrap_or_default().to_owned(),
                            f["value"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                (text.to_owned(), check(got, expected))
            }),
        );
    }
    let bluesky_rules = rules_for(&PlatformKind::Bluesky);
    report.section(
        "bluesky-richtext/cases.json/grapheme_length_cases",
        doc["grapheme_length_cases"].as_array().cloned().unwrap_or_default().iter().map(|case| {
            let text = case["input"].as_str().unwrap_or_default();
            let got = (
                i64::from(tertulia_text::length(text, &bluesky_rules)),
                Unit::Utf8.len(text) as i64,
                Unit::Utf16.len(text) as i64,
            );
            let expected = (
                case["expected_graphemes"].as_i64().unwrap_or(-1),
                case["utf8_bytes"].as_i64().unwrap_or(-1),
                case["utf16_units"].as_i64().unwrap_or(-1),
            );
            (text.to_owned(), check(got, expected))
        }),
    );
    report.section(
        "bluesky-richtext/cases.json/richtext_length_cases",
        doc["richtext_length_cases"].as_array().cloned().unwrap_or_default().iter().map(|case| {
            let text = case["input"].as_str().unwrap_or_default();
            let got = (text.len() as i64, text.graphemes(true).count() as i64);
            let expected = (
                case["expected_utf8_length"].as_i64().unwrap_or(-1),
                case["expected_graphemes"].as_i64().unwrap_or(-1),
            );
            (text.to_owned(), check(got, expected))
        }),
    );
}

fn mastodon(dir: &Path, report: &mut Report) {
    let path = dir.join("mastodon-length/cases.json");
    let doc: Json = serde_json::from_str(&read(&path)).unwrap_or(Json::Null);
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let (checked, skipped): (Vec<_>, Vec<_>) = cases.iter().partition(|c| c["validated"].as_bool().unwrap_or(true));
    for case in &skipped {
        println!(
            "note: mastodon-length/cases.json {} is not a local post and is never validated",
            case["id"].as_str().unwrap_or("?")
        );
    }
    report.section(
        "mastodon-length/cases.json/cases",
        checked.iter().map(|case| {
            let limits = MastodonLimits {
                max_characters: case["max_chars"].as_u64().unwrap_or(500) as u32,
                ..MastodonLimits::default()
            };
            let rules = mastodon_rules(&limits);
            let text = case["text"].as_str().unwrap_or_default();
            let spoiler = case["spoiler_text"].as_str().unwrap_or_default();
            let counted = length_with_spoiler(spoiler, text, &rules);
            let valid = counted <= rules.max_length;
            let outcome = match case["expected_countable_length"].as_i64() {
                Some(expected) => {
                    check((i64::from(counted), valid), (expected, case["expected_valid"].as_bool().unwrap_or(false)))
                }
                None => check(valid, case["expected_valid"].as_bool().unwrap_or(false)),
            };
            (case["id"].as_str().unwrap_or_default().to_owned(), outcome)
        }),
    );
}

fn main() -> ExitCode {
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from("../shared/conformance"), PathBuf::from);
    let mut report = Report { failed_total: 0 };
    twitter_text(&dir, &mut report);
    bluesky(&dir, &mut report);
    mastodon(&dir, &mut report);
    if report.failed_total == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
