//! How to reach one Mastodon account.

use std::time::Duration;

use tertulia_core::AccountId;
use tertulia_http::{RateLimitMode, RetryPolicy, Secret};
use url::Url;

/// One account on one Mastodon server: the server's URL and an OAuth access token, plus how
/// patient the adapter is. `Debug` never shows the token.
///
/// ```
/// use tertulia_mastodon::MastodonConfig;
/// let config = MastodonConfig::new("https://mastodon.example".parse().unwrap(), "tok-123");
/// assert!(!format!("{config:?}").contains("tok-123"));
/// ```
#[derive(Debug, Clone)]
pub struct MastodonConfig {
    /// The server, e.g. `https://mastodon.social` (a path prefix is kept).
    pub base_url: Url,
    /// The account's OAuth access token (scopes `read write`).
    pub token: Secret,
    /// The brand's account this is, as the library's user names it: set on every
    /// interaction listed or found, so an inbox of many accounts knows whose it is.
    pub account: Option<AccountId>,
    /// The user agent (default: tertulia's).
    pub user_agent: Option<String>,
    /// The time one HTTP attempt may take (default 30 s).
    pub timeout: Duration,
    /// Retries of temporary failures (default [`RetryPolicy::default`]).
    pub retry: RetryPolicy,
    /// What a call does when the account's known budget is spent (default: wait, up to the
    /// retry policy's `max_wait`).
    pub rate_limit_mode: RateLimitMode,
    /// How often to ask whether an uploaded video or audio has finished processing (the
    /// first wait, at least 100 ms; later ones grow by half, up to ten times the first).
    /// Default 1 s.
    pub media_poll_interval: Duration,
    /// How long to wait for media processing before giving up with a temporary error.
    /// Default 5 minutes.
    pub media_processing_timeout: Duration,
}

impl MastodonConfig {
    /// A config with the defaults.
    pub fn new(base_url: Url, token: impl Into<Secret>) -> Self {
        MastodonConfig {
            base_url,
            token: token.into(),
            account: None,
            user_agent: None,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            rate_limit_mode: RateLimitMode::default(),
            media_poll_interval: Duration::from_secs(1),
            media_processing_timeout: Duration::from_secs(300),
        }
    }
}
