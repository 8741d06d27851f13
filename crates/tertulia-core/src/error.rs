//! The one error type of every adapter, grouped by what the caller can do about it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::PlatformKind;

/// What went wrong, grouped by what the caller can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The post, account or item does not exist (or no longer does).
    NotFound,
    /// The token is missing, expired or revoked: reconnect the account.
    Unauthenticated,
    /// Authenticated, but not allowed to do this.
    PermissionDenied,
    /// Too many requests: wait until [`Error::retry_after`].
    RateLimited,
    /// The request is wrong (a field, a size, a format); fix it before trying again.
    InvalidInput,
    /// The platform refused the content (duplicate, policy).
    Rejected,
    /// The request conflicts with the current state.
    Conflict,
    /// This adapter or platform cannot do this ([`Capabilities`](crate::Capabilities) said so).
    Unsupported,
    /// The adapter is set up wrong (missing credentials, bad base URL).
    Configuration,
    /// The platform is unavailable for now (5xx, maintenance).
    Unavailable,
    /// The request did not get an answer (connection, timeout).
    Transport,
    /// The answer could not be read.
    Decode,
    /// Anything else.
    Unexpected,
}

impl ErrorKind {
    /// Whether trying again later may succeed without changing anything.
    pub fn is_temporary(self) -> bool {
        matches!(self, ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::Transport)
    }

    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::Unauthenticated => "not authenticated",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Rejected => "rejected by the platform",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unsupported => "not supported",
            ErrorKind::Configuration => "configuration error",
            ErrorKind::Unavailable => "platform unavailable",
            ErrorKind::Transport => "transport error",
            ErrorKind::Decode => "could not read the response",
            ErrorKind::Unexpected => "unexpected error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The operation that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Connecting and discovering the server.
    Connect,
    /// Reading the account.
    Account,
    /// Publishing a post.
    Publish,
    /// Uploading media.
    UploadMedia,
    /// Deleting a post.
    Delete,
    /// Reading a post.
    GetPost,
    /// Replying.
    Reply,
    /// Listing interactions.
    ListInteractions,
    /// Reading a post's metrics.
    PostMetrics,
    /// Reading an account's metrics.
    AccountMetrics,
    /// Searching.
    Search,
    /// Looking up a publish by its marker.
    FindByMarker,
    /// Refreshing credentials.
    Authenticate,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Operation::Connect => "connect",
            Operation::Account => "account",
            Operation::Publish => "publish",
            Operation::UploadMedia => "upload media",
            Operation::Delete => "delete",
            Operation::GetPost => "get post",
            Operation::Reply => "reply",
            Operation::ListInteractions => "list interactions",
            Operation::PostMetrics => "post metrics",
            Operation::AccountMetrics => "account metrics",
            Operation::Search => "search",
            Operation::FindByMarker => "find by marker",
            Operation::Authenticate => "authenticate",
        };
        f.write_str(name)
    }
}

/// An error from a platform or adapter.
///
/// It knows its [`ErrorKind`], platform, operation, HTTP status, whether it is temporary and
/// when to retry, and keeps the platform's own error as its [`source`](std::error::Error::source).
/// It never holds a secret: adapters build messages from the platform's error body, never
/// from the request.
///
/// ```
/// use std::time::Duration;
/// use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};
/// let err = Error::new(ErrorKind::RateLimited, PlatformKind::Mastodon, Operation::Publish, "Too many requests")
///     .with_status(429)
///     .with_retry_after(Duration::from_secs(30));
/// assert!(err.is_temporary());
/// assert_eq!(err.to_string(), "mastodon publish: rate limited (HTTP 429, retry after 30s): Too many requests");
/// ```
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    platform: PlatformKind,
    operation: Operation,
    message: String,
    status: Option<u16>,
    retry_after: Option<Duration>,
    temporary: bool,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error; temporary when the kind is.
    pub fn new(kind: ErrorKind, platform: PlatformKind, operation: Operation, message: impl Into<String>) -> Self {
        Error {
            kind,
            platform,
            operation,
            message: message.into(),
            status: None,
            retry_after: None,
            temporary: kind.is_temporary(),
            source: None,
        }
    }

    /// An [`ErrorKind::Unsupported`] error for an operation.
    pub fn unsupported(platform: PlatformKind, operation: Operation) -> Self {
        let message = format!("{} does not support {operation}", platform.display_name());
        Error::new(ErrorKind::Unsupported, platform, operation, message)
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets when to retry.
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// Overrides whether the error is temporary (a platform that flags `is_transient`).
    pub fn with_temporary(mut self, temporary: bool) -> Self {
        self.temporary = temporary;
        self
    }

    /// Keeps the underlying error (the platform's error body, an I/O error).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// Sets the operation (adapters' shared helpers build errors before they know it).
    pub fn with_operation(mut self, operation: Operation) -> Self {
        self.operation = operation;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The platform.
    pub fn platform(&self) -> &PlatformKind {
        &self.platform
    }

    /// The operation.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The message, from the platform's error body where it gave one.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, if any.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// How long to wait before trying again, if the platform said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether trying again later may succeed.
    pub fn is_temporary(&self) -> bool {
        self.temporary
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("platform", &self.platform)
            .field("operation", &self.operation)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("retry_after", &self.retry_after)
            .field("temporary", &self.temporary)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.platform, self.operation, self.kind)?;
        match (self.status, self.retry_after) {
            (Some(status), Some(after)) => write!(f, " (HTTP {status}, retry after {}s)", after.as_secs())?,
            (Some(status), None) => write!(f, " (HTTP {status})")?,
            (None, Some(after)) => write!(f, " (retry after {}s)", after.as_secs())?,
            (None, None) => {}
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// Errors compare by what a caller can see: kind, platform, operation, status and message.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind()
            && self.platform() == other.platform()
            && self.operation() == other.operation()
            && self.status() == other.status()
            && self.message() == other.message()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// The result of a platform operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;
