//! Bluesky's errors: the XRPC error body read for `tertulia-http`, and the few kinds only
//! its name tells.
//!
//! XRPC errors carry a name (`{"error": "ExpiredToken", "message": …}`); the name says more
//! than the status (an expired token is a 400, not a 401), so it is read first and kept as
//! the error's code ([`tertulia_http::error_code`]).

use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};
use tertulia_http::{PlatformError, error_code};

use crate::wire::XrpcError;

/// Reads an XRPC error body for [`tertulia_http::HttpClient`].
pub(crate) fn parse_error(_status: u16, body: &str) -> Option<PlatformError> {
    let parsed: XrpcError = serde_json::from_str(body).ok()?;
    let name = parsed.error?;
    let message = parsed.message.filter(|m| !m.is_empty()).unwrap_or_else(|| name.clone());
    Some(PlatformError { kind: kind_of(&name, &message), code: Some(name), message, temporary: None })
}

/// The kind an XRPC error name means, where the status alone would say otherwise.
pub(crate) fn kind_of(name: &str, message: &str) -> Option<ErrorKind> {
    Some(match name {
        "ExpiredToken" | "InvalidToken" | "AuthenticationRequired" | "AuthMissing" | "BadJwt" => {
            ErrorKind::Unauthenticated
        }
        "AccountTakedown" | "AccountDeactivated" | "AccountSuspended" => ErrorKind::PermissionDenied,
        "RecordNotFound" | "NotFound" | "HandleNotFound" | "RepoNotFound" | "BlobNotFound" | "ProfileNotFound" => {
            ErrorKind::NotFound
        }
        "RateLimitExceeded" => ErrorKind::RateLimited,
        "InvalidSwap" => ErrorKind::Conflict,
        "BlobTooLarge" | "InvalidMimeType" => ErrorKind::InvalidInput,
        // The AppView answers a missing profile or post with a generic `InvalidRequest`
        // ("Profile not found"): only its message says what happened.
        "InvalidRequest" if message.to_ascii_lowercase().contains("not found") => ErrorKind::NotFound,
        _ => return None,
    })
}

/// Whether the server said the access token expired (whatever the status).
pub(crate) fn is_expired_token(error: &Error) -> bool {
    error_code(error) == Some("ExpiredToken")
}

/// An error of the adapter itself (bad input, a body it cannot use). Its operation is set
/// where the public method returns it ([`Error::with_operation`]).
pub(crate) fn local_error(kind: ErrorKind, message: impl Into<String>) -> Error {
    Error::new(kind, PlatformKind::Bluesky, Operation::Connect, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use tertulia_http::reqwest::header::HeaderMap;
    use tertulia_http::response_error;

    fn error(status: u16, body: &[u8]) -> Error {
        response_error(
            PlatformKind::Bluesky,
            Operation::Publish,
            status,
            &HeaderMap::new(),
            body,
            Utc::now(),
            parse_error,
        )
    }

    #[test]
    fn an_expired_token_is_a_400_read_by_its_name() {
        let error = error(400, br#"{"error":"ExpiredToken","message":"Token has expired"}"#);
        assert!(is_expired_token(&error));
        assert_eq!(error.kind(), ErrorKind::Unauthenticated);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.message(), "Token has expired");
    }

    #[test]
    fn other_names_and_statuses() {
        assert_eq!(error(400, br#"{"error":"RecordNotFound","message":"x"}"#).kind(), ErrorKind::NotFound);
        assert_eq!(
            error(400, br#"{"error":"InvalidRequest","message":"Invalid record key"}"#).kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            error(400, br#"{"error":"InvalidRequest","message":"Profile not found"}"#).kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            error(429, br#"{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"#).kind(),
            ErrorKind::RateLimited
        );
        assert_eq!(
            error(401, br#"{"error":"AuthenticationRequired","message":"x"}"#).kind(),
            ErrorKind::Unauthenticated
        );
        assert_eq!(
            error(500, br#"{"error":"InternalServerError","message":"Internal Server Error"}"#).kind(),
            ErrorKind::Unavailable
        );
        assert!(!is_expired_token(&error(400, br#"{"error":"InvalidToken","message":"x"}"#)));
    }

    #[test]
    fn a_body_that_is_not_json_still_gives_an_error() {
        let error = error(502, b"<html>Bad Gateway</html>");
        assert_eq!(error.kind(), ErrorKind::Unavailable);
        assert!(error.is_temporary());
    }
}
