//! People of the community, across platforms.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Handle, MemberId, PlatformKind, RemoteId};

/// One person of the community, possibly known on several platforms.
///
/// ```
/// use tertulia_core::{Handle, Identity, Member, MemberId, PlatformKind, Relationship, RemoteId};
/// let mut ana = Member::new(MemberId::new("ana"), "Ana");
/// ana.identities.push(Identity { platform: PlatformKind::Mastodon, handle: Handle::new("ana@mastodon.social"), remote_id: RemoteId::new("1093") });
/// ana.relationships.insert(Relationship::Advocate);
/// assert!(ana.is(Relationship::Advocate));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The member's id in tertulia.
    pub id: MemberId,
    /// The name the brand knows them by.
    pub display_name: String,
    /// Their accounts on platforms.
    pub identities: Vec<Identity>,
    /// What they are to the brand.
    pub relationships: BTreeSet<Relationship>,
    /// What they have done so far.
    pub history: MemberHistory,
    /// Free notes by the team.
    pub notes: Vec<String>,
}

impl Member {
    /// A member with no identities, relationships or history yet.
    pub fn new(id: MemberId, display_name: impl Into<String>) -> Self {
        Member {
            id,
            display_name: display_name.into(),
            identities: Vec::new(),
            relationships: BTreeSet::new(),
            history: MemberHistory::default(),
            notes: Vec::new(),
        }
    }

    /// Whether the member has this relationship with the brand.
    pub fn is(&self, relationship: Relationship) -> bool {
        self.relationships.contains(&relationship)
    }

    /// The member's identity on a platform, if known.
    pub fn identity_on(&self, platform: &PlatformKind) -> Option<&Identity> {
        self.identities.iter().find(|identity| &identity.platform == platform)
    }
}

/// One account of a member on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identity {
    /// The platform.
    pub platform: PlatformKind,
    /// The handle, without `@`.
    pub handle: Handle,
    /// The platform's id for the user.
    pub remote_id: RemoteId,
}

/// What a member is to the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Has bought from the brand.
    Customer,
    /// Speaks well of the brand and defends it.
    Advocate,
    /// Deserves special care (a large customer, a press contact).
    Vip,
    /// Works for the brand.
    Employee,
    /// Must not be answered or promoted.
    Blocked,
}

/// Counters of what a member has done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberHistory {
    /// Interactions of any kind.
    pub interactions: u64,
    /// Interactions read as positive.
    pub positive: u64,
    /// Interactions read as negative.
    pub negative: u64,
    /// Times they answered a critic on the brand's behalf.
    pub defences: u64,
    /// Cases opened for them.
    pub cases_opened: u64,
    /// Purchases the brand knows about.
    pub purchases: u64,
    /// First time seen.
    pub first_seen: Option<DateTime<Utc>>,
    /// Last time seen.
    pub last_seen: Option<DateTime<Utc>>,
}
