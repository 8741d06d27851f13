#![doc = include_str!("../README.md")]

mod classify;
mod evaluation;
mod hash;
mod lexicon;
mod text;
mod understanding;

pub use classify::RuleClassifier;
pub use evaluation::{ClassScores, Evaluation, LabelReport, Labelled, evaluate};
pub use lexicon::{Lexicon, LexiconError, LexiconFile};
pub use understanding::{Classifier, Intent, Language, Sentiment, Understanding};
