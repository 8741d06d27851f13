//! Turning HTTP failures into the one [`tertulia_core::Error`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use tertulia_core::{Error, ErrorKind, Operation, PlatformKind, PublishStatus};

use crate::server_wait;

/// How much of an error body is kept as the error's source.
const KEPT_BODY: usize = 4096;

/// What an adapter read from a platform's error body.
///
/// Each adapter supplies one parser (`fn(status, body) -> Option<PlatformError>`) that knows
/// its platform's error shape; [`response_error`] does the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformError {
    /// A kind that overrides the status table (a 422 that means "duplicate" is `Rejected`).
    pub kind: Option<ErrorKind>,
    /// The platform's error code, if it has one (`ExpiredToken`, `88`).
    pub code: Option<String>,
    /// The platform's message for a person.
    pub message: String,
    /// Overrides whether the error is temporary (Meta's `is_transient`).
    pub temporary: Option<bool>,
}

impl PlatformError {
    /// An error with only a message.
    pub fn message(message: impl Into<String>) -> Self {
        PlatformError { message: message.into(), ..PlatformError::default() }
    }
}

/// A platform's error parser: reads the body of a failed response, if it can.
pub type ErrorParser = fn(status: u16, body: &str) -> Option<PlatformError>;

/// The platform's own error response, kept as the [`source`](std::error::Error::source) of
/// an [`Error`]: status, code and the body (its first 4 KiB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBody {
    /// The HTTP status.
    pub status: u16,
    /// The platform's error code, if its parser found one.
    pub code: Option<String>,
    /// The body, as text.
    pub body: String,
}

impl fmt::Display for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        if !self.body.is_empty() {
            write!(f, ": {}", self.body)?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseBody {}

/// The platform's error code kept in an error built by [`response_error`] (Bluesky's
/// `ExpiredToken`), for adapters that must react to one code.
///
/// ```
/// use chrono::Utc;
/// use reqwest::header::HeaderMap;
/// use tertulia_core::{Operation, PlatformKind};
/// use tertulia_http::{error_code, response_error, PlatformError};
/// fn parse(_status: u16, body: &str) -> Option<PlatformError> {
///     let value: serde_json::Value = serde_json::from_str(body).ok()?;
///     let code = value.get("error")?.as_str()?.to_owned();
///     Some(PlatformError { code: Some(code.clone()), message: code, ..PlatformError::default() })
/// }
/// let body = br#"{"error":"ExpiredToken","message":"Token has expired"}"#;
/// let err = response_error(PlatformKind::Bluesky, Operation::Publish, 400, &HeaderMap::new(), body, Utc::now(), parse);
/// assert_eq!(error_code(&err), Some("ExpiredToken"));
/// ```
pub fn error_code(error: &Error) -> Option<&str> {
    let source = std::error::Error::source(error)?;
    source.downcast_ref::<ResponseBody>()?.code.as_deref()
}

/// The [`ErrorKind`] an HTTP status means when the body says nothing more precise.
///
/// | status | kind |
/// |---|---|
/// | 400, 405, 411–418, 422, other 4xx | `InvalidInput` |
/// | 401 | `Unauthenticated` |
/// | 402, 403, 451 | `PermissionDenied` |
/// | 404, 410 | `NotFound` |
/// | 408 | `Transport` (the request did not arrive in time) |
/// | 409, 412 | `Conflict` |
/// | 429 | `RateLimited` |
/// | 501 | `Unsupported` |
/// | 500, 502–504, other 5xx | `Unavailable` |
/// | anything else | `Unexpected` |
///
/// ```
/// use tertulia_core::ErrorKind;
/// use tertulia_http::status_kind;
/// assert_eq!(status_kind(401), ErrorKind::Unauthenticated);
/// assert_eq!(status_kind(503), ErrorKind::Unavailable);
/// ```
pub fn status_kind(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Unauthenticated,
        402 | 403 | 451 => ErrorKind::PermissionDenied,
        404 | 410 => ErrorKind::NotFound,
        408 => ErrorKind::Transport,
        409 | 412 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::InvalidInput,
        501 => ErrorKind::Unsupported,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::Unexpected,
    }
}

