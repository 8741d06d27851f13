//! How to reach an account: the PDS, the credentials or a stored session, and the knobs.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tertulia_core::{AccountId, Clock, Error, ErrorKind, Operation, PlatformKind, SystemClock};
use url::Url;

use tertulia_http::{HttpClient, Jitter, RateLimitMode, RateLimits, RetryPolicy, Secret, reqwest};

use crate::budget::{BLUESKY_WRITE_LIMITS, WriteLimit};
use crate::error::parse_error;
use crate::session::{Session, SessionListener};

/// What to do when a write would exceed the write-points budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BudgetPolicy {
    /// Fail at once with [`ErrorKind::RateLimited`] and the time to wait.
    #[default]
    FailFast,
    /// Wait (on the configured clock) until the write fits, then send it.
    Wait,
}

/// The configuration of a [`Bluesky`](crate::Bluesky) adapter.
///
/// ```
/// use tertulia_bluesky::BlueskyConfig;
/// let config = BlueskyConfig::new("https://bsky.social".parse().unwrap(), "cafetertulia.bsky.social")
///     .password("xxxx-xxxx-xxxx-xxxx");
/// assert!(!format!("{config:?}").contains("xxxx"));
/// ```
#[derive(Clone)]
pub struct BlueskyConfig {
    /// The account's PDS (`https://bsky.social` for most accounts). AppView reads
    /// (notifications, threads, counts, search) go through it too: the PDS proxies them.
    pub service: Url,
    /// The handle, DID or e-mail to sign in with.
    pub identifier: String,
    /// The brand's account this is, as the library's user names it: set on every
    /// interaction listed or found, so an inbox of many accounts knows whose it is.
    pub account: Option<AccountId>,
    /// The `atproto-proxy` header sent with AppView reads (`did:web:api.bsky.app#bsky_appview`);
    /// `None` lets the PDS use its own AppView.
    pub appview_proxy: Option<String>,
    /// Where people open posts and profiles (`https://bsky.app`).
    pub web_url: String,
    /// The time one request may take before it counts as lost.
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// How temporary failures (429, 5xx, no answer on reads) are retried, and the longest
    /// wait the adapter takes before handing a rate limit back to the caller.
    pub retry: RetryPolicy,
    /// What a call does when the server's known rate-limit budget is spent.
    pub rate_limit_mode: RateLimitMode,
    /// The write-points limits counted locally (Bluesky's by default).
    pub write_limits: Vec<WriteLimit>,
    /// What a write that would exceed them does.
    pub budget_policy: BudgetPolicy,
    password: Option<Secret>,
    session: Option<Session>,
    on_session: Option<SessionListener>,
    clock: Arc<dyn Clock>,
    jitter: Option<Arc<dyn Jitter>>,
    rate_limits: Option<Arc<RateLimits>>,
    http: Option<reqwest::Client>,
}

impl BlueskyConfig {
    /// An account on this PDS, signed in as `identifier`; add a password or a stored session.
    pub fn new(service: Url, identifier: impl Into<String>) -> Self {
        BlueskyConfig {
            service,
            identifier: identifier.into(),
            account: None,
            appview_proxy: None,
            web_url: "https://bsky.app".to_owned(),
            timeout: Duration::from_secs(30),
            user_agent: concat!("tertulia-bluesky/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            rate_limit_mode: RateLimitMode::Wait,
            write_limits: BLUESKY_WRITE_LIMITS.to_vec(),
            budget_policy: BudgetPolicy::FailFast,
            password: None,
            session: None,
            on_session: None,
            clock: Arc::new(SystemClock),
            jitter: None,
            rate_limits: None,
            http: None,
        }
    }

    /// Names the brand's account this is (stamped on its interactions).
    pub fn account(mut self, account: impl Into<AccountId>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Signs in with this (app) password when there is no session or it cannot be refreshed.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(Secret::new(password.into()));
        self
    }

    /// Starts from a stored session instead of signing in.
    pub fn session(mut self, session: Session) -> Self {
        self.session = Some(session);
        self
    }

    /// Calls `listener` with every new session, to persist it.
    pub fn on_session(mut self, listener: impl Fn(&Session) + Send + Sync + 'static) -> Self {
        self.on_session = Some(Arc::new(listener));
        self
    }

    /// Sets the clock (tests use a [`ManualClock`](tertulia_core::ManualClock)).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the randomness of backoff (tests use a [`SeededJitter`](tertulia_http::SeededJitter)).
    pub fn jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// Shares the rate-limit budgets with the process's other clients.
    pub fn rate_limits(mut self, rate_limits: Arc<RateLimits>) -> Self {
        self.rate_limits = Some(rate_limits);
        self
    }

    /// Uses this HTTP client (to share a connection pool or set a proxy).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sets where people open posts (a local network has no web app; any base works).
    pub fn web_url(mut self, url: impl Into<String>) -> Self {
        self.web_url = url.into();
        self
    }

    /// Sets the request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the `atproto-proxy` header for AppView reads.
    pub fn appview_proxy(mut self, proxy: impl Into<String>) -> Self {
        self.appview_proxy = Some(proxy.into());
        self
    }

    /// Sets what a write beyond the budget does.
    pub fn budget_policy(mut self, policy: BudgetPolicy) -> Self {
        self.budget_policy = policy;
        self
    }

    /// The shared HTTP client this configuration describes.
    pub(crate) fn build_http(&self) -> Result<HttpClient, Error> {
        let mut builder = HttpClient::builder(PlatformKind::Bluesky, self.service.clone())
            .user_agent(self.user_agent.clone())
            .timeout(self.timeout)
            .clock(self.clock.clone())
            .retry(self.retry)
            .rate_limit_mode(self.rate_limit_mode)
            .scope(format!("{}#{}", self.service, self.identifier))
            .error_parser(parse_error);
        if let Some(client) = &self.http {
            builder = builder.client(client.clone());
        }
        if let Some(jitter) = &self.jitter {
            builder = builder.jitter(jitter.clone());
        }
        if let Some(rate_limits) = &self.rate_limits {
            builder = builder.rate_limits(rate_limits.clone());
        }
        builder.build()
    }

    pub(crate) fn take_parts(self) -> Parts {
        Parts {
            password: self.password.clone(),
            session: self.session.clone(),
            on_session: self.on_session.clone(),
            clock: self.clock.clone(),
            config: self,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !matches!(self.service.scheme(), "http" | "https") {
            return Err(configuration("the service URL must be http or https"));
        }
        if self.password.is_none() && self.session.is_none() {
            return Err(configuration("give a password or a stored session"));
        }
        if self.identifier.trim().is_empty() && self.session.is_none() {
            return Err(configuration("the identifier (handle, DID or e-mail) is empty"));
        }
        Ok(())
    }
}

/// The configuration split into what the client keeps.
pub(crate) struct Parts {
    pub config: BlueskyConfig,
    pub password: Option<Secret>,
    pub session: Option<Session>,
    pub on_session: Option<SessionListener>,
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for BlueskyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlueskyConfig")
            .field("service", &self.service.as_str())
            .field("identifier", &self.identifier)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("session", &self.session)
            .field("appview_proxy", &self.appview_proxy)
            .field("timeout", &self.timeout)
            .field("budget_policy", &self.budget_policy)
            .finish_non_exhaustive()
    }
}

fn configuration(message: &str) -> Error {
    Error::new(ErrorKind::Configuration, PlatformKind::Bluesky, Operation::Connect, message)
}
