//! The built-in classifier: lexicons and rules, in Spanish and English.

use std::cell::RefCell;

use crate::lexicon::{ENGLISH_BIT, SPANISH_BIT, UNKNOWN, language_bits};
use crate::text::Tokens;
use crate::{Classifier, Intent, Language, Lexicon, Sentiment, Understanding};

/// Reads messages with a [`Lexicon`] and a few rules.
///
/// Language by function words and Spanish-only marks (`ñ`, `¿`, accents), unless the
/// platform said; sentiment by signed word and phrase weights, flipped by a negator earlier in
/// the same clause (`no está mal` is mildly positive), scaled by intensifiers, emphasis
/// (`!!`, `siiii`, capitals) and emoji, and turned negative by sarcasm markers; intent by the
/// evidence phrases give each intent, plus a question mark for questions and the sentiment
/// for complaints and praise; urgency by urgent phrases, a crisis, or an angry shout.
///
/// ```
/// use tertulia_inbox::{Classifier, Intent, Language, RuleClassifier, Sentiment};
/// let classifier = RuleClassifier::builtin();
/// let read = classifier.understand("Mi pedido no ha llegado y nadie me responde 😡", None);
/// assert_eq!((read.language, read.intent, read.sentiment), (Language::Spanish, Intent::Complaint, Sentiment::Negative));
/// let read = classifier.understand("not bad at all, actually", None);
/// assert_eq!(read.sentiment, Sentiment::Positive);
/// ```
#[derive(Debug, Clone)]
pub struct RuleClassifier {
    lexicon: Lexicon,
}

/// Weight of evidence an intent needs to be chosen over [`Intent::Other`].
const INTENT_FLOOR: f32 = 0.9;
/// Polarity beyond which a message is positive or negative.
const POLARITY_FLOOR: f32 = 0.5;
/// How many words a negator reaches.
const NEGATION_REACH: u8 = 3;

thread_local! {
    static SCRATCH: RefCell<(Tokens, Vec<u32>)> = RefCell::new((Tokens::default(), Vec::new()));
}

impl RuleClassifier {
    /// The classifier with the built-in lexicons.
    pub fn builtin() -> Self {
        RuleClassifier { lexicon: Lexicon::builtin() }
    }

    /// A classifier with a lexicon of the caller's (usually [`Lexicon::builtin`] extended).
    pub fn with_lexicon(lexicon: Lexicon) -> Self {
        RuleClassifier { lexicon }
    }

    /// The lexicon, to extend it.
    pub fn lexicon_mut(&mut self) -> &mut Lexicon {
        &mut self.lexicon
    }

