#![doc = include_str!("../README.md")]

mod backoff;
mod client;
mod error;
mod headers;
mod link;
mod rate_limit;
mod secret;
mod webhook;

pub use backoff::{Backoff, Jitter, RetryPolicy, SeededJitter};
pub use client::{Call, DEFAULT_BUCKET, DEFAULT_USER_AGENT, HttpClient, HttpClientBuilder};
pub use error::{
    ErrorParser, PlatformError, ResponseBody, decode_error, error_code, failure_status, may_have_been_applied,
    response_error, status_kind, transport_error,
};
pub use headers::{HeaderFamily, RateLimitInfo, parse_retry_after, server_wait};
pub use link::{Links, query_param};
pub use rate_limit::{Budget, RateLimitMode, RateLimits};
pub use secret::Secret;
pub use webhook::{SignatureEncoding, sign_hmac_sha256, verify_hmac_sha256};

/// Re-exported so adapters and their tests name the same `reqwest` and `url` versions.
pub use reqwest;
/// Re-exported so adapters parse and join URLs with the same `url` version.
pub use url;
