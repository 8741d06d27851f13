//! Conveniences for callers, implemented once for every [`Platform`].

use async_trait::async_trait;

use crate::{
    Interaction, InteractionQuery, Page, Platform, PublishOutcome, PublishRequest, PublishStatus, ReplyRequest, Result,
};

/// Conveniences on top of the [`Platform`] contract, for every adapter alike.
///
/// Adapters implement only the essentials; callers get these for free.
#[async_trait]
pub trait PlatformExt: Platform {
    /// Publishes a thread: the first request as a post, each next one replying to the
    /// previous. Stops at the first part that is not published, so the returned outcomes
    /// are the parts tried, in order (the last one says why it stopped).
    async fn publish_thread(&self, parts: &[PublishRequest]) -> Vec<PublishOutcome> {
        let mut outcomes: Vec<PublishOutcome> = Vec::with_capacity(parts.len());
        for part in parts {
            let mut request = part.clone();
            if let Some(previous) = outcomes.last().and_then(PublishOutcome::published) {
                request.in_reply_to = Some(previous.clone());
            }
            let outcome = self.publish(&request).await;
            let stop = !matches!(outcome.status, PublishStatus::Published { .. });
            outcomes.push(outcome);
            if stop {
                break;
            }
        }
        outcomes
    }

    /// Publishes a post and, once it is out, a first comment under it.
    ///
    /// Returns the post's outcome and, if the post was published, the comment's.
    async fn publish_with_first_comment(
        &self,
        post: &PublishRequest,
        comment: Option<&ReplyRequest>,
    ) -> (PublishOutcome, Option<PublishOutcome>) {
        let outcome = self.publish(post).await;
        let Some(reference) = outcome.published().cloned() else {
            return (outcome, None);
        };
        let Some(comment) = comment else {
            return (outcome, None);
        };
        let mut comment = comment.clone();
        comment.to = reference.id;
        let comment_outcome = self.reply(&comment).await;
        (outcome, Some(comment_outcome))
    }

    /// Lists interactions page after page until the last page or `max_items`, newest first.
    async fn all_interactions(&self, query: &InteractionQuery, max_items: usize) -> Result<Vec<Interaction>> {
        let mut query = query.clone();
        let mut items = Vec::new();
        loop {
            let Page { items: page, next } = self.list_interactions(&query).await?;
            items.extend(page);
            match next {
                Some(cursor) if items.len() < max_items => query.cursor = Some(cursor),
                _ => break,
            }
        }
        items.truncate(max_items);
        Ok(items)
    }
}

impl<P: Platform + ?Sized> PlatformExt for P {}
