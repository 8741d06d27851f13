//! The inbox: every interaction of a brand, understood, grouped and ranked.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tertulia_core::{Brand, Interaction, PlatformKind, RemoteId};

use crate::conversation::{ConversationKey, Threads};
use crate::{
    Breakdown, BusinessCalendar, Classifier, Intent, RankedIndex, Signals, Slot, Standing, Understanding, Weights,
};

/// An interaction, keyed across platforms.
pub type InteractionKey = (PlatformKind, RemoteId);

/// An author, keyed across platforms.
pub type AuthorKey = (PlatformKind, RemoteId);

/// One interaction in the inbox, with what was read in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The interaction.
    pub interaction: Interaction,
    /// What the classifier read.
    pub understanding: Understanding,
    /// Its conversation.
    pub conversation: ConversationKey,
    /// When the brand answered it (or dismissed it), if it has.
    pub answered_at: Option<DateTime<Utc>>,
    /// Whether it was written by one of the brand's own accounts.
    pub from_brand: bool,
    slot: Option<Slot>,
}

impl Item {
    /// Whether it waits in the ranked inbox for an answer.
    pub fn is_open(&self) -> bool {
        self.slot.is_some()
    }
}

/// What [`Inbox::add`] did with an interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// New, and ranked among the open items.
    Ranked,
    /// New, kept but not ranked (the brand's own message, a reaction, a follow, spam).
    Kept,
    /// Already in the inbox (by webhook and by polling, say): nothing changed.
    Duplicate,
}

/// An open item at the top of the inbox, with its score and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    /// The item.
    pub item: &'a Item,
    /// Its score now.
    pub score: f32,
    /// The terms of the score.
    pub breakdown: Breakdown,
}

#[derive(Debug, Clone, Default)]
struct Conversation {
    items: Vec<u32>,
    answered_at: Option<DateTime<Utc>>,
}

/// A brand's inbox: interactions from every platform, each kept once, grouped into
/// conversations, read by a [`Classifier`], and the open ones ranked by [`Weights`].
///
/// Arrivals, answers and changes of an author's standing re-score only the items they touch;
/// time passing re-scores nothing (see [`Weights`]).
///
/// ```
/// use std::sync::Arc;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{Author, Brand, BrandId, BusinessHours, Interaction, InteractionKind, PlatformKind, RemoteId};
/// use tertulia_inbox::{Arrival, Inbox, Intent, RuleClassifier, Weights};
///
/// let mut brand = Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
/// brand.business_hours = BusinessHours::always();
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
/// let mut inbox = Inbox::new(brand, Weights::default(), Arc::new(RuleClassifier::builtin()), now);
/// let message = |id: &str, text: &str| Interaction {
///     id: RemoteId::new(id), platform: PlatformKind::Mastodon, account: None, kind: InteractionKind::Mention,
///     author: Author::new("7", "ana"), text: Some(text.into()), language: None, created_at: now,
///     subject: None, in_reply_to: None, conversation: None, permalink: None,
/// };
/// assert_eq!(inbox.add(message("1", "¡Me encanta el nuevo tueste!")), Arrival::Ranked);
/// assert_eq!(inbox.add(message("2", "Me cobraron dos veces el pedido, quiero un reembolso YA")), Arrival::Ranked);
/// assert_eq!(inbox.add(message("2", "Me cobraron dos veces el pedido, quiero un reembolso YA")), Arrival::Duplicate);
/// let top = inbox.top(1, now);
/// assert_eq!(top[0].item.understanding.intent, Intent::Complaint);
/// ```
#[derive(Debug)]
pub struct Inbox {
    brand: Brand,
    weights: Weights,
    calendar: BusinessCalendar,
    classifier: Arc<dyn Classifier>,
    items: Vec<Item>,
    by_id: HashMap<InteractionKey, u32>,
    slot_items: Vec<u32>,
    threads: Threads,
    conversations: HashMap<ConversationKey, Conversation>,
    standings: HashMap<AuthorKey, Standing>,
    by_author: HashMap<AuthorKey, Vec<u32>>,
    index: RankedIndex,
}

impl std::fmt::Debug for dyn Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Classifier")
    }
}

