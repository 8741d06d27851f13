//! Words and phrases, and what they signal, as data.
//!
//! The built-in lexicons (`data/es.json`, `data/en.json`, `data/emoji.json`) are embedded in
//! the binary; a brand adds its own words at run time with [`Lexicon::extend_json`] (product
//! names that mean trouble, local slang, its own spam).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::text::{Token, Tokens, word_hash};
use crate::{Intent, Language};

const SPANISH: &str = include_str!("../data/es.json");
const ENGLISH: &str = include_str!("../data/en.json");
const EMOJI: &str = include_str!("../data/emoji.json");

/// A lexicon file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The JSON does not have the lexicon's shape.
    #[error("lexicon data is not valid: {0}")]
    Format(#[from] serde_json::Error),
    /// A language other than `es`, `en` or `any`.
    #[error("lexicon language {0:?} is not one of \"es\", \"en\", \"any\"")]
    Language(String),
    /// An intent name that is not one of [`Intent`]'s.
    #[error("unknown intent {0:?} in lexicon")]
    Intent(String),
    /// A phrase with no words in it (only punctuation, or nothing).
    #[error("phrase {0:?} in lexicon has no words")]
    EmptyPhrase(String),
}

/// One lexicon file, as written: every field is optional, so a brand's extension holds only
/// what it adds.
///
/// ```json
/// {
///   "language": "es",
///   "stopwords": ["de", "la"],
///   "negators": ["no", "nunca"],
///   "intensifiers": { "muy": 1.5, "poco": 0.5 },
///   "sentiment": { "genial": 2.0, "no funciona": -1.5 },
///   "intents": { "complaint": { "no funciona": 2.0 } },
///   "urgency": ["urgente"],
///   "sarcasm": ["gracias por nada"],
///   "contrast": ["pero"]
/// }
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    /// `"es"`, `"en"`, or `"any"` for marks every language uses (emoji).
    pub language: String,
    /// Function words that tell the language apart.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Words that flip the sentiment of what follows in the same clause.
    #[serde(default)]
    pub negators: Vec<String>,
    /// Words that scale the sentiment of what follows (above 1 stronger, below 1 weaker).
    #[serde(default)]
    pub intensifiers: BTreeMap<String, f32>,
    /// Words and phrases with a signed sentiment weight.
    #[serde(default)]
    pub sentiment: BTreeMap<String, f32>,
    /// Per intent name, words and phrases with the weight of evidence they give it.
    #[serde(default)]
    pub intents: BTreeMap<String, BTreeMap<String, f32>>,
    /// Words and phrases that make a message urgent.
    #[serde(default)]
    pub urgency: Vec<String>,
    /// Markers that turn apparent praise into a complaint.
    #[serde(default)]
    pub sarcasm: Vec<String>,
    /// Words that turn the message (`pero`, `but`): what came before counts half.
    #[serde(default)]
    pub contrast: Vec<String>,
}

pub(crate) const SPANISH_BIT: u8 = 1;
pub(crate) const ENGLISH_BIT: u8 = 2;
const ANY: u8 = SPANISH_BIT | ENGLISH_BIT;

/// What one word is, per language bit.
#[derive(Debug, Clone, Default)]
pub(crate) struct Term {
    pub(crate) stopword: u8,
    pub(crate) negator: u8,
    pub(crate) contrast: u8,
    /// Languages whose lexicon mentions the word at all.
    pub(crate) known: u8,
    pub(crate) intensifier: [f32; 2],
    /// Phrases that start with this word, longest first.
    pub(crate) starts: Vec<u32>,
}

/// A word or phrase and what it signals.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub(crate) words: Box<[u32]>,
    pub(crate) languages: u8,
    pub(crate) sentiment: f32,
    /// Whether the sentiment was given, rather than summed from the phrase's words.
    sentiment_given: bool,
    pub(crate) intents: [f32; 6],
    pub(crate) urgent: bool,
    pub(crate) sarcasm: bool,
}

/// Not a word the lexicon knows.
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// The compiled lexicons of every language, ready for fast lookup.
///
/// ```
/// use tertulia_inbox::Lexicon;
/// let mut lexicon = Lexicon::builtin();
/// lexicon.extend_json(r#"{ "language": "es", "intents": { "crisis": { "cucaracha": 3.0 } } }"#)?;
/// # Ok::<(), tertulia_inbox::LexiconError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    ids: WordTable,
    pub(crate) terms: Vec<Term>,
    pub(crate) phrases: Vec<Phrase>,
}

