//! `Link` headers (RFC 8288): the next and previous pages of a listing.

use reqwest::header::{HeaderMap, LINK};
use url::Url;

/// The `next` and `prev` links of a response.
///
/// ```
/// use url::Url;
/// use tertulia_http::Links;
/// let base = Url::parse("https://mastodon.example/").unwrap();
/// let links = Links::parse(
///     r#"<https://mastodon.example/api/v1/notifications?max_id=34975535>; rel="next", <https://mastodon.example/api/v1/notifications?min_id=34975861>; rel="prev""#,
///     &base,
/// );
/// let next = links.next.unwrap();
/// assert_eq!(tertulia_http::query_param(&next, "max_id").as_deref(), Some("34975535"));
/// assert!(links.prev.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The next page (`rel="next"`).
    pub next: Option<Url>,
    /// The previous page (`rel="prev"` or `rel="previous"`).
    pub prev: Option<Url>,
}

impl Links {
    /// Reads every `Link` header of a response; relative links resolve against `base`.
    pub fn from_headers(headers: &HeaderMap, base: &Url) -> Links {
        let mut links = Links::default();
        for value in headers.get_all(LINK).iter().filter_map(|value| value.to_str().ok()) {
            let found = Links::parse(value, base);
            links.next = links.next.or(found.next);
            links.prev = links.prev.or(found.prev);
        }
        links
    }

    /// Reads one `Link` header value. Malformed entries are skipped; the first `next` and
    /// the first `prev` win.
    pub fn parse(value: &str, base: &Url) -> Links {
        let mut links = Links::default();
        let mut rest = value;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>').map(|i| open + i) else { break };
            let target = &rest[open + 1..close];
            let after = &rest[close + 1..];
            let end = after.find('<').unwrap_or(after.len());
            let params = &after[..end];
            rest = &after[end..];
            let Ok(url) = base.join(target.trim()) else { continue };
            for rel in rels(params) {
                match rel.as_str() {
                    "next" if links.next.is_none() => links.next = Some(url.clone()),
                    "prev" | "previous" if links.prev.is_none() => links.prev = Some(url.clone()),
                    _ => {}
                }
            }
        }
        links
    }
}

/// The relation types of one link's parameters (`rel="next prev"` gives both), lower-cased.
fn rels(params: &str) -> Vec<String> {
    params
        .split(';')
        .filter_map(|param| {
            let (name, value) = param.split_once('=')?;
            (name.trim().eq_ignore_ascii_case("rel")).then(|| value.trim().trim_matches(',').trim().trim_matches('"'))
        })
        .flat_map(|value| value.split_whitespace().map(str::to_ascii_lowercase).collect::<Vec<_>>())
        .collect()
}

/// The value of a query parameter of a URL (the `max_id` inside a `next` link).
pub fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://mastodon.example/api/v1/").unwrap()
    }

    #[test]
    fn next_and_prev_in_either_order_with_spaces_and_case() {
        let links = Links::parse(
            r#"<https://a.example/p?min_id=9> ; REL = "prev" ,<https://a.example/p?max_id=1>;rel=next"#,
            &base(),
        );
        assert_eq!(links.next.unwrap().as_str(), "https://a.example/p?max_id=1");
        assert_eq!(links.prev.unwrap().as_str(), "https://a.example/p?min_id=9");
    }

    #[test]
    fn several_rels_in_one_link_and_other_params() {
        let links = Links::parse(r#"<https://a.example/x>; title="x, y"; rel="next prev""#, &base());
        assert_eq!(links.next, links.prev);
        assert!(links.next.is_some());
    }

    #[test]
    fn relative_links_resolve_against_the_base_and_garbage_is_skipped() {
        let links =
            Links::parse(r#"<notifications?max_id=5>; rel="next", <http://[::1>; rel="prev", nonsense"#, &base());
        assert_eq!(links.next.unwrap().as_str(), "https://mastodon.example/api/v1/notifications?max_id=5");
        assert_eq!(links.prev, None);
        assert_eq!(Links::parse("", &base()), Links::default());
        assert_eq!(Links::parse("<unclosed", &base()), Links::default());
    }

    #[test]
    fn several_link_headers_are_read_together() {
        let mut headers = HeaderMap::new();
        headers.append(LINK, r#"<https://a.example/p?max_id=1>; rel="next""#.parse().unwrap());
        headers.append(LINK, r#"<https://a.example/p?min_id=2>; rel="prev""#.parse().unwrap());
        let links = Links::from_headers(&headers, &base());
        assert_eq!(query_param(links.next.as_ref().unwrap(), "max_id").as_deref(), Some("1"));
        assert_eq!(query_param(links.prev.as_ref().unwrap(), "min_id").as_deref(), Some("2"));
        assert_eq!(query_param(links.prev.as_ref().unwrap(), "max_id"), None);
    }
}
