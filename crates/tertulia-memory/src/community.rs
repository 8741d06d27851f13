//! A deterministic community: people who comment, reply, quote, react, follow, mention the
//! brand and write to it, in Spanish and English, driven by a seeded random generator.

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tertulia_core::{Author, Handle, Interaction, InteractionKind, PlatformKind, RemoteId, Result};

use crate::{MemoryPlatform, NewInteraction};

/// One person of the simulated community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// How they appear on the network.
    pub author: Author,
    /// The language they write in (`es` or `en`).
    pub language: &'static str,
}

/// The people of the community and the seeded randomness that decides what they do.
///
/// The same seed on the same network state always produces the same interactions.
///
/// ```
/// # tokio_test_block(async {
/// use std::sync::Arc;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{ClientMarker, IdempotencyKey, ManualClock, Platform, PublishRequest};
/// use tertulia_memory::{Community, MemoryPlatform, NetworkProfile};
///
/// let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()));
/// let network = MemoryPlatform::new(NetworkProfile::mastodon_like(), clock.clone());
/// let outcome = network.publish(&PublishRequest::new("Hoy, tarta de queso", IdempotencyKey::new("k1"), ClientMarker::new("m1"))).await;
/// let post = outcome.published().unwrap().id.clone();
/// clock.advance(std::time::Duration::from_secs(3 * 3600));
/// let answers = Community::new(7).answer(&network, &post, 12).unwrap();
/// assert_eq!(answers.len(), 12);
/// assert!(answers.iter().all(|i| i.subject.as_ref() == Some(&post)));
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Community {
    rng: StdRng,
    people: Vec<Person>,
}

/// (handle, display name, language, followers, verified)
const CAST: [(&str, &str, &str, u64, bool); 12] = [
    ("ana", "Ana Ruiz", "es", 340, false),
    ("bruno", "Bruno Díaz", "es", 1_250, false),
    ("carmen", "Carmen Vidal", "es", 89, false),
    ("diego", "Diego Martín", "es", 12_400, true),
    ("elena", "Elena Soto", "es", 560, false),
    ("fran", "Fran Gil", "es", 47, false),
    ("grace", "Grace Hall", "en", 2_100, false),
    ("henry", "Henry Cole", "en", 150, false),
    ("irene", "Irene Campos", "es", 3_300, false),
    ("james", "James Reed", "en", 48_000, true),
    ("lucia", "Lucía Navarro", "es", 720, false),
    ("maya", "Maya Brooks", "en", 410, false),
];

const COMMENTS_ES: [&str; 8] = [
    "¡Qué buena pinta! ¿Abrís el domingo?",
    "El mejor café de la ciudad, sin duda ☕",
    "¿Tenéis opciones sin gluten?",
    "Ayer fui y el servicio fue lentísimo, una pena.",
    "Me encanta este sitio, siempre vuelvo 😍",
    "¿Hace falta reservar para grupos de 8?",
    "Mi pedido llegó frío y nadie responde al teléfono.",
    "¡Enhorabuena por el aniversario!",
];
const COMMENTS_EN: [&str; 6] = [
    "Love this place, best flat white in town!",
    "Do you have oat milk?",
    "Waited 40 minutes for my order today. Not great.",
    "Is there wifi for working?",
    "The cheesecake is unreal 🤤",
    "Are dogs allowed on the terrace?",
];
const REPLIES_ES: [&str; 4] = [
    "Totalmente de acuerdo",
    "A mí me pasó lo mismo la semana pasada",
    "¡Sí! Y la tarta también",
    "Yo fui el martes y genial",
];
const REPLIES_EN: [&str; 3] = ["Same here!", "Agreed, the staff are lovely", "Happened to me too last week"];
const QUOTES_ES: [&str; 3] = ["Esto hay que probarlo 👇", "Plan para el finde", "Mirad lo que han sacado"];
const QUOTES_EN: [&str; 2] = ["Weekend plans sorted 👇", "This looks amazing"];
const MENTIONS_ES: [&str; 4] = [
    "{brand} ¿a qué hora abrís mañana?",
    "Gracias {brand} por el detalle de ayer 💛",
    "{brand} me cobrasteis dos veces el café, ¿me ayudáis?",
    "Recomiendo muchísimo {brand} para desayunar",
];
const MENTIONS_EN: [&str; 3] = [
    "{brand} what time do you open tomorrow?",
    "Shout out to {brand} for the great coffee",
    "{brand} my card was charged twice, can you help?",
];
const MESSAGES_ES: [&str; 3] = [
    "Hola, quería reservar una mesa para 8 el sábado a las 11.",
    "Buenas, me dejé una bufanda azul ayer, ¿la tenéis?",
    "Hola, ¿hacéis tartas por encargo?",
];
const MESSAGES_EN: [&str; 2] =
    ["Hi, do you cater for office events?", "Hello, I think I left my umbrella there yesterday."];
