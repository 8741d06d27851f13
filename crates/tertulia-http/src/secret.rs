//! Secrets (tokens, passwords, webhook keys) that never show in `Debug`, `Display` or logs.

use std::fmt;

use reqwest::header::HeaderValue;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// A token, password or signing key.
///
/// `Debug` and `Display` print `***`; the value is read only through [`Secret::expose`], so
/// every place that uses it is easy to find. It deserialises from a plain string (a config
/// file) but does not serialise: writing a secret out is always a deliberate `expose`.
///
/// ```
/// use tertulia_http::Secret;
/// let token = Secret::new("s3cr3t-token");
/// assert_eq!(format!("{token:?} {token}"), "Secret(***) ***");
/// assert_eq!(token.expose(), "s3cr3t-token");
/// ```
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (a missing credential).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An `Authorization: Bearer …` header value, marked sensitive so `reqwest` and `http`
    /// never print it. `None` when the token holds characters a header cannot carry.
    ///
    /// ```
    /// use tertulia_http::Secret;
    /// let header = Secret::new("abc").bearer().unwrap();
    /// assert!(header.is_sensitive());
    /// assert_eq!(format!("{header:?}"), "Sensitive");
    /// ```
    pub fn bearer(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.0)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Compared in constant time, so comparing a presented token leaks nothing through timing.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value_even_nested() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Config {
            token: Secret,
        }
        let config = Config { token: Secret::new("tok-123") };
        let shown = format!("{config:?} {} {:#?}", config.token, config);
        assert!(!shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn deserialises_from_a_plain_string() {
        let secret: Secret = serde_json::from_str("\"tok-123\"").unwrap();
        assert_eq!(secret.expose(), "tok-123");
        assert_eq!(secret, Secret::new("tok-123"));
        assert_ne!(secret, Secret::new("tok-124"));
    }

    #[test]
    fn bearer_refuses_a_token_a_header_cannot_carry() {
        assert!(Secret::new("line\nbreak").bearer().is_none());
        assert_eq!(Secret::new("abc").bearer().unwrap().to_str().unwrap(), "Bearer abc");
    }
}
