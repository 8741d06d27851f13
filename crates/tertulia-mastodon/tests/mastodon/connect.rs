use std::sync::Arc;
use std::time::Duration;

use tertulia_core::{Counter, ErrorKind, InteractionKind, ManualClock, MediaKind, Operation, Platform};
use tertulia_mastodon::Mastodon;

use crate::support::*;

#[tokio::test]
async fn connect_reads_the_servers_limits_into_capabilities() {
    let mut server = mockito::Server::new_async().await;
    mock_connect(&mut server, instance(1000, 7)).await;
    let clock = Arc::new(ManualClock::new(start()));
    let mastodon = connect_to(&server.url(), &clock, config(&server.url())).await;
    let caps = mastodon.capabilities();
    assert_eq!(caps.text.max_length, 1000);
    assert_eq!(caps.text.counter, Counter::Graphemes);
    assert_eq!(caps.text.url_weight, Some(23));
    assert!(caps.text.urls_need_scheme && caps.text.remote_mentions_count_as_local);
    assert_eq!(caps.text.media.max_items, 4);
    assert_eq!(caps.text.media.max_alt_text, Some(1500));
    assert_eq!(caps.text.media.max_image_bytes, Some(16_777_216));
    assert_eq!(caps.text.media.max_video_bytes, Some(103_809_024));
    assert_eq!(caps.text.media.kinds, vec![MediaKind::Image, MediaKind::Gif, MediaKind::Video, MediaKind::Audio]);
    assert!(caps.native_scheduling && caps.idempotency_keys && caps.threads && caps.find_by_marker);
    assert_eq!(caps.min_schedule_lead, Some(Duration::from_secs(300)));
    assert!(caps.lists(&InteractionKind::Quote));
    assert!(caps.supports(Operation::Search));
    assert_eq!(mastodon.domain(), DOMAIN);
}

#[tokio::test]
async fn a_server_before_quotes_does_not_list_them() {
    let mut server = mockito::Server::new_async().await;
    mock_connect(&mut server, instance(500, 6)).await;
    let clock = Arc::new(ManualClock::new(start()));
    let mastodon = connect_to(&server.url(), &clock, config(&server.url())).await;
    assert!(!mastodon.capabilities().lists(&InteractionKind::Quote));
    assert!(mastodon.capabilities().lists(&InteractionKind::Reply));
}

#[tokio::test]
async fn an_invalid_token_fails_to_connect_as_unauthenticated() {
    let mut server = mockito::Server::new_async().await;
    server.mock("GET", "/api/v2/instance").with_body(instance(500, 7).to_string()).create_async().await;
    server
        .mock("GET", "/api/v1/accounts/verify_credentials")
        .with_status(401)
        .with_header("content-type", "application/json")
        .with_body(r#"{"error":"The access token is invalid"}"#)
        .expect(1)
        .create_async()
        .await;
    let err = Mastodon::connect(config(&server.url())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    assert_eq!(err.message(), "The access token is invalid");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn an_empty_token_is_a_configuration_error_without_a_request() {
    let server = mockito::Server::new_async().await;
    let mut config = config(&server.url());
    config.token = "".into();
    let err = Mastodon::connect(config).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let (server, mastodon, _clock) = connected().await;
    let shown = format!("{:?} {:?}", config(&server.url()), mastodon);
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn a_server_without_v2_is_read_from_the_v1_instance() {
    let mut server = mockito::Server::new_async().await;
    server.mock("GET", "/api/v2/instance").with_status(404).with_body(r#"{"error":"Not Found"}"#).create_async().await;
    server
        .mock("GET", "/api/v1/instance")
        .with_body(
            serde_json::json!({
                "uri": "pleroma.example",
                "title": "Tertulia en Pleroma",
                "version": "2.7.2 (compatible; Pleroma 2.6.0)",
                "max_toot_chars": 5000,
                "configuration": {"statuses": {"max_media_attachments": 8}}
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    server.mock("GET", "/api/v1/accounts/verify_credentials").with_body(me().to_string()).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let mastodon = connect_to(&server.url(), &clock, config(&server.url())).await;
    assert_eq!(mastodon.domain(), "pleroma.example");
    assert_eq!(mastodon.capabilities().text.max_length, 5000);
    assert_eq!(mastodon.capabilities().text.media.max_items, 8);
    assert_eq!(mastodon.capabilities().text.url_weight, Some(23));
}
