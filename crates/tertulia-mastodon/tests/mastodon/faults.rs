use std::sync::{Arc, Mutex};
use std::time::Duration;

use mockito::Matcher;
use tertulia_core::{
    ClientMarker, Clock, ErrorKind, IdempotencyKey, InteractionQuery, ManualClock, Platform, PublishRequest,
    PublishStatus, RemoteId,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::*;

fn request(key: &str) -> PublishRequest {
    PublishRequest::new("Abrimos a las 8 ☕", IdempotencyKey::new(key), ClientMarker::new("post-42/mastodon/0"))
}

/// A server that answers `connect` and hangs up on every publish without answering,
/// recording the head of each publish it received.
async fn hang_up_on_publish(publishes: Arc<Mutex<Vec<String>>>) -> String {
    silent_on_publish(publishes, false).await
}

/// A server that answers `connect` and never answers a publish: it hangs up, or (`hold`)
/// keeps the connection open without a word until the client gives up.
async fn silent_on_publish(publishes: Arc<Mutex<Vec<String>>>, hold: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let publishes = publishes.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                while !String::from_utf8_lossy(&buffer).contains("\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buffer).to_string();
                let body = if head.starts_with("GET /api/v2/instance") {
                    instance(500, 7).to_string()
                } else if head.starts_with("GET /api/v1/accounts/verify_credentials") {
                    me().to_string()
                } else {
                    publishes.lock().unwrap().push(head);
                    if hold {
                        let _ = socket.read(&mut chunk).await;
                    }
                    let _ = socket.shutdown().await;
                    return;
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_publish_without_an_answer_is_retried_with_the_same_key_then_unknown() {
    let publishes = Arc::new(Mutex::new(Vec::new()));
    let base = hang_up_on_publish(publishes.clone()).await;
    let clock = Arc::new(ManualClock::new(start()));
    let mastodon = connect_to(&base, &clock, config(&base)).await;
    let outcome = mastodon.publish(&request("k-sin-respuesta")).await;
    let PublishStatus::Unknown(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(outcome.idempotency_key, IdempotencyKey::new("k-sin-respuesta"));
    let publishes = publishes.lock().unwrap();
    assert_eq!(publishes.len(), 3, "the first attempt and two retries");
    for head in publishes.iter() {
        assert!(head.to_ascii_lowercase().contains("idempotency-key: k-sin-respuesta"), "{head}");
    }
}

/// The one adapter test that waits in real time (twice 20 ms): a request timeout cannot run
/// on the injected clock.
#[tokio::test]
async fn a_publish_that_times_out_is_retried_with_its_key_then_unknown() {
    let publishes = Arc::new(Mutex::new(Vec::new()));
    let base = silent_on_publish(publishes.clone(), true).await;
    let clock = Arc::new(ManualClock::new(start()));
    let mut config = config(&base);
    config.timeout = Duration::from_millis(20);
    config.retry.max_retries = 1;
    let mastodon = connect_to(&base, &clock, config).await;
    let outcome = mastodon.publish(&request("k-timeout")).await;
    let PublishStatus::Unknown(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.message().contains("timed out"), "{}", error.message());
    let publishes = publishes.lock().unwrap();
    assert_eq!(publishes.len(), 2, "the first attempt and one retry");
    assert!(publishes.iter().all(|head| head.to_ascii_lowercase().contains("idempotency-key: k-timeout")));
}

#[tokio::test]
async fn a_publish_is_retried_after_a_5xx_and_published_once() {
    let (mut server, mastodon, clock) = connected().await;
    let failing = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-5xx")
        .with_status(503)
        .with_body(r#"{"error":"Service Unavailable"}"#)
        .expect(1)
        .create_async()
        .await;
    let ok = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-5xx")
        .with_body(
            status("115000000000000400", "2026-11-26T08:00:01.000Z", me(), "<p>Abrimos a las 8 ☕</p>").to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let outcome = mastodon.publish(&request("k-5xx")).await;
    failing.assert_async().await;
    ok.assert_async().await;
    assert_eq!(outcome.published().unwrap().id, RemoteId::new("115000000000000400"));
    assert!(elapsed(&clock) >= Duration::from_millis(500), "backed off on the clock");
}

#[tokio::test]
async fn a_publish_failing_with_5xx_every_time_is_unknown() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server.mock("POST", "/api/v1/statuses").with_status(500).expect(3).create_async().await;
    let outcome = mastodon.publish(&request("k-500")).await;
    mock.assert_async().await;
    assert!(matches!(&outcome.status, PublishStatus::Unknown(e) if e.status() == Some(500)), "{outcome:?}");
}

#[tokio::test]
async fn a_429_in_each_header_family_is_waited_out_on_the_clock() {
    let reset = "2026-11-26T08:00:30.000000Z";
    let epoch = (start().timestamp() + 30).to_string();
    let families: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("X-RateLimit-Limit", "300".into()),
            ("X-RateLimit-Remaining", "0".into()),
            ("X-RateLimit-Reset", reset.into()),
        ],
        vec![
            ("RateLimit-Limit", "3000".into()),
            ("RateLimit-Remaining", "0".into()),
            ("RateLimit-Reset", epoch.clone()),
            ("RateLimit-Policy", "3000;w=300".into()),
        ],
        vec![
            ("x-rate-limit-limit", "300".into()),
            ("x-rate-limit-remaining", "0".into()),
            ("x-rate-limit-reset", epoch.clone()),
        ],
        vec![
            ("X-Ratelimit-Used", "300".into()),
            ("X-Ratelimit-Remaining", "0.0".into()),
            ("X-Ratelimit-Reset", "30".into()),
        ],
        vec![("Retry-After", "30".into())],
        vec![("Retry-After", "Thu, 26 Nov 2026 08:00:30 GMT".into())],
    ];
    for headers in families {
        let (mut server, mastodon, clock) = connected().await;
        let mut limited =
            server.mock("GET", "/api/v1/statuses/1").with_status(429).with_body(r#"{"error":"Too many requests"}"#);
        for (name, value) in &headers {
            limited = limited.with_header(*name, value);
        }
        let limited = limited.expect(1).create_async().await;
        let ok = server
            .mock("GET", "/api/v1/statuses/1")
            .with_body(status("1", "2026-11-26T07:00:00.000Z", me(), "<p>x</p>").to_string())
            .expect(1)
            .create_async()
            .await;
        mastodon.get_post(&RemoteId::new("1")).await.unwrap();
        limited.assert_async().await;
        ok.assert_async().await;
        assert_eq!(elapsed(&clock), Duration::from_secs(30), "{headers:?}");
    }
}

#[tokio::test]
async fn a_publish_limited_for_longer_than_max_wait_fails_cleanly_with_retry_after() {
    let (mut server, mastodon, clock) = connected().await;
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .with_status(429)
        .with_header("X-RateLimit-Limit", "300")
        .with_header("X-RateLimit-Remaining", "0")
        .with_header("X-RateLimit-Reset", "2026-11-26T09:00:00.000000Z")
        .with_body(r#"{"error":"Too many requests"}"#)
        .expect(1)
        .create_async()
        .await;
    let outcome = mastodon.publish(&request("k-429")).await;
    mock.assert_async().await;
    let PublishStatus::Failed(error) = &outcome.status else { panic!("{outcome:?}") };
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(elapsed(&clock), Duration::ZERO);
    // The spent budget is known now: the next publish fails at once, without a request.
    let again = mastodon.publish(&request("k-429-b")).await;
    assert!(
        matches!(&again.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::RateLimited && e.status().is_none())
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn a_token_revoked_mid_run_is_unauthenticated_and_never_unknown() {
    let (mut server, mastodon, _clock) = connected().await;
    let body = r#"{"error":"The access token was revoked"}"#;
    server.mock("POST", "/api/v1/statuses").with_status(401).with_body(body).expect(1).create_async().await;
    server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::Any)
        .with_status(401)
        .with_body(body)
        .create_async()
        .await;
    let outcome = mastodon.publish(&request("k-401")).await;
    assert!(
        matches!(&outcome.status, PublishStatus::Failed(e) if e.kind() == ErrorKind::Unauthenticated),
        "{outcome:?}"
    );
    let err = mastodon.list_interactions(&InteractionQuery::default()).await.unwrap_err();
    assert_eq!((err.kind(), err.message()), (ErrorKind::Unauthenticated, "The access token was revoked"));
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors() {
    let (mut server, mastodon, _clock) = connected().await;
    server.mock("GET", "/api/v1/statuses/1").with_body("<html>maintenance</html>").create_async().await;
    server
        .mock("GET", "/api/v1/statuses/2")
        .with_body(r#"{"id":"2","created_at":"2026-11-26T07:00:00.000Z","content":"<p>hol"#)
        .create_async()
        .await;
    server
        .mock("GET", "/api/v1/statuses/3")
        .with_body(r#"{"id":"3","created_at":"not a date","account":{}}"#)
        .create_async()
        .await;
    server
        .mock("GET", "/api/v1/notifications")
        .match_query(Matcher::Any)
        .with_body(r#"[{"id":"1","type":"mention""#)
        .create_async()
        .await;
    for id in ["1", "2", "3"] {
        let err = mastodon.get_post(&RemoteId::new(id)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "status {id}");
    }
    let err = mastodon.list_interactions(&InteractionQuery::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn a_publish_answered_with_truncated_json_is_unknown_not_failed() {
    let (mut server, mastodon, _clock) = connected().await;
    let mock = server
        .mock("POST", "/api/v1/statuses")
        .with_body(r#"{"id":"115000000000000500","created_at":"2026-11"#)
        .expect(1)
        .create_async()
        .await;
    let outcome = mastodon.publish(&request("k-trunc")).await;
    mock.assert_async().await;
    assert!(matches!(&outcome.status, PublishStatus::Unknown(e) if e.kind() == ErrorKind::Decode), "{outcome:?}");
}

#[tokio::test]
async fn a_proxy_error_page_on_a_read_is_retried_then_reported_unavailable() {
    let (mut server, mastodon, clock) = connected().await;
    let mock = server
        .mock("GET", "/api/v1/statuses/1")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body("<html><body><h1>502 Bad Gateway</h1></body></html>")
        .expect(3)
        .create_async()
        .await;
    let err = mastodon.get_post(&RemoteId::new("1")).await.unwrap_err();
    mock.assert_async().await;
    assert_eq!((err.kind(), err.message(), err.status()), (ErrorKind::Unavailable, "Bad Gateway", Some(502)));
    assert!(clock.now() > start(), "backed off on the clock");
}
