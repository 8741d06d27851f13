//! Reading what servers say about time: `Retry-After` and the rate-limit header families.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A reset number at or above this is a Unix epoch (September 2001), below it a number of
/// seconds from now: no rate-limit window lasts thirty years.
const EPOCH_THRESHOLD: f64 = 1_000_000_000.0;

/// Which family of rate-limit headers a response carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderFamily {
    /// `X-RateLimit-Limit/Remaining/Reset`: Mastodon (reset as ISO-8601), Discord (epoch,
    /// with `X-RateLimit-Reset-After` in seconds).
    XRateLimit,
    /// `RateLimit-Limit/Remaining/Reset/Policy`: Bluesky (reset as epoch seconds) and the
    /// IETF draft (reset as seconds from now).
    RateLimit,
    /// `x-rate-limit-limit/remaining/reset`: X (reset as epoch seconds).
    XDashRateLimit,
    /// `X-Ratelimit-Used/Remaining/Reset`: Reddit (remaining as a float, reset as seconds
    /// until the window ends).
    Reddit,
}

/// What a response said about the caller's rate-limit budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitInfo {
    /// Which header family said it.
    pub family: HeaderFamily,
    /// Requests allowed per window, if given (Reddit gives used + remaining).
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: u64,
    /// When the window resets, if given.
    pub reset_at: Option<DateTime<Utc>>,
    /// The window's length, if given (`RateLimit-Policy: 3000;w=300`).
    pub window: Option<Duration>,
}

impl RateLimitInfo {
    /// Reads the rate-limit headers of a response, whichever family they belong to; `None`
    /// when there are none (or `remaining` is missing or unreadable). `now` turns relative
    /// resets into instants.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use reqwest::header::HeaderMap;
    /// use tertulia_http::{HeaderFamily, RateLimitInfo};
    /// let now = Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap();
    /// let mut headers = HeaderMap::new();
    /// headers.insert("X-RateLimit-Limit", "300".parse().unwrap());
    /// headers.insert("X-RateLimit-Remaining", "0".parse().unwrap());
    /// headers.insert("X-RateLimit-Reset", "2026-11-26T08:05:00.000000Z".parse().unwrap());
    /// let info = RateLimitInfo::from_headers(&headers, now).unwrap();
    /// assert_eq!(info.family, HeaderFamily::XRateLimit);
    /// assert_eq!((info.limit, info.remaining), (Some(300), 0));
    /// assert_eq!(info.reset_at, Some(Utc.with_ymd_and_hms(2026, 11, 26, 8, 5, 0).unwrap()));
    /// ```
    pub fn from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Option<RateLimitInfo> {
        if headers.contains_key("x-ratelimit-used") {
            return reddit(headers, now);
        }
        if headers.contains_key("x-rate-limit-remaining") {
            return family(headers, now, HeaderFamily::XDashRateLimit, "x-rate-limit-");
        }
        if headers.contains_key("x-ratelimit-remaining") {
            let mut info = family(headers, now, HeaderFamily::XRateLimit, "x-ratelimit-")?;
            if let Some(after) = header_str(headers, "x-ratelimit-reset-after").and_then(seconds) {
                info.reset_at = Some(now + after);
            }
            return Some(info);
        }
        if headers.contains_key("ratelimit-remaining") {
            let mut info = family(headers, now, HeaderFamily::RateLimit, "ratelimit-")?;
            if let Some((limit, window)) = header_str(headers, "ratelimit-policy").and_then(policy) {
                info.limit = info.limit.or(Some(limit));
                info.window = window;
            }
            return Some(info);
        }
        None
    }

    /// How long until the budget is back, when it is spent: `Some` only when `remaining` is
    /// zero and the reset is still ahead.
    pub fn exhausted_for(&self, now: DateTime<Utc>) -> Option<Duration> {
        if self.remaining > 0 {
            return None;
        }
        let reset_at = self.reset_at?;
        (reset_at - now).to_std().ok().filter(|wait| !wait.is_zero())
    }
}

/// Reads `Retry-After`, in seconds or as an HTTP-date (`Wed, 26 Nov 2026 08:05:00 GMT`); a
/// date in the past means "now" (zero).
///
/// ```
/// use std::time::Duration;
/// use chrono::{TimeZone, Utc};
/// use tertulia_http::parse_retry_after;
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap();
/// assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after("Thu, 26 Nov 2026 08:01:30 GMT", now), Some(Duration::from_secs(90)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// How long the server asked the caller to wait: `Retry-After` if present, otherwise the
/// time until a spent rate-limit budget resets.
pub fn server_wait(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    if let Some(wait) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| parse_retry_after(v, now)) {
        return Some(wait);
    }
    RateLimitInfo::from_headers(headers, now)?.exhausted_for(now)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn family(headers: &HeaderMap, now: DateTime<Utc>, family: HeaderFamily, prefix: &str) -> Option<RateLimitInfo> {
    let remaining = count(header_str(headers, &format!("{prefix}remaining"))?)?;
    let limit = header_str(headers, &format!("{prefix}limit")).and_then(count);
    let reset_at = header_str(headers, &format!("{prefix}reset")).and_then(|value| reset(value, now));
    Some(RateLimitInfo { family, limit, remaining, reset_at, window: None })
}

fn reddit(headers: &HeaderMap, now: DateTime<Utc>) -> Option<RateLimitInfo> {
    let remaining = count(header_str(headers, "x-ratelimit-remaining")?)?;
    let used = header_str(headers, "x-ratelimit-used").and_then(count);
    let reset_at = header_str(headers, "x-ratelimit-reset").and_then(seconds).map(|after| now + after);
    Some(RateLimitInfo {
        family: HeaderFamily::Reddit,
        limit: used.map(|used| used + remaining),
        remaining,
        reset_at,
        window: None,
    })
}