    fn read(&self, tokens: &Tokens, ids: &mut Vec<u32>, hint: Option<&str>) -> Understanding {
        let lexicon = &self.lexicon;
        ids.clear();
        // Look every word up once, weighing the evidence for each language on the way.
        let mut spanish = f32::from(tokens.spanish_marks) * 1.5;
        let mut english = 0.0f32;
        for token in &tokens.tokens {
            let id = lexicon.lookup(tokens, token);
            ids.push(id);
            if let Some(term) = lexicon.term(id) {
                spanish += language_evidence(term, SPANISH_BIT);
                english += language_evidence(term, ENGLISH_BIT);
            }
        }
        let language = match hint.map(Language::from_tag) {
            Some(language @ (Language::Spanish | Language::English)) => language,
            _ if spanish == 0.0 && english == 0.0 => Language::Unknown,
            _ if spanish >= english => Language::Spanish,
            _ => Language::English,
        };
        let bits = language_bits(language);

        let mut positive = 0.0f32;
        let mut negative = 0.0f32;
        let mut evidence = [0.0f32; 7];
        let mut urgent = false;
        let mut sarcasm = false;
        let mut negation = 0u8;
        let mut intensity = 1.0f32;
        let mut index = 0;
        while index < ids.len() {
            let token = &tokens.tokens[index];
            if token.boundary {
                negation = 0;
                intensity = 1.0;
            }
            let id = ids[index];
            let Some(term) = lexicon.term(id).filter(|_| id != UNKNOWN) else {
                negation = negation.saturating_sub(1);
                index += 1;
                continue;
            };
            let matched = term.starts.iter().map(|p| &lexicon.phrases[*p as usize]).find(|phrase| {
                let len = phrase.words.len();
                phrase.languages & bits != 0
                    && index + len <= ids.len()
                    && (1..len).all(|k| ids[index + k] == phrase.words[k] && !tokens.tokens[index + k].boundary)
            });
            if let Some(phrase) = matched {
                let emphasis = if token.elongated { 1.3 } else { 1.0 };
                let mut weight = phrase.sentiment * intensity * emphasis;
                let negated = negation > 0 && term.negator & bits == 0;
                if negated {
                    weight = -weight * 0.7;
                }
                if weight > 0.0 {
                    positive += weight;
                } else {
                    negative -= weight;
                }
                for (slot, value) in phrase.intents.iter().enumerate() {
                    // A negated word of praise or complaint is neither ("no me gusta", "no
                    // está mal"); a negated word of praise is a mild complaint.
                    let flips = slot == Intent::Praise.index() || slot == Intent::Complaint.index();
                    if !(negated && flips) {
                        evidence[slot] += value;
                    }
                }
                if negated && phrase.intents[Intent::Praise.index()] > 0.0 {
                    evidence[Intent::Complaint.index()] += phrase.intents[Intent::Praise.index()] * 0.5;
                }
                urgent |= phrase.urgent;
                sarcasm |= phrase.sarcasm;
                intensity = 1.0;
                negation = negation.saturating_sub(phrase.words.len() as u8);
                index += phrase.words.len();
                continue;
            }
            if term.contrast & bits != 0 {
                positive *= 0.5;
                negative *= 0.5;
                negation = 0;
                intensity = 1.0;
            } else if term.negator & bits != 0 {
                negation = NEGATION_REACH;
            } else {
                let factor = match language {
                    Language::Spanish => term.intensifier[0],
                    Language::English => term.intensifier[1],
                    Language::Unknown => term.intensifier[0].max(term.intensifier[1]),
                };
                if factor > 0.0 {
                    intensity = (intensity * factor).min(3.0);
                } else {
                    negation = negation.saturating_sub(1);
                }
            }
            index += 1;
        }

        // Emphasis: exclamation marks and shouting make a feeling stronger.
        let mut emphasis = 1.0 + 0.15 * f32::from(tokens.exclamations.min(3));
        if tokens.shouting() {
            emphasis += 0.5;
        }
        positive *= emphasis;
        negative *= emphasis;

        // Sarcasm: praise words beside a marker, or beside clear evidence of a complaint, are
        // read as the complaint they are ("genial, otra vez sin servicio").
        let complaint = evidence[Intent::Complaint.index()];
        if positive > 0.0 && (sarcasm || (complaint >= 1.5 && negative > 0.0)) {
            sarcasm = true;
            negative += positive;
            positive = 0.0;
            evidence[Intent::Complaint.index()] += evidence[Intent::Praise.index()].max(1.0);
            evidence[Intent::Praise.index()] = 0.0;
        }
        let polarity = positive - negative;
        let sentiment = if polarity >= POLARITY_FLOOR {
            Sentiment::Positive
        } else if polarity <= -POLARITY_FLOOR {
            Sentiment::Negative
        } else {
            Sentiment::Neutral
        };

        if tokens.questions > 0 || tokens.ends_with_question {
            evidence[Intent::Question.index()] += if tokens.ends_with_question { 1.0 } else { 0.6 };
        }
        evidence[Intent::Complaint.index()] += negative.min(3.0) * 0.5;
        evidence[Intent::Praise.index()] += positive.min(3.0) * 0.45;
        if tokens.urls > 0 {
            evidence[Intent::Spam.index()] += 0.4 * f32::from(tokens.urls.min(3));
        }
        if tokens.hashtags >= 5 || tokens.mentions >= 5 {
            evidence[Intent::Spam.index()] += 1.0;
        }
        // A message in a bad mood is not praise, and rarely a purchase ("the prices
        // doubled"); what there was of either counts toward a complaint.
        if sentiment == Sentiment::Negative {
            evidence[Intent::Complaint.index()] += evidence[Intent::PurchaseIntent.index()] * 0.5;
            evidence[Intent::PurchaseIntent.index()] *= 0.5;
            evidence[Intent::Praise.index()] = 0.0;
        }
        let mut intent = choose_intent(&evidence);
        // Without evidence for any intent, the mood decides: a clearly happy message is
        // praise, a clearly unhappy one a complaint.
        if intent == Intent::Other {
            if polarity >= 0.8 {
                intent = Intent::Praise;
            } else if polarity <= -0.8 {
                intent = Intent::Complaint;
            }
        }
        // Spam's feelings are not the community's.
        let sentiment = if intent == Intent::Spam { Sentiment::Neutral } else { sentiment };
        // A complaint or a crisis is negative, and praise positive, even in words the
        // lexicon does not weigh ("el croissant estaba duro").
        let sentiment = match (intent, sentiment) {
            (Intent::Complaint | Intent::Crisis, Sentiment::Neutral) => Sentiment::Negative,
            (Intent::Praise, Sentiment::Neutral) => Sentiment::Positive,
            _ => sentiment,
        };
        urgent |= intent == Intent::Crisis
            || (intent == Intent::Complaint && (tokens.shouting() || negative >= 4.0 || tokens.exclamations >= 3));
        if intent == Intent::Spam {
            urgent = false;
        }
        Understanding { language, intent, sentiment, urgent, polarity, sarcasm }
    }
}

