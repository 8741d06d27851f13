//! The `Platform` contract, answered from the network's state.

use async_trait::async_trait;
use tertulia_core::{
    AccountInfo, AccountMetrics, Capabilities, ErrorKind, Interaction, InteractionKind, InteractionQuery, MediaUpload,
    Operation, Page, Platform, PostMetrics, PublishLookup, PublishOutcome, PublishRequest, RemoteId, RemotePost,
    ReplyRequest, Result, SearchQuery, UploadedMedia, Visibility,
};

use super::publish::{Draft, outcome};
use super::{MemoryPlatform, followers, is_public_post};
use crate::ids;
use crate::listing::{self, Listed};
use crate::state::StoredMedia;
use crate::validate;

#[async_trait]
impl Platform for MemoryPlatform {
    fn capabilities(&self) -> &Capabilities {
        &self.profile.capabilities
    }

    async fn account(&self) -> Result<AccountInfo> {
        self.read(Operation::Account, |state, _| {
            let account = &self.profile.account;
            Ok(AccountInfo {
                id: account.id.clone(),
                handle: account.handle.clone(),
                display_name: Some(account.display_name.clone()),
                url: ids::profile_url(&self.profile),
                followers: Some(followers(state, &self.profile)),
            })
        })
    }

    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        let status = self.store_post(Draft {
            operation: Operation::Publish,
            text: &request.text,
            media: &request.media,
            link: request.link.as_ref(),
            in_reply_to: request.in_reply_to.as_ref().map(|reference| &reference.id),
            schedule_at: request.schedule_at,
            language: request.language.as_ref(),
            content_warning: request.content_warning.as_ref(),
            visibility: request.visibility,
            idempotency_key: &request.idempotency_key,
            marker: &request.marker,
        });
        outcome(&request.idempotency_key, &request.marker, status)
    }

    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        let mut inner = self.lock();
        self.enter(&mut inner, Operation::UploadMedia)?;
        let kind = validate::check_upload(upload, &self.profile.capabilities.text)
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::UploadMedia, message))?;
        self.write_locked(&mut inner, Operation::UploadMedia, |state, profile, _| {
            let id = ids::media_id(state.next());
            let url = url::Url::parse(&format!("{}media/{id}", profile.base_url)).ok();
            let media = UploadedMedia { id: id.clone(), kind, alt_text: upload.alt_text.clone(), url };
            state.media.insert(id, StoredMedia { media: media.clone(), size: upload.bytes.len() as u64 });
            Ok(media)
        })
    }

    async fn delete(&self, id: &RemoteId) -> Result<()> {
        let mut inner = self.lock();
        self.enter(&mut inner, Operation::Delete)?;
        if inner.state.post(id).is_none() {
            return Err(self.err(ErrorKind::NotFound, Operation::Delete, format!("no post {id}")));
        }
        self.write_locked(&mut inner, Operation::Delete, |state, _, _| {
            state.posts.retain(|post| &post.reference.id != id);
            Ok(())
        })
    }

    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        self.read(Operation::GetPost, |state, now| {
            if let Some(post) = state.post(id).filter(|post| post.is_visible_at(now)) {
                return Ok(self.remote_post(state, post, now));
            }
            let theirs = state
                .interactions
                .iter()
                .chain(&state.public_posts)
                .map(|stored| &stored.interaction)
                .find(|i| &i.id == id && i.created_at <= now && is_public_post(&i.kind));
            match theirs {
                Some(interaction) => Ok(RemotePost {
                    reference: tertulia_core::RemoteRef {
                        id: interaction.id.clone(),
                        url: interaction.permalink.clone(),
                        revision: None,
                    },
                    author: interaction.author.clone(),
                    text: interaction.text.clone().unwrap_or_default(),
                    created_at: interaction.created_at,
                    in_reply_to: interaction.in_reply_to.clone(),
                    media: Vec::new(),
                    language: interaction.language.clone(),
                    metrics: None,
                }),
                None => Err(self.err(ErrorKind::NotFound, Operation::GetPost, format!("no post {id}"))),
            }
        })
    }

    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        let visibility = {
            let inner = self.lock();
            match inner.state.interaction(&request.to).map(|i| &i.kind) {
                Some(InteractionKind::DirectMessage) => Visibility::Direct,
                _ => Visibility::Public,
            }
        };
        let status = self.store_post(Draft {
            operation: Operation::Reply,
            text: &request.text,
            media: &request.media,
            link: None,
            in_reply_to: Some(&request.to),
            schedule_at: None,
            language: request.language.as_ref(),
            content_warning: None,
            visibility,
            idempotency_key: &request.idempotency_key,
            marker: &request.marker,
        });
        outcome(&request.idempotency_key, &request.marker, status)
    }

    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        let limit = self.page_size(query.limit);
        self.read(Operation::ListInteractions, |state, now| {
            let caps = &self.profile.capabilities;
            let wanted = |i: &Interaction| caps.lists(&i.kind) && query.wants(&i.kind) && i.created_at <= now;
            listing::page(
                state.interactions.iter().filter(|stored| wanted(&stored.interaction)),
                query.cursor.as_ref(),
                limit,
                Listed::AsIs,
            )
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::ListInteractions, message))
        })
    }

    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        self.read(Operation::PostMetrics, |state, now| {
            let post = state
                .post(id)
                .filter(|post| post.is_visible_at(now))
                .ok_or_else(|| self.err(ErrorKind::NotFound, Operation::PostMetrics, format!("no post {id}")))?;
            Ok(state.metrics_of(post, self.profile.reports_impressions, now))
        })
    }

    async fn account_metrics(&self) -> Result<AccountMetrics> {
        self.read(Operation::AccountMetrics, |state, now| {
            let posts = state.posts.iter().filter(|post| post.is_visible_at(now)).count();
            Ok(AccountMetrics {
                followers: Some(followers(state, &self.profile)),
                following: Some(self.profile.account.following),
                posts: Some(posts as u64),
                as_of: Some(now),
                ..AccountMetrics::default()
            })
        })
    }

    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        let limit = self.page_size(query.limit);
        let words: Vec<String> = query.query.split_whitespace().map(str::to_lowercase).collect();
        self.read(Operation::Search, |state, now| {
            if words.is_empty() {
                return Err(self.err(ErrorKind::InvalidInput, Operation::Search, "the search has no words"));
            }
            let matches = |i: &Interaction| {
                let text = i.text.as_deref().unwrap_or_default().to_lowercase();
                is_public_post(&i.kind)
                    && i.created_at <= now
                    && words.iter().all(|word| text.contains(word.as_str()))
                    && query.language.as_ref().is_none_or(|language| i.language.as_ref() == Some(language))
            };
            listing::page(
                state.interactions.iter().chain(&state.public_posts).filter(|stored| matches(&stored.interaction)),
                query.cursor.as_ref(),
                limit,
                Listed::AsListening,
            )
            .map_err(|message| self.err(ErrorKind::InvalidInput, Operation::Search, message))
        })
    }

    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        self.read(Operation::FindByMarker, |state, now| {
            let found =
                state.posts.iter().rev().find(|post| post.marker == lookup.marker && post.created_at >= lookup.sent_at);
            Ok(found.map(|post| self.remote_post(state, post, now)))
        })
    }
}
