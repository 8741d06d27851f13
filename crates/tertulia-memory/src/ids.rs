//! Ids and permalinks in the simulated network's own style.

use tertulia_core::{MediaId, PlatformKind, RemoteId, RemoteRef};
use url::Url;

use crate::{IdStyle, NetworkProfile};

/// The id of the `n`th item the network creates.
pub(crate) fn item_id(profile: &NetworkProfile, n: u64, repo: &str) -> RemoteId {
    match &profile.id_style {
        IdStyle::Numeric { base } => RemoteId::new(base.saturating_add(n).to_string()),
        IdStyle::AtUri { .. } => RemoteId::new(format!("at://{repo}/app.bsky.feed.post/{}", record_key(n))),
    }
}

/// A reference to the account's `n`th item, with a permalink and, on AT-URI networks, a
/// content id as revision.
pub(crate) fn own_reference(profile: &NetworkProfile, n: u64) -> RemoteRef {
    let repo = match &profile.id_style {
        IdStyle::AtUri { did } => did.as_str(),
        IdStyle::Numeric { .. } => "",
    };
    let id = item_id(profile, n, repo);
    let revision = matches!(profile.id_style, IdStyle::AtUri { .. }).then(|| format!("bafyrei{:0>20}", n));
    RemoteRef { url: permalink(profile, profile.account.handle.as_str(), &id), id, revision }
}

/// A link to an item, as the network's web pages spell it.
pub(crate) fn permalink(profile: &NetworkProfile, handle: &str, id: &RemoteId) -> Option<Url> {
    let base = profile.base_url.trim_end_matches('/');
    let last = id.as_str().rsplit('/').next().unwrap_or(id.as_str());
    let link = match (&profile.id_style, &profile.capabilities.platform) {
        (IdStyle::AtUri { .. }, _) => format!("{base}/profile/{handle}/post/{last}"),
        (_, PlatformKind::X) => format!("{base}/{handle}/status/{last}"),
        _ => format!("{base}/@{handle}/{last}"),
    };
    Url::parse(&link).ok()
}

/// The account's profile page.
pub(crate) fn profile_url(profile: &NetworkProfile) -> Option<Url> {
    let base = profile.base_url.trim_end_matches('/');
    let handle = profile.account.handle.as_str();
    let link = match (&profile.id_style, &profile.capabilities.platform) {
        (IdStyle::AtUri { .. }, _) => format!("{base}/profile/{handle}"),
        (_, PlatformKind::X) => format!("{base}/{handle}"),
        _ => format!("{base}/@{handle}"),
    };
    Url::parse(&link).ok()
}

pub(crate) fn media_id(n: u64) -> MediaId {
    MediaId::new(format!("media-{n}"))
}

/// A 13-character, time-ordered record key in base32-sortable, like a TID.
fn record_key(n: u64) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let mut value = n | (1 << 60);
    let mut key = [b'2'; 13];
    for slot in key.iter_mut().rev() {
        *slot = ALPHABET[(value & 31) as usize];
        value >>= 5;
    }
    String::from_utf8_lossy(&key).into_owned()
}
