//! The suite catches broken adapters: each flawed platform here fails the check that guards
//! the behaviour it breaks, and a harness that cannot prepare a scenario is reported skipped.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tertulia_conformance::{Fault, Harness, Prepared, Scenario, Skip, Verdict, checks};
use tertulia_core::{
    AccountInfo, AccountMetrics, Author, Capabilities, Error, ErrorKind, Interaction, InteractionQuery, ManualClock,
    MediaUpload, Page, Platform, PostMetrics, PublishLookup, PublishOutcome, PublishRequest, PublishStatus, RemoteId,
    RemotePost, ReplyRequest, Result, SearchQuery, UploadedMedia,
};
use tertulia_memory::{MemoryPlatform, NetworkProfile, NewInteraction};

/// One thing an adapter gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    /// Never says there is a next page.
    NoNextPage,
    /// Answers an empty page where it should say the operation is unsupported.
    QuietSearch,
    /// Reports a lost answer as a failure (inviting a blind retry).
    UnknownAsFailed,
    /// Forgets the retry-after of a rate limit.
    NoRetryAfter,
    /// Drops the alt text of uploaded media.
    NoAltText,
}

#[derive(Debug)]
struct Flawed {
    inner: MemoryPlatform,
    flaw: Flaw,
    caps: Capabilities,
}

#[async_trait]
impl Platform for Flawed {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    async fn account(&self) -> Result<AccountInfo> {
        self.inner.account().await
    }
    async fn publish(&self, request: &PublishRequest) -> PublishOutcome {
        let mut outcome = self.inner.publish(request).await;
        if self.flaw == Flaw::UnknownAsFailed
            && let PublishStatus::Unknown(error) = outcome.status
        {
            outcome.status = PublishStatus::Failed(error);
        }
        outcome
    }
    async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia> {
        let mut media = self.inner.upload_media(upload).await?;
        if self.flaw == Flaw::NoAltText {
            media.alt_text = None;
        }
        Ok(media)
    }
    async fn delete(&self, id: &RemoteId) -> Result<()> {
        self.inner.delete(id).await
    }
    async fn get_post(&self, id: &RemoteId) -> Result<RemotePost> {
        self.inner.get_post(id).await
    }
    async fn reply(&self, request: &ReplyRequest) -> PublishOutcome {
        self.inner.reply(request).await
    }
    async fn list_interactions(&self, query: &InteractionQuery) -> Result<Page<Interaction>> {
        match self.inner.list_interactions(query).await {
            Ok(page) if self.flaw == Flaw::NoNextPage => Ok(Page::new(page.items, None)),
            Err(error) if self.flaw == Flaw::NoRetryAfter && error.kind() == ErrorKind::RateLimited => {
                Err(Error::new(error.kind(), error.platform().clone(), error.operation(), error.message()))
            }
            other => other,
        }
    }
    async fn post_metrics(&self, id: &RemoteId) -> Result<PostMetrics> {
        self.inner.post_metrics(id).await
    }
    async fn account_metrics(&self) -> Result<AccountMetrics> {
        self.inner.account_metrics().await
    }
    async fn search(&self, query: &SearchQuery) -> Result<Page<Interaction>> {
        if self.flaw == Flaw::QuietSearch {
            return Ok(Page::empty());
        }
        self.inner.search(query).await
    }
    async fn find_by_marker(&self, lookup: &PublishLookup) -> Result<Option<RemotePost>> {
        self.inner.find_by_marker(lookup).await
    }
}

struct FlawedHarness(Flaw);

#[async_trait]
impl Harness for FlawedHarness {
    async fn prepare(&self, scenario: &Scenario) -> Result<Prepared, Skip> {
        let clock = Arc::new(ManualClock::new(scenario.now));
        let mut profile = NetworkProfile::mastodon_like();
        if self.0 == Flaw::QuietSearch {
            profile = profile.supports(tertulia_core::Operation::Search, false);
        }
        let caps = profile.capabilities.clone();
        let inner = MemoryPlatform::new(profile, clock);
        let mut interactions = Vec::new();
        for seed in &scenario.interactions {
            let at = scenario.now - chrono::Duration::from_std(seed.age).unwrap_or_default();
            let new =
                NewInteraction::new(seed.kind.clone(), Author::new(seed.author, seed.author)).text(seed.text).at(at);
            interactions.push(inner.add(new).map_err(|e| Skip::new(e.to_string()))?.id);
        }
        match scenario.fault {
            Some(Fault::Fail { operation, kind, retry_after }) => {
                let mut fault = tertulia_memory::Fault::new(operation, kind);
                if let Some(after) = retry_after {
                    fault = fault.retry_after(after);
                }
                inner.inject(fault);
            }
            Some(Fault::LoseOutcome { operation }) => inner.lose_next_outcome(operation),
            None => {}
        }
        Ok(Prepared::new(Arc::new(Flawed { inner, flaw: self.0, caps })).interactions(interactions))
    }
}

#[tokio::test]
#[should_panic(expected = "expected at least three pages")]
async fn a_listing_that_never_pages_fails() {
    checks::list_interactions_pages(&FlawedHarness(Flaw::NoNextPage)).await;
}

#[tokio::test]
#[should_panic(expected = "search is not supported but answered None")]
async fn an_unsupported_operation_that_answers_quietly_fails() {
    checks::unsupported_operations(&FlawedHarness(Flaw::QuietSearch)).await;
}

#[tokio::test]
#[should_panic(expected = "must be reported as unknown")]
async fn a_lost_answer_reported_as_failed_fails() {
    checks::publish_outcome_unknown(&FlawedHarness(Flaw::UnknownAsFailed)).await;
}

#[tokio::test]
#[should_panic(expected = "must say when to retry")]
async fn a_rate_limit_without_retry_after_fails() {
    checks::rate_limited(&FlawedHarness(Flaw::NoRetryAfter)).await;
}

#[tokio::test]
#[should_panic(expected = "the alt text is kept")]
async fn media_that_loses_its_alt_text_fails() {
    checks::publish_with_media_and_alt_text(&FlawedHarness(Flaw::NoAltText)).await;
}

struct Unprepared;

#[async_trait]
impl Harness for Unprepared {
    async fn prepare(&self, _scenario: &Scenario) -> Result<Prepared, Skip> {
        Err(Skip::new("no mock for this endpoint yet"))
    }
}

#[tokio::test]
async fn a_scenario_the_harness_cannot_prepare_is_skipped_with_its_reason() {
    let verdict = checks::get_post(&Unprepared).await;
    let Verdict::Skipped(reason) = verdict else { panic!("a skip must never pass: {verdict:?}") };
    assert!(reason.contains("no mock for this endpoint yet"), "{reason}");
}

#[test]
fn every_check_has_a_scenario_named_after_it() {
    let names: std::collections::BTreeSet<&str> = tertulia_conformance::Check::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), tertulia_conformance::Check::ALL.len());
    for check in tertulia_conformance::Check::ALL {
        assert_eq!(Scenario::of(check).check, check);
    }
    let search = Scenario::of(tertulia_conformance::Check::SearchPublicPosts);
    assert_eq!(search.search_results().len(), 2, "two of the three public posts match");
    let paged = Scenario::of(tertulia_conformance::Check::ListInteractionsPages);
    assert!(paged.interactions.len() > 2 * paged.page_size.unwrap() as usize, "enough for three pages");
    let limited = Scenario::of(tertulia_conformance::Check::RateLimited);
    assert!(
        matches!(limited.fault, Some(Fault::Fail { retry_after: Some(after), .. }) if after == Duration::from_secs(120))
    );
}
