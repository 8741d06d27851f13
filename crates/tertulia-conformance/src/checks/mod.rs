//! The checks: one `pub async fn` per behaviour, each preparing its [`Scenario`] through the
//! harness, choosing itself by capability, and panicking with a clear message on failure.

mod errors;
mod read;
mod write;

pub use errors::{not_found, rate_limited, temporary_failure, unauthenticated, unsupported_operations};
pub use read::{
    account_info, account_metrics, delete_post, get_post, list_interactions_pages, post_metrics, search_public_posts,
};
pub use write::{
    find_by_marker_after_unknown_outcome, publish_outcome_unknown, publish_scheduled_natively, publish_text,
    publish_thread_in_order, publish_with_media_and_alt_text, reply_to_interaction, text_over_the_limit,
};

use tertulia_core::{Error, ErrorKind, PublishOutcome, PublishRequest, PublishStatus, RemoteRef, Result};

use crate::{Check, Harness, Prepared, Scenario, Verdict};

pub(crate) async fn setup(harness: &dyn Harness, check: Check) -> std::result::Result<(Scenario, Prepared), Verdict> {
    let scenario = Scenario::of(check);
    match harness.prepare(&scenario).await {
        Ok(prepared) => Ok((scenario, prepared)),
        Err(skip) => Err(Verdict::Skipped(format!("the harness cannot prepare this scenario: {skip}"))),
    }
}

macro_rules! prepare {
    ($harness:expr, $check:expr) => {
        match setup($harness, $check).await {
            Ok(ready) => ready,
            Err(verdict) => return verdict,
        }
    };
}

pub(crate) fn not_supported(prepared: &Prepared, what: &str) -> Verdict {
    Verdict::Skipped(format!(
        "{} does not {what}, as its capabilities say (unsupported_operations checks that it answers Unsupported)",
        prepared.platform.capabilities().platform.display_name()
    ))
}

pub(crate) fn published(check: Check, request: &PublishRequest, outcome: &PublishOutcome) -> RemoteRef {
    assert_eq!(outcome.idempotency_key, request.idempotency_key, "{check}: the outcome must carry the caller's key");
    assert_eq!(outcome.marker, request.marker, "{check}: the outcome must carry the caller's marker");
    match &outcome.status {
        PublishStatus::Published { reference, .. } => {
            assert!(!reference.id.as_str().is_empty(), "{check}: a published post has an id");
            reference.clone()
        }
        other => panic!("{check}: expected the post to be published, got {other:?}"),
    }
}

pub(crate) fn ok<T>(check: Check, what: &str, result: Result<T>) -> T {
    result.unwrap_or_else(|error| panic!("{check}: {what} failed: {error}"))
}

pub(crate) fn expect_error<T: std::fmt::Debug>(check: Check, what: &str, result: Result<T>, kind: ErrorKind) -> Error {
    match result {
        Ok(value) => panic!("{check}: {what} should fail with {kind:?}, but answered {value:?}"),
        Err(error) => {
            assert_eq!(error.kind(), kind, "{check}: {what} should fail with {kind:?}, got {error}");
            error
        }
    }
}

pub(crate) use prepare;
