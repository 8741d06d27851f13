//! The shared client against mock servers: retries, budgets, header families, failures.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use tertulia_core::{Clock, ErrorKind, ManualClock, Operation, PlatformKind};
use tertulia_http::{
    Backoff, Call, HttpClient, Jitter, PlatformError, RateLimitMode, RetryPolicy, SeededJitter, may_have_been_applied,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

const SEED: u64 = 2026;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
}

fn parse_error(_status: u16, body: &str) -> Option<PlatformError> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    Some(PlatformError::message(value.get("error")?.as_str()?))
}

fn client(base: &str, clock: &Arc<ManualClock>) -> HttpClient {
    client_with(base, clock, RetryPolicy::default(), RateLimitMode::Wait)
}

fn client_with(base: &str, clock: &Arc<ManualClock>, retry: RetryPolicy, mode: RateLimitMode) -> HttpClient {
    HttpClient::builder(PlatformKind::Mastodon, Url::parse(base).unwrap())
        .clock(clock.clone())
        .jitter(Arc::new(SeededJitter::new(SEED)))
        .retry(retry)
        .rate_limit_mode(mode)
        .error_parser(parse_error)
        .user_agent("tertulia-tests/1")
        .build()
        .unwrap()
}

fn elapsed(clock: &ManualClock) -> Duration {
    (clock.now() - start()).to_std().unwrap()
}

#[tokio::test]
async fn a_get_goes_under_the_base_path_with_the_user_agent() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("GET", "/prefix/api/v1/instance")
        .match_header("user-agent", "tertulia-tests/1")
        .with_body(r#"{"ok":true}"#)
        .create_async()
        .await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client(&format!("{}/prefix", server.url()), &clock);
    let call = Call::get(Operation::Connect, "/api/v1/instance");
    let response = client.send(&call, |r| r).await.unwrap();
    let body: serde_json::Value = client.json(Operation::Connect, response).await.unwrap();
    assert_eq!(body["ok"], true);
    mock.assert_async().await;
    assert_eq!(elapsed(&clock), Duration::ZERO);
}

#[tokio::test]
async fn a_read_is_retried_after_a_5xx_with_the_seeded_backoff() {
    let mut server = mockito::Server::new_async().await;
    let failing = server.mock("GET", "/x").with_status(503).expect(2).create_async().await;
    let ok = server.mock("GET", "/x").with_body("{}").expect(1).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client(&server.url(), &clock);
    client.send(&Call::get(Operation::GetPost, "x"), |r| r).await.unwrap();
    failing.assert_async().await;
    ok.assert_async().await;
    let jitter = SeededJitter::new(SEED);
    let mut backoff = Backoff::new(&RetryPolicy::default());
    let expected = backoff.next(&jitter) + backoff.next(&jitter);
    assert_eq!(elapsed(&clock), expected);
}

