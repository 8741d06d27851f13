use chrono::Duration;
use mockito::Matcher;
use serde_json::json;
use tertulia_core::{
    ClientMarker, ErrorKind, IdempotencyKey, MediaId, Platform, PlatformExt, PublishRequest, PublishStatus, RemoteId,
    RemoteRef, ReplyRequest, Visibility,
};

use crate::support::*;

fn request(text: &str, key: &str) -> PublishRequest {
    PublishRequest::new(text, IdempotencyKey::new(key), ClientMarker::new(format!("marker-{key}")))
}

#[tokio::test]
async fn publish_sends_every_field_with_the_idempotency_key() {
    let (mut server, mastodon, _clock) = connected().await;
    let body = status("115000000000000010", "2026-11-26T08:00:01.000Z", me(), "<p>Menú de otoño 🍂</p>");
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .match_header("authorization", bearer())
        .match_header("idempotency-key", "k-otono")
        .match_body(Matcher::Json(json!({
            "status": "Menú de otoño 🍂",
            "media_ids": ["22348641"],
            "in_reply_to_id": "115000000000000009",
            "spoiler_text": "comida",
            "visibility": "private",
            "language": "es"
        })))
        .with_header("content-type", "application/json; charset=utf-8")
        .with_body(body.to_string())
        .expect(1)
        .create_async()
        .await;
    let request = request("Menú de otoño 🍂", "k-otono")
        .media([MediaId::new("22348641")])
        .in_reply_to(RemoteRef::new("115000000000000009"))
        .content_warning("comida")
        .visibility(Visibility::Followers)
        .language("es");
    let outcome = mastodon.publish(&request).await;
    mock.assert_async().await;
    assert_eq!(outcome.idempotency_key, IdempotencyKey::new("k-otono"));
    let PublishStatus::Published { reference, published_at } = outcome.status else { panic!("{outcome:?}") };
    assert_eq!(reference.id, RemoteId::new("115000000000000010"));
    assert_eq!(reference.url.unwrap().as_str(), "https://cafe.example/@cafetertulia/115000000000000010");
    assert_eq!(published_at.to_rfc3339(), "2026-11-26T08:00:01+00:00");
}

