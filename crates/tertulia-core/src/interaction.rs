//! What the community says to and about the brand.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::{AccountId, ConversationId, Handle, PlatformKind, RemoteId};

/// One thing a member of the community did: a comment, a reply, a mention, a message…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// The platform's id for the interaction (a status id, an AT-URI, a comment id).
    pub id: RemoteId,
    /// The platform it happened on.
    pub platform: PlatformKind,
    /// The brand's account it was addressed to or found by, if known.
    pub account: Option<AccountId>,
    /// What kind of interaction it is.
    pub kind: InteractionKind,
    /// Who did it, as the platform shows them.
    pub author: Author,
    /// What they wrote (plain text; `None` for a reaction or a follow).
    pub text: Option<String>,
    /// BCP-47 language, if the platform or the author said.
    pub language: Option<String>,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// The brand's post it is about (the post commented, liked, quoted), if any.
    pub subject: Option<RemoteId>,
    /// The item it directly answers, if it is a reply.
    pub in_reply_to: Option<RemoteId>,
    /// The conversation (thread root or direct-message conversation) it belongs to.
    pub conversation: Option<ConversationId>,
    /// A link a person can open.
    pub permalink: Option<Url>,
}

/// Who did something, as seen on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The platform's id for the user.
    pub id: RemoteId,
    /// Their handle, without `@`.
    pub handle: Handle,
    /// Their display name.
    pub display_name: Option<String>,
    /// Followers, if the platform says.
    pub followers: Option<u64>,
    /// Whether the platform marks them as verified.
    pub verified: bool,
    /// Their profile page.
    pub url: Option<Url>,
}

impl Author {
    /// An author known only by id and handle.
    pub fn new(id: impl Into<RemoteId>, handle: impl Into<Handle>) -> Self {
        Author { id: id.into(), handle: handle.into(), display_name: None, followers: None, verified: false, url: None }
    }
}

/// The kinds of interaction, serialised in `snake_case`; a kind a platform adds later is kept
/// as [`InteractionKind::Other`].
///
/// ```
/// use tertulia_core::InteractionKind;
/// assert_eq!("direct_message".parse::<InteractionKind>().unwrap(), InteractionKind::DirectMessage);
/// assert_eq!(InteractionKind::Quote.to_string(), "quote");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InteractionKind {
    /// A comment on the brand's post.
    Comment,
    /// A reply in a thread.
    Reply,
    /// A post that names the brand.
    Mention,
    /// A private message.
    DirectMessage,
    /// A post quoting the brand's post.
    Quote,
    /// A repost (boost, reblog, retweet).
    Repost,
    /// A reaction (like, favourite, emoji).
    Reaction,
    /// A review or recommendation.
    Review,
    /// A new follower.
    Follow,
    /// A public post found by listening (search), not addressed to the brand.
    Listening,
    /// Anything else, by the platform's name.
    Other(String),
}

impl InteractionKind {
    /// The named kinds.
    pub const KNOWN: [InteractionKind; 10] = [
        InteractionKind::Comment,
        InteractionKind::Reply,
        InteractionKind::Mention,
        InteractionKind::DirectMessage,
        InteractionKind::Quote,
        InteractionKind::Repost,
        InteractionKind::Reaction,
        InteractionKind::Review,
        InteractionKind::Follow,
        InteractionKind::Listening,
    ];

    /// The `snake_case` name.
    pub fn as_str(&self) -> &str {
        match self {
            InteractionKind::Comment => "comment",
            InteractionKind::Reply => "reply",
            InteractionKind::Mention => "mention",
            InteractionKind::DirectMessage => "direct_message",
            InteractionKind::Quote => "quote",
            InteractionKind::Repost => "repost",
            InteractionKind::Reaction => "reaction",
            InteractionKind::Review => "review",
            InteractionKind::Follow => "follow",
            InteractionKind::Listening => "listening",
            InteractionKind::Other(name) => name,
        }
    }

    /// Whether it carries words someone may expect an answer to.
    pub fn is_conversational(&self) -> bool {
        matches!(
            self,
            InteractionKind::Comment
                | InteractionKind::Reply
                | InteractionKind::Mention
                | InteractionKind::DirectMessage
                | InteractionKind::Quote
                | InteractionKind::Review
                | InteractionKind::Listening
        )
    }
}

impl fmt::Display for InteractionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InteractionKind {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(InteractionKind::KNOWN
            .iter()
            .find(|kind| kind.as_str() == s)
            .cloned()
            .unwrap_or_else(|| InteractionKind::Other(s.to_owned())))
    }
}

impl Serialize for InteractionKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InteractionKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(name.parse().unwrap_or_else(|never| match never {}))
    }
}
