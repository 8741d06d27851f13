//! Priority: one score per open interaction, with the breakdown that explains it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use tertulia_core::{Interaction, PlatformKind};

#[cfg(doc)]
use crate::Intent;
use crate::{Sentiment, Understanding};

/// How much each signal weighs, per brand (serde-able, so it lives in the brand's settings).
///
/// The score of an open interaction is
///
/// ```text
///   intent[intent] + urgent·[urgent] + negative·max(0, −polarity) + positive·max(0, polarity)
/// + reach·log10(1 + followers) + verified·[verified]
/// + advocate·[advocate] + open_case·[open case] + vip·[vip] + customer·[customer] + blocked·[blocked]
/// + deadline·(business hours since it arrived) + unanswered·[conversation unanswered]
/// + platforms[platform]
/// ```
///
/// with `polarity` capped at ±3. The deadline term grows by the same amount per business hour
/// for every item, so the order of two items never changes with the clock alone: the ranked
/// index stores the score minus `deadline·(business-hour position of arrival)` and is never
/// re-scored as time passes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Per intent, in [`Intent::ALL`] order.
    pub intent: [f32; 7],
    /// When the message is urgent.
    pub urgent: f32,
    /// Per unit of negative polarity.
    pub negative: f32,
    /// Per unit of positive polarity.
    pub positive: f32,
    /// Per power of ten of the author's followers.
    pub reach: f32,
    /// When the platform marks the author verified.
    pub verified: f32,
    /// When the author is one of the brand's advocates.
    pub advocate: f32,
    /// When the author has a case open.
    pub open_case: f32,
    /// When the author is a VIP.
    pub vip: f32,
    /// When the author is a known customer.
    pub customer: f32,
    /// When the author is blocked (a large negative number sinks them).
    pub blocked: f32,
    /// Per business hour since the message arrived.
    pub deadline: f32,
    /// Business minutes the brand promises to answer within.
    pub response_target_minutes: u32,
    /// When nobody from the brand has answered in the conversation yet.
    pub unanswered: f32,
    /// Per platform; platforms not listed weigh nothing.
    pub platforms: BTreeMap<PlatformKind, f32>,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            // complaint, question, praise, purchase intent, crisis, spam, other
            intent: [20.0, 12.0, 3.0, 15.0, 60.0, -60.0, 0.0],
            urgent: 25.0,
            negative: 4.0,
            positive: 0.5,
            reach: 3.0,
            verified: 5.0,
            advocate: 6.0,
            open_case: 15.0,
            vip: 20.0,
            customer: 4.0,
            blocked: -200.0,
            deadline: 4.0,
            response_target_minutes: 120,
            unanswered: 10.0,
            platforms: BTreeMap::new(),
        }
    }
}

/// What the brand knows of an author, as flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Standing {
    /// One of the brand's advocates.
    pub advocate: bool,
    /// Has a case open.
    pub open_case: bool,
    /// A VIP.
    pub vip: bool,
    /// A known customer.
    pub customer: bool,
    /// Blocked.
    pub blocked: bool,
}

/// Why an item has its score: each term of the formula in [`Weights`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Breakdown {
    /// From the intent.
    pub intent: f32,
    /// From urgency.
    pub urgency: f32,
    /// From the sentiment.
    pub sentiment: f32,
    /// From the author's followers.
    pub reach: f32,
    /// From the author's verification.
    pub verified: f32,
    /// From the author's standing with the brand.
    pub relationship: f32,
    /// From the business time spent waiting.
    pub waiting: f32,
    /// From the conversation being unanswered.
    pub unanswered: f32,
    /// From the platform.
    pub platform: f32,
    /// Business minutes left before the response target (negative when overdue).
    pub minutes_left: i64,
}

impl Breakdown {
    /// The score: the sum of the terms.
    pub fn total(&self) -> f32 {
        self.intent
            + self.urgency
            + self.sentiment
            + self.reach
            + self.verified
            + self.relationship
            + self.waiting
            + self.unanswered
            + self.platform
    }

    /// The terms, named, largest contribution first (zero terms left out).
    pub fn terms(&self) -> Vec<(&'static str, f32)> {
        let mut terms: Vec<(&'static str, f32)> = [
            ("intent", self.intent),
            ("urgency", self.urgency),
            ("sentiment", self.sentiment),
            ("reach", self.reach),
            ("verified", self.verified),
            ("relationship", self.relationship),
            ("waiting", self.waiting),
            ("unanswered", self.unanswered),
            ("platform", self.platform),
        ]
        .into_iter()
        .filter(|(_, value)| *value != 0.0)
        .collect();
        terms.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        terms
    }
}

