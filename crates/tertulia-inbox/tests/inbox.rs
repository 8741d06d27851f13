//! The inbox as a community manager relies on it: each message once, grouped, ranked with
//! reasons, and re-ranked as answers and standings change.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use tertulia_core::{
    Account, AccountId, Author, Brand, BrandId, Handle, Interaction, InteractionKind, PlatformKind, RemoteId,
};
use tertulia_inbox::{Arrival, Inbox, Intent, RuleClassifier, Standing, Weights};

fn monday_ten() -> DateTime<Utc> {
    // Monday 30 November 2026, 10:00 in Madrid.
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

fn brand() -> Brand {
    let mut brand = Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
    brand.accounts.push(Account {
        id: AccountId::new("cafe-masto"),
        platform: PlatformKind::Mastodon,
        handle: Handle::new("cafetertulia@mastodon.social"),
        remote_id: Some(RemoteId::new("brand-1")),
    });
    brand
}

fn inbox() -> Inbox {
    Inbox::new(brand(), Weights::default(), Arc::new(RuleClassifier::builtin()), monday_ten())
}

fn message(id: &str, author: &str, text: &str, minutes: i64) -> Interaction {
    Interaction {
        id: RemoteId::new(id),
        platform: PlatformKind::Mastodon,
        account: Some(AccountId::new("cafe-masto")),
        kind: InteractionKind::Mention,
        author: Author::new(author, author),
        text: Some(text.into()),
        language: None,
        created_at: monday_ten() + Duration::minutes(minutes),
        subject: None,
        in_reply_to: None,
        conversation: None,
        permalink: None,
    }
}

fn reply(id: &str, author: &str, text: &str, minutes: i64, to: &str) -> Interaction {
    Interaction {
        kind: InteractionKind::Reply,
        in_reply_to: Some(RemoteId::new(to)),
        ..message(id, author, text, minutes)
    }
}

fn order(inbox: &Inbox, at: DateTime<Utc>) -> Vec<String> {
    inbox.top(100, at).iter().map(|r| r.item.interaction.id.to_string()).collect()
}

#[test]
fn the_worst_comes_first_with_its_reasons() {
    let mut inbox = inbox();
    inbox.add(message("praise", "u1", "Me encanta el nuevo tueste, sois los mejores 😍", 0));
    inbox.add(message("question", "u2", "¿A qué hora abren el domingo?", 1));
    inbox.add(message(
        "complaint",
        "u3",
        "Me cobraron dos veces el pedido y nadie responde. Quiero mi reembolso YA",
        2,
    ));
    inbox.add(message("crisis", "u4", "Encontré una cucaracha en el café. Os voy a denunciar a sanidad", 3));
    inbox.add(message("spam", "u5", "Gana dinero desde casa, link en mi bio 💰", 4));
    let now = monday_ten() + Duration::minutes(10);
    assert_eq!(order(&inbox, now), ["crisis", "complaint", "question", "praise"], "spam is not ranked");
    let top = inbox.top(1, now);
    let first = &top[0];
    assert_eq!(first.item.understanding.intent, Intent::Crisis);
    assert!((first.breakdown.total() - first.score).abs() < 1e-3);
    assert!(first.breakdown.terms().iter().any(|(name, _)| *name == "intent"));
    assert!(first.breakdown.minutes_left > 100 && first.breakdown.minutes_left <= 113);
    assert!(first.breakdown.to_string().contains("business min left"));
}

#[test]
fn each_message_is_kept_once_and_grouped_into_its_conversation() {
    let mut inbox = inbox();
    let root = message("r", "u1", "¿Tienen leche de avena?", 0);
    assert_eq!(inbox.add(root.clone()), Arrival::Ranked);
    // The same message again, by webhook after polling.
    assert_eq!(inbox.add(root), Arrival::Duplicate);
    // A reply to a reply that arrives before its parent.
    assert_eq!(inbox.add(reply("c2", "u3", "yo también quiero saberlo", 5, "c1")), Arrival::Ranked);
    assert_eq!(inbox.add(reply("c1", "u2", "eso, ¿y de almendra?", 4, "r")), Arrival::Ranked);
    assert_eq!(inbox.len(), 3);
    let root_conversation = inbox.get(&PlatformKind::Mastodon, &RemoteId::new("r")).unwrap().conversation.clone();
    let c1 = inbox.get(&PlatformKind::Mastodon, &RemoteId::new("c1")).unwrap();
    assert_eq!(c1.conversation, root_conversation);
    // c2 named its conversation after c1 before c1 arrived; c1's thread is r's. Grouping
    // follows what each item knew when it arrived.
    let c2 = inbox.get(&PlatformKind::Mastodon, &RemoteId::new("c2")).unwrap();
    assert_eq!(c2.conversation.1.as_str(), "c1");
}

#[test]
fn an_answer_closes_the_item_and_lowers_the_rest_of_its_conversation() {
    let mut inbox = inbox();
    inbox.add(message("a", "u1", "Mi pedido no ha llegado", 0));
    inbox.add(reply("b", "u1", "Sigo esperando, ¿alguien me responde?", 10, "a"));
    inbox.add(message("other", "u2", "Mi pedido no ha llegado, sigo esperando", 10));
    let now = monday_ten() + Duration::minutes(30);
    let before = inbox.breakdown(inbox.get(&PlatformKind::Mastodon, &RemoteId::new("b")).unwrap(), now);
    assert!(before.unanswered > 0.0);
    // The brand answers `a` from its own account: the reply is recognised as the brand's.
    let answer = Interaction {
        author: Author::new("brand-1", "cafetertulia@mastodon.social"),
        ..reply("ans", "brand-1", "¡Hola! Lo miramos ahora mismo", 20, "a")
    };
    assert_eq!(inbox.add(answer), Arrival::Kept);
    assert!(!inbox.get(&PlatformKind::Mastodon, &RemoteId::new("a")).unwrap().is_open());
    assert_eq!(inbox.open_len(), 2);
    let after = inbox.breakdown(inbox.get(&PlatformKind::Mastodon, &RemoteId::new("b")).unwrap(), now);
    assert_eq!(after.unanswered, 0.0);
    assert_eq!(order(&inbox, now), ["other", "b"], "the unanswered conversation now comes first");
    assert!(inbox.dismiss(&PlatformKind::Mastodon, &RemoteId::new("other"), now));
    assert!(!inbox.answer(&PlatformKind::Mastodon, &RemoteId::new("nope"), now));
    assert_eq!(order(&inbox, now), ["b"]);
}

#[test]
fn standing_changes_rescore_only_that_author_and_time_never_reorders_wrongly() {
    let mut inbox = inbox();
    for n in 0..40 {
        let text = match n % 4 {
            0 => "¿Cuánto cuesta la suscripción?",
            1 => "El café llegó frío otra vez",
            2 => "What time do you open on Sunday?",
            _ => "Love the new mugs!",
        };
        inbox.add(message(&format!("m{n}"), &format!("u{}", n % 7), text, n * 13));
    }
    let now = monday_ten() + Duration::hours(9);
    let vip_items = |inbox: &Inbox| -> Vec<f32> {
        inbox.top(100, now).iter().filter(|r| r.item.interaction.author.id.as_str() == "u3").map(|r| r.score).collect()
    };
    let before = vip_items(&inbox);
    inbox.set_standing(&PlatformKind::Mastodon, &RemoteId::new("u3"), Standing { vip: true, ..Standing::default() });
    let after = vip_items(&inbox);
    assert_eq!(before.len(), after.len());
    assert!(after.iter().sum::<f32>() > before.iter().sum::<f32>() + 19.0 * before.len() as f32);
    // At any instant, over nights and weekends, the order is the order of the scores then.
    for hours in [0, 3, 9, 30, 80, 200] {
        let at = now + Duration::hours(hours);
        let scores: Vec<f32> = inbox.top(100, at).iter().map(|r| r.score).collect();
        assert_eq!(scores.len(), 40);
        assert!(scores.windows(2).all(|w| w[0] >= w[1] - 1e-3), "out of order at +{hours}h: {scores:?}");
    }
}