impl Inbox {
    /// An empty inbox for `brand`, whose business calendar is laid out for a year either side
    /// of `now` (and is right, if slower, beyond).
    pub fn new(brand: Brand, weights: Weights, classifier: Arc<dyn Classifier>, now: DateTime<Utc>) -> Self {
        let today = now.with_timezone(&brand.time_zone).date_naive();
        let calendar = BusinessCalendar::new(
            &brand,
            today.checked_sub_days(chrono::Days::new(366)).unwrap_or(today),
            today.checked_add_days(chrono::Days::new(366)).unwrap_or(today),
        );
        Inbox {
            brand,
            weights,
            calendar,
            classifier,
            items: Vec::new(),
            by_id: HashMap::new(),
            slot_items: Vec::new(),
            threads: Threads::default(),
            conversations: HashMap::new(),
            standings: HashMap::new(),
            by_author: HashMap::new(),
            index: RankedIndex::default(),
        }
    }

    /// The brand.
    pub fn brand(&self) -> &Brand {
        &self.brand
    }

    /// The weights in use.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The brand's business calendar.
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The classifier in use.
    pub fn classifier(&self) -> &dyn Classifier {
        self.classifier.as_ref()
    }

    /// Adds an interaction: kept once however often it arrives; read, grouped into its
    /// conversation and, if it waits for an answer, ranked. A message from one of the brand's
    /// own accounts answers the item it replies to and its conversation.
    pub fn add(&mut self, interaction: Interaction) -> Arrival {
        let key = (interaction.platform.clone(), interaction.id.clone());
        if self.by_id.contains_key(&key) {
            return Arrival::Duplicate;
        }
        let conversation = self.threads.assign(&interaction);
        let from_brand = self.is_brand(&interaction);
        let understanding = match (&interaction.text, from_brand) {
            (Some(text), false) => self.classifier.understand(text, interaction.language.as_deref()),
            _ => Understanding::empty(),
        };
        let number = self.items.len() as u32;
        let author = (interaction.platform.clone(), interaction.author.id.clone());
        let at = interaction.created_at;
        let parent = interaction.in_reply_to.clone().map(|id| (interaction.platform.clone(), id));
        let waits = !from_brand
            && interaction.kind.is_conversational()
            && interaction.text.is_some()
            && understanding.intent != Intent::Spam;
        self.items.push(Item {
            interaction,
            understanding,
            conversation: conversation.clone(),
            answered_at: None,
            from_brand,
            slot: None,
        });
        self.by_id.insert(key, number);
        self.by_author.entry(author).or_default().push(number);
        self.conversations.entry(conversation).or_default().items.push(number);
        if from_brand {
            if let Some(parent) = parent {
                self.answer(&parent.0, &parent.1, at);
            }
            return Arrival::Kept;
        }
        if !waits {
            return Arrival::Kept;
        }
        let key = self.rank_key(number);
        let slot = self.index.insert(key);
        if slot.0 as usize >= self.slot_items.len() {
            self.slot_items.resize(slot.0 as usize + 1, u32::MAX);
        }
        self.slot_items[slot.0 as usize] = number;
        self.items[number as usize].slot = Some(slot);
        Arrival::Ranked
    }

    /// Records that the brand answered an interaction at `at`: it leaves the ranking, its
    /// conversation counts as answered, and the conversation's other open items are
    /// re-scored. Returns `false` if the interaction is unknown.
    pub fn answer(&mut self, platform: &PlatformKind, id: &RemoteId, at: DateTime<Utc>) -> bool {
        let Some(number) = self.by_id.get(&(platform.clone(), id.clone())).copied() else { return false };
        self.close(number, at);
        let conversation = self.items[number as usize].conversation.clone();
        let Some(state) = self.conversations.get_mut(&conversation) else { return true };
        if state.answered_at.is_none() {
            state.answered_at = Some(at);
            let others = state.items.clone();
            for other in others {
                self.rescore(other);
            }
        }
        true
    }

    /// Takes an interaction out of the ranking without an answer (handled elsewhere, not
    /// worth one). Returns `false` if it is unknown.
    pub fn dismiss(&mut self, platform: &PlatformKind, id: &RemoteId, at: DateTime<Utc>) -> bool {
        let Some(number) = self.by_id.get(&(platform.clone(), id.clone())).copied() else { return false };
        self.close(number, at);
        true
    }

