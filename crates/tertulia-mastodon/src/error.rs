//! Mastodon's error bodies, read into the one [`tertulia_core::Error`].

use tertulia_core::ErrorKind;
use tertulia_http::PlatformError;

use crate::wire::ErrorBody;

/// Reads a Mastodon error body (`{"error": "...", "error_description"?: "..."}`), and refines
/// the status table where the body says more:
///
/// - `422` "Cannot attach files that have not finished processing" is temporary: the
///   media will be ready in a moment ([`ErrorKind::Conflict`], temporary);
/// - OAuth's `invalid_grant` and `invalid_token` mean reconnect ([`ErrorKind::Unauthenticated`]),
///   whatever the status;
/// - a `403` "outside the authorized scopes" stays [`ErrorKind::PermissionDenied`]: the token
///   works but lacks a scope.
///
/// Every other status keeps the table of [`tertulia_http::status_kind`]. A body that is not
/// Mastodon's JSON (an HTML page from a proxy) gives `None`, and the status alone decides.
pub(crate) fn parse_error(status: u16, body: &str) -> Option<PlatformError> {
    let body: ErrorBody = serde_json::from_str(body).ok()?;
    let message = match &body.error_description {
        Some(description) if !description.is_empty() => format!("{}: {description}", body.error),
        _ => body.error.clone(),
    };
    let lower = body.error.to_ascii_lowercase();
    let mut parsed = PlatformError { message, ..PlatformError::default() };
    if matches!(lower.as_str(), "invalid_grant" | "invalid_token" | "invalid_client") {
        parsed.kind = Some(ErrorKind::Unauthenticated);
        parsed.code = Some(body.error);
    } else if status == 422 && lower.contains("not finished processing") {
        parsed.kind = Some(ErrorKind::Conflict);
        parsed.temporary = Some(true);
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use tertulia_core::{Operation, PlatformKind};
    use tertulia_http::reqwest::header::HeaderMap;
    use tertulia_http::response_error;

    use super::*;

    /// Every status and body the adapter meets, and what it becomes.
    #[test]
    fn every_error_status_and_body() {
        let table: &[(u16, &str, ErrorKind, bool, &str)] = &[
            (
                400,
                r#"{"error":"Missing required parameter: status"}"#,
                ErrorKind::InvalidInput,
                false,
                "Missing required parameter: status",
            ),
            (
                401,
                r#"{"error":"The access token is invalid"}"#,
                ErrorKind::Unauthenticated,
                false,
                "The access token is invalid",
            ),
            (
                401,
                r#"{"error":"The access token was revoked"}"#,
                ErrorKind::Unauthenticated,
                false,
                "The access token was revoked",
            ),
            (
                400,
                r#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#,
                ErrorKind::Unauthenticated,
                false,
                "invalid_grant: The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
            ),
            (
                403,
                r#"{"error":"This action is outside the authorized scopes"}"#,
                ErrorKind::PermissionDenied,
                false,
                "This action is outside the authorized scopes",
            ),
            (
                403,
                r#"{"error":"Your login is currently disabled"}"#,
                ErrorKind::PermissionDenied,
                false,
                "Your login is currently disabled",
            ),
            (404, r#"{"error":"Record not found"}"#, ErrorKind::NotFound, false, "Record not found"),
            (410, "", ErrorKind::NotFound, false, "Gone"),
            (
                422,
                r#"{"error":"Validation failed: Text can't be blank"}"#,
                ErrorKind::InvalidInput,
                false,
                "Validation failed: Text can't be blank",
            ),
            (
                422,
                r#"{"error":"Validation failed: Text character limit of 500 exceeded"}"#,
                ErrorKind::InvalidInput,
                false,
                "Validation failed: Text character limit of 500 exceeded",
            ),
            (
                422,
                r#"{"error":"Cannot attach files that have not finished processing. Try again in a moment!"}"#,
                ErrorKind::Conflict,
                true,
                "Cannot attach files that have not finished processing. Try again in a moment!",
            ),
            (429, r#"{"error":"Too many requests"}"#, ErrorKind::RateLimited, true, "Too many requests"),
            (
                500,
                r#"{"error":"We're sorry, but something went wrong on our end."}"#,
                ErrorKind::Unavailable,
                true,
                "We're sorry, but something went wrong on our end.",
            ),
            (502, "<html><body>Bad Gateway</body></html>", ErrorKind::Unavailable, true, "Bad Gateway"),
            (503, r#"{"error":"Service Unavailable"}"#, ErrorKind::Unavailable, true, "Service Unavailable"),
            (504, "", ErrorKind::Unavailable, true, "Gateway Timeout"),
            (401, "{\"error\": \"truncated", ErrorKind::Unauthenticated, false, "Unauthorized"),
        ];
        for (status, body, kind, temporary, message) in table {
            let err = response_error(
                PlatformKind::Mastodon,
                Operation::Publish,
                *status,
                &HeaderMap::new(),
                body.as_bytes(),
                Utc::now(),
                parse_error,
            );
            assert_eq!(err.kind(), *kind, "HTTP {status} {body}");
            assert_eq!(err.is_temporary(), *temporary, "HTTP {status} {body}");
            assert_eq!(err.message(), *message, "HTTP {status} {body}");
            assert_eq!(err.status(), Some(*status));
            let source = std::error::Error::source(&err).map(|s| s.to_string()).unwrap_or_default();
            assert!(source.contains(&body[..body.len().min(20)]), "the body is kept: {source}");
        }
    }
}
