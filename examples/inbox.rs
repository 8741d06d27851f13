//! A day of Café Tertulia's inbox: a bilingual community on three simulated networks, read
//! into one ranked inbox, answered by a small team, and summed up as a person reads it.
//!
//! Everything runs in memory with a manual clock (the ingest cursors in a temporary SQLite
//! file), so the same run prints the same day every time.
//!
//! ```sh
//! cargo run --example inbox
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use tertulia::{
    Account, AccountId, Author, Brand, BrandId, BusinessHours, ClientMarker, Clock, Handle, IdempotencyKey, Identity,
    InteractionKind, ManualClock, Member, MemberId, Platform, PlatformKind, Priority, PublishRequest, RemoteId,
};
use tertulia_inbox::{
    Advocates, Arrival, Cases, CrisisMonitor, CrisisSettings, CursorStore, FaqGrouper, Inbox, IngestSettings, Ingestor,
    Intent, Router, RuleClassifier, Source, Standing, StoreCursors, Weights,
};
use tertulia_memory::{Community, MemoryPlatform, NetworkProfile, NewInteraction};
use tertulia_store::SqliteStore;

const COMMUNITY_SEED: u64 = 2026;

struct Network {
    account: AccountId,
    memory: Arc<MemoryPlatform>,
    post: RemoteId,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let zone = chrono_tz::Europe::Madrid;
    // Thursday 26 November 2026, 08:00 in Madrid.
    let opening = Utc.with_ymd_and_hms(2026, 11, 26, 7, 0, 0).single().ok_or("invalid start")?;
    let clock = Arc::new(ManualClock::new(opening));

    let mut brand = Brand::new(BrandId::new("cafe-tertulia"), "Café Tertulia", zone);
    brand.business_hours = BusinessHours::weekdays(8, 20);
    let mut networks = Vec::new();
    for (kind, profile) in [
        (PlatformKind::Mastodon, NetworkProfile::mastodon_like()),
        (PlatformKind::Bluesky, NetworkProfile::bluesky_like()),
        (PlatformKind::X, NetworkProfile::x_like()),
    ] {
        let account = AccountId::new(format!("cafe-{kind}"));
        let profile = profile.account_id(account.clone()).unlimited();
        brand.accounts.push(Account {
            id: account.clone(),
            platform: kind.clone(),
            handle: profile.account.handle.clone(),
            remote_id: Some(profile.account.id.clone()),
        });
        let memory = Arc::new(MemoryPlatform::new(profile, clock.clone()));
        let request = PublishRequest::new(
            "Nueva tarta de queso de otoño 🍂 / New autumn cheesecake, today in every café",
            IdempotencyKey::new(format!("autumn-{kind}")),
            ClientMarker::new(format!("autumn-{kind}")),
        );
        let post = memory.publish(&request).await.published().ok_or("the morning post did not go out")?.id.clone();
        networks.push(Network { account, memory, post });
    }