    /// Sets what the brand knows of an author, re-scoring their open items.
    pub fn set_standing(&mut self, platform: &PlatformKind, author: &RemoteId, standing: Standing) {
        let key = (platform.clone(), author.clone());
        if standing == Standing::default() {
            self.standings.remove(&key);
        } else {
            self.standings.insert(key.clone(), standing);
        }
        let items = self.by_author.get(&key).cloned().unwrap_or_default();
        for number in items {
            self.rescore(number);
        }
    }

    /// What the brand knows of an author.
    pub fn standing(&self, platform: &PlatformKind, author: &RemoteId) -> Standing {
        self.standings.get(&(platform.clone(), author.clone())).copied().unwrap_or_default()
    }

    /// The `k` open items with the highest scores at `now`, highest first.
    pub fn top(&self, k: usize, now: DateTime<Utc>) -> Vec<Ranked<'_>> {
        self.index
            .top(k)
            .filter_map(|(slot, _)| self.slot_items.get(slot.0 as usize))
            .map(|number| {
                let item = &self.items[*number as usize];
                let breakdown = self.breakdown(item, now);
                Ranked { item, score: breakdown.total(), breakdown }
            })
            .collect()
    }

    /// The score's terms of an item at `now`.
    pub fn breakdown(&self, item: &Item, now: DateTime<Utc>) -> Breakdown {
        let waited = self.calendar.between(item.interaction.created_at, now);
        self.signals(item).breakdown(&self.weights, waited.num_seconds() as f32 / 3600.0)
    }

    /// An item by platform and id.
    pub fn get(&self, platform: &PlatformKind, id: &RemoteId) -> Option<&Item> {
        self.by_id.get(&(platform.clone(), id.clone())).map(|n| &self.items[*n as usize])
    }

    /// Every item, in arrival order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter()
    }

    /// The items of a conversation, in arrival order.
    pub fn conversation(&self, key: &ConversationKey) -> impl Iterator<Item = &Item> {
        self.conversations.get(key).into_iter().flat_map(|c| c.items.iter().map(|n| &self.items[*n as usize]))
    }

    /// When the brand first answered in a conversation, if it has.
    pub fn conversation_answered_at(&self, key: &ConversationKey) -> Option<DateTime<Utc>> {
        self.conversations.get(key).and_then(|c| c.answered_at)
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the inbox holds nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many items wait for an answer.
    pub fn open_len(&self) -> usize {
        self.index.len()
    }

    /// Business time an item has waited by `now` (until it was answered, if it was).
    pub fn waited(&self, item: &Item, now: DateTime<Utc>) -> Duration {
        self.calendar.between(item.interaction.created_at, item.answered_at.unwrap_or(now))
    }

    fn close(&mut self, number: u32, at: DateTime<Utc>) {
        let item = &mut self.items[number as usize];
        if item.answered_at.is_none() {
            item.answered_at = Some(at);
        }
        if let Some(slot) = item.slot.take() {
            self.index.remove(slot);
        }
    }

    fn rescore(&mut self, number: u32) {
        let Some(slot) = self.items[number as usize].slot else { return };
        let key = self.rank_key(number);
        self.index.update(slot, key);
    }

    fn rank_key(&self, number: u32) -> i64 {
        let item = &self.items[number as usize];
        let arrival = self.calendar.position(item.interaction.created_at);
        self.signals(item).rank_key(&self.weights, arrival)
    }

    fn signals(&self, item: &Item) -> Signals {
        let interaction = &item.interaction;
        let standing = self.standing(&interaction.platform, &interaction.author.id);
        let unanswered = self.conversations.get(&item.conversation).is_none_or(|c| c.answered_at.is_none());
        Signals::of(interaction, item.understanding, standing, unanswered, &self.weights)
    }

    fn is_brand(&self, interaction: &Interaction) -> bool {
        self.brand.accounts.iter().any(|account| {
            account.platform == interaction.platform
                && (account.remote_id.as_ref() == Some(&interaction.author.id)
                    || account.handle.as_str().eq_ignore_ascii_case(interaction.author.handle.as_str()))
        })
    }
}