/// How much a word says the message is in the language of `bit`: a function word 1, a word
/// only that language's lexicon knows 0.6.
#[inline]
fn language_evidence(term: &crate::lexicon::Term, bit: u8) -> f32 {
    if term.stopword & bit != 0 {
        1.0
    } else if term.known & bit != 0 && term.known != (SPANISH_BIT | ENGLISH_BIT) {
        0.6
    } else {
        0.0
    }
}

/// Crisis and spam first when their evidence is clear; otherwise the strongest of the rest,
/// if it is strong enough.
fn choose_intent(evidence: &[f32; 7]) -> Intent {
    if evidence[Intent::Crisis.index()] >= 1.5 {
        return Intent::Crisis;
    }
    if evidence[Intent::Spam.index()] >= 1.5 {
        return Intent::Spam;
    }
    // Asking about buying is a purchase intent first, a question second.
    if evidence[Intent::Question.index()] > 0.0
        && evidence[Intent::PurchaseIntent.index()] >= 1.2
        && evidence[Intent::PurchaseIntent.index()] >= evidence[Intent::Complaint.index()]
    {
        return Intent::PurchaseIntent;
    }
    let mut best = Intent::Other;
    let mut best_weight = INTENT_FLOOR;
    for intent in [Intent::Complaint, Intent::PurchaseIntent, Intent::Question, Intent::Praise] {
        let weight = evidence[intent.index()];
        if weight > best_weight {
            best = intent;
            best_weight = weight;
        }
    }
    best
}

impl Classifier for RuleClassifier {
    fn understand(&self, text: &str, language: Option<&str>) -> Understanding {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let (tokens, ids) = &mut *scratch;
                tokens.read(text);
                self.read(tokens, ids, language)
            }
            // Re-entered from inside a classification (a user's classifier wrapping this
            // one): use fresh buffers.
            Err(_) => {
                let mut tokens = Tokens::default();
                tokens.read(text);
                self.read(&tokens, &mut Vec::new(), language)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Understanding {
        RuleClassifier::builtin().understand(text, None)
    }

    #[test]
    fn negation_flips_within_the_clause_only() {
        assert_eq!(read("no está mal").sentiment, Sentiment::Positive);
        assert_eq!(read("not bad").sentiment, Sentiment::Positive);
        assert_eq!(read("no me gusta nada el nuevo sabor").sentiment, Sentiment::Negative);
        assert_eq!(read("I don't like the new menu").sentiment, Sentiment::Negative);
        assert_eq!(read("No. Me encanta.").sentiment, Sentiment::Positive);
    }

    #[test]
    fn sarcasm_turns_praise_into_complaint() {
        let read = read("Genial, otra vez sin wifi en la tienda 🙄");
        assert_eq!(read.sentiment, Sentiment::Negative);
        assert!(read.sarcasm);
        let read = super::tests::read("Oh great, my order is late AGAIN. Thanks for nothing");
        assert_eq!((read.intent, read.sentiment), (Intent::Complaint, Sentiment::Negative));
    }

    #[test]
    fn intensifiers_and_emoji_carry_weight() {
        assert!(read("muy muy bueno").polarity > read("bueno").polarity);
        assert_eq!(read("😍😍😍").sentiment, Sentiment::Positive);
        assert_eq!(read("🙂").language, Language::Unknown);
    }

    #[test]
    fn language_hint_wins_and_detection_reads_function_words() {
        assert_eq!(read("¿Tienen opciones sin gluten?").language, Language::Spanish);
        assert_eq!(read("do you have gluten free options").language, Language::English);
        assert_eq!(RuleClassifier::builtin().understand("ok", Some("es-AR")).language, Language::Spanish);
    }

    #[test]
    fn a_brand_extends_the_lexicon_at_run_time() {
        let mut classifier = RuleClassifier::builtin();
        let text = "El frappé de hoy sabe a jabón";
        assert_eq!(classifier.understand(text, None).intent, Intent::Other);
        classifier
            .lexicon_mut()
            .extend_json(r#"{ "language": "es", "sentiment": { "sabe a jabón": -1.5 }, "intents": { "complaint": { "sabe a jabón": 2.0 } } }"#)
            .unwrap();
        let read = classifier.understand(text, None);
        assert_eq!((read.intent, read.sentiment), (Intent::Complaint, Sentiment::Negative));
    }

    #[test]
    fn crisis_is_urgent_and_spam_never_is() {
        let crisis = read("Mi hijo acabó en urgencias por una intoxicación después de comer aquí");
        assert_eq!(crisis.intent, Intent::Crisis);
        assert!(crisis.urgent);
        let spam = read("Gana dinero desde casa!!! 💰💰 https://x.example/promo");
        assert_eq!(spam.intent, Intent::Spam);
        assert!(!spam.urgent);
    }
}