impl Lexicon {
    /// The built-in Spanish, English and emoji lexicons.
    pub fn builtin() -> Self {
        let mut lexicon = Lexicon::default();
        for data in [SPANISH, ENGLISH, EMOJI] {
            // The built-in data is checked by this crate's tests; a failure here would be a
            // build defect, so it is skipped rather than panicking in a user's program.
            let _ = lexicon.extend_json(data);
        }
        lexicon
    }

    /// An empty lexicon (a user's own data only).
    pub fn empty() -> Self {
        Lexicon::default()
    }

    /// Adds a lexicon file in JSON (see [`LexiconFile`]); later weights for the same phrase
    /// replace earlier ones.
    pub fn extend_json(&mut self, json: &str) -> Result<(), LexiconError> {
        let file: LexiconFile = serde_json::from_str(json)?;
        self.extend(&file)
    }

    /// Adds a lexicon file already read.
    pub fn extend(&mut self, file: &LexiconFile) -> Result<(), LexiconError> {
        let bits = match file.language.as_str() {
            "es" => SPANISH_BIT,
            "en" => ENGLISH_BIT,
            "any" => ANY,
            other => return Err(LexiconError::Language(other.to_owned())),
        };
        for word in &file.stopwords {
            for id in self.intern_words(word) {
                self.terms[id as usize].stopword |= bits;
            }
        }
        for word in &file.negators {
            for id in self.intern_words(word) {
                self.terms[id as usize].negator |= bits;
            }
        }
        for word in &file.contrast {
            for id in self.intern_words(word) {
                self.terms[id as usize].contrast |= bits;
            }
        }
        for (word, factor) in &file.intensifiers {
            for id in self.intern_words(word) {
                let term = &mut self.terms[id as usize];
                term.known |= bits;
                for (slot, bit) in [(0, SPANISH_BIT), (1, ENGLISH_BIT)] {
                    if bits & bit != 0 {
                        term.intensifier[slot] = *factor;
                    }
                }
            }
        }
        for (phrase, weight) in &file.sentiment {
            let record = self.phrase(phrase, bits)?;
            record.sentiment = *weight;
            record.sentiment_given = true;
        }
        for (name, phrases) in &file.intents {
            let intent = Intent::from_name(name).filter(|i| *i != Intent::Other);
            let Some(intent) = intent else {
                return Err(LexiconError::Intent(name.clone()));
            };
            for (phrase, weight) in phrases {
                self.phrase(phrase, bits)?.intents[intent.index()] = *weight;
            }
        }
        for phrase in &file.urgency {
            self.phrase(phrase, bits)?.urgent = true;
        }
        for phrase in &file.sarcasm {
            self.phrase(phrase, bits)?.sarcasm = true;
        }
        self.derive_sentiments();
        Ok(())
    }

    /// A phrase listed only for an intent ("me encanta") keeps the sentiment of its words
    /// ("encanta"), since matching the phrase consumes them.
    fn derive_sentiments(&mut self) {
        for index in 0..self.phrases.len() {
            let phrase = &self.phrases[index];
            if phrase.sentiment_given || phrase.words.len() < 2 {
                continue;
            }
            let languages = phrase.languages;
            let sum: f32 = phrase
                .words
                .iter()
                .map(|word| {
                    self.terms[*word as usize]
                        .starts
                        .iter()
                        .map(|p| &self.phrases[*p as usize])
                        .find(|p| p.words.len() == 1 && p.languages & languages != 0 && p.sentiment_given)
                        .map_or(0.0, |p| p.sentiment)
                })
                .sum();
            self.phrases[index].sentiment = sum;
        }
    }

    /// The id of a token of `tokens`, trying the token with doubled letters made single when
    /// it was elongated (`noo` → `no`).
    pub(crate) fn lookup(&self, tokens: &Tokens, token: &Token) -> u32 {
        let text = tokens.text(token);
        if let Some(id) = self.ids.get_hashed(token.hash, text) {
            return id;
        }
        if token.elongated {
            let mut single = String::with_capacity(text.len());
            let mut last = '\0';
            for c in text.chars() {
                if c != last {
                    single.push(c);
                }
                last = c;
            }
            if let Some(id) = self.ids.get(single.as_str()) {
                return id;
            }
        }
        UNKNOWN
    }

    /// The id of a word already normalised (no elongation fallback).
    pub(crate) fn lookup_word(&self, word: &str) -> u32 {
        self.ids.get(word).unwrap_or(UNKNOWN)
    }

    /// Whether a word is a function word or a negator in any language.
    pub(crate) fn is_function_word(&self, id: u32) -> bool {
        self.term(id).is_some_and(|t| t.stopword != 0 || t.negator != 0)
    }

    /// The term record for an id.
    pub(crate) fn term(&self, id: u32) -> Option<&Term> {
        self.terms.get(id as usize)
    }

