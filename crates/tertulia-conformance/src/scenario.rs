//! The scenarios: for each check, the exact data it sends and expects back, defined once so a
//! stateless mock server can be programmed to match.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tertulia_core::{ClientMarker, ErrorKind, IdempotencyKey, InteractionKind, MediaUpload, Operation, PublishRequest};

/// One behaviour of the suite; each has a check function of the same name in
/// [`checks`](crate::checks) and a [`Scenario`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// `account` answers the connected account.
    AccountInfo,
    /// A text post is published and its key and marker come back.
    PublishText,
    /// Media is uploaded with alt text, attached, and read back with it.
    PublishWithMediaAndAltText,
    /// A thread goes out in order, each part replying to the previous.
    PublishThreadInOrder,
    /// A post scheduled natively comes back as scheduled.
    PublishScheduledNatively,
    /// A text over the network's limit is refused as invalid input (the text is `a` repeated
    /// `max_length + 1` times, from the capabilities).
    TextOverTheLimit,
    /// A reply to an interaction goes out and answers it.
    ReplyToInteraction,
    /// A deleted post is gone.
    DeletePost,
    /// A post reads back as it was.
    GetPost,
    /// Interactions list newest first across pages, the cursor surviving serde.
    ListInteractionsPages,
    /// A post's metrics are the figures the network holds.
    PostMetrics,
    /// The account's metrics are the figures the network holds.
    AccountMetrics,
    /// Search finds the public posts that match, newest first.
    SearchPublicPosts,
    /// A publish whose answer is lost is reported as unknown.
    PublishOutcomeUnknown,
    /// After an unknown outcome, the post is found by its marker.
    FindByMarkerAfterUnknownOutcome,
    /// Every operation the capabilities deny answers `Unsupported`, and no other does.
    UnsupportedOperations,
    /// A missing post is reported as not found.
    NotFound,
    /// A refused token is reported as unauthenticated.
    Unauthenticated,
    /// A rate limit is reported with its retry-after.
    RateLimited,
    /// A temporary server failure is reported as unavailable and temporary.
    TemporaryFailure,
}

impl Check {
    /// Every check, in the order the suite runs them.
    pub const ALL: [Check; 20] = [
        Check::AccountInfo,
        Check::PublishText,
        Check::PublishWithMediaAndAltText,
        Check::PublishThreadInOrder,
        Check::PublishScheduledNatively,
        Check::TextOverTheLimit,
        Check::ReplyToInteraction,
        Check::DeletePost,
        Check::GetPost,
        Check::ListInteractionsPages,
        Check::PostMetrics,
        Check::AccountMetrics,
        Check::SearchPublicPosts,
        Check::PublishOutcomeUnknown,
        Check::FindByMarkerAfterUnknownOutcome,
        Check::UnsupportedOperations,
        Check::NotFound,
        Check::Unauthenticated,
        Check::RateLimited,
        Check::TemporaryFailure,
    ];

    /// The check's name: the name of its function and of its test.
    pub fn name(self) -> &'static str {
        match self {
            Check::AccountInfo => "account_info",
            Check::PublishText => "publish_text",
            Check::PublishWithMediaAndAltText => "publish_with_media_and_alt_text",
            Check::PublishThreadInOrder => "publish_thread_in_order",
            Check::PublishScheduledNatively => "publish_scheduled_natively",
            Check::TextOverTheLimit => "text_over_the_limit",
            Check::ReplyToInteraction => "reply_to_interaction",
            Check::DeletePost => "delete_post",
            Check::GetPost => "get_post",
            Check::ListInteractionsPages => "list_interactions_pages",
            Check::PostMetrics => "post_metrics",
            Check::AccountMetrics => "account_metrics",
            Check::SearchPublicPosts => "search_public_posts",
            Check::PublishOutcomeUnknown => "publish_outcome_unknown",
            Check::FindByMarkerAfterUnknownOutcome => "find_by_marker_after_unknown_outcome",
            Check::UnsupportedOperations => "unsupported_operations",
            Check::NotFound => "not_found",
            Check::Unauthenticated => "unauthenticated",
            Check::RateLimited => "rate_limited",
            Check::TemporaryFailure => "temporary_failure",
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The connected account as the scenario expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedAccount {
    /// Its handle begins with this (`cafetertulia`, `cafetertulia@host`, `cafetertulia.bsky.social`).
    pub handle: &'static str,
    /// Its display name.
    pub display_name: &'static str,
    /// Its followers.
    pub followers: u64,
}

/// Engagement a seeded post has gathered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Engagement {
    /// Likes (reactions, favourites).
    pub likes: u64,
    /// Reposts (boosts).
    pub reposts: u64,
    /// Replies (comments).
    pub replies: u64,
    /// Quotes.
    pub quotes: u64,
    /// Times shown, where the network reports impressions.
    pub impressions: u64,
}

/// A post of the account that exists before the check starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPost {
    /// Its text.
    pub text: &'static str,
    /// Its language.
    pub language: &'static str,
    /// How long before [`Scenario::now`] it was published.
    pub age: Duration,
    /// What the community did with it.
    pub engagement: Engagement,
    /// It existed once and is gone now: reading it answers not found.
    pub gone: bool,
}

