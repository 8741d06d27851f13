//! Identifier newtypes.
//!
//! Every identifier is a string newtype: the library's own ids (brands, accounts, posts,
//! members, cases) and the platforms' ids (a status id, an AT-URI, a comment id) alike.
//! Platforms' ids are treated as opaque strings, as their documentation asks.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a string as this identifier.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the identifier into its string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id! {
    /// A brand, as the library's user names it.
    ///
    /// ```
    /// use tertulia_core::BrandId;
    /// assert_eq!(BrandId::new("cafe-tertulia").as_str(), "cafe-tertulia");
    /// ```
    BrandId
}
string_id! {
    /// One account of a brand on one platform, as the library's user names it.
    AccountId
}
string_id! {
    /// A post written in tertulia (before and after it is published).
    PostId
}
string_id! {
    /// A person of the community, across platforms.
    MemberId
}
string_id! {
    /// A customer-care case.
    CaseId
}
string_id! {
    /// An audience segment.
    SegmentId
}
string_id! {
    /// A campaign a post belongs to.
    CampaignId
}
string_id! {
    /// A platform's own identifier for a post, comment, message or user: opaque.
    ///
    /// Mastodon status ids, Bluesky AT-URIs, Graph API ids and X ids all fit here.
    RemoteId
}
string_id! {
    /// A platform's identifier for uploaded media, ready to attach to a post (opaque; for
    /// Bluesky it holds the blob reference).
    MediaId
}
string_id! {
    /// A handle on a platform (`brand`, `brand@mastodon.social`, `brand.bsky.social`), without
    /// a leading `@`.
    Handle
}
string_id! {
    /// A caller-chosen key that makes a write happen at most once.
    ///
    /// Sent to platforms that honour one (Mastodon's `Idempotency-Key`) and kept with every
    /// outcome so that an unknown outcome can be reconciled.
    IdempotencyKey
}
string_id! {
    /// A caller-chosen marker that identifies a publish among the account's own posts, so an
    /// unknown outcome can be looked up before anything is retried.
    ClientMarker
}
string_id! {
    /// A conversation (a thread of replies, or a direct-message conversation) on a platform.
    ConversationId
}
