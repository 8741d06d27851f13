#![doc = include_str!("../README.md")]

mod classify;
mod hash;
mod lexicon;
mod text;
mod understanding;

pub use classify::RuleClassifier;
pub use lexicon::{Lexicon, LexiconError, LexiconFile};
pub use understanding::{Classifier, Intent, Language, Sentiment, Understanding};
