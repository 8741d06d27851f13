//! The HTTP client every adapter shares: set-up, budgets, retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use tertulia_core::{Clock, Error, ErrorKind, Operation, PlatformKind, Result, SystemClock};
use url::Url;

use crate::error::budget_spent;
use crate::{
    Backoff, ErrorParser, Jitter, PlatformError, RateLimitInfo, RateLimitMode, RateLimits, RetryPolicy, SeededJitter,
    decode_error, response_error, transport_error,
};

/// The user agent sent when the adapter sets none.
pub const DEFAULT_USER_AGENT: &str =
    concat!("tertulia/", env!("CARGO_PKG_VERSION"), " (+https://github.com/tertulia-rs/tertulia)");

/// The bucket a call's budget is kept in when the adapter names none.
pub const DEFAULT_BUCKET: &str = "default";

/// How many times a call waits for a spent budget before giving up (a clock that does not
/// move must not hang the call).
const BUDGET_WAITS: u32 = 3;

/// One request to make: its operation, method and path, and what may be done with it.
///
/// Reads (`GET`, `HEAD`, `OPTIONS`) are retried on temporary failures. Writes are retried
/// only when marked [`keyed`](Call::keyed): they carry an idempotency key the platform
/// honours, so a second copy cannot make a second post. Any other write is sent once; when
/// it gets no answer the error says so ([`may_have_been_applied`](crate::may_have_been_applied)),
/// and the caller reports the outcome as unknown.
///
/// ```
/// use tertulia_core::Operation;
/// use tertulia_http::Call;
/// let call = Call::post(Operation::Publish, "api/v1/statuses").keyed().bucket("statuses");
/// assert!(call.is_repeatable());
/// assert!(!Call::post(Operation::Publish, "api/v1/statuses").is_repeatable());
/// assert!(Call::get(Operation::GetPost, "api/v1/statuses/1").is_repeatable());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    operation: Operation,
    method: Method,
    path: String,
    bucket: String,
    repeatable: bool,
    mode: Option<RateLimitMode>,
}

impl Call {
    /// A call; repeatable when the method is a read.
    pub fn new(operation: Operation, method: Method, path: impl Into<String>) -> Self {
        let repeatable = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
        Call { operation, method, path: path.into(), bucket: DEFAULT_BUCKET.to_owned(), repeatable, mode: None }
    }

    /// A `GET`.
    pub fn get(operation: Operation, path: impl Into<String>) -> Self {
        Call::new(operation, Method::GET, path)
    }

    /// A `POST`.
    pub fn post(operation: Operation, path: impl Into<String>) -> Self {
        Call::new(operation, Method::POST, path)
    }

    /// A `PUT`.
    pub fn put(operation: Operation, path: impl Into<String>) -> Self {
        Call::new(operation, Method::PUT, path)
    }

    /// A `DELETE`.
    pub fn delete(operation: Operation, path: impl Into<String>) -> Self {
        Call::new(operation, Method::DELETE, path)
    }

    /// Marks the call as carrying an idempotency key the platform honours, so sending it
    /// again is safe and temporary failures are retried.
    pub fn keyed(mut self) -> Self {
        self.repeatable = true;
        self
    }

    /// Names the rate-limit bucket: the endpoints one server limit covers.
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = bucket.into();
        self
    }

    /// Overrides the client's [`RateLimitMode`] for this call.
    pub fn rate_limit_mode(mut self, mode: RateLimitMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The operation.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// Whether the call may be sent more than once.
    pub fn is_repeatable(&self) -> bool {
        self.repeatable
    }
}

/// The HTTP client of one account on one platform.
///
/// It holds an injected `reqwest::Client` (rustls), the base URL, the user agent and
/// timeout, the [`Clock`] and [`Jitter`], the [`RetryPolicy`], the shared [`RateLimits`] with
/// this account's scope, and the platform's [`ErrorParser`]. Cloning it is cheap.
///
/// ```
/// use std::sync::Arc;
/// use tertulia_core::{ManualClock, PlatformKind};
/// use tertulia_http::{HttpClient, SeededJitter};
/// use url::Url;
/// let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
/// let client = HttpClient::builder(PlatformKind::Mastodon, Url::parse("https://mastodon.example").unwrap())
///     .clock(clock)
///     .jitter(Arc::new(SeededJitter::new(1)))
///     .scope("mastodon.example/@cafe")
///     .build()
///     .unwrap();
/// assert_eq!(client.url("api/v1/statuses").unwrap().as_str(), "https://mastodon.example/api/v1/statuses");
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    platform: PlatformKind,
    base: Url,
    user_agent: HeaderValue,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    jitter: Arc<dyn Jitter>,
    retry: RetryPolicy,
    rate_limits: Arc<RateLimits>,
    scope: String,
    mode: RateLimitMode,
    parser: ErrorParser,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("HttpClient")
            .field("platform", &inner.platform)
            .field("base", &inner.base.as_str())
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("scope", &inner.scope)
            .field("mode", &inner.mode)
            .finish_non_exhaustive()
    }
}

