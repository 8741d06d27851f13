//! Measuring a [`Classifier`] against labelled messages: per-class precision, recall, F1
//! and macro-F1, for intent and for sentiment.

use std::fmt;

use crate::{Classifier, Intent, Sentiment};

/// One message with the labels a person gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// The text.
    pub text: String,
    /// The language tag the platform would give, if any.
    pub language: Option<String>,
    /// The intent a person reads in it.
    pub intent: Intent,
    /// The sentiment a person reads in it.
    pub sentiment: Sentiment,
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClassScores {
    /// Of the messages predicted in the class, the share that were.
    pub precision: f64,
    /// Of the messages in the class, the share predicted so.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Messages labelled in the class.
    pub support: usize,
}

/// Scores for every class of one label, from a confusion matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelReport {
    /// Class names, in matrix order.
    pub classes: Vec<&'static str>,
    /// `confusion[truth][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    /// Per class, in `classes` order.
    pub scores: Vec<ClassScores>,
}

impl LabelReport {
    fn new(classes: Vec<&'static str>, pairs: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let n = classes.len();
        let mut confusion = vec![vec![0usize; n]; n];
        for (truth, predicted) in pairs {
            confusion[truth][predicted] += 1;
        }
        let scores = (0..n)
            .map(|class| {
                let hit = confusion[class][class] as f64;
                let predicted: usize = confusion.iter().map(|row| row[class]).sum();
                let support: usize = confusion[class].iter().sum();
                let precision = if predicted == 0 { 0.0 } else { hit / predicted as f64 };
                let recall = if support == 0 { 0.0 } else { hit / support as f64 };
                let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
                ClassScores { precision, recall, f1, support }
            })
            .collect();
        LabelReport { classes, confusion, scores }
    }

    /// The unweighted mean of F1 over the classes that have examples.
    pub fn macro_f1(&self) -> f64 {
        let present: Vec<f64> = self.scores.iter().filter(|s| s.support > 0).map(|s| s.f1).collect();
        if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / present.len() as f64 }
    }

    /// The share of messages classified right.
    pub fn accuracy(&self) -> f64 {
        let total: usize = self.confusion.iter().flatten().sum();
        let right: usize = (0..self.classes.len()).map(|i| self.confusion[i][i]).sum();
        if total == 0 { 0.0 } else { right as f64 / total as f64 }
    }
}

impl fmt::Display for LabelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<16} {:>9} {:>7} {:>6} {:>8}", "class", "precision", "recall", "f1", "support")?;
        for (class, s) in self.classes.iter().zip(&self.scores) {
            writeln!(f, "{class:<16} {:>9.3} {:>7.3} {:>6.3} {:>8}", s.precision, s.recall, s.f1, s.support)?;
        }
        writeln!(f, "{:<16} {:>24.3}   (accuracy {:.3})", "macro-F1", self.macro_f1(), self.accuracy())
    }
}

/// How a classifier did on a set of labelled messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Intent scores.
    pub intent: LabelReport,
    /// Sentiment scores.
    pub sentiment: LabelReport,
    /// The messages it got wrong: text, labelled intent and sentiment, predicted ones.
    pub misses: Vec<(String, Intent, Sentiment, Intent, Sentiment)>,
}

/// Runs `classifier` over `samples` and scores it.
///
/// ```
/// use tertulia_inbox::{evaluate, Intent, Labelled, RuleClassifier, Sentiment};
/// let samples = [Labelled { text: "¿A qué hora abren?".into(), language: None, intent: Intent::Question, sentiment: Sentiment::Neutral }];
/// let report = evaluate(&RuleClassifier::builtin(), &samples);
/// assert_eq!(report.intent.accuracy(), 1.0);
/// ```
pub fn evaluate(classifier: &dyn Classifier, samples: &[Labelled]) -> Evaluation {
    let mut intents = Vec::with_capacity(samples.len());
    let mut sentiments = Vec::with_capacity(samples.len());
    let mut misses = Vec::new();
    for sample in samples {
        let read = classifier.understand(&sample.text, sample.language.as_deref());
        intents.push((sample.intent.index(), read.intent.index()));
        sentiments.push((sample.sentiment.index(), read.sentiment.index()));
        if read.intent != sample.intent || read.sentiment != sample.sentiment {
            misses.push((sample.text.clone(), sample.intent, sample.sentiment, read.intent, read.sentiment));
        }
    }
    Evaluation {
        intent: LabelReport::new(Intent::ALL.iter().map(|i| i.as_str()).collect(), intents),
        sentiment: LabelReport::new(Sentiment::ALL.iter().map(|s| s.as_str()).collect(), sentiments),
        misses,
    }
}
