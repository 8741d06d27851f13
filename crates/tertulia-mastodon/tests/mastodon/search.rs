use mockito::Matcher;
use serde_json::json;
use tertulia_core::{Cursor, ErrorKind, InteractionKind, Platform, SearchQuery};

use crate::support::*;

#[tokio::test]
async fn words_are_searched_as_statuses_with_an_offset_cursor() {
    let (mut server, mastodon, _clock) = connected().await;
    let found = |id: &str, language: &str| {
        with(
            status(id, "2026-11-26T07:00:00.000Z", bruno(), "<p>Café Tertulia tiene el mejor flat white</p>"),
            json!({"language": language}),
        )
    };
    let first = server
        .mock("GET", "/api/v2/search")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("q".into(), "café tertulia".into()),
            Matcher::UrlEncoded("type".into(), "statuses".into()),
            Matcher::UrlEncoded("resolve".into(), "false".into()),
            Matcher::UrlEncoded("limit".into(), "2".into()),
            Matcher::UrlEncoded("offset".into(), "0".into()),
        ]))
        .with_body(
            json!({"accounts": [], "statuses": [found("1", "es"), found("2", "en")], "hashtags": []}).to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let page = mastodon.search(&SearchQuery::new(" café tertulia ").limit(2)).await.unwrap();
    first.assert_async().await;
    assert_eq!(page.items.len(), 2);
    assert!(page.items.iter().all(|i| i.kind == InteractionKind::Listening));
    assert_eq!(page.next, Some(Cursor::new("search:2")));

    let last = server
        .mock("GET", "/api/v2/search")
        .match_query(Matcher::AllOf(vec![Matcher::UrlEncoded("offset".into(), "2".into())]))
        .with_body(json!({"accounts": [], "statuses": [found("3", "es")], "hashtags": []}).to_string())
        .expect(1)
        .create_async()
        .await;
    let mut query = SearchQuery::new("café tertulia").limit(2).cursor(page.next.unwrap());
    query.language = Some("es".into());
    let page = mastodon.search(&query).await.unwrap();
    last.assert_async().await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn a_hashtag_reads_the_tag_timeline_with_link_paging() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server
        .mock("GET", "/api/v1/timelines/tag/cafeconleche")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("limit".into(), "20".into()),
            Matcher::UrlEncoded("max_id".into(), "300".into()),
        ]))
        .with_header("link", &format!(r#"<{}/api/v1/timelines/tag/cafeconleche?max_id=298>; rel="next""#, server.url()))
        .with_body(
            json!([
                status("299", "2026-11-26T06:00:00.000Z", ana(), "<p>#cafeconleche de la mañana</p>"),
                status("298", "2026-11-26T05:00:00.000Z", bruno(), "<p>#cafeconleche y medialunas</p>")
            ])
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let page = mastodon.search(&SearchQuery::new("#cafeconleche").cursor(Cursor::new("tag:300"))).await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].text.as_deref(), Some("#cafeconleche de la mañana"));
    assert_eq!(page.next, Some(Cursor::new("tag:298")));
}

#[tokio::test]
async fn an_empty_query_or_a_foreign_cursor_is_invalid_input() {
    let (_server, mastodon, _clock) = connected().await;
    assert_eq!(mastodon.search(&SearchQuery::new("   ")).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    let query = SearchQuery::new("café").cursor(Cursor::new("search:many"));
    assert_eq!(mastodon.search(&query).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}
