use chrono::TimeZone;
use mockito::Matcher;
use serde_json::json;
use tertulia_core::{ClientMarker, IdempotencyKey, Platform, PublishLookup, RemoteId};

use crate::support::*;

fn lookup(text: &str, in_reply_to: Option<&str>) -> PublishLookup {
    PublishLookup {
        marker: ClientMarker::new("post-42/mastodon/0"),
        idempotency_key: IdempotencyKey::new("k-42"),
        text: text.to_owned(),
        in_reply_to: in_reply_to.map(RemoteId::new),
        sent_at: chrono::Utc.with_ymd_and_hms(2026, 11, 26, 7, 30, 0).unwrap(),
    }
}

fn source(server: &mut mockito::ServerGuard, id: &str, text: &str) -> impl std::future::Future<Output = mockito::Mock> {
    server
        .mock("GET", format!("/api/v1/statuses/{id}/source").as_str())
        .with_body(json!({"id": id, "text": text, "spoiler_text": ""}).to_string())
        .create_async()
}

#[tokio::test]
async fn finds_the_published_status_among_the_accounts_own() {
    let (mut server, mastodon, _clock) = connected().await;
    let statuses = server
        .mock("GET", format!("/api/v1/accounts/{ME}/statuses").as_str())
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("limit".into(), "40".into()),
            Matcher::UrlEncoded("exclude_reblogs".into(), "true".into()),
        ]))
        .with_body(
            json!([
                status("115000000000000203", "2026-11-26T07:45:00.000Z", me(), "<p>Otra cosa</p>"),
                status("115000000000000202", "2026-11-26T07:31:00.000Z", me(), "<p>Abrimos a las 8 ☕</p>"),
                status("115000000000000201", "2026-11-26T06:00:00.000Z", me(), "<p>Abrimos a las 8 ☕</p>")
            ])
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    source(&mut server, "115000000000000203", "Otra cosa").await;
    let right = source(&mut server, "115000000000000202", "Abrimos a las 8 ☕").await;
    let older = server.mock("GET", "/api/v1/statuses/115000000000000201/source").expect(0).create_async().await;
    let found = mastodon.find_by_marker(&lookup("Abrimos a las 8 ☕", None)).await.unwrap().unwrap();
    statuses.assert_async().await;
    right.assert_async().await;
    older.assert_async().await;
    assert_eq!(found.reference.id, RemoteId::new("115000000000000202"));
}

#[tokio::test]
async fn nothing_found_when_no_status_has_the_text() {
    let (mut server, mastodon, _clock) = connected().await;
    server
        .mock("GET", format!("/api/v1/accounts/{ME}/statuses").as_str())
        .match_query(Matcher::Any)
        .with_body(
            json!([status("115000000000000203", "2026-11-26T07:45:00.000Z", me(), "<p>Otra cosa</p>")]).to_string(),
        )
        .create_async()
        .await;
    source(&mut server, "115000000000000203", "Otra cosa").await;
    assert_eq!(mastodon.find_by_marker(&lookup("Abrimos a las 8 ☕", None)).await.unwrap(), None);
}

#[tokio::test]
async fn a_reply_is_looked_up_among_the_parents_replies() {
    let (mut server, mastodon, _clock) = connected().await;
    let parent = "209000000000000050";
    let others = with(
        status("209000000000000051", "2026-11-26T07:40:00.000Z", bruno(), "<p>hola</p>"),
        json!({"in_reply_to_id": parent}),
    );
    let mine = with(
        status("115000000000000300", "2026-11-26T07:41:00.000Z", me(), "<p>@bruno@other.example Sí, de 9 a 14</p>"),
        json!({"in_reply_to_id": parent}),
    );
    server
        .mock("GET", format!("/api/v1/statuses/{parent}/context").as_str())
        .with_body(json!({"ancestors": [], "descendants": [others, mine]}).to_string())
        .expect(1)
        .create_async()
        .await;
    source(&mut server, "115000000000000300", "@bruno@other.example Sí, de 9 a 14").await;
    let found = mastodon.find_by_marker(&lookup("Sí, de 9 a 14", Some(parent))).await.unwrap().unwrap();
    assert_eq!(found.reference.id, RemoteId::new("115000000000000300"));
}
