#![doc = include_str!("../README.md")]

mod advocates;
mod calendar;
mod cases;
mod classify;
mod conversation;
mod crisis;
mod evaluation;
mod faq;
mod inbox;
mod ingest;
mod lexicon;
mod ranked;
mod routing;
mod score;
#[cfg(feature = "store")]
mod store_cursors;
mod text;
mod understanding;

pub use advocates::{AdvocateScore, Advocates, Evidence, MatchSuggestion, Profile};
pub use calendar::BusinessCalendar;
pub use cases::{Cases, CasesError, ResponseTimes, Summary};
pub use classify::RuleClassifier;
pub use conversation::{ConversationKey, Threads};
pub use crisis::{CrisisAlert, CrisisMonitor, CrisisSettings};
pub use evaluation::{ClassScores, Evaluation, LabelReport, Labelled, evaluate};
pub use faq::{FaqGrouper, QuestionGroup};
pub use inbox::{Arrival, AuthorKey, Inbox, InteractionKey, Item, Ranked};
pub use ingest::{
    CursorStore, IngestError, IngestSettings, Ingestor, KeptItem, MemoryCursorStore, Source, StreamKey, StreamState,
    WEBHOOK_STREAM,
};
pub use lexicon::{Lexicon, LexiconError, LexiconFile};
pub use ranked::{RankedIndex, Slot};
pub use routing::{Condition, Route, Router, Rule};
pub use score::{Breakdown, Signals, Standing, Weights, score_at};
#[cfg(feature = "store")]
pub use store_cursors::StoreCursors;
pub use understanding::{Classifier, Intent, Language, Sentiment, Understanding};