/// An interaction addressed to the account (or a public post, for search).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedInteraction {
    /// Its kind.
    pub kind: InteractionKind,
    /// Its author's handle (without `@`).
    pub author: &'static str,
    /// Its text.
    pub text: &'static str,
    /// Its language.
    pub language: &'static str,
    /// How long before [`Scenario::now`] it happened.
    pub age: Duration,
}

/// What goes wrong in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The first call of `operation` fails with `kind` (an HTTP adapter's mock answers the
    /// matching status: 401, 404, 429 with a reset `retry_after` from now, 503).
    Fail {
        /// The operation.
        operation: Operation,
        /// The kind the adapter must report.
        kind: ErrorKind,
        /// The retry-after the error must carry.
        retry_after: Option<Duration>,
    },
    /// The first call of `operation` takes effect but its answer is lost (a mock drops
    /// the connection or answers a gateway timeout, and lists the post afterwards).
    LoseOutcome {
        /// The operation.
        operation: Operation,
    },
}

/// Everything a check sends and expects, for a harness to set the platform up.
///
/// A harness seeds `posts`, `interactions` and `public_posts`, sets its clock to `now`,
/// arranges `fault`, and, for a mock server, answers the `publish`, `upload` and `reply`
/// requests listed here with what the check expects.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Scenario {
    /// The check it drives.
    pub check: Check,
    /// The instant the harness's clock shows when the check starts.
    pub now: DateTime<Utc>,
    /// The connected account.
    pub account: SeedAccount,
    /// The account's posts, oldest first.
    pub posts: Vec<SeedPost>,
    /// Interactions addressed to the account, newest first.
    pub interactions: Vec<SeedInteraction>,
    /// Other people's public posts, newest first (search finds them).
    pub public_posts: Vec<SeedInteraction>,
    /// What goes wrong.
    pub fault: Option<Fault>,
    /// The posts the check publishes, in order (a thread's parts chain `in_reply_to` at
    /// run time, from each previous answer).
    pub publish: Vec<PublishRequest>,
    /// The media the check uploads before publishing.
    pub upload: Option<MediaUpload>,
    /// The reply the check sends to the first seeded interaction: text, key, marker.
    pub reply: Option<PublishRequest>,
    /// The page size the check asks for.
    pub page_size: Option<u32>,
    /// The words the check searches for.
    pub search: Option<&'static str>,
}

/// The instant every scenario starts at: Thursday 26 November 2026, 09:00 UTC.
pub fn scenario_now() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 11, 26)
        .and_then(|day| day.and_hms_opt(9, 0, 0))
        .map(|naive| naive.and_utc())
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

const MINUTE: Duration = Duration::from_secs(60);

fn request(text: &str, n: &str) -> PublishRequest {
    PublishRequest::new(
        text,
        IdempotencyKey::new(format!("conformance-key-{n}")),
        ClientMarker::new(format!("conformance-{n}")),
    )
    .language("es")
}

fn post(text: &'static str, hours_ago: u32) -> SeedPost {
    SeedPost { text, language: "es", age: 60 * MINUTE * hours_ago, engagement: Engagement::default(), gone: false }
}

fn mention(author: &'static str, text: &'static str, minutes_ago: u32) -> SeedInteraction {
    SeedInteraction { kind: InteractionKind::Mention, author, text, language: "es", age: MINUTE * minutes_ago }
}

/// The texts of the seven mentions the pagination check lists, newest first.
pub const PAGED_MENTIONS: [&str; 7] = [
    "@cafetertulia ¿abrís el 8 de diciembre?",
    "@cafetertulia the cheesecake was amazing, thank you!",
    "@cafetertulia ¿tenéis leche de avena?",
    "@cafetertulia me cobrasteis dos veces el café de esta mañana",
    "@cafetertulia do you take reservations for 10 people?",
    "@cafetertulia ¡feliz aniversario!",
    "@cafetertulia ¿hay enchufes para trabajar?",
];

const AUTHORS: [&str; 7] = ["ana", "grace", "bruno", "carmen", "henry", "diego", "elena"];

impl Scenario {
    fn base(check: Check) -> Scenario {
        Scenario {
            check,
            now: scenario_now(),
            account: SeedAccount { handle: "cafetertulia", display_name: "Café Tertulia", followers: 1234 },
            posts: Vec::new(),
            interactions: Vec::new(),
            public_posts: Vec::new(),
            fault: None,
            publish: Vec::new(),
            upload: None,
            reply: None,
            page_size: None,
            search: None,
        }
    }