/// Builds an [`HttpClient`]; every setting has a default but the platform and base URL.
#[must_use]
pub struct HttpClientBuilder {
    platform: PlatformKind,
    base: Url,
    http: Option<reqwest::Client>,
    user_agent: String,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    jitter: Option<Arc<dyn Jitter>>,
    retry: RetryPolicy,
    rate_limits: Option<Arc<RateLimits>>,
    scope: Option<String>,
    mode: RateLimitMode,
    parser: ErrorParser,
}

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("platform", &self.platform)
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

fn no_parser(_status: u16, _body: &str) -> Option<PlatformError> {
    None
}

impl HttpClientBuilder {
    /// Uses this `reqwest::Client` (its connection pool, proxy and TLS set-up); by default a
    /// new rustls client.
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The user agent (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The time one attempt may take, answer body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The clock waits are taken on (default [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The randomness of backoff (default [`SeededJitter::from_time`]).
    pub fn jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The budgets store, to share with the process's other clients (default: a new one).
    pub fn rate_limits(mut self, rate_limits: Arc<RateLimits>) -> Self {
        self.rate_limits = Some(rate_limits);
        self
    }

    /// The account's key in the budgets store (default: the base URL's origin).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// What calls do when a known budget is spent (default [`RateLimitMode::Wait`]).
    pub fn rate_limit_mode(mut self, mode: RateLimitMode) -> Self {
        self.mode = mode;
        self
    }

    /// The platform's error-body parser (default: none, the status table alone decides).
    pub fn error_parser(mut self, parser: ErrorParser) -> Self {
        self.parser = parser;
        self
    }

    /// The client; a [`ErrorKind::Configuration`] error when the base URL cannot carry paths,
    /// the user agent is not a valid header, or the default TLS client cannot start.
    pub fn build(self) -> Result<HttpClient> {
        let platform = self.platform;
        let config =
            |message: String| Error::new(ErrorKind::Configuration, platform.clone(), Operation::Connect, message);
        if self.base.cannot_be_a_base() || !matches!(self.base.scheme(), "http" | "https") {
            return Err(config(format!("the base URL `{}` is not an http(s) URL", self.base)));
        }
        let mut base = self.base;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| config(format!("the user agent `{}` is not a valid header value", self.user_agent)))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| config("the HTTP client could not start".to_owned()).with_source(e))?,
        };
        let scope = self.scope.unwrap_or_else(|| base.origin().ascii_serialization());
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http,
                platform,
                base,
                user_agent,
                timeout: self.timeout,
                clock: self.clock,
                jitter: self.jitter.unwrap_or_else(|| Arc::new(SeededJitter::from_time())),
                retry: self.retry,
                rate_limits: self.rate_limits.unwrap_or_default(),
                scope,
                mode: self.mode,
                parser: self.parser,
            }),
        })
    }
}

impl HttpClient {
    /// A builder for `platform`'s server at `base`.
    pub fn builder(platform: PlatformKind, base: Url) -> HttpClientBuilder {
        HttpClientBuilder {
            platform,
            base,
            http: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: Duration::from_secs(30),
            clock: Arc::new(SystemClock),
            jitter: None,
            retry: RetryPolicy::default(),
            rate_limits: None,
            scope: None,
            mode: RateLimitMode::default(),
            parser: no_parser,
        }
    }

    /// The platform.
    pub fn platform(&self) -> &PlatformKind {
        &self.inner.platform
    }

    /// The base URL (always ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// The budgets store.
    pub fn rate_limits(&self) -> &Arc<RateLimits> {
        &self.inner.rate_limits
    }

    /// The account's key in the budgets store.
    pub fn scope(&self) -> &str {
        &self.inner.scope
    }

