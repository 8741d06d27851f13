//! Publishing and reading back against the fake server, which keeps what it is sent.

use std::sync::Arc;

use tertulia_core::{
    ClientMarker, IdempotencyKey, ManualClock, Platform, PublishLookup, PublishRequest, PublishStatus,
};
use tertulia_http::{RetryPolicy, SeededJitter};
use tertulia_mastodon::{Mastodon, MastodonConfig};

use crate::fake_mastodon::{FakeMastodon, TOKEN, Trouble};
use crate::support::start;

async fn connect(fake: &FakeMastodon, clock: &Arc<ManualClock>) -> Mastodon {
    let mut config = MastodonConfig::new(fake.url().parse().unwrap(), TOKEN);
    config.retry = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
    Mastodon::builder(config).clock(clock.clone()).jitter(Arc::new(SeededJitter::new(5))).connect().await.unwrap()
}

fn request(key: &str) -> PublishRequest {
    PublishRequest::new(
        "Esta tarde, música en directo a las 19:00 🎶",
        IdempotencyKey::new(key),
        ClientMarker::new(key),
    )
}

#[tokio::test]
async fn a_lost_first_answer_is_retried_with_the_key_and_publishes_once() {
    let clock = Arc::new(ManualClock::new(start()));
    let fake = FakeMastodon::start(clock.clone(), 10).await;
    let mastodon = connect(&fake, &clock).await;
    fake.trouble(Trouble::LosePublishAnswers(1));
    let outcome = mastodon.publish(&request("k-once")).await;
    let PublishStatus::Published { reference, .. } = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(fake.own_statuses(), 1, "the retry with the same key made no second status");
    let post = mastodon.get_post(&reference.id).await.unwrap();
    assert_eq!(post.text, "Esta tarde, música en directo a las 19:00 🎶");
}

#[tokio::test]
async fn answers_lost_every_time_make_an_unknown_outcome_that_find_by_marker_resolves() {
    let clock = Arc::new(ManualClock::new(start()));
    let fake = FakeMastodon::start(clock.clone(), 10).await;
    let mastodon = connect(&fake, &clock).await;
    fake.trouble(Trouble::LosePublishAnswers(usize::MAX));
    let sent_at = start();
    let sent = request("k-lost");
    let outcome = mastodon.publish(&sent).await;
    assert!(outcome.is_unknown(), "{outcome:?}");
    assert_eq!(fake.own_statuses(), 1, "three attempts, one key, one status");
    let found = mastodon.find_by_marker(&PublishLookup::for_request(&sent, sent_at)).await.unwrap().unwrap();
    assert_eq!(found.text, sent.text);
    let never = PublishRequest::new("Nunca enviado", IdempotencyKey::new("k-never"), ClientMarker::new("never"));
    assert_eq!(mastodon.find_by_marker(&PublishLookup::for_request(&never, sent_at)).await.unwrap(), None);
}

#[tokio::test]
async fn a_reply_to_a_mention_answers_it_and_reads_back_with_the_authors_mention() {
    let clock = Arc::new(ManualClock::new(start()));
    let fake = FakeMastodon::start(clock.clone(), 10).await;
    let mention = fake.add_mention(
        "ana",
        "@cafetertulia ¿tenéis opciones sin gluten?",
        "es",
        start() - chrono::Duration::minutes(20),
    );
    let mastodon = connect(&fake, &clock).await;
    let request = tertulia_core::ReplyRequest::new(
        tertulia_core::RemoteId::new(&mention),
        "¡Hola Ana! Sí: pan y dos tartas sin gluten cada día.",
        IdempotencyKey::new("k-reply"),
        ClientMarker::new("reply"),
    );
    let outcome = mastodon.reply(&request).await;
    let reference = outcome.published().unwrap_or_else(|| panic!("{outcome:?}")).clone();
    let post = mastodon.get_post(&reference.id).await.unwrap();
    assert_eq!(post.text, "@ana ¡Hola Ana! Sí: pan y dos tartas sin gluten cada día.");
    assert_eq!(post.in_reply_to, Some(tertulia_core::RemoteId::new(mention)));
}