/// A count, tolerating Reddit's floats (`9324.0`); negative counts read as zero.
fn count(value: &str) -> Option<u64> {
    let number: f64 = value.parse().ok()?;
    number.is_finite().then(|| number.max(0.0).floor() as u64)
}

/// A non-negative number of seconds, possibly fractional.
fn seconds(value: &str) -> Option<Duration> {
    let number: f64 = value.parse().ok()?;
    (number.is_finite() && number >= 0.0).then(|| Duration::from_secs_f64(number))
}

/// A reset given as an ISO-8601 instant, an epoch in seconds, or seconds from now.
fn reset(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(at.with_timezone(&Utc));
    }
    let number: f64 = value.parse().ok()?;
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    if number >= EPOCH_THRESHOLD {
        let millis = (number * 1000.0).round() as i64;
        Utc.timestamp_millis_opt(millis).single()
    } else {
        Some(now + Duration::from_secs_f64(number))
    }
}

/// `RateLimit-Policy: 3000;w=300` (possibly several policies, comma-separated; the first wins).
fn policy(value: &str) -> Option<(u64, Option<Duration>)> {
    let first = value.split(',').next()?;
    let mut parts = first.split(';').map(str::trim);
    let limit = count(parts.next()?)?;
    let window = parts
        .filter_map(|part| part.strip_prefix("w="))
        .find_map(|w| w.trim_matches('"').parse::<u64>().ok())
        .map(Duration::from_secs);
    Some((limit, window))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn mastodon_x_ratelimit_with_iso_reset_and_microseconds() {
        let h = headers(&[
            ("X-RateLimit-Limit", "300"),
            ("X-RateLimit-Remaining", "12"),
            ("X-RateLimit-Reset", "2026-11-26T08:04:59.500000Z"),
        ]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.family, HeaderFamily::XRateLimit);
        assert_eq!(info.limit, Some(300));
        assert_eq!(info.remaining, 12);
        assert_eq!(info.reset_at, Some(now() + Duration::from_millis(299_500)));
        assert_eq!(info.exhausted_for(now()), None);
    }

    #[test]
    fn discord_x_ratelimit_prefers_reset_after() {
        let h = headers(&[
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1795651200.250"),
            ("X-RateLimit-Reset-After", "1.25"),
        ]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.reset_at, Some(now() + Duration::from_millis(1250)));
        assert_eq!(info.exhausted_for(now()), Some(Duration::from_millis(1250)));
    }

    #[test]
    fn bluesky_ratelimit_with_epoch_reset_and_policy() {
        let reset = now().timestamp() + 240;
        let h = headers(&[
            ("RateLimit-Limit", "3000"),
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", &reset.to_string()),
            ("RateLimit-Policy", "3000;w=300"),
        ]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.family, HeaderFamily::RateLimit);
        assert_eq!(info.limit, Some(3000));
        assert_eq!(info.window, Some(Duration::from_secs(300)));
        assert_eq!(info.exhausted_for(now()), Some(Duration::from_secs(240)));
    }

    #[test]
    fn ietf_ratelimit_reset_in_seconds_from_now_and_policy_gives_the_limit() {
        let h = headers(&[("RateLimit-Remaining", "7"), ("RateLimit-Reset", "30"), ("RateLimit-Policy", "10;w=60")]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.limit, Some(10));
        assert_eq!(info.reset_at, Some(now() + Duration::from_secs(30)));
    }

    #[test]
    fn x_dash_rate_limit_with_epoch_reset() {
        let reset = now().timestamp() + 900;
        let h = headers(&[
            ("x-rate-limit-limit", "100"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &reset.to_string()),
        ]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.family, HeaderFamily::XDashRateLimit);
        assert_eq!(info.limit, Some(100));
        assert_eq!(info.exhausted_for(now()), Some(Duration::from_secs(900)));
    }

    #[test]
    fn reddit_seconds_left_and_float_remaining() {
        let h =
            headers(&[("X-Ratelimit-Used", "676"), ("X-Ratelimit-Remaining", "9324.0"), ("X-Ratelimit-Reset", "53")]);
        let info = RateLimitInfo::from_headers(&h, now()).unwrap();
        assert_eq!(info.family, HeaderFamily::Reddit);
        assert_eq!(info.remaining, 9324);
        assert_eq!(info.limit, Some(10_000));
        assert_eq!(info.reset_at, Some(now() + Duration::from_secs(53)));
    }

    #[test]
    fn no_headers_or_unreadable_remaining_is_none() {
        assert_eq!(RateLimitInfo::from_headers(&HeaderMap::new(), now()), None);
        let h = headers(&[("X-RateLimit-Remaining", "lots")]);
        assert_eq!(RateLimitInfo::from_headers(&h, now()), None);
    }

    #[test]
    fn retry_after_seconds_date_past_date_and_garbage() {
        assert_eq!(parse_retry_after(" 7 ", now()), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Thu, 26 Nov 2026 08:00:10 GMT", now()), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Thu, 26 Nov 2026 07:00:00 GMT", now()), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-3", now()), None);
        assert_eq!(parse_retry_after("", now()), None);
    }

    #[test]
    fn server_wait_prefers_retry_after_then_a_spent_budget() {
        let h = headers(&[
            ("Retry-After", "5"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "2026-11-26T08:01:00Z"),
        ]);
        assert_eq!(server_wait(&h, now()), Some(Duration::from_secs(5)));
        let h = headers(&[("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-11-26T08:01:00Z")]);
        assert_eq!(server_wait(&h, now()), Some(Duration::from_secs(60)));
        let h = headers(&[("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", "2026-11-26T08:01:00Z")]);
        assert_eq!(server_wait(&h, now()), None);
    }
}