    /// The URL of a path under the base (a leading `/` is ignored, so a base with a path
    /// prefix keeps it).
    pub fn url(&self, path: &str) -> Result<Url> {
        self.inner.base.join(path.trim_start_matches('/')).map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                self.inner.platform.clone(),
                Operation::Connect,
                format!("`{path}` is not a valid path"),
            )
            .with_source(e)
        })
    }

    /// Sends a call: waits for (or refuses on) a spent budget, builds the request with
    /// `build` (which adds headers, query and body, and is called again for each attempt),
    /// learns the budget from the answer, and retries temporary failures with backoff when
    /// the call [is repeatable](Call::is_repeatable). A 2xx answer is returned as is; any
    /// other becomes an [`Error`] through the platform's parser.
    ///
    /// With [`RateLimitMode::FailFast`] a 429 is returned at once instead of waited out.
    pub async fn send<F>(&self, call: &Call, build: F) -> Result<Response>
    where
        F: Fn(RequestBuilder) -> RequestBuilder + Send + Sync,
    {
        let inner = &self.inner;
        let url = self.url(&call.path).map_err(|e| e.with_operation(call.operation))?;
        let mode = call.mode.unwrap_or(inner.mode);
        let mut backoff = Backoff::new(&inner.retry);
        let mut retries = 0;
        loop {
            self.take_budget(call, mode).await?;
            let request = inner
                .http
                .request(call.method.clone(), url.clone())
                .header(USER_AGENT, inner.user_agent.clone())
                .timeout(inner.timeout);
            let error = match build(request).send().await {
                Ok(response) => {
                    let now = inner.clock.now();
                    self.learn(call, response.headers(), now);
                    if response.status().is_success() {
                        return Ok(response);
                    }
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    let body = response.bytes().await.unwrap_or_default();
                    let error = response_error(
                        inner.platform.clone(),
                        call.operation,
                        status,
                        &headers,
                        &body,
                        now,
                        inner.parser,
                    );
                    if status == 429
                        && let Some(wait) = error.retry_after()
                    {
                        inner.rate_limits.exhaust_until(&inner.scope, &call.bucket, now + wait);
                    }
                    error
                }
                Err(e) => transport_error(inner.platform.clone(), call.operation, e),
            };
            let rate_limited_fast = error.kind() == ErrorKind::RateLimited && mode == RateLimitMode::FailFast;
            if !error.is_temporary() || !call.repeatable || rate_limited_fast || retries >= inner.retry.max_retries {
                return Err(error);
            }
            let wait = error.retry_after().unwrap_or_else(|| backoff.next(inner.jitter.as_ref()));
            if wait > inner.retry.max_wait {
                return Err(error);
            }
            retries += 1;
            tracing::debug!(
                platform = %inner.platform,
                operation = %call.operation,
                status = ?error.status(),
                wait_ms = wait.as_millis() as u64,
                retry = retries,
                "retrying a temporary failure"
            );
            inner.clock.sleep(wait).await;
        }
    }

    /// Reads a 2xx answer as JSON: a body that cannot be read is a [`ErrorKind::Transport`]
    /// error, malformed or truncated JSON an [`ErrorKind::Decode`] error.
    pub async fn json<T: DeserializeOwned>(&self, operation: Operation, response: Response) -> Result<T> {
        let platform = self.inner.platform.clone();
        let body = response.bytes().await.map_err(|e| transport_error(platform.clone(), operation, e))?;
        serde_json::from_slice(&body).map_err(|e| decode_error(platform, operation, e))
    }

    async fn take_budget(&self, call: &Call, mode: RateLimitMode) -> Result<()> {
        let inner = &self.inner;
        for _ in 0..BUDGET_WAITS {
            let now = inner.clock.now();
            let Err(reset_at) = inner.rate_limits.acquire(&inner.scope, &call.bucket, now) else { return Ok(()) };
            let wait = (reset_at - now).to_std().unwrap_or(Duration::ZERO);
            if mode == RateLimitMode::FailFast || wait > inner.retry.max_wait {
                return Err(budget_spent(inner.platform.clone(), call.operation, &call.bucket, wait));
            }
            tracing::debug!(platform = %inner.platform, bucket = %call.bucket, wait_ms = wait.as_millis() as u64, "waiting for the rate-limit budget");
            inner.clock.sleep(wait).await;
        }
        let now = inner.clock.now();
        match inner.rate_limits.acquire(&inner.scope, &call.bucket, now) {
            Ok(()) => Ok(()),
            Err(reset_at) => {
                let wait = (reset_at - now).to_std().unwrap_or(Duration::ZERO);
                Err(budget_spent(inner.platform.clone(), call.operation, &call.bucket, wait))
            }
        }
    }

    fn learn(&self, call: &Call, headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) {
        if let Some(info) = RateLimitInfo::from_headers(headers, now) {
            self.inner.rate_limits.record(&self.inner.scope, &call.bucket, &info, now);
        }
    }
}
