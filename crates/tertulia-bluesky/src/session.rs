//! The signed-in session: who the account is and its two JWTs, refreshed when the server
//! says the access token expired, and handed to the caller to persist.

use std::fmt;
use std::sync::Arc;

use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};

use tertulia_http::Secret;

/// A Bluesky session: the account's DID and handle, and its access and refresh JWTs.
///
/// Its `Debug` hides both tokens. Persist a session with its accessors and restore it with
/// [`Session::new`], so a program does not sign in (`createSession`, 30 per 5 minutes) at
/// every start.
///
/// ```
/// use tertulia_bluesky::Session;
/// let session = Session::new("did:plc:abc", "cafetertulia.bsky.social", "access.jwt.x", "refresh.jwt.y").unwrap();
/// assert!(!format!("{session:?}").contains("access.jwt.x"));
/// assert!(Session::new("did:plc:abc", "cafetertulia.bsky.social", "", "refresh.jwt.y").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    did: String,
    handle: String,
    access_jwt: Secret,
    refresh_jwt: Secret,
}

impl Session {
    /// A session from its parts; an empty DID or token is refused, so a stored session is
    /// never replaced by an empty one.
    pub fn new(
        did: impl Into<String>,
        handle: impl Into<String>,
        access_jwt: impl Into<String>,
        refresh_jwt: impl Into<String>,
    ) -> Result<Self, Error> {
        let session = Session {
            did: did.into(),
            handle: handle.into(),
            access_jwt: Secret::new(access_jwt.into()),
            refresh_jwt: Secret::new(refresh_jwt.into()),
        };
        if !session.did.starts_with("did:") {
            return Err(invalid("the session's DID must start with `did:`"));
        }
        if session.access_jwt.expose().is_empty() || session.refresh_jwt.expose().is_empty() {
            return Err(invalid("the session's tokens must not be empty"));
        }
        Ok(session)
    }

    /// The account's DID.
    pub fn did(&self) -> &str {
        &self.did
    }

    /// The account's handle.
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// The access JWT, to store.
    pub fn access_jwt(&self) -> &str {
        self.access_jwt.expose()
    }

    /// The refresh JWT, to store.
    pub fn refresh_jwt(&self) -> &str {
        self.refresh_jwt.expose()
    }

    pub(crate) fn access_secret(&self) -> &Secret {
        &self.access_jwt
    }

    pub(crate) fn refresh_secret(&self) -> &Secret {
        &self.refresh_jwt
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("did", &self.did)
            .field("handle", &self.handle)
            .field("access_jwt", &self.access_jwt)
            .field("refresh_jwt", &self.refresh_jwt)
            .finish()
    }
}

/// Called with every new session (after signing in and after each refresh), so the caller
/// can persist it. It is never called with an empty session.
pub type SessionListener = Arc<dyn Fn(&Session) + Send + Sync>;

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, PlatformKind::Bluesky, Operation::Authenticate, message)
}
