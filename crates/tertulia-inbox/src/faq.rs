//! Frequent questions, grouped so a brand writes one answer per group.

use std::collections::{BTreeMap, HashMap};

use crate::lexicon::Lexicon;
use crate::text::Tokens;

/// A group of questions that ask the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionGroup {
    /// The question that shares most with the rest (a good one to show).
    pub representative: String,
    /// The words most of the group uses.
    pub terms: Vec<String>,
    /// Every question in the group, in the order given.
    pub questions: Vec<String>,
}

/// Groups questions by the content words they share.
///
/// Each question becomes a set of content words: tokens (case, accents and emphasis
/// normalised) without the lexicons' function words, with a final `s` dropped from words of
/// more than four letters (`horarios` ~ `horario`, `cups` ~ `cup`). A question joins the
/// group whose word set it is most similar to by Jaccard similarity (shared words over
/// words in either), if that similarity reaches the threshold; otherwise it starts a new
/// group. Candidate groups are found through an inverted index from word to groups, so the
/// work grows with the words shared, not with the square of the questions. A group's word
/// set is the words in at least a third of its questions, so it follows the group rather
/// than its first member.
///
/// ```
/// use tertulia_inbox::FaqGrouper;
/// let grouper = FaqGrouper::new(0.35);
/// let groups = grouper.group(&[
///     "¿A qué hora abren los domingos?",
///     "hola! a que hora abren el domingo??",
///     "What time do you open on Sundays?",
///     "what time do you open on sunday",
///     "¿Tienen leche de avena?",
/// ], 2);
/// assert_eq!(groups.len(), 2);
/// assert!(groups.iter().all(|g| g.questions.len() == 2));
/// ```
#[derive(Debug, Clone)]
pub struct FaqGrouper {
    lexicon: Lexicon,
    threshold: f32,
}

impl FaqGrouper {
    /// A grouper with the built-in lexicons' function words and a Jaccard threshold
    /// (0.35 to 0.5 suits short questions).
    pub fn new(threshold: f32) -> Self {
        FaqGrouper { lexicon: Lexicon::builtin(), threshold }
    }

    /// A grouper with a lexicon of the caller's.
    pub fn with_lexicon(lexicon: Lexicon, threshold: f32) -> Self {
        FaqGrouper { lexicon, threshold }
    }

    /// The content words of a question, sorted and distinct.
    pub fn words(&self, question: &str) -> Vec<String> {
        let mut tokens = Tokens::default();
        tokens.read(question);
        let mut words: Vec<String> = tokens
            .tokens
            .iter()
            .map(|t| tokens.text(t))
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .filter(|w| {
                let id = self.lexicon.lookup_word(w);
                !self.lexicon.is_function_word(id)
            })
            .map(|w| if w.len() > 4 && w.ends_with('s') { w[..w.len() - 1].to_owned() } else { w.to_owned() })
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    }

    /// Groups of at least `min_size` questions, largest first.
    pub fn group<S: AsRef<str>>(&self, questions: &[S], min_size: usize) -> Vec<QuestionGroup> {
        struct Group {
            members: Vec<usize>,
            counts: BTreeMap<String, usize>,
            words: Vec<String>,
        }
        let sets: Vec<Vec<String>> = questions.iter().map(|q| self.words(q.as_ref())).collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, words) in sets.iter().enumerate() {
            if words.is_empty() {
                continue;
            }
            let mut candidates: Vec<usize> = words.iter().filter_map(|w| postings.get(w)).flatten().copied().collect();
            candidates.sort_unstable();
            candidates.dedup();
            let best = candidates
                .into_iter()
                .map(|g| (g, jaccard(words, &groups[g].words)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .filter(|(_, similarity)| *similarity >= self.threshold);
            let group = match best {
                Some((g, _)) => g,
                None => {
                    groups.push(Group { members: Vec::new(), counts: BTreeMap::new(), words: Vec::new() });
                    groups.len() - 1
                }
            };
            let entry = &mut groups[group];
            entry.members.push(index);
            for word in words {
                *entry.counts.entry(word.clone()).or_default() += 1;
            }
            let needed = entry.members.len().div_ceil(3);
            let new_words: Vec<String> =
                entry.counts.iter().filter(|(_, c)| **c >= needed).map(|(w, _)| w.clone()).collect();
            for word in &new_words {
                let list = postings.entry(word.clone()).or_default();
                if !list.contains(&group) {
                    list.push(group);
                }
            }
            entry.words = new_words;
        }
        let mut result: Vec<QuestionGroup> = groups
            .into_iter()
            .filter(|g| g.members.len() >= min_size.max(1))
            .map(|g| {
                let representative = g
                    .members
                    .iter()
                    .max_by(|a, b| jaccard(&sets[**a], &g.words).total_cmp(&jaccard(&sets[**b], &g.words)))
                    .map(|i| questions[*i].as_ref().to_owned())
                    .unwrap_or_default();
                let majority = g.members.len().div_ceil(2);
                QuestionGroup {
                    representative,
                    terms: g.counts.iter().filter(|(_, c)| **c >= majority).map(|(w, _)| w.clone()).collect(),
                    questions: g.members.iter().map(|i| questions[*i].as_ref().to_owned()).collect(),
                }
            })
            .collect();
        result.sort_by_key(|g| std::cmp::Reverse(g.questions.len()));
        result
    }
}

/// Shared words over words in either, for sorted distinct lists.
fn jaccard(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f32 / (a.len() + b.len() - shared) as f32
}