impl fmt::Display for Breakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1} =", self.total())?;
        for (i, (name, value)) in self.terms().into_iter().enumerate() {
            let sign = if value < 0.0 {
                "−"
            } else if i == 0 {
                ""
            } else {
                "+"
            };
            write!(f, " {sign}{} {name}", format_args!("{:.1}", value.abs()))?;
        }
        if self.minutes_left >= 0 {
            write!(f, " ({} business min left)", self.minutes_left)
        } else {
            write!(f, " ({} business min overdue)", -self.minutes_left)
        }
    }
}

/// The parts of a score that do not change with time, and how to rank them.
///
/// ```
/// use tertulia_inbox::{Intent, Language, Sentiment, Standing, Understanding, Weights, Signals};
/// let read = Understanding { language: Language::Spanish, intent: Intent::Complaint, sentiment: Sentiment::Negative, urgent: true, polarity: -2.0, sarcasm: false };
/// let signals = Signals { understanding: read, followers: 10_000, verified: false, standing: Standing::default(), unanswered: true, platform_weight: 0.0 };
/// let breakdown = signals.breakdown(&Weights::default(), 0.5);
/// assert_eq!(breakdown.intent, 20.0);
/// assert_eq!(breakdown.urgency, 25.0);
/// assert_eq!(breakdown.waiting, 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals {
    /// What the message says.
    pub understanding: Understanding,
    /// The author's followers (0 when unknown).
    pub followers: u64,
    /// Whether the platform marks the author verified.
    pub verified: bool,
    /// What the brand knows of the author.
    pub standing: Standing,
    /// Whether the conversation is still unanswered.
    pub unanswered: bool,
    /// The weight of the platform, from [`Weights::platforms`].
    pub platform_weight: f32,
}

impl Signals {
    /// The signals of an interaction.
    pub fn of(
        interaction: &Interaction,
        understanding: Understanding,
        standing: Standing,
        unanswered: bool,
        weights: &Weights,
    ) -> Self {
        Signals {
            understanding,
            followers: interaction.author.followers.unwrap_or(0),
            verified: interaction.author.verified,
            standing,
            unanswered,
            platform_weight: weights.platforms.get(&interaction.platform).copied().unwrap_or(0.0),
        }
    }

    /// The score's terms after `waited_hours` business hours of waiting.
    pub fn breakdown(&self, weights: &Weights, waited_hours: f32) -> Breakdown {
        let read = &self.understanding;
        let polarity = read.polarity.clamp(-3.0, 3.0);
        let standing = &self.standing;
        let flag = |on: bool, weight: f32| if on { weight } else { 0.0 };
        let sentiment = match read.sentiment {
            Sentiment::Negative => weights.negative * (-polarity).max(1.0),
            Sentiment::Positive => weights.positive * polarity.max(1.0),
            Sentiment::Neutral => 0.0,
        };
        let target_minutes = i64::from(weights.response_target_minutes);
        Breakdown {
            intent: weights.intent[read.intent.index()],
            urgency: flag(read.urgent, weights.urgent),
            sentiment,
            reach: weights.reach * ((self.followers as f64 + 1.0).log10() as f32),
            verified: flag(self.verified, weights.verified),
            relationship: flag(standing.advocate, weights.advocate)
                + flag(standing.open_case, weights.open_case)
                + flag(standing.vip, weights.vip)
                + flag(standing.customer, weights.customer)
                + flag(standing.blocked, weights.blocked),
            waiting: weights.deadline * waited_hours.max(0.0),
            unanswered: flag(self.unanswered, weights.unanswered),
            platform: self.platform_weight,
            minutes_left: target_minutes - (f64::from(waited_hours.max(0.0)) * 60.0) as i64,
        }
    }

    /// The time-free rank key of an item that arrived at business-second `arrival` of the
    /// brand's calendar: the score at arrival minus the waiting term's growth since the
    /// calendar's start, in thousandths. Ordering by it is ordering by score at any instant.
    pub fn rank_key(&self, weights: &Weights, arrival: i64) -> i64 {
        let at_arrival = self.breakdown(weights, 0.0).total();
        let drift = f64::from(weights.deadline) * arrival as f64 / 3600.0;
        ((f64::from(at_arrival) - drift) * 1000.0).round() as i64
    }
}

/// The score at business-second `now` of an item with rank key `key`.
pub fn score_at(key: i64, weights: &Weights, now: i64) -> f32 {
    (key as f64 / 1000.0 + f64::from(weights.deadline) * now as f64 / 3600.0) as f32
}