#[tokio::test]
async fn retries_stop_after_max_retries_with_the_last_error() {
    let mut server = mockito::Server::new_async().await;
    let failing =
        server.mock("GET", "/x").with_status(502).with_body(r#"{"error":"upstream"}"#).expect(3).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let retry = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
    let client = client_with(&server.url(), &clock, retry, RateLimitMode::Wait);
    let err = client.send(&Call::get(Operation::GetPost, "x"), |r| r).await.unwrap_err();
    assert_eq!((err.kind(), err.status(), err.message()), (ErrorKind::Unavailable, Some(502), "upstream"));
    failing.assert_async().await;
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("GET", "/x")
        .with_status(404)
        .with_body(r#"{"error":"Record not found"}"#)
        .expect(1)
        .create_async()
        .await;
    let clock = Arc::new(ManualClock::new(start()));
    let err = client(&server.url(), &clock).send(&Call::get(Operation::GetPost, "x"), |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.message(), "Record not found");
    mock.assert_async().await;
}

#[tokio::test]
async fn retry_after_in_seconds_and_as_an_http_date_is_waited_exactly() {
    for retry_after in ["42", "Thu, 26 Nov 2026 08:00:42 GMT"] {
        let mut server = mockito::Server::new_async().await;
        server
            .mock("GET", "/x")
            .with_status(429)
            .with_header("retry-after", retry_after)
            .expect(1)
            .create_async()
            .await;
        let ok = server.mock("GET", "/x").with_body("{}").expect(1).create_async().await;
        let clock = Arc::new(ManualClock::new(start()));
        client(&server.url(), &clock).send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap();
        ok.assert_async().await;
        assert_eq!(elapsed(&clock), Duration::from_secs(42), "Retry-After: {retry_after}");
    }
}

/// A 429 in each header family waits until the family's reset, read in its own format.
#[tokio::test]
async fn a_429_in_each_header_family_waits_until_its_reset() {
    let epoch = (start().timestamp() + 42).to_string();
    let families: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "mastodon",
            vec![
                ("X-RateLimit-Limit", "300".into()),
                ("X-RateLimit-Remaining", "0".into()),
                ("X-RateLimit-Reset", "2026-11-26T08:00:42.000000Z".into()),
            ],
        ),
        (
            "bluesky",
            vec![
                ("RateLimit-Limit", "3000".into()),
                ("RateLimit-Remaining", "0".into()),
                ("RateLimit-Reset", epoch.clone()),
                ("RateLimit-Policy", "3000;w=300".into()),
            ],
        ),
        (
            "x",
            vec![
                ("x-rate-limit-limit", "100".into()),
                ("x-rate-limit-remaining", "0".into()),
                ("x-rate-limit-reset", epoch.clone()),
            ],
        ),
        (
            "reddit",
            vec![
                ("X-Ratelimit-Used", "600".into()),
                ("X-Ratelimit-Remaining", "0.0".into()),
                ("X-Ratelimit-Reset", "42".into()),
            ],
        ),
    ];
    for (name, headers) in families {
        let mut server = mockito::Server::new_async().await;
        let mut limited = server.mock("GET", "/x").with_status(429).with_body(r#"{"error":"Too many requests"}"#);
        for (header, value) in &headers {
            limited = limited.with_header(*header, value);
        }
        let limited = limited.expect(1).create_async().await;
        let ok = server.mock("GET", "/x").with_body("{}").expect(1).create_async().await;
        let clock = Arc::new(ManualClock::new(start()));
        client(&server.url(), &clock).send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap();
        limited.assert_async().await;
        ok.assert_async().await;
        assert_eq!(elapsed(&clock), Duration::from_secs(42), "{name}");
    }
}

#[tokio::test]
async fn a_wait_longer_than_max_wait_ends_the_call_with_retry_after() {
    let mut server = mockito::Server::new_async().await;
    let mock =
        server.mock("GET", "/x").with_status(429).with_header("retry-after", "3600").expect(1).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let err = client(&server.url(), &clock).send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(elapsed(&clock), Duration::ZERO);
    mock.assert_async().await;
}

#[tokio::test]
async fn fail_fast_returns_a_429_at_once() {
    let mut server = mockito::Server::new_async().await;
    let mock = server.mock("GET", "/x").with_status(429).with_header("retry-after", "5").expect(1).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client_with(&server.url(), &clock, RetryPolicy::default(), RateLimitMode::FailFast);
    let err = client.send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap_err();
    assert_eq!((err.kind(), err.retry_after()), (ErrorKind::RateLimited, Some(Duration::from_secs(5))));
    mock.assert_async().await;
    assert_eq!(elapsed(&clock), Duration::ZERO);
}

#[tokio::test]
async fn a_spent_budget_waits_on_the_clock_before_calling_again() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("GET", "/x")
        .with_header("X-RateLimit-Limit", "300")
        .with_header("X-RateLimit-Remaining", "0")
        .with_header("X-RateLimit-Reset", "2026-11-26T08:00:30.000000Z")
        .with_body("{}")
        .expect(2)
        .create_async()
        .await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client(&server.url(), &clock);
    client.send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap();
    assert_eq!(elapsed(&clock), Duration::ZERO);
    clock.advance(Duration::from_secs(10));
    client.send(&Call::get(Operation::Search, "x"), |r| r).await.unwrap();
    assert_eq!(elapsed(&clock), Duration::from_secs(30));
    mock.assert_async().await;
}

#[tokio::test]
async fn a_spent_budget_fails_fast_without_reaching_the_server_and_other_buckets_go() {
    let mut server = mockito::Server::new_async().await;
    let media = server
        .mock("POST", "/api/v2/media")
        .with_header("RateLimit-Remaining", "0")
        .with_header("RateLimit-Reset", &(start().timestamp() + 1800).to_string())
        .with_body("{}")
        .expect(1)
        .create_async()
        .await;
    let statuses = server.mock("GET", "/api/v1/statuses/1").with_body("{}").expect(1).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let client = client(&server.url(), &clock);
    let upload =
        Call::post(Operation::UploadMedia, "api/v2/media").bucket("media").rate_limit_mode(RateLimitMode::FailFast);
    client.send(&upload, |r| r).await.unwrap();
    let err = client.send(&upload, |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1800)));
    assert_eq!(err.status(), None);
    client.send(&Call::get(Operation::GetPost, "api/v1/statuses/1").bucket("statuses"), |r| r).await.unwrap();
    media.assert_async().await;
    statuses.assert_async().await;
    // Waiting mode refuses too when the reset is further than max_wait (60 s by default).
    let waiting = Call::post(Operation::UploadMedia, "api/v2/media").bucket("media");
    assert_eq!(client.send(&waiting, |r| r).await.unwrap_err().kind(), ErrorKind::RateLimited);
    assert_eq!(elapsed(&clock), Duration::ZERO);
}

