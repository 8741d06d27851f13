//! Which network an account lives on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A social network.
///
/// Serialised as its lower-case name (`"mastodon"`, `"x"`); an unknown name is kept as
/// [`PlatformKind::Other`], so data written by a newer version still reads.
///
/// ```
/// use tertulia_core::PlatformKind;
/// assert_eq!("bluesky".parse::<PlatformKind>().unwrap(), PlatformKind::Bluesky);
/// assert_eq!(PlatformKind::X.to_string(), "x");
/// assert_eq!("myspace".parse::<PlatformKind>().unwrap(), PlatformKind::Other("myspace".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlatformKind {
    /// Mastodon and compatible fediverse servers.
    Mastodon,
    /// Bluesky (AT Protocol).
    Bluesky,
    /// X (formerly Twitter).
    X,
    /// Facebook Pages.
    Facebook,
    /// Instagram professional accounts.
    Instagram,
    /// Threads.
    Threads,
    /// LinkedIn.
    LinkedIn,
    /// Reddit.
    Reddit,
    /// Telegram (bots and channels).
    Telegram,
    /// Discord.
    Discord,
    /// YouTube.
    YouTube,
    /// Pinterest.
    Pinterest,
    /// TikTok.
    TikTok,
    /// Any other network, by name.
    Other(String),
}

impl PlatformKind {
    /// Every named platform (all but [`PlatformKind::Other`]).
    pub const KNOWN: [PlatformKind; 13] = [
        PlatformKind::Mastodon,
        PlatformKind::Bluesky,
        PlatformKind::X,
        PlatformKind::Facebook,
        PlatformKind::Instagram,
        PlatformKind::Threads,
        PlatformKind::LinkedIn,
        PlatformKind::Reddit,
        PlatformKind::Telegram,
        PlatformKind::Discord,
        PlatformKind::YouTube,
        PlatformKind::Pinterest,
        PlatformKind::TikTok,
    ];

    /// The lower-case name used in serialised data.
    pub fn as_str(&self) -> &str {
        match self {
            PlatformKind::Mastodon => "mastodon",
            PlatformKind::Bluesky => "bluesky",
            PlatformKind::X => "x",
            PlatformKind::Facebook => "facebook",
            PlatformKind::Instagram => "instagram",
            PlatformKind::Threads => "threads",
            PlatformKind::LinkedIn => "linkedin",
            PlatformKind::Reddit => "reddit",
            PlatformKind::Telegram => "telegram",
            PlatformKind::Discord => "discord",
            PlatformKind::YouTube => "youtube",
            PlatformKind::Pinterest => "pinterest",
            PlatformKind::TikTok => "tiktok",
            PlatformKind::Other(name) => name,
        }
    }

    /// The name a person reads (`"LinkedIn"`, `"X"`).
    pub fn display_name(&self) -> &str {
        match self {
            PlatformKind::Mastodon => "Mastodon",
            PlatformKind::Bluesky => "Bluesky",
            PlatformKind::X => "X",
            PlatformKind::Facebook => "Facebook",
            PlatformKind::Instagram => "Instagram",
            PlatformKind::Threads => "Threads",
            PlatformKind::LinkedIn => "LinkedIn",
            PlatformKind::Reddit => "Reddit",
            PlatformKind::Telegram => "Telegram",
            PlatformKind::Discord => "Discord",
            PlatformKind::YouTube => "YouTube",
            PlatformKind::Pinterest => "Pinterest",
            PlatformKind::TikTok => "TikTok",
            PlatformKind::Other(name) => name,
        }
    }
}

impl fmt::Display for PlatformKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlatformKind {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Ok(PlatformKind::KNOWN
            .iter()
            .find(|known| known.as_str() == lower || (lower == "twitter" && **known == PlatformKind::X))
            .cloned()
            .unwrap_or(PlatformKind::Other(s.trim().to_owned())))
    }
}

impl Serialize for PlatformKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PlatformKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(name.parse().unwrap_or_else(|never| match never {}))
    }
}
