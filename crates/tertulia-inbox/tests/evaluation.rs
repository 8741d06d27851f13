//! The classifier against the labelled evaluation set in `tests/eval/` (written for this
//! crate: a third of each intent held out as `test`; the lexicons are tuned on `dev` only).
//!
//! `cargo test -p tertulia-inbox --test evaluation -- --nocapture` prints the figures.

use tertulia_inbox::{Evaluation, Intent, Labelled, RuleClassifier, Sentiment, evaluate};

const SPANISH: &str = include_str!("eval/es.tsv");
const ENGLISH: &str = include_str!("eval/en.tsv");

fn samples(data: &str, split: &str) -> Vec<Labelled> {
    data.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            assert_eq!(fields.len(), 4, "malformed line: {line}");
            (
                fields[0],
                Labelled {
                    text: fields[3].to_owned(),
                    language: None,
                    intent: Intent::from_name(fields[1]).unwrap_or_else(|| panic!("bad intent in {line}")),
                    sentiment: Sentiment::from_name(fields[2]).unwrap_or_else(|| panic!("bad sentiment in {line}")),
                },
            )
        })
        .filter(|(s, _)| split == "all" || *s == split)
        .map(|(_, sample)| sample)
        .collect()
}

fn report(name: &str, evaluation: &Evaluation) {
    println!("== {name}: intent ==\n{}", evaluation.intent);
    println!("== {name}: sentiment ==\n{}", evaluation.sentiment);
    if std::env::var_os("TERTULIA_EVAL_MISSES").is_some() {
        for (text, intent, sentiment, read_intent, read_sentiment) in &evaluation.misses {
            println!("  {intent}/{sentiment} read as {read_intent}/{read_sentiment}: {text}");
        }
    }
}

#[test]
fn the_evaluation_set_is_large_enough_and_well_formed() {
    for data in [SPANISH, ENGLISH] {
        let all = samples(data, "all");
        assert!(all.len() >= 200);
        for intent in Intent::ALL {
            assert!(all.iter().filter(|s| s.intent == intent).count() >= 15, "{intent} is under-represented");
        }
        assert_eq!(samples(data, "dev").len() + samples(data, "test").len(), all.len());
    }
}

#[test]
fn the_classifier_reads_both_languages_well() {
    let classifier = RuleClassifier::builtin();
    for (language, data) in [("es", SPANISH), ("en", ENGLISH)] {
        for split in ["dev", "test"] {
            let evaluation = evaluate(&classifier, &samples(data, split));
            report(&format!("{language} {split}"), &evaluation);
            // Floors well under the measured figures: they catch a lexicon or rule change
            // that breaks understanding, not a point of tuning.
            assert!(evaluation.intent.macro_f1() >= 0.70, "{language} {split} intent macro-F1 fell");
            assert!(evaluation.sentiment.macro_f1() >= 0.65, "{language} {split} sentiment macro-F1 fell");
        }
    }
}
