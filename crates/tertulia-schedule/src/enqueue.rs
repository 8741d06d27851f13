//! From placements to jobs in the store.

use std::collections::HashMap;

use tertulia_core::{AccountId, PlatformKind, Post, PostStatus};
use tertulia_store::{NewJob, Store, StoreError};

use crate::Placement;

/// Schedules `post` in the store at its placements: the post becomes scheduled (it must be
/// approved, scheduled already, or failed and requeued), its targets and time follow the
/// placements, and one job per placement is added. `platforms` names each account's platform.
/// Returns the jobs added (a placement already in the store adds none).
pub async fn enqueue(
    store: &dyn Store,
    post: &mut Post,
    placements: &[Placement],
    platforms: &HashMap<AccountId, PlatformKind>,
) -> Result<usize, StoreError> {
    let mine: Vec<&Placement> = placements.iter().filter(|p| p.post == post.id).collect();
    if mine.is_empty() {
        return Err(StoreError::InvalidInput(format!("no placement is for post {}", post.id)));
    }
    match post.status {
        PostStatus::Scheduled => {}
        PostStatus::Approved | PostStatus::Failed => {
            post.transition(PostStatus::Scheduled).map_err(|error| StoreError::InvalidInput(error.to_string()))?
        }
        other => {
            return Err(StoreError::InvalidInput(format!("post {} is {other}: approve it before scheduling", post.id)));
        }
    }
    let mut jobs = Vec::with_capacity(mine.len());
    for placement in &mine {
        let platform = platforms
            .get(&placement.account)
            .cloned()
            .ok_or_else(|| StoreError::InvalidInput(format!("account {} has no platform", placement.account)))?;
        if !post.targets.contains(&placement.account) {
            post.targets.push(placement.account.clone());
        }
        jobs.push(NewJob::for_post(post, &placement.account, platform, placement.at));
    }
    post.scheduled_at = mine.iter().map(|p| p.at).min();
    store.save_post(post).await?;
    store.add_jobs(&jobs).await
}
