//! AT-URIs: `at://<did>/<collection>/<rkey>`, the ids of Bluesky records.

use std::fmt;

/// A record's AT-URI, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AtUri {
    /// The repository: a DID (or, in URIs others wrote, a handle).
    pub repo: String,
    /// The collection NSID (`app.bsky.feed.post`).
    pub collection: String,
    /// The record key.
    pub rkey: String,
}

impl AtUri {
    /// Reads `at://repo/collection/rkey`; `None` for anything else.
    pub fn parse(uri: &str) -> Option<Self> {
        let rest = uri.strip_prefix("at://")?;
        let mut parts = rest.splitn(3, '/');
        let repo = parts.next().filter(|p| !p.is_empty())?;
        let collection = parts.next().filter(|p| !p.is_empty())?;
        let rkey = parts.next().filter(|p| !p.is_empty() && !p.contains('/'))?;
        Some(AtUri { repo: repo.to_owned(), collection: collection.to_owned(), rkey: rkey.to_owned() })
    }
}

impl fmt::Display for AtUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at://{}/{}/{}", self.repo, self.collection, self.rkey)
    }
}

#[cfg(test)]
mod tests {
    use super::AtUri;

    #[test]
    fn splits_and_joins() {
        let uri = "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k4duaz5vfs2b";
        let parsed = AtUri::parse(uri).unwrap();
        assert_eq!(parsed.repo, "did:plc:u5cwb2mwiv2bfq53cjufe6yn");
        assert_eq!(parsed.collection, "app.bsky.feed.post");
        assert_eq!(parsed.rkey, "3k4duaz5vfs2b");
        assert_eq!(parsed.to_string(), uri);
    }

    #[test]
    fn refuses_what_is_not_a_record_uri() {
        for bad in ["", "https://bsky.app", "at://did:plc:x", "at://did:plc:x/app.bsky.feed.post", "at://did/a/b/c"] {
            assert!(AtUri::parse(bad).is_none(), "{bad}");
        }
    }
}
