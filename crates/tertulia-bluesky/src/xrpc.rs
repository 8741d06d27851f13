//! One XRPC call over HTTP: the request, the retries of temporary failures, and the reading
//! of the answer. Sessions and refreshes live in the client, above.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tertulia_core::{Clock, ErrorKind};
use url::Url;

use crate::error::Failure;

/// Which failures a call may retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Every temporary failure: reads and writes that are safe to repeat.
    Temporary,
    /// Only failures the server did not act on (a 429, a connection never made): writes
    /// that are not safe to repeat blindly.
    NotApplied,
}

/// The body of a call.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    None,
    Json(Vec<u8>),
    Bytes { data: Vec<u8>, mime: String },
}

/// One XRPC call.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub nsid: &'static str,
    pub post: bool,
    pub query: Vec<(&'static str, String)>,
    pub payload: Payload,
    /// Served by the AppView through the PDS: sends the `atproto-proxy` header if set.
    pub appview: bool,
    pub retry: Retry,
}

impl Request {
    /// A query (GET).
    pub fn query(nsid: &'static str) -> Self {
        Request {
            nsid,
            post: false,
            query: Vec::new(),
            payload: Payload::None,
            appview: false,
            retry: Retry::Temporary,
        }
    }

    /// A procedure (POST) with a JSON body.
    pub fn procedure(nsid: &'static str, body: &impl Serialize) -> Result<Self, Failure> {
        let json = serde_json::to_vec(body)
            .map_err(|e| Failure::local(ErrorKind::InvalidInput, format!("cannot encode the request: {e}")))?;
        Ok(Request {
            nsid,
            post: true,
            query: Vec::new(),
            payload: Payload::Json(json),
            appview: false,
            retry: Retry::Temporary,
        })
    }

    /// A procedure (POST) with no body.
    pub fn empty_procedure(nsid: &'static str) -> Self {
        Request { post: true, ..Request::query(nsid) }
    }

    /// A procedure (POST) with raw bytes.
    pub fn upload(nsid: &'static str, data: Vec<u8>, mime: impl Into<String>) -> Self {
        Request { post: true, payload: Payload::Bytes { data, mime: mime.into() }, ..Request::query(nsid) }
    }

    /// Adds a query parameter (repeat it for arrays).
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Adds a query parameter when there is a value.
    pub fn param_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.param(name, value),
            None => self,
        }
    }

    /// Marks the call as served by the AppView.
    pub fn appview(mut self) -> Self {
        self.appview = true;
        self
    }

    /// Sets which failures may be retried.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }
}

/// The transport: a base URL, an HTTP client and the retry rules.
#[derive(Debug, Clone)]
pub(crate) struct Xrpc {
    pub http: reqwest::Client,
    pub service: Url,
    pub appview_proxy: Option<String>,
    pub clock: Arc<dyn Clock>,
    pub max_retries: u32,
    pub max_backoff: Duration,
    pub timeout: Duration,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(500);

impl Xrpc {
    /// Sends `request` (retrying temporary failures as it allows) and returns the body.
    pub async fn call(&self, request: &Request, token: Option<&str>) -> Result<Vec<u8>, Failure> {
        let mut attempt = 0;
        loop {
            let result = self.send_once(request, token).await;
            let Err(failure) = result else { return result };
            let retryable = failure.is_temporary()
                && match request.retry {
                    Retry::Temporary => true,
                    Retry::NotApplied => !failure.maybe_applied,
                };
            if !retryable || attempt >= self.max_retries {
                return Err(failure);
            }
            let wait = failure.retry_after.unwrap_or_else(|| backoff(attempt).min(self.max_backoff));
            // A server that asks for a longer wait than the adapter may take gets its answer
            // back, with its retry-after, for the caller to schedule.
            if wait > self.max_backoff {
                return Err(failure);
            }
            tracing::debug!(nsid = request.nsid, attempt, ?wait, kind = ?failure.kind, "retrying");
            self.clock.sleep(wait).await;
            attempt += 1;
        }
    }

    /// Sends and decodes a JSON answer.
    pub async fn call_json<T: DeserializeOwned>(&self, request: &Request, token: Option<&str>) -> Result<T, Failure> {
        let body = self.call(request, token).await?;
        decode(request.nsid, &body)
    }

    async fn send_once(&self, request: &Request, token: Option<&str>) -> Result<Vec<u8>, Failure> {
        let url = self.url(request)?;
        let mut builder = if request.post { self.http.post(url) } else { self.http.get(url) };
        builder = builder.timeout(self.timeout);
        if let Some(token) = token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if request.appview
            && let Some(proxy) = &self.appview_proxy
        {
            builder = builder.header("atproto-proxy", proxy);
        }
        builder = match &request.payload {
            Payload::None => builder,
            Payload::Json(json) => builder.header(CONTENT_TYPE, "application/json").body(json.clone()),
            Payload::Bytes { data, mime } => builder.header(CONTENT_TYPE, mime.as_str()).body(data.clone()),
        };
        let response = builder.send().await.map_err(|e| transport_failure(request, &e))?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers(), self.clock.now());
        let body = response.bytes().await.map_err(|e| transport_failure(request, &e))?;
        if (200..300).contains(&status) {
            Ok(body.to_vec())
        } else {
            Err(Failure::from_response(status, &body, retry_after))
        }
    }

    fn url(&self, request: &Request) -> Result<Url, Failure> {
        let mut url = self
            .service
            .join(&format!("xrpc/{}", request.nsid))
            .map_err(|e| Failure::local(ErrorKind::Configuration, format!("bad service URL: {e}")))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

/// Decodes a JSON answer; a body that does not fit is a `Decode` failure, never a panic.
pub(crate) fn decode<T: DeserializeOwned>(nsid: &str, body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body)
        .map_err(|e| Failure::local(ErrorKind::Decode, format!("cannot read the answer of {nsid}: {e}")))
}

fn transport_failure(request: &Request, error: &reqwest::Error) -> Failure {
    // A connection never made cannot have changed anything; after that, a write may have.
    let maybe_applied = request.post && !error.is_connect();
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    Failure::transport(format!("{}: {what}", request.nsid), maybe_applied)
}

/// Exponential backoff: 0.5 s, 1 s, 2 s…
fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF.saturating_mul(2u32.saturating_pow(attempt))
}

/// When the server says to come back: `Retry-After` (seconds), else `RateLimit-Reset`
/// (epoch seconds).
fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(seconds) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(seconds));
    }
    let reset = header("ratelimit-reset")?.parse::<i64>().ok()?;
    let wait = reset - now.timestamp();
    Some(Duration::from_secs(u64::try_from(wait).unwrap_or(0)))
}
