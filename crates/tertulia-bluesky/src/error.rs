//! From XRPC failures to the one [`tertulia_core::Error`].
//!
//! XRPC errors carry a name (`{"error": "ExpiredToken", "message": …}`); the name says more
//! than the status (an expired token is a 400, not a 401), so it is read first.

use std::time::Duration;

use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};

use crate::wire::XrpcError;

/// A failed XRPC call, before it is turned into an [`Error`].
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The XRPC error name, when the body had one.
    pub name: Option<String>,
    /// The message: the server's, or what the adapter saw.
    pub message: String,
    /// When to try again, when the server said.
    pub retry_after: Option<Duration>,
    /// Whether the request may have reached the server (a timeout, a dropped connection,
    /// a 5xx): a write may then have happened.
    pub maybe_applied: bool,
}

/// The XRPC error body, kept as an [`Error`]'s source.
#[derive(Debug, Clone)]
pub struct XrpcErrorBody {
    /// The error name (`ExpiredToken`, `RecordNotFound`…).
    pub error: String,
    /// The server's message.
    pub message: String,
}

impl std::fmt::Display for XrpcErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl std::error::Error for XrpcErrorBody {}

impl Failure {
    /// A failure read from an error response.
    pub fn from_response(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let parsed: XrpcError = serde_json::from_slice(body).unwrap_or_default();
        let mut kind = kind_for(status, parsed.error.as_deref());
        // The AppView answers a missing profile or post with a generic `InvalidRequest`
        // ("Profile not found"): only its message says what happened.
        if parsed.error.as_deref() == Some("InvalidRequest")
            && parsed.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("not found"))
        {
            kind = ErrorKind::NotFound;
        }
        let message = match (&parsed.error, &parsed.message) {
            (_, Some(message)) if !message.is_empty() => message.clone(),
            (Some(name), _) => name.clone(),
            _ => format!("HTTP {status}"),
        };
        Failure {
            kind,
            status: Some(status),
            name: parsed.error,
            message,
            retry_after: if kind == ErrorKind::RateLimited { retry_after } else { None },
            maybe_applied: status >= 500,
        }
    }

    /// A failure of the adapter itself (bad input, a body it cannot read).
    pub fn local(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure { kind, status: None, name: None, message: message.into(), retry_after: None, maybe_applied: false }
    }

    /// A request that got no answer.
    pub fn transport(message: impl Into<String>, maybe_applied: bool) -> Self {
        Failure {
            kind: ErrorKind::Transport,
            status: None,
            name: None,
            message: message.into(),
            retry_after: None,
            maybe_applied,
        }
    }

    /// Whether the failure is the server saying the access token expired.
    pub fn is_expired_token(&self) -> bool {
        self.name.as_deref() == Some("ExpiredToken")
    }

    /// Whether the server said the record does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }

    /// Whether trying again later may succeed.
    pub fn is_temporary(&self) -> bool {
        self.kind.is_temporary()
    }

    /// The [`Error`] callers see.
    pub fn into_error(self, operation: Operation) -> Error {
        let mut error = Error::new(self.kind, PlatformKind::Bluesky, operation, self.message.clone());
        if let Some(status) = self.status {
            error = error.with_status(status);
        }
        if let Some(after) = self.retry_after {
            error = error.with_retry_after(after);
        }
        if let Some(name) = self.name {
            error = error.with_source(XrpcErrorBody { error: name, message: self.message });
        }
        error
    }
}

/// The kind of an XRPC error: by its name first, by the status otherwise.
pub(crate) fn kind_for(status: u16, name: Option<&str>) -> ErrorKind {
    match name {
        Some("ExpiredToken" | "InvalidToken" | "AuthenticationRequired" | "AuthMissing" | "BadJwt") => {
            return ErrorKind::Unauthenticated;
        }
        Some("AccountTakedown" | "AccountDeactivated" | "AccountSuspended") => return ErrorKind::PermissionDenied,
        Some(
            "RecordNotFound" | "NotFound" | "HandleNotFound" | "RepoNotFound" | "BlobNotFound" | "ProfileNotFound",
        ) => {
            return ErrorKind::NotFound;
        }
        Some("RateLimitExceeded") => return ErrorKind::RateLimited,
        Some("InvalidSwap") => return ErrorKind::Conflict,
        Some("BlobTooLarge" | "InvalidMimeType") => return ErrorKind::InvalidInput,
        _ => {}
    }
    match status {
        401 => ErrorKind::Unauthenticated,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        400 | 413 | 422 => ErrorKind::InvalidInput,
        501 => ErrorKind::Unsupported,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::Unexpected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_token_is_a_400_read_by_its_name() {
        let failure = Failure::from_response(400, br#"{"error":"ExpiredToken","message":"Token has expired"}"#, None);
        assert!(failure.is_expired_token());
        assert_eq!(failure.kind, ErrorKind::Unauthenticated);
        let error = failure.into_error(Operation::Publish);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.message(), "Token has expired");
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn other_names_and_statuses() {
        assert_eq!(kind_for(400, Some("RecordNotFound")), ErrorKind::NotFound);
        assert_eq!(kind_for(400, Some("InvalidRequest")), ErrorKind::InvalidInput);
        assert_eq!(kind_for(429, Some("RateLimitExceeded")), ErrorKind::RateLimited);
        assert_eq!(kind_for(401, Some("AuthenticationRequired")), ErrorKind::Unauthenticated);
        assert_eq!(kind_for(502, None), ErrorKind::Unavailable);
        assert_eq!(kind_for(500, Some("InternalServerError")), ErrorKind::Unavailable);
    }

    #[test]
    fn the_appview_says_not_found_in_its_message() {
        let failure = Failure::from_response(400, br#"{"error":"InvalidRequest","message":"Profile not found"}"#, None);
        assert_eq!(failure.kind, ErrorKind::NotFound);
        let failure =
            Failure::from_response(400, br#"{"error":"InvalidRequest","message":"Invalid record key"}"#, None);
        assert_eq!(failure.kind, ErrorKind::InvalidInput);
    }

    #[test]
    fn a_body_that_is_not_json_still_gives_an_error() {
        let failure = Failure::from_response(502, b"<html>Bad Gateway</html>", None);
        assert_eq!(failure.kind, ErrorKind::Unavailable);
        assert_eq!(failure.message, "HTTP 502");
        assert!(failure.maybe_applied);
    }
}