    /// The scenario of a check.
    pub fn of(check: Check) -> Scenario {
        let mut s = Scenario::base(check);
        match check {
            Check::AccountInfo | Check::UnsupportedOperations => {}
            Check::PublishText => {
                s.publish = vec![request("Abrimos a las 8 con pan recién hecho ☕🥐", "text")];
            }
            Check::PublishWithMediaAndAltText => {
                s.upload = Some(
                    MediaUpload::new(b"\x89PNG\r\n\x1a\nconformance".to_vec(), "image/png")
                        .alt_text("Una taza de café con un corazón dibujado en la espuma")
                        .dimensions(1200, 800),
                );
                s.publish = vec![request("Latte art de los viernes", "media")];
            }
            Check::PublishThreadInOrder => {
                s.publish = vec![
                    request("Hoy cumplimos diez años 🎉 Un hilo:", "thread-0"),
                    request("Abrimos en 2016 con tres mesas y una cafetera.", "thread-1"),
                    request(
                        "Gracias a quienes venís cada mañana. Esta semana, el café corre de nuestra cuenta.",
                        "thread-2",
                    ),
                ];
            }
            Check::PublishScheduledNatively => {
                let mut scheduled = request("Mañana, tarta de queso de la casa", "scheduled");
                scheduled.schedule_at = Some(s.now + chrono::Duration::hours(2));
                s.publish = vec![scheduled];
            }
            Check::TextOverTheLimit => {
                // The text is made at run time from the capabilities: one unit over the limit.
                s.publish = vec![request("", "too-long")];
            }
            Check::ReplyToInteraction => {
                s.posts = vec![post("Nueva carta de otoño", 3)];
                s.interactions = vec![SeedInteraction {
                    kind: InteractionKind::Mention,
                    author: "ana",
                    text: "@cafetertulia ¿tenéis opciones sin gluten?",
                    language: "es",
                    age: 20 * MINUTE,
                }];
                s.reply = Some(request("¡Hola Ana! Sí: pan y dos tartas sin gluten cada día.", "reply"));
            }
            Check::DeletePost => s.posts = vec![post("Este post se borrará", 1)],
            Check::GetPost => s.posts = vec![post("Hoy, chocolate con churros hasta las 12", 2)],
            Check::ListInteractionsPages => {
                s.interactions = PAGED_MENTIONS
                    .iter()
                    .zip(AUTHORS)
                    .enumerate()
                    .map(|(index, (text, author))| {
                        let mut seeded = mention(author, text, 5 + 10 * index as u32);
                        if text.contains("the ") || text.contains("do you") {
                            seeded.language = "en";
                        }
                        seeded
                    })
                    .collect();
                s.page_size = Some(3);
            }
            Check::PostMetrics => {
                let mut seeded = post("¿Café o té? Contadnos", 5);
                seeded.engagement = Engagement { likes: 5, reposts: 2, replies: 3, quotes: 1, impressions: 480 };
                s.posts = vec![seeded];
            }
            Check::AccountMetrics => s.posts = vec![post("Primer post", 30), post("Segundo post", 6)],
            Check::SearchPublicPosts => {
                s.search = Some("tertulia jueves");
                s.public_posts = vec![
                    SeedInteraction {
                        kind: InteractionKind::Listening,
                        author: "bruno",
                        text: "La tertulia de los jueves en el café es lo mejor de la semana",
                        language: "es",
                        age: 15 * MINUTE,
                    },
                    SeedInteraction {
                        kind: InteractionKind::Listening,
                        author: "grace",
                        text: "Hoy llueve en Madrid",
                        language: "es",
                        age: 30 * MINUTE,
                    },
                    SeedInteraction {
                        kind: InteractionKind::Listening,
                        author: "lucia",
                        text: "¿Alguien va a la tertulia del jueves? Yo llevo pastas",
                        language: "es",
                        age: 90 * MINUTE,
                    },
                ];
            }
            Check::PublishOutcomeUnknown | Check::FindByMarkerAfterUnknownOutcome => {
                s.publish = vec![request("Esta tarde, música en directo a las 19:00", "unknown")];
                s.fault = Some(Fault::LoseOutcome { operation: Operation::Publish });
            }
            Check::NotFound => {
                let mut gone = post("Un post que ya no existe", 4);
                gone.gone = true;
                s.posts = vec![gone];
            }
            Check::Unauthenticated => {
                s.fault = Some(Fault::Fail {
                    operation: Operation::Account,
                    kind: ErrorKind::Unauthenticated,
                    retry_after: None,
                });
            }
            Check::RateLimited => {
                s.fault = Some(Fault::Fail {
                    operation: Operation::ListInteractions,
                    kind: ErrorKind::RateLimited,
                    retry_after: Some(2 * MINUTE),
                });
            }
            Check::TemporaryFailure => {
                s.fault = Some(Fault::Fail {
                    operation: Operation::Account,
                    kind: ErrorKind::Unavailable,
                    retry_after: None,
                });
            }
        }
        s
    }

    /// The texts a search for [`Scenario::search`] finds, newest first.
    pub fn search_results(&self) -> Vec<&'static str> {
        let Some(query) = self.search else { return Vec::new() };
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.public_posts
            .iter()
            .filter(|post| {
                let text = post.text.to_lowercase();
                words.iter().all(|word| text.contains(word.as_str()))
            })
            .map(|post| post.text)
            .collect()
    }
}