const CHATTER_ES: [&str; 3] = [
    "Buscando un café tranquilo para leer en Madrid, ¿ideas? Me hablan bien de la Tertulia",
    "La tertulia de los jueves en el café es lo mejor de la semana",
    "Otro día más sin encontrar un buen flat white por el centro",
];
const CHATTER_EN: [&str; 2] = [
    "Any quiet cafés in Madrid for working? Someone said Tertulia",
    "Best cheesecake in Madrid? Tertulia gets my vote",
];

impl Community {
    /// A community of twelve people (most write in Spanish, some in English) whose choices
    /// follow `seed`.
    pub fn new(seed: u64) -> Self {
        let people = CAST
            .iter()
            .enumerate()
            .map(|(index, (handle, name, language, followers, verified))| Person {
                author: Author {
                    id: RemoteId::new(format!("1100{index:02}")),
                    handle: Handle::new(*handle),
                    display_name: Some((*name).to_owned()),
                    followers: Some(*followers),
                    verified: *verified,
                    url: None,
                },
                language,
            })
            .collect();
        Community { rng: StdRng::seed_from_u64(seed), people }
    }

    /// The people, as they appear on any network.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// `count` interactions about one of the brand's posts (comments, replies between
    /// people, quotes, reposts, reactions: the kinds the network lists), at times spread
    /// between the post and now; the post also gains views.
    pub fn answer(&mut self, network: &MemoryPlatform, post: &RemoteId, count: usize) -> Result<Vec<Interaction>> {
        let published = network.post(post).map(|p| p.created_at).unwrap_or_else(|| network.clock().now());
        let kinds = listed(
            network,
            &[
                (InteractionKind::Comment, 4),
                (InteractionKind::Reply, 2),
                (InteractionKind::Quote, 1),
                (InteractionKind::Repost, 2),
                (InteractionKind::Reaction, 5),
            ],
        );
        let mut added = Vec::with_capacity(count);
        let mut comments: Vec<(RemoteId, DateTime<Utc>)> = Vec::new();
        for _ in 0..count {
            let Some(mut kind) = self.pick_kind(&kinds) else { break };
            let person = self.person(&network.profile().capabilities.platform);
            // A reply answers the latest comment, after it; with no comment yet, it is one.
            let parent = comments.last().cloned();
            if kind == InteractionKind::Reply && parent.is_none() {
                kind = InteractionKind::Comment;
            }
            let after = match (&kind, &parent) {
                (InteractionKind::Reply, Some((_, commented))) => *commented,
                _ => published,
            };
            let at = self.time_between(after, network.clock().now());
            let mut new = NewInteraction::new(kind.clone(), person.author.clone()).about(post.clone()).at(at);
            if let Some(texts) = texts_for(&kind, person.language) {
                new = new.text(self.choose(texts)).language(person.language);
            }
            if let (InteractionKind::Reply, Some((comment, _))) = (&kind, parent) {
                new = new.in_reply_to(comment);
            }
            let interaction = network.add(new)?;
            if interaction.kind == InteractionKind::Comment {
                comments.push((interaction.id.clone(), interaction.created_at));
            }
            added.push(interaction);
        }
        let views = self.rng.random_range(20..60) * count as u64;
        if network.post(post).is_some() {
            network.add_views(post, views)?;
        }
        Ok(added)
    }

