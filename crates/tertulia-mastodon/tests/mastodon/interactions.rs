use mockito::Matcher;
use serde_json::json;
use tertulia_core::{
    ConversationId, Cursor, ErrorKind, Handle, InteractionKind, InteractionQuery, Platform, PlatformExt, RemoteId,
};

use crate::support::*;

fn link(server: &mockito::ServerGuard, path: &str, max_id: &str, min_id: &str) -> String {
    format!(
        r#"<{url}{path}?max_id={max_id}>; rel="next", <{url}{path}?min_id={min_id}>; rel="prev""#,
        url = server.url()
    )
}

/// One notification of every type the server sends, newest first.
fn notifications() -> serde_json::Value {
    let reply = with(
        status(
            "109000000000000101",
            "2026-11-26T07:59:00.000Z",
            ana(),
            r#"<p><span class="h-card"><a href="https://cafe.example/@cafetertulia" class="u-url mention">@<span>cafetertulia</span></a></span> ¿Tenéis leche de avena?</p>"#,
        ),
        json!({"in_reply_to_id": "115000000000000040", "in_reply_to_account_id": ME, "mentions": [{"id": ME, "username": "cafetertulia", "url": "https://cafe.example/@cafetertulia", "acct": "cafetertulia"}]}),
    );
    let mention = status(
        "209000000000000102",
        "2026-11-26T07:58:00.000Z",
        bruno(),
        "<p>El mejor café del barrio: @cafetertulia@cafe.example</p>",
    );
    let direct = with(
        status(
            "209000000000000103",
            "2026-11-26T07:57:00.000Z",
            bruno(),
            "<p>@cafetertulia ¿puedo reservar para 8?</p>",
        ),
        json!({"visibility": "direct"}),
    );
    let mine = status("115000000000000040", "2026-11-25T18:30:00.000Z", me(), "<p>Menú de otoño</p>");
    let quote = with(
        status("109000000000000104", "2026-11-26T07:55:00.000Z", ana(), "<p>¡Mirad esto!</p>"),
        json!({"quote": {"state": "accepted", "quoted_status": mine.clone()}}),
    );
    json!([
        notification("34975900", "mention", "2026-11-26T07:59:00.100Z", ana(), Some(reply)),
        notification("34975899", "mention", "2026-11-26T07:58:00.100Z", bruno(), Some(mention)),
        notification("34975898", "mention", "2026-11-26T07:57:00.100Z", bruno(), Some(direct)),
        notification("34975897", "favourite", "2026-11-26T07:56:30.000Z", bruno(), Some(mine.clone())),
        notification("34975896", "reblog", "2026-11-26T07:56:00.000Z", ana(), Some(mine.clone())),
        notification("34975895", "quote", "2026-11-26T07:55:00.100Z", ana(), Some(quote)),
        notification("34975894", "follow", "2026-11-26T07:54:00.000Z", bruno(), None),
        notification("34975893", "poll", "2026-11-26T07:53:00.000Z", me(), Some(mine)),
    ])
}

#[tokio::test]
async fn notifications_become_interactions_of_each_kind() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("limit".into(), "40".into()),
            Matcher::Regex("types%5B%5D=mention".into()),
            Matcher::Regex("types%5B%5D=favourite".into()),
            Matcher::Regex("types%5B%5D=reblog".into()),
            Matcher::Regex("types%5B%5D=follow".into()),
            Matcher::Regex("types%5B%5D=quote".into()),
        ]))
        .match_header("authorization", bearer())
        .with_header("link", &link(&server, "/api/v1/notifications", "34975893", "34975900"))
        .with_body(notifications().to_string())
        .expect(1)
        .create_async()
        .await;
    let page = mastodon.list_interactions(&InteractionQuery::default()).await.unwrap();
    mock.assert_async().await;
    let kinds: Vec<_> = page.items.iter().map(|i| (i.id.as_str(), i.kind.clone())).collect();
    assert_eq!(
        kinds,
        [
            ("109000000000000101", InteractionKind::Reply),
            ("209000000000000102", InteractionKind::Mention),
            ("209000000000000103", InteractionKind::DirectMessage),
            ("notification:34975897", InteractionKind::Reaction),
            ("notification:34975896", InteractionKind::Repost),
            ("109000000000000104", InteractionKind::Quote),
            ("notification:34975894", InteractionKind::Follow),
        ]
    );
    let reply = &page.items[0];
    assert_eq!(reply.text.as_deref(), Some("@cafetertulia ¿Tenéis leche de avena?"));
    assert_eq!(reply.subject, Some(RemoteId::new("115000000000000040")));
    assert_eq!(reply.author.handle, Handle::new("ana@cafe.example"));
    assert_eq!(page.items[1].author.handle, Handle::new("bruno@other.example"));
    assert_eq!(page.items[3].subject, Some(RemoteId::new("115000000000000040")));
    assert_eq!(page.items[3].text, None);
    assert_eq!(page.items[5].subject, Some(RemoteId::new("115000000000000040")));
    assert_eq!(page.next, Some(Cursor::new("notifications:34975893")));
}

