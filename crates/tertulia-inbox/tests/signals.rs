//! Crisis alerts against each account's own baseline, and FAQ groups.

use chrono::{DateTime, Duration, TimeZone, Utc};
use tertulia_core::{AccountId, Author, Interaction, InteractionKind, PlatformKind, RemoteId};
use tertulia_inbox::{Classifier, CrisisMonitor, CrisisSettings, FaqGrouper, RuleClassifier};

fn mention(id: String, account: &str, text: &str, at: DateTime<Utc>) -> Interaction {
    Interaction {
        id: RemoteId::new(id),
        platform: PlatformKind::Bluesky,
        account: Some(AccountId::new(account)),
        kind: InteractionKind::Mention,
        author: Author::new("a", "a.bsky.social"),
        text: Some(text.into()),
        language: None,
        created_at: at,
        subject: None,
        in_reply_to: None,
        conversation: None,
        permalink: None,
    }
}

#[test]
fn a_busy_account_at_its_usual_pace_raises_nothing_but_a_negative_spike_does() {
    let classifier = RuleClassifier::builtin();
    let mut monitor = CrisisMonitor::new(CrisisSettings::default());
    let start = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
    let usual =
        ["Me encanta este café", "¿Abren mañana?", "El pedido llegó tarde", "Good coffee today", "Where do you ship?"];
    // A busy account: 20 mentions an hour for a week, one in five negative.
    for hour in 0..24 * 7 {
        for n in 0..20 {
            let text = usual[n % usual.len()];
            let at = start + Duration::hours(hour) + Duration::minutes(n as i64 * 3);
            let item = mention(format!("busy-{hour}-{n}"), "busy", text, at);
            monitor.observe(&item, &classifier.understand(text, None));
        }
    }
    // A quiet account: two mentions a day.
    for day in 0..7 {
        for n in 0..2 {
            let at = start + Duration::days(day) + Duration::hours(9 + n * 5);
            let item = mention(format!("quiet-{day}-{n}"), "quiet", "¿Tienen descafeinado?", at);
            monitor.observe(&item, &classifier.understand("¿Tienen descafeinado?", None));
        }
    }
    let now = start + Duration::days(7);
    // This hour: the busy account at its usual pace; the quiet one receives twelve furious
    // messages about the same thing.
    for n in 0..20 {
        let text = usual[n % usual.len()];
        let item = mention(format!("busy-now-{n}"), "busy", text, now + Duration::minutes(n as i64 * 2));
        monitor.observe(&item, &classifier.understand(text, None));
    }
    let angry = "Intoxicación alimentaria después de comer aquí, mi hijo en urgencias. Vergüenza";
    for n in 0..12 {
        let item = mention(format!("angry-{n}"), "quiet", angry, now + Duration::minutes(n as i64 * 4));
        monitor.observe(&item, &classifier.understand(angry, None));
    }
    let alerts = monitor.alerts(now + Duration::minutes(55));
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let alert = &alerts[0];
    assert_eq!(alert.account, "quiet");
    assert_eq!(alert.messages.len(), 12);
    assert_eq!(alert.messages[0].1.as_str(), "angry-0");
    assert!(alert.negative_share > 0.99 && alert.baseline_negative_share < 0.01);
    assert!(alert.reason.contains("negative mentions"));
    // An hour later the spike is over.
    assert!(monitor.alerts(now + Duration::minutes(65)).is_empty());
}

#[test]
fn frequent_questions_group_across_wording_and_language() {
    let questions = [
        "¿A qué hora abren los domingos?",
        "Hola, ¿a qué hora abrís el domingo?",
        "horario del domingo??",
        "What time do you open on Sundays?",
        "what time do you open on sunday",
        "Are you open on sunday? what time",
        "¿Tienen leche de avena?",
        "¿Hay leche de avena o de almendra?",
        "Do you have oat milk?",
        "do you guys have oat milk",
        "¿Hacen envíos a Canarias?",
        "Do you ship to Canada?",
    ];
    let groups = FaqGrouper::new(0.35).group(&questions, 2);
    let find = |needle: &str| groups.iter().position(|g| g.questions.iter().any(|q| q == needle));
    assert_eq!(find("¿A qué hora abren los domingos?"), find("Hola, ¿a qué hora abrís el domingo?"));
    assert_eq!(find("What time do you open on Sundays?"), find("what time do you open on sunday"));
    assert_eq!(find("Do you have oat milk?"), find("do you guys have oat milk"));
    assert_eq!(find("¿Tienen leche de avena?"), find("¿Hay leche de avena o de almendra?"));
    assert_ne!(find("Do you have oat milk?"), find("What time do you open on Sundays?"));
    assert_eq!(find("¿Hacen envíos a Canarias?"), None, "a question asked once is not frequent");
    let sunday = &groups[find("what time do you open on sunday").unwrap()];
    assert!(sunday.terms.contains(&"sunday".to_owned()), "{sunday:?}");
}