/// Builds the [`Error`] for a failed response: the kind from the parser or [`status_kind`],
/// the message from the parser or the status's reason, `retry_after` from `Retry-After` or a
/// spent rate-limit budget, and the body kept as the source.
///
/// ```
/// use chrono::Utc;
/// use reqwest::header::HeaderMap;
/// use tertulia_core::{ErrorKind, Operation, PlatformKind};
/// use tertulia_http::{response_error, PlatformError};
/// fn parse(_status: u16, body: &str) -> Option<PlatformError> {
///     let value: serde_json::Value = serde_json::from_str(body).ok()?;
///     Some(PlatformError::message(value.get("error")?.as_str()?))
/// }
/// let body = br#"{"error":"Record not found"}"#;
/// let err = response_error(PlatformKind::Mastodon, Operation::GetPost, 404, &HeaderMap::new(), body, Utc::now(), parse);
/// assert_eq!(err.kind(), ErrorKind::NotFound);
/// assert_eq!(err.message(), "Record not found");
/// assert!(std::error::Error::source(&err).unwrap().to_string().contains("Record not found"));
/// ```
pub fn response_error(
    platform: PlatformKind,
    operation: Operation,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
    parser: ErrorParser,
) -> Error {
    let text = String::from_utf8_lossy(body);
    let parsed = parser(status, &text).unwrap_or_default();
    let kind = parsed.kind.unwrap_or_else(|| status_kind(status));
    let message = if parsed.message.is_empty() { reason(status) } else { parsed.message };
    let mut error = Error::new(kind, platform, operation, message).with_status(status);
    if let Some(temporary) = parsed.temporary {
        error = error.with_temporary(temporary);
    }
    if let Some(wait) = server_wait(headers, now) {
        error = error.with_retry_after(wait);
    }
    let kept: String = text.chars().take(KEPT_BODY).collect();
    error.with_source(ResponseBody { status, code: parsed.code, body: kept })
}

/// The [`Error`] for a request that got no answer. A failure to connect means the request
/// never left: [`ErrorKind::Unavailable`] without a status. Anything else (a timeout, a
/// connection dropped mid-answer) is [`ErrorKind::Transport`]: the server may have acted on it.
/// The URL is dropped from the source, since some platforms carry tokens in it.
pub fn transport_error(platform: PlatformKind, operation: Operation, error: reqwest::Error) -> Error {
    let (kind, message) = if error.is_connect() {
        (ErrorKind::Unavailable, "could not connect to the server")
    } else if error.is_timeout() {
        (ErrorKind::Transport, "the request timed out without an answer")
    } else {
        (ErrorKind::Transport, "the connection failed before a complete answer")
    };
    Error::new(kind, platform, operation, message).with_source(error.without_url())
}

/// The [`Error`] for an answer that could not be read (malformed or truncated JSON).
pub fn decode_error(
    platform: PlatformKind,
    operation: Operation,
    error: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    let message = format!("the response could not be read: {error}");
    Error::new(ErrorKind::Decode, platform, operation, message).with_source(error)
}

/// Whether a write that failed with `error` may nonetheless have been applied by the server.
///
/// True for no answer ([`ErrorKind::Transport`]), for a server error with a status (a 5xx may
/// come from a proxy after the server acted), and for an answer that could not be read (the
/// server answered, so it acted). False when the server refused the request (4xx, 429) or
/// the connection was never made. When in doubt, true: an unknown outcome is looked up
/// before a retry, a failed one is retried at once.
pub fn may_have_been_applied(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Transport | ErrorKind::Decode | ErrorKind::Unexpected => true,
        ErrorKind::Unavailable => error.status().is_some(),
        ErrorKind::NotFound
        | ErrorKind::Unauthenticated
        | ErrorKind::PermissionDenied
        | ErrorKind::RateLimited
        | ErrorKind::InvalidInput
        | ErrorKind::Rejected
        | ErrorKind::Conflict
        | ErrorKind::Unsupported
        | ErrorKind::Configuration => false,
        _ => true,
    }
}

/// The [`PublishStatus`] of a publish that ended in `error`: `Unknown` when it
/// [may have been applied](may_have_been_applied), `Failed` otherwise.
///
/// ```
/// use tertulia_core::{Error, ErrorKind, Operation, PlatformKind, PublishStatus};
/// use tertulia_http::failure_status;
/// let timeout = Error::new(ErrorKind::Transport, PlatformKind::Mastodon, Operation::Publish, "timed out");
/// assert!(matches!(failure_status(timeout), PublishStatus::Unknown(_)));
/// let invalid = Error::new(ErrorKind::InvalidInput, PlatformKind::Mastodon, Operation::Publish, "too long").with_status(422);
/// assert!(matches!(failure_status(invalid), PublishStatus::Failed(_)));
/// ```
pub fn failure_status(error: Error) -> PublishStatus {
    if may_have_been_applied(&error) { PublishStatus::Unknown(error) } else { PublishStatus::Failed(error) }
}

