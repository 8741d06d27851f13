//! Team roles and who may do what before a post goes out.

use serde::{Deserialize, Serialize};

/// A role in a brand's social team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns the strategy and the calendar; approves and escalations land here.
    SocialMediaManager,
    /// Writes the posts.
    Copywriter,
    /// Makes the images and videos.
    Designer,
    /// Speaks with the community in the brand's name.
    BrandCommunityManager,
    /// Answers customers and follows their cases.
    CareAgent,
}

/// A step in a post's way to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Send a draft for review.
    Submit,
    /// Approve a post in review.
    Approve,
    /// Schedule or publish an approved post.
    Publish,
}

/// Who may submit, approve and publish, and how many approvals a post needs.
///
/// ```
/// use tertulia_core::{Action, ApprovalRule, Role};
/// let rule = ApprovalRule::default();
/// assert!(rule.allows(Role::Copywriter, Action::Submit));
/// assert!(!rule.allows(Role::Copywriter, Action::Approve));
/// assert!(rule.allows(Role::SocialMediaManager, Action::Publish));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRule {
    /// Roles that may submit.
    pub submit: Vec<Role>,
    /// Roles that may approve.
    pub approve: Vec<Role>,
    /// Roles that may publish.
    pub publish: Vec<Role>,
    /// Distinct approvals a post needs.
    pub approvals_required: u8,
    /// Whether the author of a post may approve it.
    pub self_approval: bool,
}

impl Default for ApprovalRule {
    /// Everyone who writes may submit; the social media manager approves and publishes; one
    /// approval, never by the author.
    fn default() -> Self {
        ApprovalRule {
            submit: vec![Role::SocialMediaManager, Role::Copywriter, Role::Designer, Role::BrandCommunityManager],
            approve: vec![Role::SocialMediaManager],
            publish: vec![Role::SocialMediaManager, Role::BrandCommunityManager],
            approvals_required: 1,
            self_approval: false,
        }
    }
}

impl ApprovalRule {
    /// Whether `role` may take `action`.
    pub fn allows(&self, role: Role, action: Action) -> bool {
        let roles = match action {
            Action::Submit => &self.submit,
            Action::Approve => &self.approve,
            Action::Publish => &self.publish,
        };
        roles.contains(&role)
    }
}
