//! tertulia in one minute, with no account and no server.
//!
//! A café posts a small thread on a simulated Mastodon-like network, its community answers,
//! the inbox is read, a reply goes out and the figures come in. Everything runs in memory
//! with a manual clock, so the same run prints the same story every time.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use tertulia::{
    Account, AccountId, Brand, BrandId, ClientMarker, IdempotencyKey, Interaction, InteractionKind, InteractionQuery,
    ManualClock, Platform, PlatformExt, PlatformKind, PublishRequest, PublishStatus, ReplyRequest,
};
use tertulia_memory::{Community, MemoryPlatform, NetworkProfile};

/// The seed of the simulated community: change it for another story.
const COMMUNITY_SEED: u64 = 2026;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    // The brand, its time zone and its one account.
    let mut brand = Brand::new(BrandId::new("cafe-tertulia"), "Café Tertulia", chrono_tz::Europe::Madrid);
    let account_id = AccountId::new("cafe-mastodon");
    let profile = NetworkProfile::mastodon_like().account_id(account_id.clone());
    brand.accounts.push(Account {
        id: account_id,
        platform: PlatformKind::Mastodon,
        handle: profile.account.handle.clone(),
        remote_id: Some(profile.account.id.clone()),
    });
    let zone = brand.time_zone;

    // A simulated network and a clock that only moves when told to.
    let start = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).single().ok_or("invalid start time")?;
    let clock = Arc::new(ManualClock::new(start));
    let network: Arc<MemoryPlatform> = Arc::new(MemoryPlatform::new(profile, clock.clone()));
    let platform: Arc<dyn Platform> = network.clone();

    let account = platform.account().await?;
    println!("{} ({}), on a simulated {} network", brand.name, zone, platform.capabilities().platform.display_name());
    println!("account @{} with {} followers", account.handle, account.followers.unwrap_or(0));
    println!("text limit: {} characters per post\n", platform.capabilities().text.max_length);

    // 1. A small thread.
    println!("1. {} — the brand publishes a thread", local(start, zone));
    let texts = [
        "Hoy cumplimos diez años en el barrio 🎉 Un hilo:",
        "Abrimos en 2016 con tres mesas, una cafetera y muchas ganas.",
        "Gracias a quienes venís cada mañana. Este jueves, el primer café corre de nuestra cuenta ☕",
    ];
    let parts: Vec<PublishRequest> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            PublishRequest::new(
                *text,
                IdempotencyKey::new(format!("anniversary-{index}")),
                ClientMarker::new(format!("post-anniversary/mastodon/{index}")),
            )
            .language("es")
        })
        .collect();
    let outcomes = platform.publish_thread(&parts).await;
    let mut thread = Vec::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        match &outcome.status {
            PublishStatus::Published { reference, .. } => {
                let link = reference.url.as_ref().map(|url| url.to_string()).unwrap_or_default();
                println!("   part {}/{} published  {link}", index + 1, texts.len());
                println!("      \"{}\"", texts[index]);
                thread.push(reference.id.clone());
            }
            other => return Err(format!("part {} did not go out: {other:?}", index + 1).into()),
        }
    }

    // 2. Time passes; the community answers.
    clock.advance(Duration::from_secs(3 * 3600));
    let mut community = Community::new(COMMUNITY_SEED);
    let mut answered = community.answer(&network, &thread[0], 14)?.len();
    answered += community.answer(&network, &thread[2], 6)?.len();
    answered += community.chatter(&network, 6, 3)?.len();
    println!(
        "\n2. {} — three hours later, the community has answered ({answered} interactions)",
        local(clock_now(&network), zone)
    );

    // 3. The inbox: what people said, newest first, a page at a time.
    println!("\n3. The inbox (comments, replies, mentions, quotes and messages), newest first:");
    let conversational: Vec<InteractionKind> =
        platform.capabilities().interactions.iter().filter(|kind| kind.is_conversational()).cloned().collect();
    let query = InteractionQuery::default().kinds(conversational).limit(8);
    let first_page = platform.list_interactions(&query).await?;
    for interaction in &first_page.items {
        print_interaction(interaction, zone);
    }
    let mut rest = 0;
    let mut cursor = first_page.next.clone();
    while let Some(next) = cursor {
        let page = platform.list_interactions(&query.clone().cursor(next)).await?;
        rest += page.items.len();
        cursor = page.next;
    }
    if rest > 0 {
        println!("   … and {rest} more on the next pages");
    }
    let all = platform.list_interactions(&InteractionQuery::default().limit(80)).await?.items;
    let count = |kind: InteractionKind| all.iter().filter(|i| i.kind == kind).count();
    println!(
        "   besides: {}, {} and {}",
        plural(count(InteractionKind::Reaction), "like", "likes"),
        plural(count(InteractionKind::Repost), "boost", "boosts"),
        plural(count(InteractionKind::Follow), "new follower", "new followers"),
    );

    // 4. Answer the oldest question still waiting.
    let question = first_page
        .items
        .iter()
        .rev()
        .find(|i| i.text.as_deref().is_some_and(|text| text.contains('?')))
        .or_else(|| first_page.items.last())
        .ok_or("nobody wrote anything")?;
    let name = question.author.display_name.clone().unwrap_or_else(|| question.author.handle.to_string());
    let first_name = name.split_whitespace().next().unwrap_or(&name).to_owned();
    let (text, language) = if question.language.as_deref() == Some("en") {
        (format!("Hi {first_name}! Thanks for asking: send us a message and we'll sort it out today. ☕"), "en")
    } else {
        (format!("¡Hola, {first_name}! Gracias por preguntar: escríbenos por privado y lo vemos hoy mismo. ☕"), "es")
    };
    let reply = ReplyRequest::new(
        question.id.clone(),
        text,
        IdempotencyKey::new(format!("reply-{}", question.id)),
        ClientMarker::new(format!("reply/{}", question.id)),
    )
    .language(language);
    println!("\n4. The community manager answers {name}:");
    println!("      \"{}\"", question.text.as_deref().unwrap_or_default());
    let outcome = platform.reply(&reply).await;
    match &outcome.status {
        PublishStatus::Published { reference, .. } => {
            println!("   reply published  {}", reference.url.as_ref().map(|url| url.to_string()).unwrap_or_default());
            println!("      \"{}\"", reply.text);
        }
        other => return Err(format!("the reply did not go out: {other:?}").into()),
    }

    // 5. The figures.
    println!("\n5. The figures:");
    let followers = platform.account_metrics().await?.followers;
    for (index, id) in thread.iter().enumerate() {
        let metrics = platform.post_metrics(id).await?;
        let rate = metrics
            .engagement_rate(followers)
            .map(|rate| format!("{:.2}% of followers", rate * 100.0))
            .unwrap_or_else(|| "n/a".into());
        println!(
            "   part {}: {} likes, {} boosts, {} replies, {} quotes — engagement {rate}",
            index + 1,
            metrics.likes.unwrap_or(0),
            metrics.reposts.unwrap_or(0),
            metrics.replies.unwrap_or(0),
            metrics.quotes.unwrap_or(0),
        );
    }
    let account = platform.account_metrics().await?;
    println!(
        "   account: {} followers, {} posts (the thread and the reply)",
        account.followers.unwrap_or(0),
        account.posts.unwrap_or(0)
    );
    println!("\nEverything above ran in memory: no account, no server, the same story on every run.");
    Ok(())
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 { format!("1 {one}") } else { format!("{count} {many}") }
}

fn clock_now(network: &MemoryPlatform) -> DateTime<Utc> {
    network.clock().now()
}

/// A time as the brand reads it: its own zone.
fn local(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%A %-d %B, %H:%M").to_string()
}

fn print_interaction(interaction: &Interaction, zone: Tz) {
    let author = &interaction.author;
    let name = author.display_name.as_deref().unwrap_or(author.handle.as_str());
    let verified = if author.verified { " ✔" } else { "" };
    let followers = author.followers.map(|n| format!(", {n} followers")).unwrap_or_default();
    println!(
        "   {}  {:<14} {name}{verified} (@{}{followers})",
        interaction.created_at.with_timezone(&zone).format("%H:%M"),
        interaction.kind.as_str().replace('_', " "),
        author.handle,
    );
    if let Some(text) = &interaction.text {
        println!("         \"{text}\"");
    }
}
