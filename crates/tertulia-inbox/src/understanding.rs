//! What a message says, as the classifier reads it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The language of a message, among those the built-in lexicons read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Spanish (`es`).
    Spanish,
    /// English (`en`).
    English,
    /// Too short or in another language.
    Unknown,
}

impl Language {
    /// The BCP-47 primary tag (`"es"`, `"en"`), or `"und"`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Spanish => "es",
            Language::English => "en",
            Language::Unknown => "und",
        }
    }

    /// The language of a BCP-47 tag (`"es-MX"` → Spanish), if it is one read here.
    ///
    /// ```
    /// use tertulia_inbox::Language;
    /// assert_eq!(Language::from_tag("es-MX"), Language::Spanish);
    /// assert_eq!(Language::from_tag("EN"), Language::English);
    /// assert_eq!(Language::from_tag("pt"), Language::Unknown);
    /// ```
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("es") {
            Language::Spanish
        } else if primary.eq_ignore_ascii_case("en") {
            Language::English
        } else {
            Language::Unknown
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What the author wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Something went wrong and they say so.
    Complaint,
    /// They ask something.
    Question,
    /// They speak well of the brand.
    Praise,
    /// They want to buy (price, stock, where, how to order).
    PurchaseIntent,
    /// Something that can hurt people or the brand's name (safety, health, legal, outrage).
    Crisis,
    /// Advertising, scams, bots.
    Spam,
    /// None of the above.
    Other,
}

impl Intent {
    /// Every intent, in the order of [`Intent::index`].
    pub const ALL: [Intent; 7] = [
        Intent::Complaint,
        Intent::Question,
        Intent::Praise,
        Intent::PurchaseIntent,
        Intent::Crisis,
        Intent::Spam,
        Intent::Other,
    ];

    /// A dense index, `0..7`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The `snake_case` name, as in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Complaint => "complaint",
            Intent::Question => "question",
            Intent::Praise => "praise",
            Intent::PurchaseIntent => "purchase_intent",
            Intent::Crisis => "crisis",
            Intent::Spam => "spam",
            Intent::Other => "other",
        }
    }

    /// The intent with this `snake_case` name.
    ///
    /// ```
    /// use tertulia_inbox::Intent;
    /// assert_eq!(Intent::from_name("purchase_intent"), Some(Intent::PurchaseIntent));
    /// assert_eq!(Intent::from_name("gossip"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|intent| intent.as_str() == name)
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the author feels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    /// Unhappy, angry, disappointed.
    Negative,
    /// Neither.
    Neutral,
    /// Happy, grateful, enthusiastic.
    Positive,
}

impl Sentiment {
    /// Every sentiment, in the order of [`Sentiment::index`].
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];

    /// A dense index, `0..3`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The `snake_case` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    /// The sentiment with this `snake_case` name.
    pub fn from_name(name: &str) -> Option<Sentiment> {
        Sentiment::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a classifier read in one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    /// The language.
    pub language: Language,
    /// What the author wants.
    pub intent: Intent,
    /// How they feel.
    pub sentiment: Sentiment,
    /// Whether it needs an answer now (safety, money lost, an angry customer shouting, a
    /// deadline).
    pub urgent: bool,
    /// The signed strength of the sentiment: below zero negative, above zero positive.
    pub polarity: f32,
    /// Whether a sarcasm marker turned praise into a complaint.
    pub sarcasm: bool,
}

impl Understanding {
    /// What is understood of a message with no words (a reaction, a follow).
    pub fn empty() -> Self {
        Understanding {
            language: Language::Unknown,
            intent: Intent::Other,
            sentiment: Sentiment::Neutral,
            urgent: false,
            polarity: 0.0,
            sarcasm: false,
        }
    }
}

/// Reads messages: the built-in [`RuleClassifier`](crate::RuleClassifier), or a user's own
/// model behind the same trait.
///
/// ```
/// use tertulia_inbox::{Classifier, Intent, Language, Sentiment, Understanding};
///
/// /// A model that thinks everything is a question.
/// struct Curious;
/// impl Classifier for Curious {
///     fn understand(&self, _text: &str, _language: Option<&str>) -> Understanding {
///         Understanding { intent: Intent::Question, ..Understanding::empty() }
///     }
/// }
/// assert_eq!(Curious.understand("hola", None).intent, Intent::Question);
/// ```
pub trait Classifier: Send + Sync {
    /// Reads one message; `language` is the BCP-47 tag the platform gave, if any.
    fn understand(&self, text: &str, language: Option<&str>) -> Understanding;
}
