use std::time::Duration;

use mockito::Matcher;
use tertulia_core::{ErrorKind, MediaId, MediaKind, MediaUpload, Platform};

use crate::support::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-fake-image-bytes";

#[tokio::test]
async fn an_image_uploads_synchronously_with_its_alt_text() {
    let (mut server, mastodon, clock) = connected().await;
    let mock = server
        .mock("POST", "/api/v2/media")
        .match_header("authorization", bearer())
        .match_header("content-type", Matcher::Regex("^multipart/form-data; boundary=".into()))
        .match_body(Matcher::AllOf(vec![
            Matcher::Regex(r#"name="file"; filename="upload.png""#.into()),
            Matcher::Regex("Content-Type: image/png".into()),
            Matcher::Regex(r#"name="description"\r\n\r\nTaza de café con leche sobre la barra"#.into()),
        ]))
        .with_body(media("22348641", "image", true, Some("Taza de café con leche sobre la barra")).to_string())
        .expect(1)
        .create_async()
        .await;
    let upload = MediaUpload::new(PNG, "image/png").alt_text("Taza de café con leche sobre la barra");
    let uploaded = mastodon.upload_media(&upload).await.unwrap();
    mock.assert_async().await;
    assert_eq!(uploaded.id, MediaId::new("22348641"));
    assert_eq!(uploaded.kind, MediaKind::Image);
    assert_eq!(uploaded.alt_text.as_deref(), Some("Taza de café con leche sobre la barra"));
    assert!(uploaded.url.is_some());
    assert_eq!(elapsed(&clock), Duration::ZERO);
}

#[tokio::test]
async fn a_video_is_accepted_then_polled_until_processed() {
    let (mut server, mastodon, clock) = connected().await;
    server
        .mock("POST", "/api/v2/media")
        .with_status(202)
        .with_body(media("22348700", "video", false, Some("Cómo hacemos el café")).to_string())
        .expect(1)
        .create_async()
        .await;
    let processing = server
        .mock("GET", "/api/v1/media/22348700")
        .with_status(206)
        .with_body(media("22348700", "video", false, Some("Cómo hacemos el café")).to_string())
        .expect(2)
        .create_async()
        .await;
    let done = server
        .mock("GET", "/api/v1/media/22348700")
        .with_body(media("22348700", "video", true, Some("Cómo hacemos el café")).to_string())
        .expect(1)
        .create_async()
        .await;
    let uploaded = mastodon.upload_media(&MediaUpload::new(b"fake-mp4".to_vec(), "video/mp4")).await.unwrap();
    processing.assert_async().await;
    done.assert_async().await;
    assert_eq!(uploaded.kind, MediaKind::Video);
    assert!(uploaded.url.is_some());
    // Waits of 1 s, 1.5 s and 2.25 s on the injected clock.
    assert_eq!(elapsed(&clock), Duration::from_millis(4750));
}

#[tokio::test]
async fn media_still_processing_after_the_timeout_is_a_temporary_error() {
    let mut server = mockito::Server::new_async().await;
    mock_connect(&mut server, instance(500, 7)).await;
    let clock = std::sync::Arc::new(tertulia_core::ManualClock::new(start()));
    let mut config = config(&server.url());
    config.media_processing_timeout = Duration::from_secs(20);
    let mastodon = connect_to(&server.url(), &clock, config).await;
    server
        .mock("POST", "/api/v2/media")
        .with_status(202)
        .with_body(media("9", "video", false, None).to_string())
        .create_async()
        .await;
    server
        .mock("GET", "/api/v1/media/9")
        .with_status(206)
        .with_body(media("9", "video", false, None).to_string())
        .create_async()
        .await;
    let err = mastodon.upload_media(&MediaUpload::new(b"fake-mp4".to_vec(), "video/mp4")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.is_temporary());
    assert!(elapsed(&clock) >= Duration::from_secs(20));
}

#[tokio::test]
async fn empty_media_and_a_bad_mime_type_fail_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v2/media").expect(0).create_async().await;
    let err = mastodon.upload_media(&MediaUpload::new(Vec::new(), "image/png")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = mastodon.upload_media(&MediaUpload::new(PNG, "not a mime")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    mock.assert_async().await;
}

#[tokio::test]
async fn an_unsupported_file_is_refused_by_the_server() {
    let (mut server, mastodon, _clock) = connected().await;
    server
        .mock("POST", "/api/v2/media")
        .with_status(422)
        .with_body(r#"{"error":"Validation failed: File content type is invalid, File is invalid"}"#)
        .expect(1)
        .create_async()
        .await;
    let err = mastodon.upload_media(&MediaUpload::new(b"%PDF-1.7".to_vec(), "application/pdf")).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::InvalidInput, Some(422)));
}

#[tokio::test]
async fn alt_text_over_the_servers_limit_fails_without_a_request() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v2/media").expect(0).create_async().await;
    let upload = MediaUpload::new(PNG, "image/png").alt_text("é".repeat(1501));
    let err = mastodon.upload_media(&upload).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("1501"), "{}", err.message());
    mock.assert_async().await;
}
