//! Publishing and replying: the checks a post passes and how it is stored.

use chrono::{DateTime, Utc};
use tertulia_core::{
    ClientMarker, ErrorKind, IdempotencyKey, MediaId, Operation, PublishOutcome, PublishStatus, RemoteId, Result,
    Visibility,
};
use url::Url;

use super::MemoryPlatform;
use crate::ids;
use crate::state::{RememberedKey, State, StoredPost};
use crate::validate;

/// What a publish or a reply asks the network to store.
pub(super) struct Draft<'a> {
    pub(super) operation: Operation,
    pub(super) text: &'a str,
    pub(super) media: &'a [MediaId],
    pub(super) link: Option<&'a Url>,
    pub(super) in_reply_to: Option<&'a RemoteId>,
    pub(super) schedule_at: Option<DateTime<Utc>>,
    pub(super) language: Option<&'a String>,
    pub(super) content_warning: Option<&'a String>,
    pub(super) visibility: Visibility,
    pub(super) idempotency_key: &'a IdempotencyKey,
    pub(super) marker: &'a ClientMarker,
}

impl MemoryPlatform {
    pub(super) fn store_post(&self, draft: Draft<'_>) -> PublishStatus {
        let now = self.clock.now();
        let caps = &self.profile.capabilities;
        let operation = draft.operation;
        let mut inner = self.lock();
        if let Err(error) = self.enter(&mut inner, operation) {
            return PublishStatus::Failed(error);
        }
        if caps.idempotency_keys
            && let Some(existing) = self.remembered(&inner.state, draft.idempotency_key, now)
        {
            return status_of(existing);
        }
        if let Err(error) = self.check_quota(&inner.state, operation, now) {
            return PublishStatus::Failed(error);
        }
        if let Err(error) = self.check_draft(&inner.state, &draft, now) {
            return PublishStatus::Failed(error);
        }
        let lost = inner.faults.take_lost(operation);
        let stored = self.write_locked(&mut inner, operation, |state, profile, now| {
            let n = state.next();
            let media =
                draft.media.iter().filter_map(|id| state.media.get(id).map(|stored| stored.media.clone())).collect();
            let post = StoredPost {
                reference: ids::own_reference(profile, n),
                text: draft.text.to_owned(),
                created_at: draft.schedule_at.unwrap_or(now),
                in_reply_to: draft.in_reply_to.cloned(),
                media,
                link: draft.link.cloned(),
                language: draft.language.cloned(),
                content_warning: draft.content_warning.cloned(),
                visibility: draft.visibility,
                idempotency_key: draft.idempotency_key.clone(),
                marker: draft.marker.clone(),
                is_reply: operation == Operation::Reply,
                scheduled: draft.schedule_at.is_some(),
                views: 0,
            };
            *state.publishes.entry(draft.marker.clone()).or_default() += 1;
            state
                .keys
                .insert(draft.idempotency_key.clone(), RememberedKey { post: post.reference.id.clone(), at: now });
            state.posts.push(post.clone());
            Ok(post)
        });
        let post = match stored {
            Ok(post) => post,
            Err(error) => return PublishStatus::Failed(error),
        };
        if lost {
            let error = self
                .err(ErrorKind::Transport, operation, "the connection closed before the answer arrived")
                .with_temporary(true);
            return PublishStatus::Unknown(error);
        }
        status_of(post)
    }

    fn remembered(&self, state: &State, key: &IdempotencyKey, now: DateTime<Utc>) -> Option<StoredPost> {
        let remembered = state.keys.get(key)?;
        let window = chrono::Duration::from_std(self.profile.idempotency_window).unwrap_or(chrono::Duration::MAX);
        let fresh = remembered.at.checked_add_signed(window).is_none_or(|until| now < until);
        if fresh { state.post(&remembered.post).cloned() } else { None }
    }

    /// The platform's publishing quota ([`Capabilities::publish_quota`](tertulia_core::Capabilities::publish_quota)):
    /// at most `max` posts (replies apart) in any rolling window.
    fn check_quota(&self, state: &State, operation: Operation, now: DateTime<Utc>) -> Result<()> {
        let Some(quota) = self.profile.capabilities.publish_quota.filter(|_| operation == Operation::Publish) else {
            return Ok(());
        };
        let window = chrono::Duration::from_std(quota.window).unwrap_or(chrono::Duration::MAX);
        let since = now.checked_sub_signed(window).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut recent: Vec<DateTime<Utc>> = state
            .posts
            .iter()
            .filter(|post| !post.is_reply && post.created_at > since)
            .map(|post| post.created_at)
            .collect();
        if recent.len() < quota.max as usize {
            return Ok(());
        }
        recent.sort();
        // A slot frees when the oldest post of the window leaves it.
        let frees = recent[recent.len() - quota.max as usize].checked_add_signed(window).unwrap_or(now);
        let wait = (frees - now).to_std().unwrap_or_default().max(std::time::Duration::from_secs(1));
        Err(self
            .err(
                ErrorKind::RateLimited,
                operation,
                format!("the quota of {} posts per {:?} is spent", quota.max, quota.window),
            )
            .with_status(429)
            .with_retry_after(wait))
    }

    fn check_draft(&self, state: &State, draft: &Draft<'_>, now: DateTime<Utc>) -> Result<()> {
        let caps = &self.profile.capabilities;
        let operation = draft.operation;
        let invalid = |message: String| self.err(ErrorKind::InvalidInput, operation, message);
        if let Some(at) = draft.schedule_at {
            if !caps.native_scheduling {
                return Err(self.err(
                    ErrorKind::Unsupported,
                    operation,
                    format!("{} has no native scheduling", caps.platform.display_name()),
                ));
            }
            let lead = caps.min_schedule_lead.unwrap_or_default();
            let lead = chrono::Duration::from_std(lead).unwrap_or(chrono::Duration::MAX);
            if at < now.checked_add_signed(lead).unwrap_or(DateTime::<Utc>::MAX_UTC) {
                return Err(invalid(format!("scheduled_at must be at least {} minutes ahead", lead.num_minutes())));
            }
        }
        if !draft.media.is_empty() && !caps.upload_media {
            return Err(self.err(ErrorKind::Unsupported, operation, "this network takes no media"));
        }
        validate::check_text(
            draft.text,
            draft.content_warning.map(String::as_str),
            !draft.media.is_empty(),
            &caps.text,
        )
        .map_err(invalid)?;
        validate::check_attachments(draft.media, state, &caps.text).map_err(invalid)?;
        if let Some(parent) = draft.in_reply_to {
            if operation == Operation::Publish && !caps.threads {
                return Err(self.err(ErrorKind::Unsupported, operation, "this network has no threads"));
            }
            let own = state.post(parent).is_some_and(|post| post.is_visible_at(now));
            if !own && state.interaction(parent).is_none() {
                return Err(self.err(ErrorKind::NotFound, operation, format!("nothing to reply to: {parent}")));
            }
        }
        Ok(())
    }
}

/// How a stored post is reported: held by the network until its time, or out.
fn status_of(post: StoredPost) -> PublishStatus {
    if post.scheduled {
        PublishStatus::Scheduled { id: post.reference.id, at: post.created_at }
    } else {
        PublishStatus::Published { reference: post.reference, published_at: post.created_at }
    }
}

pub(super) fn outcome(request_key: &IdempotencyKey, marker: &ClientMarker, status: PublishStatus) -> PublishOutcome {
    PublishOutcome { idempotency_key: request_key.clone(), marker: marker.clone(), status }
}
