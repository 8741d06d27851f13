#![doc = include_str!("../README.md")]

mod calendar;
mod classify;
mod evaluation;
mod hash;
mod lexicon;
mod ranked;
mod score;
mod text;
mod understanding;

pub use calendar::BusinessCalendar;
pub use classify::RuleClassifier;
pub use evaluation::{ClassScores, Evaluation, LabelReport, Labelled, evaluate};
pub use lexicon::{Lexicon, LexiconError, LexiconFile};
pub use ranked::{RankedIndex, Slot};
pub use score::{Breakdown, Signals, Standing, Weights, score_at};
pub use understanding::{Classifier, Intent, Language, Sentiment, Understanding};