    /// `count` interactions not about a post: mentions of the brand, direct messages, new
    /// followers, and public posts about it that only search finds (the kinds the network
    /// has), at times in the last `hours` before now.
    pub fn chatter(&mut self, network: &MemoryPlatform, count: usize, hours: u32) -> Result<Vec<Interaction>> {
        let caps = tertulia_core::Platform::capabilities(network);
        let mut kinds = listed(
            network,
            &[(InteractionKind::Mention, 3), (InteractionKind::DirectMessage, 2), (InteractionKind::Follow, 2)],
        );
        if caps.search {
            kinds.push((InteractionKind::Listening, 3));
        }
        let now = network.clock().now();
        let since = now - chrono::Duration::hours(i64::from(hours));
        let brand = format!("@{}", network.profile().account.handle);
        let mut added = Vec::with_capacity(count);
        for _ in 0..count {
            let Some(kind) = self.pick_kind(&kinds) else { break };
            let person = self.person(&network.profile().capabilities.platform);
            let at = self.time_between(since, now);
            let interaction = match kind {
                InteractionKind::Listening => {
                    let texts = texts_for(&kind, person.language).unwrap_or(&CHATTER_EN);
                    let new = NewInteraction::new(kind, person.author.clone())
                        .text(self.choose(texts))
                        .language(person.language)
                        .at(at);
                    network.add_public_post(new)?
                }
                _ => {
                    let mut new = NewInteraction::new(kind.clone(), person.author.clone()).at(at);
                    if let Some(texts) = texts_for(&kind, person.language) {
                        new = new.text(self.choose(texts).replace("{brand}", &brand)).language(person.language);
                    }
                    network.add(new)?
                }
            };
            added.push(interaction);
        }
        Ok(added)
    }

    fn pick_kind(&mut self, kinds: &[(InteractionKind, u32)]) -> Option<InteractionKind> {
        let total: u32 = kinds.iter().map(|(_, weight)| weight).sum();
        if total == 0 {
            return None;
        }
        let mut roll = self.rng.random_range(0..total);
        for (kind, weight) in kinds {
            if roll < *weight {
                return Some(kind.clone());
            }
            roll -= weight;
        }
        None
    }

    fn person(&mut self, platform: &PlatformKind) -> Person {
        let index = self.rng.random_range(0..self.people.len());
        let mut person = self.people[index].clone();
        // Handles look like the network's own.
        let handle = person.author.handle.as_str().to_owned();
        person.author.handle = Handle::new(match platform {
            PlatformKind::Mastodon => format!("{handle}@social.example"),
            PlatformKind::Bluesky => format!("{handle}.bsky.social"),
            _ => handle.clone(),
        });
        if *platform == PlatformKind::Bluesky {
            person.author.id = RemoteId::new(format!("did:plc:{handle}{index:02}"));
        }
        person
    }

    fn time_between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
        let span = (to - from).num_seconds();
        if span <= 0 {
            return to;
        }
        from + chrono::Duration::seconds(self.rng.random_range(0..=span))
    }

    fn choose(&mut self, texts: &[&str]) -> String {
        let index = self.rng.random_range(0..texts.len());
        texts[index].to_owned()
    }
}

/// What people write for an interaction of `kind` in `language`; `None` for the kinds
/// without words (reactions, reposts, follows).
fn texts_for(kind: &InteractionKind, language: &str) -> Option<&'static [&'static str]> {
    let spanish = language == "es";
    Some(match kind {
        InteractionKind::Comment if spanish => &COMMENTS_ES,
        InteractionKind::Comment => &COMMENTS_EN,
        InteractionKind::Reply if spanish => &REPLIES_ES,
        InteractionKind::Reply => &REPLIES_EN,
        InteractionKind::Quote if spanish => &QUOTES_ES,
        InteractionKind::Quote => &QUOTES_EN,
        InteractionKind::Mention if spanish => &MENTIONS_ES,
        InteractionKind::Mention => &MENTIONS_EN,
        InteractionKind::DirectMessage if spanish => &MESSAGES_ES,
        InteractionKind::DirectMessage => &MESSAGES_EN,
        InteractionKind::Listening if spanish => &CHATTER_ES,
        InteractionKind::Listening => &CHATTER_EN,
        _ => return None,
    })
}

fn listed(network: &MemoryPlatform, kinds: &[(InteractionKind, u32)]) -> Vec<(InteractionKind, u32)> {
    let caps = tertulia_core::Platform::capabilities(network);
    kinds.iter().filter(|(kind, _)| caps.lists(kind)).cloned().collect()
}