    // The ingest cursors live in SQLite: the ingestor (or the whole process) can restart any
    // time and carry on where it stopped.
    let dir = std::env::temp_dir().join(format!("tertulia-inbox-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("cursors.sqlite");
    let settings = IngestSettings { max_pages: 5, ..IngestSettings::default() };
    let cursors: Arc<dyn CursorStore> = Arc::new(StoreCursors::new(Arc::new(SqliteStore::open(&path).await?)));
    let mut ingestor = Ingestor::new(cursors, clock.clone(), settings);
    let sources: Vec<Source> =
        networks.iter().map(|n| Source::new(n.account.clone(), n.memory.clone() as Arc<dyn Platform>)).collect();

    let mut weights = Weights::default();
    weights.platforms.insert(PlatformKind::X, 3.0);
    let mut inbox = Inbox::new(brand.clone(), weights, Arc::new(RuleClassifier::builtin()), opening);
    let router = Router::standard();
    let mut cases = Cases::new(brand.id.clone());
    let mut crisis = CrisisMonitor::new(CrisisSettings { baseline_windows: 8, ..CrisisSettings::default() });
    let mut community = Community::new(COMMUNITY_SEED);
    // A journalist the brand knows.
    inbox.set_standing(&PlatformKind::X, &RemoteId::new("x-sofia"), Standing { vip: true, ..Standing::default() });
    let mut duplicates_after_restart = 0;

    for hour in 0..12u32 {
        // The team works through the top of the inbox during the hour…
        work(&mut inbox, &mut cases, &router, clock.now(), hour)?;
        // …while the community writes.
        clock.advance(Duration::from_secs(3600));
        let now = clock.now();
        for network in &networks {
            community.answer(&network.memory, &network.post, 8)?;
            community.chatter(&network.memory, 5, 1)?;
        }
        script(hour, now, &networks)?;

        if hour == 6 {
            // 14:00: the ingestor restarts and resumes from the stored cursors.
            drop(ingestor);
            let cursors: Arc<dyn CursorStore> = Arc::new(StoreCursors::new(Arc::new(SqliteStore::open(&path).await?)));
            ingestor = Ingestor::new(cursors, clock.clone(), settings);
        }
        let (new, errors) = ingestor.poll_all(&sources).await;
        for (account, error) in errors {
            println!("! {account}: {error}");
        }
        for interaction in new {
            if inbox.add(interaction.clone()) == Arrival::Duplicate {
                duplicates_after_restart += 1;
            }
            if let Some(item) = inbox.get(&interaction.platform, &interaction.id) {
                crisis.observe(&item.interaction, &item.understanding);
            }
        }
    }

    let close = clock.now();
    report(&inbox, &cases, &router, &crisis, &brand, zone, close, duplicates_after_restart);
    drop(ingestor);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// What the simulated community does besides its usual chatter: a journalist with a double
/// charge, a complaint that two regulars answer in the brand's defence, and, late in the
/// evening, a wave of people made ill after the new cheesecake on X.
fn script(hour: u32, now: DateTime<Utc>, networks: &[Network]) -> Result<(), Box<dyn Error>> {
    let person = |id: &str, handle: &str, name: &str, followers: u64, verified: bool| Author {
        id: RemoteId::new(id),
        handle: Handle::new(handle),
        display_name: Some(name.to_owned()),
        followers: Some(followers),
        verified,
        url: None,
    };
    let at = |minutes: i64| now - chrono::Duration::minutes(60 - minutes);
    let [mastodon, bluesky, x] = networks else { return Err("three networks expected".into()) };
    let nuria_m = person("m-nuria", "nuria@mastodon.social", "Nuria Vega", 3_400, false);
    let nuria_b = person("did:plc:nuria", "nuria.bsky.social", "Nuria Vega", 2_900, false);
    let tom_b = person("did:plc:tom", "tomreads.bsky.social", "Tom Price", 800, false);
    match hour {
        2 => {
            x.memory.add(
                NewInteraction::new(InteractionKind::Mention, person("x-sofia", "sofia_periodista", "Sofía Prensa", 58_000, true))
                    .text("@cafetertulia me habéis cobrado dos veces el desayuno y nadie responde por DM. Quiero el reembolso hoy")
                    .language("es")
                    .at(at(20)),
            )?;
        }
        3 => {
            let complaint = mastodon.memory.add(
                NewInteraction::new(
                    InteractionKind::Comment,
                    person("m-raul", "raul@mastodon.social", "Raúl", 120, false),
                )
                .text("La tarta nueva es una estafa, 6 euros por esto. Nunca más")
                .language("es")
                .about(mastodon.post.clone())
                .at(at(5)),
            )?;
            mastodon.memory.add(
                NewInteraction::new(InteractionKind::Reply, nuria_m.clone())
                    .text("Pues a mí me encantó, y el equipo siempre es súper amable. Dales una oportunidad 💛")
                    .language("es")
                    .about(mastodon.post.clone())
                    .in_reply_to(complaint.id.clone())
                    .at(at(25)),
            )?;
            bluesky.memory.add(
                NewInteraction::new(InteractionKind::Comment, tom_b.clone())
                    .text("Best cheesecake I've had in Madrid, honestly. The staff are lovely too")
                    .language("en")
                    .about(bluesky.post.clone())
                    .at(at(40)),
            )?;
        }
        4 | 7 | 9 => {
            bluesky.memory.add(
                NewInteraction::new(InteractionKind::Comment, nuria_b.clone())
                    .text("Otra mañana perfecta en la Tertulia ☕ recomiendo el flat white")
                    .language("es")
                    .about(bluesky.post.clone())
                    .at(at(10)),
            )?;
            let grumble = bluesky.memory.add(
                NewInteraction::new(
                    InteractionKind::Comment,
                    person("did:plc:leo", "leo.bsky.social", "Leo", 60, false),
                )
                .text("Waited 30 minutes for a latte, not great")
                .language("en")
                .about(bluesky.post.clone())
                .at(at(30)),
            )?;
            bluesky.memory.add(
                NewInteraction::new(InteractionKind::Reply, tom_b.clone())
                    .text("It's worth the wait though, they make every cup with care. Love this place")
                    .language("en")
                    .about(bluesky.post.clone())
                    .in_reply_to(grumble.id.clone())
                    .at(at(45)),
            )?;
        }
        11 => {
            // 19:00–20:00 in Madrid.
            let texts = [
                ("es", "Intoxicación después de la tarta de queso de @cafetertulia, toda la noche vomitando"),
                ("es", "Mi hija en urgencias tras comer la tarta nueva. ¿Qué lleva esa tarta?"),
                ("en", "Got food poisoning from the new cheesecake at @cafetertulia. Never again"),
                ("es", "Somos ya cinco del trabajo con diarrea y vómitos, todos comimos la tarta de otoño"),
                ("en", "My whole family got sick after the cheesecake, this is dangerous"),
                ("es", "Exijo que retiren la tarta de queso YA, mi madre está en el hospital"),
                ("en", "Is anyone else sick after the cheesecake?? threw up all night"),
                ("es", "Voy a denunciar a sanidad, intoxicación clarísima con la tarta"),
            ];
            for (n, (language, text)) in texts.iter().enumerate() {
                x.memory.add(
                    NewInteraction::new(
                        InteractionKind::Mention,
                        person(
                            &format!("x-ill-{n}"),
                            &format!("vecina_{n}"),
                            &format!("Vecina {n}"),
                            150 + 90 * n as u64,
                            false,
                        ),
                    )
                    .text(*text)
                    .language(*language)
                    .at(at(5 + 6 * n as i64)),
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The team's hour: the top items are answered; complaints and crises become cases (a crisis
/// is escalated); cases answered two hours ago are resolved.
fn work(
    inbox: &mut Inbox,
    cases: &mut Cases,
    router: &Router,
    now: DateTime<Utc>,
    hour: u32,
) -> Result<(), Box<dyn Error>> {
    let picks: Vec<(PlatformKind, RemoteId, Intent, bool, RemoteId)> = inbox
        .top(10, now)
        .iter()
        .map(|r| {
            let i = &r.item.interaction;
            (
                i.platform.clone(),
                i.id.clone(),
                r.item.understanding.intent,
                r.item.understanding.urgent,
                i.author.id.clone(),
            )
        })
        .collect();
    for (n, (platform, id, intent, urgent, author)) in picks.into_iter().enumerate() {
        let answered = now + chrono::Duration::minutes(5 + 5 * n as i64);
        let Some(item) = inbox.get(&platform, &id) else { continue };
        let interaction = item.interaction.clone();
        let route = router.route(&interaction, &item.understanding);
        if matches!(intent, Intent::Complaint | Intent::Crisis) {
            let priority = match (intent, urgent) {
                (Intent::Crisis, _) => Priority::Urgent,
                (_, true) => Priority::High,
                _ => Priority::Normal,
            };
            let case = cases.open(&interaction, priority, interaction.created_at)?;
            cases.assign(
                &case,
                if route.role == tertulia::Role::CareAgent { "bruno (care)" } else { "ana (community)" },
                now,
            )?;
            cases.respond(&case, RemoteId::new(format!("reply-{id}")), answered)?;
            if route.escalated_to.is_some() {
                cases.escalate(&case, answered)?;
            } else if hour.is_multiple_of(3) {
                cases.pend(&case, answered)?;
            }
            inbox.set_standing(&platform, &author, Standing { open_case: true, ..inbox.standing(&platform, &author) });
        }
        inbox.answer(&platform, &id, answered);
    }
    let due: Vec<_> = cases
        .unresolved()
        .iter()
        .filter(|c| c.status != tertulia::CaseStatus::Escalated)
        .filter(|c| c.first_response_at().is_some_and(|at| now - at >= chrono::Duration::hours(2)))
        .map(|c| c.id.clone())
        .collect();
    for id in due {
        cases.resolve(&id, now)?;
        // The customer no longer has a case open.
        let opened_from = cases.get(&id).and_then(|c| c.interactions.first().cloned());
        let author = opened_from
            .and_then(|first| inbox.items().find(|i| i.interaction.id == first))
            .map(|i| (i.interaction.platform.clone(), i.interaction.author.id.clone()));
        if let Some((platform, author)) = author {
            let standing = Standing { open_case: false, ..inbox.standing(&platform, &author) };
            inbox.set_standing(&platform, &author, standing);
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn report(
    inbox: &Inbox,
    cases: &Cases,
    router: &Router,
    crisis: &CrisisMonitor,
    brand: &Brand,
    zone: Tz,
    now: DateTime<Utc>,
    duplicates: usize,
) {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%H:%M").to_string();
    let hours = |d: chrono::Duration| format!("{}h{:02}", d.num_minutes() / 60, d.num_minutes() % 60);
    println!("{} — the inbox on {} ({zone})", brand.name, now.with_timezone(&zone).format("%A %-d %B %Y, %H:%M"));
    let mut platforms: BTreeMap<&str, usize> = BTreeMap::new();
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    let mut intents: BTreeMap<&str, usize> = BTreeMap::new();
    for item in inbox.items() {
        *platforms.entry(item.interaction.platform.display_name()).or_default() += 1;
        if item.interaction.text.is_some() {
            *languages.entry(item.understanding.language.code()).or_default() += 1;
            *intents.entry(item.understanding.intent.as_str()).or_default() += 1;
        }
    }
    let list = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
    println!("{} interactions ({}); with words: {}", inbox.len(), list(&platforms), list(&languages));
    println!("intents: {}", list(&intents));
    println!(
        "{} still wait for an answer; each message kept once ({duplicates} repeats after the 14:00 restart)\n",
        inbox.open_len()
    );

    println!("ANSWER THESE FIRST");
    for (rank, ranked) in inbox.top(8, now).iter().enumerate() {
        let item = ranked.item;
        let i = &item.interaction;
        let read = &item.understanding;
        let route = router.route(i, read);
        let who = format!(
            "@{} ({} followers{})",
            i.author.handle,
            i.author.followers.unwrap_or(0),
            if i.author.verified { ", verified" } else { "" }
        );
        println!(
            "{:>2}. [{}] {} · {} · {}{}, {}, {}",
            rank + 1,
            i.platform.display_name(),
            who,
            local(i.created_at),
            read.intent,
            if read.urgent { " (urgent)" } else { "" },
            read.sentiment,
            read.language
        );
        println!("    “{}”", i.text.as_deref().unwrap_or(""));
        println!("    why: {}", ranked.breakdown);
        let escalation = route.escalated_to.map(|r| format!(", escalated to {r:?}")).unwrap_or_default();
        println!(
            "    goes to: {:?}{escalation}{}",
            route.role,
            route.rule.map(|r| format!(" (rule “{r}”)")).unwrap_or_default()
        );
    }

    println!("\nCASES");
    for case in cases.unresolved() {
        let first = case.interactions.first().and_then(|id| inbox.items().find(|i| &i.interaction.id == id));
        let text = first.and_then(|i| i.interaction.text.clone()).unwrap_or_default();
        let response = case
            .first_response_at()
            .map(|at| format!("first answer after {}", hours(inbox.calendar().between(case.opened_at, at))))
            .unwrap_or_else(|| "not answered yet".to_owned());
        println!(
            "  {:<18} {:<8} {:<9} {:<16} opened {} · {} · “{}”",
            case.id.as_str(),
            format!("{:?}", case.priority).to_lowercase(),
            format!("{:?}", case.status).to_lowercase(),
            case.assignee.as_deref().unwrap_or("-"),
            local(case.opened_at),
            response,
            text.chars().take(60).collect::<String>()
        );
    }
    let resolved = cases.all().iter().filter(|c| c.resolved_at().is_some()).count();
    let times = cases.response_times(inbox.calendar());
    println!("  {} cases, {} resolved. In business hours of {zone}:", cases.all().len(), resolved);
    for (name, s) in [("first response", times.first_response), ("resolution", times.resolution)] {
        println!(
            "    {name:<15} mean {}  median {}  p90 {}  ({} cases)",
            hours(s.mean),
            hours(s.median),
            hours(s.p90),
            s.count
        );
    }

    println!("\nADVOCATES");
    let mut advocates = Advocates::from_inbox(inbox);
    let mut nuria = Member::new(MemberId::new("nuria"), "Nuria Vega");
    nuria.identities.push(Identity {
        platform: PlatformKind::Mastodon,
        handle: Handle::new("nuria@mastodon.social"),
        remote_id: RemoteId::new("m-nuria"),
    });
    nuria.identities.push(Identity {
        platform: PlatformKind::Bluesky,
        handle: Handle::new("nuria.bsky.social"),
        remote_id: RemoteId::new("did:plc:nuria"),
    });
    advocates.link_member(&nuria);
    for (rank, advocate) in advocates.ranking().iter().take(5).enumerate() {
        let names: Vec<String> =
            advocate.identities.iter().map(|p| format!("{} on {}", p.handle, p.platform.display_name())).collect();
        println!("{:>2}. {} — score {:.1}", rank + 1, names.join(" + "), advocate.score);
        for evidence in &advocate.evidence {
            println!("      · {evidence}");
        }
    }
    let suggestions = advocates.suggest_matches();
    if !suggestions.is_empty() {
        println!("  may be the same person (confirm before merging):");
        for s in suggestions.iter().take(4) {
            println!("    {}:{} ~ {}:{} — {:?}", s.a.0, s.a.1, s.b.0, s.b.1, s.evidence);
        }
    }

    println!("\nCRISIS");
    let mut alerts = Vec::new();
    let mut at = now - chrono::Duration::hours(12);
    while at <= now {
        alerts.extend(crisis.alerts(at));
        at += chrono::Duration::hours(1);
    }
    if alerts.is_empty() {
        println!("  no spike today");
    }
    for alert in alerts {
        println!("  ALERT on {} from {} to {}: {}", alert.account, local(alert.from), local(alert.to), alert.reason);
        for (platform, id) in alert.messages.iter().take(5) {
            if let Some(item) = inbox.get(platform, id) {
                println!(
                    "    - @{}: “{}”",
                    item.interaction.author.handle,
                    item.interaction.text.as_deref().unwrap_or("")
                );
            }
        }
        if alert.messages.len() > 5 {
            println!("    … and {} more", alert.messages.len() - 5);
        }
    }

    println!("\nFREQUENT QUESTIONS (one answer each)");
    let questions: Vec<String> = inbox
        .items()
        .filter(|i| matches!(i.understanding.intent, Intent::Question | Intent::PurchaseIntent))
        .filter_map(|i| i.interaction.text.clone())
        .collect();
    for group in FaqGrouper::new(0.4).group(&questions, 3).iter().take(5) {
        println!(
            "  {:>2}× “{}” — shared words: {}",
            group.questions.len(),
            group.representative,
            group.terms.join(", ")
        );
    }
}
