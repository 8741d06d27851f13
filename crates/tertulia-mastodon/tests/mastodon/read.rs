use serde_json::json;
use tertulia_core::{ErrorKind, Handle, MediaKind, Platform, RemoteId};

use crate::support::*;

fn menu_status() -> serde_json::Value {
    with(
        status(
            "115000000000000040",
            "2026-11-25T18:30:00.000Z",
            me(),
            r#"<p>Menú de otoño &amp; más 🍂</p><p>Reservas en <a href="https://cafe.example/reservas" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">cafe.example/reservas</span><span class="invisible"></span></a></p>"#,
        ),
        json!({
            "replies_count": 7, "reblogs_count": 12, "favourites_count": 98, "quotes_count": 2,
            "in_reply_to_id": "115000000000000039",
            "media_attachments": [media("22348641", "image", true, Some("Calabaza asada sobre pan"))]
        }),
    )
}

#[tokio::test]
async fn get_post_reads_text_media_author_and_counters() {
    let (mut server, mastodon, clock) = connected().await;
    server
        .mock("GET", "/api/v1/statuses/115000000000000040")
        .with_body(menu_status().to_string())
        .expect(1)
        .create_async()
        .await;
    let post = mastodon.get_post(&RemoteId::new("115000000000000040")).await.unwrap();
    assert_eq!(post.text, "Menú de otoño & más 🍂\n\nReservas en https://cafe.example/reservas");
    assert_eq!(post.author.handle, Handle::new("cafetertulia@cafe.example"));
    assert_eq!(post.author.display_name.as_deref(), Some("Café Tertulia"));
    assert_eq!(post.in_reply_to, Some(RemoteId::new("115000000000000039")));
    assert_eq!(post.language.as_deref(), Some("es"));
    assert_eq!(post.media.len(), 1);
    assert_eq!(post.media[0].kind, MediaKind::Image);
    assert_eq!(post.media[0].alt_text.as_deref(), Some("Calabaza asada sobre pan"));
    let metrics = post.metrics.unwrap();
    assert_eq!(
        (metrics.likes, metrics.reposts, metrics.replies, metrics.quotes),
        (Some(98), Some(12), Some(7), Some(2))
    );
    assert_eq!(metrics.as_of, Some(tertulia_core::Clock::now(clock.as_ref())));
}

#[tokio::test]
async fn post_metrics_come_from_the_status_counters() {
    let (mut server, mastodon, _clock) = connected().await;
    server.mock("GET", "/api/v1/statuses/115000000000000040").with_body(menu_status().to_string()).create_async().await;
    let metrics = mastodon.post_metrics(&RemoteId::new("115000000000000040")).await.unwrap();
    assert_eq!(metrics.engagements(), 98 + 12 + 7 + 2);
    assert_eq!(metrics.impressions, None);
}

#[tokio::test]
async fn a_server_without_quotes_reports_none_not_zero() {
    let (mut server, mastodon, _clock) = connected().await;
    let mut old = menu_status();
    old.as_object_mut().unwrap().remove("quotes_count");
    server.mock("GET", "/api/v1/statuses/1").with_body(old.to_string()).create_async().await;
    assert_eq!(mastodon.post_metrics(&RemoteId::new("1")).await.unwrap().quotes, None);
}

#[tokio::test]
async fn a_missing_post_is_not_found() {
    let (mut server, mastodon, _clock) = connected().await;
    server
        .mock("GET", "/api/v1/statuses/404")
        .with_status(404)
        .with_body(r#"{"error":"Record not found"}"#)
        .create_async()
        .await;
    let err = mastodon.get_post(&RemoteId::new("404")).await.unwrap_err();
    assert_eq!((err.kind(), err.message()), (ErrorKind::NotFound, "Record not found"));
}

#[tokio::test]
async fn account_and_account_metrics_read_the_credentials() {
    let (mastodon, _server, _clock) = {
        let (server, mastodon, clock) = connected().await;
        (mastodon, server, clock)
    };
    let info = mastodon.account().await.unwrap();
    assert_eq!(info.id, RemoteId::new(ME));
    assert_eq!(info.handle, Handle::new("cafetertulia@cafe.example"));
    assert_eq!(info.followers, Some(240));
    let metrics = mastodon.account_metrics().await.unwrap();
    assert_eq!((metrics.followers, metrics.following, metrics.posts), (Some(240), Some(35), Some(812)));
}

#[tokio::test]
async fn the_context_lists_ancestors_and_descendants() {
    let (mut server, mastodon, _clock) = connected().await;
    let root = status("115000000000000040", "2026-11-25T18:30:00.000Z", me(), "<p>Menú</p>");
    let question = with(
        status("109000000000000070", "2026-11-25T18:40:00.000Z", ana(), "<p>¿Hay opción vegana?</p>"),
        json!({"in_reply_to_id": "115000000000000041", "in_reply_to_account_id": ME}),
    );
    let answer = with(
        status("115000000000000042", "2026-11-25T18:45:00.000Z", me(), "<p>@ana sí, la sopa</p>"),
        json!({"in_reply_to_id": "109000000000000070", "in_reply_to_account_id": "109000000000000002"}),
    );
    server
        .mock("GET", "/api/v1/statuses/115000000000000041/context")
        .with_body(json!({"ancestors": [root], "descendants": [question, answer]}).to_string())
        .create_async()
        .await;
    let context = mastodon.context(&RemoteId::new("115000000000000041")).await.unwrap();
    assert_eq!(context.ancestors.len(), 1);
    let ids: Vec<_> = context.descendants.iter().map(|p| p.reference.id.as_str()).collect();
    assert_eq!(ids, ["109000000000000070", "115000000000000042"]);
    assert_eq!(context.descendants[0].author.handle, Handle::new("ana@cafe.example"));
}