#[tokio::test]
async fn a_write_without_a_key_is_never_retried() {
    let mut server = mockito::Server::new_async().await;
    let mock = server.mock("POST", "/api/v1/statuses").with_status(503).expect(1).create_async().await;
    let clock = Arc::new(ManualClock::new(start()));
    let err = client(&server.url(), &clock)
        .send(&Call::post(Operation::Publish, "api/v1/statuses"), |r| r.form(&[("status", "hola")]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(may_have_been_applied(&err));
    mock.assert_async().await;
}

#[tokio::test]
async fn a_keyed_write_is_retried_and_the_key_is_sent_each_time() {
    let mut server = mockito::Server::new_async().await;
    let failing = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-1")
        .with_status(500)
        .expect(1)
        .create_async()
        .await;
    let ok = server
        .mock("POST", "/api/v1/statuses")
        .match_header("idempotency-key", "k-1")
        .with_body(r#"{"id":"1"}"#)
        .expect(1)
        .create_async()
        .await;
    let clock = Arc::new(ManualClock::new(start()));
    let call = Call::post(Operation::Publish, "api/v1/statuses").keyed();
    client(&server.url(), &clock).send(&call, |r| r.header("Idempotency-Key", "k-1")).await.unwrap();
    failing.assert_async().await;
    ok.assert_async().await;
}

/// A server that reads the request and hangs up without answering.
async fn hang_up_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_write_that_gets_no_answer_is_a_transport_error_that_may_have_been_applied() {
    let base = hang_up_server().await;
    let clock = Arc::new(ManualClock::new(start()));
    let err = client(&base, &clock).send(&Call::post(Operation::Publish, "api/v1/statuses"), |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(may_have_been_applied(&err));
    assert_eq!(elapsed(&clock), Duration::ZERO);
    assert!(!format!("{err} {err:?}").contains("api/v1/statuses"), "the URL is dropped: {err:?}");
}

#[tokio::test]
async fn a_refused_connection_never_left_so_it_was_not_applied() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let clock = Arc::new(ManualClock::new(start()));
    let client = client_with(&format!("http://{address}"), &clock, RetryPolicy::never(), RateLimitMode::Wait);
    let err = client.send(&Call::post(Operation::Publish, "api/v1/statuses"), |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(!may_have_been_applied(&err));
}

/// The one test that waits in real time: a reqwest timeout cannot run on an injected clock.
/// It waits 50 ms for a server that never answers.
#[tokio::test]
async fn a_timeout_is_a_transport_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let clock = Arc::new(ManualClock::new(start()));
    let client = HttpClient::builder(PlatformKind::Mastodon, Url::parse(&format!("http://{address}")).unwrap())
        .clock(clock.clone())
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.send(&Call::post(Operation::Publish, "api/v1/statuses"), |r| r).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.message().contains("timed out"), "{}", err.message());
    assert!(may_have_been_applied(&err));
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors() {
    for body in [r#"{"id": "1", "content": "hol"#, "<html>oops</html>", ""] {
        let mut server = mockito::Server::new_async().await;
        server.mock("GET", "/x").with_body(body).create_async().await;
        let clock = Arc::new(ManualClock::new(start()));
        let client = client(&server.url(), &clock);
        let response = client.send(&Call::get(Operation::GetPost, "x"), |r| r).await.unwrap();
        let err = client.json::<serde_json::Value>(Operation::GetPost, response).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{body:?}");
        assert_eq!(err.operation(), Operation::GetPost);
    }
}

#[test]
fn a_base_that_is_not_http_is_a_configuration_error() {
    let err =
        HttpClient::builder(PlatformKind::Mastodon, Url::parse("mailto:ana@example.org").unwrap()).build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let err = HttpClient::builder(PlatformKind::Mastodon, Url::parse("https://a.example").unwrap())
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
}

#[test]
fn seeded_jitter_is_a_jitter() {
    let jitter: &dyn Jitter = &SeededJitter::new(1);
    let wait = jitter.between(Duration::from_millis(1), Duration::from_millis(2));
    assert!(wait >= Duration::from_millis(1) && wait <= Duration::from_millis(2));
}