#[tokio::test]
async fn a_link_is_appended_to_the_text_for_the_card() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .match_body(Matcher::PartialJson(
            json!({"status": "Nueva carta\n\nhttps://cafe.example/carta", "visibility": "public"}),
        ))
        .with_body(status("115000000000000011", "2026-11-26T08:00:01.000Z", me(), "<p>x</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    let outcome =
        mastodon.publish(&request("Nueva carta", "k-carta").link("https://cafe.example/carta".parse().unwrap())).await;
    mock.assert_async().await;
    assert!(outcome.published().is_some(), "{outcome:?}");
}

#[tokio::test]
async fn native_scheduling_returns_a_scheduled_status() {
    let (mut server, mastodon, _clock) = connected().await;
    let at = start() + Duration::hours(2);
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .match_body(Matcher::PartialJson(
            json!({"status": "Mañana, café gratis", "scheduled_at": "2026-11-26T10:00:00.000Z"}),
        ))
        .with_body(
            json!({
                "id": "3221",
                "scheduled_at": "2026-11-26T10:00:00.000Z",
                "params": {
                    "text": "Mañana, café gratis", "media_ids": null, "sensitive": null, "spoiler_text": null,
                    "visibility": null, "scheduled_at": null, "poll": null, "idempotency": "k-manana",
                    "in_reply_to_id": null, "application_id": 596551
                },
                "media_attachments": []
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let outcome = mastodon.publish(&request("Mañana, café gratis", "k-manana").schedule_at(at)).await;
    mock.assert_async().await;
    assert_eq!(outcome.status, PublishStatus::Scheduled { id: RemoteId::new("3221"), at });
}

#[tokio::test]
async fn scheduling_less_than_five_minutes_ahead_fails_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let outcome = mastodon.publish(&request("Ya", "k-ya").schedule_at(start() + Duration::minutes(4))).await;
    let PublishStatus::Failed(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    mock.assert_async().await;
}

#[tokio::test]
async fn an_empty_status_fails_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let outcome = mastodon.publish(&request("  ", "k-empty")).await;
    assert!(matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::InvalidInput), "{outcome:?}");
    mock.assert_async().await;
}

#[tokio::test]
async fn a_validation_error_is_a_clean_failure() {
    let (mut server, mastodon, _clock) = connected().await;
    server
        .mock("POST", "/api/v1/statuses")
        .with_status(422)
        .with_body(r#"{"error":"Validation failed: Text character limit of 500 exceeded"}"#)
        .expect(1)
        .create_async()
        .await;
    // The server counts differently from the instance's published rules (a fork): its 422
    // is still a clean failure.
    let outcome = mastodon.publish(&request("¡Hola!", "k-long")).await;
    let PublishStatus::Failed(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!((error.kind(), error.status()), (ErrorKind::InvalidInput, Some(422)));
    assert_eq!(error.message(), "Validation failed: Text character limit of 500 exceeded");
}

#[tokio::test]
async fn a_thread_chains_each_part_to_the_previous_one() {
    let (mut server, mastodon, _clock) = connected().await;
    let first = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-hilo-1")
        .match_body(Matcher::Json(json!({"status": "1/2 Nuestra historia", "visibility": "public"})))
        .with_body(status("115000000000000020", "2026-11-26T08:00:01.000Z", me(), "<p>1/2</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    let second = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-hilo-2")
        .match_body(Matcher::PartialJson(
            json!({"status": "2/2 empezó en 1998", "in_reply_to_id": "115000000000000020"}),
        ))
        .with_body(status("115000000000000021", "2026-11-26T08:00:02.000Z", me(), "<p>2/2</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    let outcomes = mastodon
        .publish_thread(&[request("1/2 Nuestra historia", "k-hilo-1"), request("2/2 empezó en 1998", "k-hilo-2")])
        .await;
    first.assert_async().await;
    second.assert_async().await;
    assert_eq!(outcomes[1].published().unwrap().id, RemoteId::new("115000000000000021"));
}

#[tokio::test]
async fn a_reply_mentions_the_author_and_keeps_a_direct_conversation_direct() {
    let (mut server, mastodon, _clock) = connected().await;
    let parent = with(
        status("209000000000000050", "2026-11-26T07:50:00.000Z", bruno(), "<p>¿Abrís el domingo?</p>"),
        json!({"visibility": "direct", "url": "https://other.example/@bruno/209000000000000050"}),
    );
    server
        .mock("GET", "/api/v1/statuses/209000000000000050")
        .with_body(parent.to_string())
        .expect(1)
        .create_async()
        .await;
    let reply = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-domingo")
        .match_body(Matcher::Json(json!({
            "status": "@bruno@other.example Sí, de 9 a 14",
            "in_reply_to_id": "209000000000000050",
            "visibility": "direct",
            "language": "es"
        })))
        .with_body(
            with(
                status("115000000000000030", "2026-11-26T08:00:05.000Z", me(), "<p>Sí</p>"),
                json!({"visibility": "direct", "in_reply_to_id": "209000000000000050"}),
            )
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let request = ReplyRequest::new(
        RemoteId::new("209000000000000050"),
        "Sí, de 9 a 14",
        IdempotencyKey::new("k-domingo"),
        ClientMarker::new("m"),
    )
    .language("es");
    let outcome = mastodon.reply(&request).await;
    reply.assert_async().await;
    assert_eq!(outcome.published().unwrap().id, RemoteId::new("115000000000000030"));
}

#[tokio::test]
async fn a_reply_that_already_mentions_the_author_is_sent_as_written() {
    let (mut server, mastodon, _clock) = connected().await;
    let parent = status("109000000000000060", "2026-11-26T07:50:00.000Z", ana(), "<p>¡Qué rico!</p>");
    server.mock("GET", "/api/v1/statuses/109000000000000060").with_body(parent.to_string()).create_async().await;
    let reply = server
        .mock("POST", "/api/v1/statuses")
        .match_body(Matcher::PartialJson(json!({"status": "¡Gracias @Ana!", "visibility": "public"})))
        .with_body(status("115000000000000031", "2026-11-26T08:00:05.000Z", me(), "<p>x</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    let request = ReplyRequest::new(
        RemoteId::new("109000000000000060"),
        "¡Gracias @Ana!",
        IdempotencyKey::new("k"),
        ClientMarker::new("m"),
    );
    assert!(mastodon.reply(&request).await.published().is_some());
    reply.assert_async().await;
    // A local author named in full (`@ana@cafe.example`) is mentioned too.
    let full = server
        .mock("POST", "/api/v1/statuses")
        .match_body(Matcher::PartialJson(json!({"status": "@ana@cafe.example ¡gracias!"})))
        .with_body(status("115000000000000032", "2026-11-26T08:00:06.000Z", me(), "<p>x</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    let request = ReplyRequest::new(
        RemoteId::new("109000000000000060"),
        "@ana@cafe.example ¡gracias!",
        IdempotencyKey::new("k2"),
        ClientMarker::new("m2"),
    );
    assert!(mastodon.reply(&request).await.published().is_some());
    full.assert_async().await;
}

#[tokio::test]
async fn replying_to_a_favourite_fails_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let request = ReplyRequest::new(
        RemoteId::new("notification:34975535"),
        "gracias",
        IdempotencyKey::new("k"),
        ClientMarker::new("m"),
    );
    let outcome = mastodon.reply(&request).await;
    assert!(matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::InvalidInput), "{outcome:?}");
    mock.assert_async().await;
}

#[tokio::test]
async fn replying_to_a_deleted_status_is_a_clean_not_found() {
    let (mut server, mastodon, _clock) = connected().await;
    server
        .mock("GET", "/api/v1/statuses/404404")
        .with_status(404)
        .with_body(r#"{"error":"Record not found"}"#)
        .create_async()
        .await;
    let post = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let request = ReplyRequest::new(RemoteId::new("404404"), "hola", IdempotencyKey::new("k"), ClientMarker::new("m"));
    let outcome = mastodon.reply(&request).await;
    assert!(matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::NotFound), "{outcome:?}");
    post.assert_async().await;
}

#[tokio::test]
async fn delete_removes_the_status_and_a_missing_one_is_not_found() {
    let (mut server, mastodon, _clock) = connected().await;
    let deleted = server
        .mock("DELETE", "/api/v1/statuses/115000000000000010")
        .match_header("authorization", bearer())
        .with_body(status("115000000000000010", "2026-11-26T08:00:01.000Z", me(), "<p>x</p>").to_string())
        .expect(1)
        .create_async()
        .await;
    mastodon.delete(&RemoteId::new("115000000000000010")).await.unwrap();
    deleted.assert_async().await;
    server
        .mock("DELETE", "/api/v1/statuses/1")
        .with_status(404)
        .with_body(r#"{"error":"Record not found"}"#)
        .create_async()
        .await;
    assert_eq!(mastodon.delete(&RemoteId::new("1")).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_status_over_the_servers_limit_fails_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let outcome = mastodon.publish(&request(&"☕".repeat(501), "k-501")).await;
    let PublishStatus::Failed(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!((error.kind(), error.status()), (ErrorKind::InvalidInput, None));
    assert!(error.message().contains("501 characters"), "{}", error.message());
    // The content warning counts too.
    let outcome = mastodon.publish(&request(&"a".repeat(495), "k-cw").content_warning("comida")).await;
    assert!(matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::InvalidInput), "{outcome:?}");
    mock.assert_async().await;
}

#[tokio::test]
async fn urls_and_remote_mentions_count_as_the_server_counts_them() {
    let (mut server, mastodon, _clock) = connected().await;
    // `.example` is not a real top-level domain, so it would not count as a URL.
    let url = format!("https://cafetertulia.es/{}", "carta-de-otono/".repeat(8));
    let with_url = format!("{} {url}", "a".repeat(470));
    let with_mention = format!("@bruno@other.example {}", "a".repeat(480));
    assert!(with_url.chars().count() > 500 && with_mention.chars().count() > 500);
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .with_body(status("115000000000000012", "2026-11-26T08:00:01.000Z", me(), "<p>x</p>").to_string())
        .expect(2)
        .create_async()
        .await;
    assert!(mastodon.publish(&request(&with_url, "k-url")).await.published().is_some());
    assert!(mastodon.publish(&request(&with_mention, "k-mention")).await.published().is_some());
    mock.assert_async().await;
}

#[tokio::test]
async fn more_attachments_than_the_server_takes_fail_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").expect(0).create_async().await;
    let media = (1..=5).map(|n| MediaId::new(n.to_string()));
    let outcome = mastodon.publish(&request("Cinco fotos", "k-5").media(media)).await;
    assert!(matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::InvalidInput), "{outcome:?}");
    mock.assert_async().await;
}
