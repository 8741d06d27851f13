//! The simulated networks enforce their rules, limits and faults as their profiles say.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tertulia_core::{
    Author, ClientMarker, Clock, Cursor, ErrorKind, IdempotencyKey, Interaction, InteractionKind, InteractionQuery,
    ManualClock, MediaUpload, Operation, Platform, PublishLookup, PublishOutcome, PublishRequest, PublishStatus,
    ReplyRequest, SearchQuery, Visibility,
};
use tertulia_memory::{Community, Fault, MemoryPlatform, NetworkProfile, NewInteraction, RateLimit};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

fn network(profile: NetworkProfile) -> (Arc<ManualClock>, MemoryPlatform) {
    let clock = Arc::new(ManualClock::new(start()));
    let network = MemoryPlatform::new(profile, clock.clone());
    (clock, network)
}

fn request(text: &str, n: u32) -> PublishRequest {
    PublishRequest::new(text, IdempotencyKey::new(format!("key-{n}")), ClientMarker::new(format!("marker-{n}")))
}

fn failure(outcome: &PublishOutcome) -> (ErrorKind, String) {
    match &outcome.status {
        PublishStatus::Failed(error) => (error.kind(), error.message().to_owned()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn is_published(outcome: &PublishOutcome) -> bool {
    outcome.published().is_some()
}

#[tokio::test]
async fn mastodon_counts_graphemes_with_urls_as_23_and_remote_mentions_as_local() {
    let (_, network) = network(NetworkProfile::mastodon_like());
    let at_limit = "é".repeat(500);
    assert!(is_published(&network.publish(&request(&at_limit, 1)).await));
    let over = "é".repeat(501);
    let (kind, message) = failure(&network.publish(&request(&over, 2)).await);
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(message.contains("501") && message.contains("500"), "{message}");
    // 470 + space + URL (23) + space + @ana (4) = 499, however long the URL and the host.
    let long_url = format!("https://example.com/{}", "a".repeat(200));
    let text = format!("{} {long_url} @ana@a-very-long-server-name.example", "x".repeat(470));
    assert!(is_published(&network.publish(&request(&text, 3)).await));
    assert_eq!(network.posts().len(), 2, "nothing is stored for a refused post");
}

#[tokio::test]
async fn bluesky_caps_graphemes_and_bytes() {
    let (_, network) = network(NetworkProfile::bluesky_like());
    assert!(is_published(&network.publish(&request(&"ñ".repeat(300), 1)).await));
    assert_eq!(failure(&network.publish(&request(&"ñ".repeat(301), 2)).await).0, ErrorKind::InvalidInput);
    // 280 graphemes but 11 bytes each: over the 3000-byte cap.
    let (kind, message) = failure(&network.publish(&request(&"👩‍💻".repeat(280), 3)).await);
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(message.contains("bytes"), "{message}");
}

#[tokio::test]
async fn x_weighs_cjk_and_emoji_double() {
    let (_, network) = network(NetworkProfile::x_like());
    assert!(is_published(&network.publish(&request(&"喫".repeat(140), 1)).await));
    assert_eq!(failure(&network.publish(&request(&"喫".repeat(141), 2)).await).0, ErrorKind::InvalidInput);
    assert!(is_published(&network.publish(&request(&"👩‍💻".repeat(140), 3)).await));
    assert!(is_published(&network.publish(&request(&"a".repeat(280), 4)).await));
}

#[tokio::test]
async fn an_empty_post_is_invalid() {
    let (_, network) = network(NetworkProfile::mastodon_like());
    assert_eq!(failure(&network.publish(&request("   ", 1)).await).0, ErrorKind::InvalidInput);
}

#[tokio::test]
async fn media_limits_are_enforced() {
    let (_, bluesky) = network(NetworkProfile::bluesky_like());
    let too_big = MediaUpload::new(vec![0u8; 2_000_001], "image/jpeg");
    let error = bluesky.upload_media(&too_big).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let gif = MediaUpload::new(vec![1u8; 10], "image/gif");
    assert_eq!(bluesky.upload_media(&gif).await.unwrap_err().kind(), ErrorKind::InvalidInput, "no GIFs on Bluesky");

    let (_, mastodon) = network(NetworkProfile::mastodon_like());
    let unknown = MediaUpload::new(vec![1u8; 10], "application/zip");
    assert_eq!(mastodon.upload_media(&unknown).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let long_alt = MediaUpload::new(vec![1u8; 10], "image/png").alt_text("a".repeat(1501));
    assert_eq!(mastodon.upload_media(&long_alt).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let empty = MediaUpload::new(Vec::new(), "image/png");
    assert_eq!(mastodon.upload_media(&empty).await.unwrap_err().kind(), ErrorKind::InvalidInput);

    let mut images = Vec::new();
    for n in 0..5 {
        let upload = MediaUpload::new(vec![n; 10], "image/png").alt_text(format!("imagen {n}"));
        images.push(mastodon.upload_media(&upload).await.unwrap().id);
    }
    let five = request("Cinco fotos", 1).media(images.clone());
    assert_eq!(failure(&mastodon.publish(&five).await).0, ErrorKind::InvalidInput);
    let video = mastodon.upload_media(&MediaUpload::new(vec![9u8; 10], "video/mp4")).await.unwrap().id;
    let mixed = request("Foto y vídeo", 2).media([images[0].clone(), video]);
    assert_eq!(failure(&mastodon.publish(&mixed).await).0, ErrorKind::InvalidInput);
    let unknown_id = request("?", 3).media([tertulia_core::MediaId::new("media-404")]);
    assert_eq!(failure(&mastodon.publish(&unknown_id).await).0, ErrorKind::InvalidInput);
    let four = request("Cuatro fotos", 4).media(images[..4].to_vec());
    let post = mastodon.publish(&four).await.published().unwrap().id.clone();
    let read = mastodon.get_post(&post).await.unwrap();
    let alts: Vec<_> = read.media.iter().map(|m| m.alt_text.clone().unwrap()).collect();
    assert_eq!(alts, ["imagen 0", "imagen 1", "imagen 2", "imagen 3"]);
}

#[tokio::test]
async fn idempotency_keys_are_honoured_for_an_hour_where_the_network_honours_them() {
    let (clock, mastodon) = network(NetworkProfile::mastodon_like());
    let first = mastodon.publish(&request("Hola", 1)).await;
    let again = mastodon.publish(&request("Hola", 1)).await;
    assert_eq!(first.published(), again.published());
    assert_eq!(mastodon.publishes_for(&ClientMarker::new("marker-1")), 1);
    clock.advance(Duration::from_secs(3601));
    let later = mastodon.publish(&request("Hola", 1)).await;
    assert_ne!(later.published(), first.published(), "the key is forgotten after an hour");
    assert_eq!(mastodon.publishes_for(&ClientMarker::new("marker-1")), 2);

    let (_, bluesky) = network(NetworkProfile::bluesky_like());
    bluesky.publish(&request("Hola", 1)).await;
    bluesky.publish(&request("Hola", 1)).await;
    assert_eq!(bluesky.publishes_for(&ClientMarker::new("marker-1")), 2, "Bluesky has no idempotency keys");
}

#[tokio::test]
async fn rate_limits_answer_with_the_time_left_and_refill() {
    let profile = NetworkProfile::x_like();
    assert_eq!(profile.limit_of(Operation::Publish), Some(RateLimit::new(100, Duration::from_secs(900))));
    let (clock, network) = network(profile);
    for n in 0..100 {
        assert!(is_published(&network.publish(&request(&format!("post {n}"), n)).await), "post {n}");
    }
    clock.advance(Duration::from_secs(300));
    let outcome = network.publish(&request("one too many", 100)).await;
    match &outcome.status {
        PublishStatus::Failed(error) => {
            assert_eq!(error.kind(), ErrorKind::RateLimited);
            assert_eq!(error.retry_after(), Some(Duration::from_secs(600)));
            assert_eq!(error.status(), Some(429));
            assert!(error.is_temporary());
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
    assert_eq!(network.posts().len(), 100);
    clock.advance(Duration::from_secs(600));
    assert!(is_published(&network.publish(&request("again", 101)).await));
}

#[tokio::test]
async fn native_scheduling_holds_the_post_until_its_time() {
    let (clock, mastodon) = network(NetworkProfile::mastodon_like());
    let at = start() + chrono::Duration::hours(2);
    let outcome = mastodon.publish(&request("Mañana, tarta", 1).schedule_at(at)).await;
    let PublishStatus::Scheduled { id, at: when } = outcome.status.clone() else { panic!("{outcome:?}") };
    assert_eq!(when, at);
    let replay = mastodon.publish(&request("Mañana, tarta", 1).schedule_at(at)).await;
    assert_eq!(replay.status, outcome.status, "a replayed key answers the same scheduled item");
    assert_eq!(mastodon.get_post(&id).await.unwrap_err().kind(), ErrorKind::NotFound, "not out yet");
    assert_eq!(mastodon.account_metrics().await.unwrap().posts, Some(0));
    clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(mastodon.get_post(&id).await.unwrap().created_at, at);

    let too_soon = mastodon.publish(&request("Ya", 2).schedule_at(clock.now() + chrono::Duration::minutes(4))).await;
    assert_eq!(failure(&too_soon).0, ErrorKind::InvalidInput, "Mastodon wants 5 minutes of lead");

    let (_, bluesky) = network(NetworkProfile::bluesky_like());
    let unsupported = bluesky.publish(&request("Mañana", 1).schedule_at(at)).await;
    assert_eq!(failure(&unsupported).0, ErrorKind::Unsupported);
}

#[tokio::test]
async fn injected_faults_fail_the_next_calls_then_stop() {
    let (_, network) = network(NetworkProfile::mastodon_like());
    network.fail_next(Operation::Publish, ErrorKind::Unavailable, 2);
    network.inject(Fault::new(Operation::GetPost, ErrorKind::Transport));
    for n in 0..2 {
        let (kind, _) = failure(&network.publish(&request("Hola", n)).await);
        assert_eq!(kind, ErrorKind::Unavailable);
    }
    assert!(network.posts().is_empty(), "a failed publish posts nothing");
    let post = network.publish(&request("Hola", 3)).await.published().unwrap().id.clone();
    let error = network.get_post(&post).await.unwrap_err();
    assert_eq!((error.kind(), error.is_temporary()), (ErrorKind::Transport, true));
    assert!(network.get_post(&post).await.is_ok());

    network.fail_next(Operation::Account, ErrorKind::Unauthenticated, 1);
    network.clear_faults();
    assert!(network.account().await.is_ok(), "cleared faults do not fire");
}

#[tokio::test]
async fn a_lost_outcome_posted_and_is_found_by_its_marker() {
    let (_, network) = network(NetworkProfile::bluesky_like());
    let sent = network.clock().now();
    network.lose_next_publish_outcome();
    let request = request("Esta tarde, música", 1);
    let outcome = network.publish(&request).await;
    assert!(outcome.is_unknown());
    assert_eq!(network.posts().len(), 1, "it did post");
    let found = network.find_by_marker(&PublishLookup::for_request(&request, sent)).await.unwrap().unwrap();
    assert_eq!(found.text, "Esta tarde, música");
    let later = sent + chrono::Duration::seconds(1);
    assert_eq!(network.find_by_marker(&PublishLookup::for_request(&request, later)).await.unwrap(), None);

    // Replies too.
    let mention =
        network.add(NewInteraction::new(InteractionKind::Mention, Author::new("7", "ana")).text("@cafe hola")).unwrap();
    network.lose_next_outcome(Operation::Reply);
    let reply = ReplyRequest::new(mention.id.clone(), "¡Hola!", IdempotencyKey::new("r"), ClientMarker::new("reply-1"));
    assert!(network.reply(&reply).await.is_unknown());
    let found = network.find_by_marker(&PublishLookup::for_reply(&reply, sent)).await.unwrap().unwrap();
    assert_eq!(found.in_reply_to, Some(mention.id));
}

#[tokio::test]
async fn replies_answer_interactions_and_stay_private_for_messages() {
    let (_, network) = network(NetworkProfile::mastodon_like());
    let message = network
        .add(NewInteraction::new(InteractionKind::DirectMessage, Author::new("7", "ana")).text("¿Reserváis?"))
        .unwrap();
    let reply = ReplyRequest::new(message.id.clone(), "Sí, claro", IdempotencyKey::new("r"), ClientMarker::new("r"));
    let reference = network.reply(&reply).await.published().unwrap().clone();
    let stored = network.post(&reference.id).unwrap();
    assert_eq!(stored.visibility, Visibility::Direct);
    assert!(stored.is_reply);
    let missing = ReplyRequest::new("nope".into(), "¿?", IdempotencyKey::new("r2"), ClientMarker::new("r2"));
    assert_eq!(failure(&network.reply(&missing).await).0, ErrorKind::NotFound);
}

#[tokio::test]
async fn listing_filters_kinds_hides_the_future_and_refuses_foreign_cursors() {
    let (_, network) = network(NetworkProfile::mastodon_like().account_id("cafe-mastodon"));
    let post = network.publish(&request("Hola", 1)).await.published().unwrap().id.clone();
    let ana = Author::new("7", "ana");
    network.add(NewInteraction::new(InteractionKind::Comment, ana.clone()).text("¡Bien!").about(post.clone())).unwrap();
    network.add(NewInteraction::new(InteractionKind::Reaction, ana.clone()).about(post.clone())).unwrap();
    let future = start() + chrono::Duration::hours(1);
    network.add(NewInteraction::new(InteractionKind::Mention, ana.clone()).text("luego").at(future)).unwrap();
    let all = network.list_interactions(&InteractionQuery::default()).await.unwrap();
    assert_eq!(all.items.len(), 2, "an interaction in the future has not happened yet");
    let comments =
        network.list_interactions(&InteractionQuery::default().kinds([InteractionKind::Comment])).await.unwrap();
    assert_eq!(comments.items.len(), 1);
    assert_eq!(comments.items[0].in_reply_to, Some(post.clone()), "a comment answers the post");
    assert_eq!(comments.items[0].account, Some(tertulia_core::AccountId::new("cafe-mastodon")));
    assert_eq!(comments.items[0].conversation.as_ref().map(|c| c.as_str()), Some(post.as_str()));
    let foreign = InteractionQuery::default().cursor(Cursor::new("max_id=12"));
    assert_eq!(network.list_interactions(&foreign).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let metrics = network.post_metrics(&post).await.unwrap();
    assert_eq!((metrics.likes, metrics.replies, metrics.impressions), (Some(1), Some(1), None));
}

#[tokio::test]
async fn new_items_never_shift_the_pages_already_read() {
    let (clock, network) = network(NetworkProfile::mastodon_like().page_size(2, 80));
    let ana = Author::new("7", "ana");
    for n in 0..5 {
        clock.advance(Duration::from_secs(60));
        network.add(NewInteraction::new(InteractionKind::Mention, ana.clone()).text(format!("m{n}"))).unwrap();
    }
    let first = network.list_interactions(&InteractionQuery::default()).await.unwrap();
    // Two newer mentions arrive between pages.
    for n in 5..7 {
        clock.advance(Duration::from_secs(60));
        network.add(NewInteraction::new(InteractionKind::Mention, ana.clone()).text(format!("m{n}"))).unwrap();
    }
    let mut texts: Vec<String> = first.items.iter().filter_map(|i| i.text.clone()).collect();
    let mut cursor = first.next;
    while let Some(next) = cursor {
        let page = network.list_interactions(&InteractionQuery::default().cursor(next)).await.unwrap();
        texts.extend(page.items.iter().filter_map(|i| i.text.clone()));
        cursor = page.next;
    }
    assert_eq!(texts, ["m4", "m3", "m2", "m1", "m0"]);
}

#[tokio::test]
async fn search_pages_through_public_posts_and_filters_by_language() {
    let (clock, network) = network(NetworkProfile::bluesky_like().page_size(2, 100));
    let people = ["ana", "bruno", "grace"];
    for (n, person) in people.iter().enumerate() {
        clock.advance(Duration::from_secs(60));
        let language = if *person == "grace" { "en" } else { "es" };
        let new = NewInteraction::new(InteractionKind::Listening, Author::new(*person, *person))
            .text(format!("Café Tertulia, visita {n}"))
            .language(language);
        network.add_public_post(new).unwrap();
    }
    network
        .add(NewInteraction::new(InteractionKind::DirectMessage, Author::new("d", "diego")).text("tertulia privada"))
        .unwrap();
    let first = network.search(&SearchQuery::new("TERTULIA")).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let rest = network.search(&SearchQuery::new("tertulia").cursor(first.next.unwrap())).await.unwrap();
    assert_eq!(rest.items.len(), 1, "direct messages are never found");
    assert!(rest.is_last());
    let mut english = SearchQuery::new("tertulia");
    english.language = Some("en".into());
    let found = network.search(&english).await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].author.handle.as_str(), "grace");
    assert_eq!(network.search(&SearchQuery::new("  ")).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn deleting_keeps_the_publish_count_and_threads_need_a_parent() {
    let (_, network) = network(NetworkProfile::mastodon_like());
    let post = network.publish(&request("Hola", 1)).await.published().unwrap().id.clone();
    network.delete(&post).await.unwrap();
    assert_eq!(network.delete(&post).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(network.publishes_for(&ClientMarker::new("marker-1")), 1);
    let orphan = request("Sigue", 2).in_reply_to(tertulia_core::RemoteRef::new(post.as_str()));
    assert_eq!(failure(&network.publish(&orphan).await).0, ErrorKind::NotFound);
}

async fn community_story(seed: u64) -> Vec<Interaction> {
    let (clock, network) = network(NetworkProfile::mastodon_like());
    let post = network.publish(&request("Hoy, churros", 1)).await.published().unwrap().id.clone();
    clock.advance(Duration::from_secs(3 * 3600));
    let mut community = Community::new(seed);
    let mut all = community.answer(&network, &post, 30).unwrap();
    all.extend(community.chatter(&network, 20, 24).unwrap());
    all
}

#[tokio::test]
async fn the_community_is_deterministic_bilingual_and_speaks_the_network_kinds() {
    let story = community_story(7).await;
    assert_eq!(story, community_story(7).await, "the same seed tells the same story");
    assert_ne!(story, community_story(8).await, "another seed tells another");
    let languages: std::collections::BTreeSet<_> = story.iter().filter_map(|i| i.language.as_deref()).collect();
    assert_eq!(languages, ["en", "es"].into_iter().collect());
    let kinds: std::collections::BTreeSet<_> = story.iter().map(|i| i.kind.clone()).collect();
    for kind in [InteractionKind::Comment, InteractionKind::Reaction, InteractionKind::Mention, InteractionKind::Follow]
    {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    for reply in story.iter().filter(|i| i.kind == InteractionKind::Reply) {
        let parent = story.iter().find(|i| Some(&i.id) == reply.in_reply_to.as_ref()).unwrap();
        assert!(parent.created_at <= reply.created_at, "a reply comes after what it answers");
    }

    // A network without direct messages gets none.
    let (_, x) = network(NetworkProfile::x_like().interactions([InteractionKind::Mention]));
    let chatter = Community::new(1).chatter(&x, 20, 24).unwrap();
    assert!(chatter.iter().all(|i| matches!(i.kind, InteractionKind::Mention | InteractionKind::Listening)));
}

#[tokio::test]
async fn a_publishing_quota_is_a_rolling_window_of_posts() {
    let mut caps = NetworkProfile::mastodon_like().capabilities;
    caps.publish_quota = Some(tertulia_core::Quota { max: 2, window: Duration::from_secs(24 * 3600) });
    let (clock, network) = network(NetworkProfile::mastodon_like().capabilities(caps).unlimited());
    let first = network.publish(&request("uno", 1)).await.published().unwrap().id.clone();
    clock.advance(Duration::from_secs(3600));
    assert!(is_published(&network.publish(&request("dos", 2)).await));
    // Replies do not count.
    let comment = ReplyRequest::new(first, "primer comentario", IdempotencyKey::new("c"), ClientMarker::new("c"));
    assert!(network.reply(&comment).await.published().is_some());
    let outcome = network.publish(&request("tres", 3)).await;
    let PublishStatus::Failed(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(23 * 3600)), "when the first post leaves the window");
    clock.advance(Duration::from_secs(23 * 3600));
    assert!(is_published(&network.publish(&request("tres", 3)).await));
}

#[tokio::test]
async fn a_first_comment_goes_under_the_post() {
    use tertulia_core::PlatformExt;
    let (_, network) = network(NetworkProfile::bluesky_like());
    let post = request("Nueva carta", 1);
    let comment =
        ReplyRequest::new("".into(), "La carta completa, en la web", IdempotencyKey::new("c"), ClientMarker::new("c"));
    let (outcome, comment_outcome) = network.publish_with_first_comment(&post, Some(&comment)).await;
    let post_id = outcome.published().unwrap().id.clone();
    let comment_id = comment_outcome.unwrap().published().unwrap().id.clone();
    assert_eq!(network.get_post(&comment_id).await.unwrap().in_reply_to, Some(post_id));
}