#[tokio::test]
async fn the_cursor_continues_with_max_id_and_an_empty_page_ends() {
    let (mut server, mastodon, _clock) = connected().await;
    let older = server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::UrlEncoded("max_id".into(), "34975893".into()))
        .with_header("link", &link(&server, "/api/v1/notifications", "34975000", "34975892"))
        .with_body(json!([notification("34975892", "follow", "2026-11-26T07:00:00.000Z", ana(), None)]).to_string())
        .expect(1)
        .create_async()
        .await;
    let end = server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::UrlEncoded("max_id".into(), "34975000".into()))
        .with_header("link", &link(&server, "/api/v1/notifications", "34975000", "34975000"))
        .with_body("[]")
        .expect(1)
        .create_async()
        .await;
    let query = InteractionQuery::default().cursor(Cursor::new("notifications:34975893"));
    let all = mastodon.all_interactions(&query, 100).await.unwrap();
    older.assert_async().await;
    end.assert_async().await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, InteractionKind::Follow);
}

#[tokio::test]
async fn asking_for_some_kinds_filters_on_the_server_and_locally() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::AllOf(vec![Matcher::Regex("^limit=80&types%5B%5D=mention$".into())]))
        .with_body(notifications().to_string())
        .expect(1)
        .create_async()
        .await;
    let query = InteractionQuery::default().kinds([InteractionKind::Reply]).limit(500);
    let page = mastodon.list_interactions(&query).await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, InteractionKind::Reply);
    assert_eq!(page.next, None, "no Link header, no next page");
}

#[tokio::test]
async fn direct_messages_alone_come_from_conversations() {
    let (mut server, mastodon, _clock) = connected().await;
    let last = with(
        status(
            "209000000000000103",
            "2026-11-26T07:57:00.000Z",
            bruno(),
            "<p>@cafetertulia ¿puedo reservar para 8?</p>",
        ),
        json!({"visibility": "direct", "in_reply_to_id": "115000000000000090", "in_reply_to_account_id": ME}),
    );
    let mock = server
        .mock("GET", "/api/v1/conversations")
        .match_query(Matcher::UrlEncoded("limit".into(), "20".into()))
        .with_header("link", &link(&server, "/api/v1/conversations", "209000000000000103", "209000000000000103"))
        .with_body(
            json!([
                {"id": "418450", "unread": true, "accounts": [bruno()], "last_status": last},
                {"id": "418449", "unread": false, "accounts": [ana()], "last_status": null}
            ])
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let page =
        mastodon.list_interactions(&InteractionQuery::default().kinds([InteractionKind::DirectMessage])).await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 1);
    let message = &page.items[0];
    assert_eq!(message.kind, InteractionKind::DirectMessage);
    assert_eq!(message.conversation, Some(ConversationId::new("418450")));
    assert_eq!(message.text.as_deref(), Some("@cafetertulia ¿puedo reservar para 8?"));
    assert_eq!(page.next, Some(Cursor::new("conversations:209000000000000103")));
}

#[tokio::test]
async fn a_cursor_of_another_listing_is_invalid_input() {
    let (_server, mastodon, _clock) = connected().await;
    let query = InteractionQuery::default().cursor(Cursor::new("conversations:1"));
    let err = mastodon.list_interactions(&query).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn kinds_mastodon_does_not_have_give_an_empty_page() {
    let (_server, mastodon, _clock) = connected().await;
    let page = mastodon.list_interactions(&InteractionQuery::default().kinds([InteractionKind::Review])).await.unwrap();
    assert!(page.items.is_empty() && page.is_last());
}

#[tokio::test]
async fn interactions_carry_the_configured_account() {
    let mut server = mockito::Server::new_async().await;
    mock_connect(&mut server, instance(500, 7)).await;
    let clock = std::sync::Arc::new(tertulia_core::ManualClock::new(start()));
    let mut config = config(&server.url());
    config.account = Some(tertulia_core::AccountId::new("cafe-tertulia/mastodon"));
    let mastodon = connect_to(&server.url(), &clock, config).await;
    server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::Any)
        .with_body(notifications().to_string())
        .create_async()
        .await;
    let page = mastodon.list_interactions(&InteractionQuery::default()).await.unwrap();
    assert!(!page.items.is_empty());
    assert!(page.items.iter().all(|i| i.account.as_ref().map(|a| a.as_str()) == Some("cafe-tertulia/mastodon")));
}