    /// Ids of every word in `text`, interning new ones.
    fn intern_words(&mut self, text: &str) -> Vec<u32> {
        let mut tokens = Tokens::default();
        tokens.read(text);
        let words: Vec<String> = tokens.tokens.iter().map(|t| tokens.text(t).to_owned()).collect();
        words.into_iter().map(|word| self.intern(word)).collect()
    }

    fn intern(&mut self, word: String) -> u32 {
        if let Some(id) = self.ids.get(word.as_str()) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(Term::default());
        self.ids.insert(&word, id);
        id
    }

    /// The phrase record for `text` in `languages`, created if new.
    fn phrase(&mut self, text: &str, languages: u8) -> Result<&mut Phrase, LexiconError> {
        let words = self.intern_words(text);
        let Some(first) = words.first().copied() else {
            return Err(LexiconError::EmptyPhrase(text.to_owned()));
        };
        for id in &words {
            self.terms[*id as usize].known |= languages;
        }
        let existing =
            self.terms[first as usize].starts.iter().copied().find(|p| {
                *self.phrases[*p as usize].words == *words && self.phrases[*p as usize].languages == languages
            });
        let index = match existing {
            Some(index) => index,
            None => {
                let index = self.phrases.len() as u32;
                self.phrases.push(Phrase {
                    words: words.into_boxed_slice(),
                    languages,
                    sentiment: 0.0,
                    sentiment_given: false,
                    intents: [0.0; 6],
                    urgent: false,
                    sarcasm: false,
                });
                let phrases = &self.phrases;
                let starts = &mut self.terms[first as usize].starts;
                starts.push(index);
                starts.sort_by_key(|p| std::cmp::Reverse(phrases[*p as usize].words.len()));
                index
            }
        };
        Ok(&mut self.phrases[index as usize])
    }

    /// How many words and phrases the lexicon holds.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether the lexicon holds no phrases.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// Word → id, open addressing with linear probing over one arena of word bytes: a lookup
/// hashes the word once (FNV-1a), probes a slot or two, and compares bytes only when the
/// stored hash matches.
#[derive(Debug, Clone, Default)]
struct WordTable {
    /// Per slot: `id + 1`, or 0 when empty.
    slots: Vec<u32>,
    /// Per id: the word's hash, and its span of `arena`.
    words: Vec<(u64, u32, u32)>,
    arena: String,
}

impl WordTable {
    #[inline]
    fn get(&self, word: &str) -> Option<u32> {
        self.get_hashed(word_hash(word), word)
    }

    #[inline]
    fn get_hashed(&self, hash: u64, word: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            let id = entry - 1;
            let (stored, start, end) = self.words[id as usize];
            if stored == hash && self.arena.as_bytes().get(start as usize..end as usize) == Some(word.as_bytes()) {
                return Some(id);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn insert(&mut self, word: &str, id: u32) {
        let start = self.arena.len() as u32;
        self.arena.push_str(word);
        let hash = word_hash(word);
        if self.words.len() <= id as usize {
            self.words.resize(id as usize + 1, (0, 0, 0));
        }
        self.words[id as usize] = (hash, start, self.arena.len() as u32);
        if (self.words.len() + 1) * 2 > self.slots.len() {
            self.grow();
        } else {
            self.place(hash, id);
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        self.slots = vec![0; size];
        for id in 0..self.words.len() {
            let hash = self.words[id].0;
            self.place(hash, id as u32);
        }
    }

    fn place(&mut self, hash: u64, id: u32) {
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = id + 1;
    }
}

/// The language bit of a [`Language`].
pub(crate) fn language_bits(language: Language) -> u8 {
    match language {
        Language::Spanish => SPANISH_BIT,
        Language::English => ENGLISH_BIT,
        Language::Unknown => ANY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_reads() {
        for data in [SPANISH, ENGLISH, EMOJI] {
            let mut lexicon = Lexicon::default();
            lexicon.extend_json(data).unwrap();
            assert!(!lexicon.is_empty());
        }
    }

    #[test]
    fn bad_extensions_are_typed_errors() {
        let mut lexicon = Lexicon::builtin();
        assert!(matches!(lexicon.extend_json("{"), Err(LexiconError::Format(_))));
        assert!(matches!(lexicon.extend_json(r#"{"language":"pt"}"#), Err(LexiconError::Language(_))));
        assert!(matches!(
            lexicon.extend_json(r#"{"language":"es","intents":{"gossip":{"x":1}}}"#),
            Err(LexiconError::Intent(_))
        ));
        assert!(matches!(
            lexicon.extend_json(r#"{"language":"es","urgency":["!!"]}"#),
            Err(LexiconError::EmptyPhrase(_))
        ));
    }
}