/// The error for a call refused locally because the known budget is spent.
pub(crate) fn budget_spent(platform: PlatformKind, operation: Operation, bucket: &str, wait: Duration) -> Error {
    let message = format!("the rate-limit budget for `{bucket}` is spent; it resets in {}s", wait.as_secs());
    Error::new(ErrorKind::RateLimited, platform, operation, message).with_retry_after(wait)
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .map_or_else(|| format!("HTTP {status}"), str::to_owned)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn no_parser(_status: u16, _body: &str) -> Option<PlatformError> {
        None
    }

    fn json_parser(_status: u16, body: &str) -> Option<PlatformError> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        let code = value.get("error")?.as_str()?.to_owned();
        let kind = (code == "Duplicate").then_some(ErrorKind::Rejected);
        Some(PlatformError { kind, code: Some(code.clone()), message: code, temporary: None })
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
    }

    #[test]
    fn the_status_table() {
        let table = [
            (400, ErrorKind::InvalidInput),
            (401, ErrorKind::Unauthenticated),
            (402, ErrorKind::PermissionDenied),
            (403, ErrorKind::PermissionDenied),
            (404, ErrorKind::NotFound),
            (405, ErrorKind::InvalidInput),
            (408, ErrorKind::Transport),
            (409, ErrorKind::Conflict),
            (410, ErrorKind::NotFound),
            (412, ErrorKind::Conflict),
            (413, ErrorKind::InvalidInput),
            (415, ErrorKind::InvalidInput),
            (422, ErrorKind::InvalidInput),
            (429, ErrorKind::RateLimited),
            (451, ErrorKind::PermissionDenied),
            (500, ErrorKind::Unavailable),
            (501, ErrorKind::Unsupported),
            (502, ErrorKind::Unavailable),
            (503, ErrorKind::Unavailable),
            (504, ErrorKind::Unavailable),
            (599, ErrorKind::Unavailable),
            (302, ErrorKind::Unexpected),
            (200, ErrorKind::Unexpected),
        ];
        for (status, kind) in table {
            assert_eq!(status_kind(status), kind, "HTTP {status}");
        }
    }

    #[test]
    fn response_error_without_a_readable_body_uses_the_reason_and_keeps_the_body() {
        let err = response_error(
            PlatformKind::Mastodon,
            Operation::Publish,
            502,
            &HeaderMap::new(),
            b"<html>",
            now(),
            no_parser,
        );
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert_eq!(err.message(), "Bad Gateway");
        assert_eq!(err.status(), Some(502));
        assert!(err.is_temporary());
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(source, "HTTP 502: <html>");
    }

    #[test]
    fn the_parser_overrides_kind_and_temporary_and_gives_the_code() {
        let err = response_error(
            PlatformKind::Mastodon,
            Operation::Publish,
            422,
            &HeaderMap::new(),
            br#"{"error":"Duplicate"}"#,
            now(),
            json_parser,
        );
        assert_eq!(err.kind(), ErrorKind::Rejected);
        assert!(std::error::Error::source(&err).unwrap().to_string().starts_with("HTTP 422 [Duplicate]"));
    }

    #[test]
    fn retry_after_comes_from_the_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "30".parse().unwrap());
        let err = response_error(PlatformKind::Bluesky, Operation::Search, 429, &headers, b"", now(), no_parser);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset", "2026-11-26T08:02:00.000000Z".parse().unwrap());
        let err = response_error(PlatformKind::Mastodon, Operation::Search, 429, &headers, b"", now(), no_parser);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    }

    #[test]
    fn a_huge_body_is_cut_to_four_kibibytes() {
        let body = "é".repeat(10_000);
        let err = response_error(
            PlatformKind::Mastodon,
            Operation::GetPost,
            500,
            &HeaderMap::new(),
            body.as_bytes(),
            now(),
            no_parser,
        );
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(source.chars().filter(|c| *c == 'é').count(), KEPT_BODY);
    }

    #[test]
    fn which_failed_writes_may_have_been_applied() {
        let error = |kind, status: Option<u16>| {
            let e = Error::new(kind, PlatformKind::Mastodon, Operation::Publish, "x");
            match status {
                Some(s) => e.with_status(s),
                None => e,
            }
        };
        let table = [
            (ErrorKind::Transport, None, true),
            (ErrorKind::Decode, Some(200), true),
            (ErrorKind::Unavailable, Some(500), true),
            (ErrorKind::Unavailable, Some(503), true),
            (ErrorKind::Unavailable, None, false),
            (ErrorKind::RateLimited, Some(429), false),
            (ErrorKind::InvalidInput, Some(422), false),
            (ErrorKind::Unauthenticated, Some(401), false),
            (ErrorKind::Rejected, Some(422), false),
            (ErrorKind::Unexpected, Some(302), true),
        ];
        for (kind, status, applied) in table {
            assert_eq!(may_have_been_applied(&error(kind, status)), applied, "{kind:?} {status:?}");
            assert_eq!(matches!(failure_status(error(kind, status)), PublishStatus::Unknown(_)), applied);
        }
    }
}
