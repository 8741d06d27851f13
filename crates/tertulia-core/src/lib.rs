#![doc = include_str!("../README.md")]

mod audience;
mod brand;
mod case;
mod clock;
mod error;
mod ext;
mod ids;
mod interaction;
mod member;
mod metrics;
mod page;
mod platform;
mod platform_kind;
mod post;
mod role;
mod rules;

pub use audience::{Audience, AudienceStats, HourOfWeek, Segment};
pub use brand::{Account, Brand, BusinessHours, OpenPeriod, Voice};
pub use case::{Case, CaseError, CaseEvent, CaseEventKind, CaseStatus, Priority};
pub use clock::{BoxFuture, Clock, ManualClock, SystemClock};
pub use error::{Error, ErrorKind, Operation, Result};
pub use ext::PlatformExt;
pub use ids::{
    AccountId, BrandId, CampaignId, CaseId, ClientMarker, ConversationId, Handle, IdempotencyKey, MediaId, MemberId,
    PostId, RemoteId, SegmentId,
};
pub use interaction::{Author, Interaction, InteractionKind};
pub use member::{Identity, Member, MemberHistory, Relationship};
pub use metrics::{AccountMetrics, PostMetrics};
pub use page::{Cursor, Page};
pub use platform::{
    AccountInfo, Capabilities, InteractionQuery, MediaUpload, Platform, PublishLookup, PublishOutcome, PublishRequest,
    PublishStatus, Quota, RemotePost, RemoteRef, ReplyRequest, SearchQuery, UploadedMedia, Visibility,
};
pub use platform_kind::PlatformKind;
pub use post::{
    LifecycleError, MediaAttachment, MediaSource, Post, PostContent, PostStatus, Publication, ThreadPart, Variant,
};
pub use role::{Action, ApprovalRule, Role};
pub use rules::{Counter, MediaKind, MediaRules, TextRules};
