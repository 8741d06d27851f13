//! Checks of what goes wrong: unsupported operations and each kind of failure.

use std::time::Duration;

use tertulia_core::{
    ClientMarker, Error, ErrorKind, IdempotencyKey, InteractionQuery, MediaUpload, Operation, PublishLookup,
    PublishOutcome, PublishRequest, RemoteId, RemoteRef, ReplyRequest, SearchQuery,
};

use super::{expect_error, not_supported, prepare, setup};
use crate::{Check, Harness, Prepared, Verdict};

/// The answer of one operation called with harmless inputs, as an error kind (or none).
async fn call(prepared: &Prepared, operation: Operation) -> Option<ErrorKind> {
    let platform = &prepared.platform;
    let missing = RemoteId::new("conformance-missing");
    let kind_of = |result: std::result::Result<(), Error>| result.err().map(|error| error.kind());
    let outcome_kind = |outcome: PublishOutcome| outcome.error().map(Error::kind);
    match operation {
        Operation::Account => kind_of(platform.account().await.map(drop)),
        Operation::Publish => {
            let request = PublishRequest::new(
                "Probando",
                IdempotencyKey::new("conformance-key-probe"),
                ClientMarker::new("probe"),
            );
            outcome_kind(platform.publish(&request).await)
        }
        Operation::UploadMedia => {
            let upload = MediaUpload::new(b"\x89PNG\r\n\x1a\nprobe".to_vec(), "image/png").alt_text("probe");
            kind_of(platform.upload_media(&upload).await.map(drop))
        }
        Operation::Delete => kind_of(platform.delete(&missing).await),
        Operation::GetPost => kind_of(platform.get_post(&missing).await.map(drop)),
        Operation::Reply => {
            let request = ReplyRequest::new(
                missing,
                "Probando",
                IdempotencyKey::new("conformance-key-probe-reply"),
                ClientMarker::new("probe-reply"),
            );
            outcome_kind(platform.reply(&request).await)
        }
        Operation::ListInteractions => {
            kind_of(platform.list_interactions(&InteractionQuery::default()).await.map(drop))
        }
        Operation::PostMetrics => kind_of(platform.post_metrics(&missing).await.map(drop)),
        Operation::AccountMetrics => kind_of(platform.account_metrics().await.map(drop)),
        Operation::Search => kind_of(platform.search(&SearchQuery::new("tertulia")).await.map(drop)),
        Operation::FindByMarker => {
            let request = PublishRequest::new(
                "Probando",
                IdempotencyKey::new("conformance-key-probe"),
                ClientMarker::new("probe"),
            );
            let lookup = PublishLookup::for_request(&request, chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
            kind_of(platform.find_by_marker(&lookup).await.map(drop))
        }
        _ => None,
    }
}

/// Every operation the capabilities deny answers `Unsupported`, and every one they allow
/// answers something else; so do native scheduling and threads.
pub async fn unsupported_operations(harness: &dyn Harness) -> Verdict {
    let check = Check::UnsupportedOperations;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities().clone();
    let operations = [
        Operation::Account,
        Operation::Publish,
        Operation::UploadMedia,
        Operation::Delete,
        Operation::GetPost,
        Operation::Reply,
        Operation::ListInteractions,
        Operation::PostMetrics,
        Operation::AccountMetrics,
        Operation::Search,
        Operation::FindByMarker,
    ];
    for operation in operations {
        let answer = call(&prepared, operation).await;
        if caps.supports(operation) {
            assert_ne!(
                answer,
                Some(ErrorKind::Unsupported),
                "{check}: {operation} is supported but answered Unsupported"
            );
        } else {
            assert_eq!(
                answer,
                Some(ErrorKind::Unsupported),
                "{check}: {operation} is not supported but answered {answer:?}"
            );
        }
    }
    if caps.publish && !caps.native_scheduling {
        let request =
            PublishRequest::new("Mañana", IdempotencyKey::new("conformance-key-sched"), ClientMarker::new("sched"))
                .schedule_at(scenario.now + chrono::Duration::hours(2));
        let answer = prepared.platform.publish(&request).await.error().map(Error::kind);
        assert_eq!(answer, Some(ErrorKind::Unsupported), "{check}: native scheduling is not supported");
    }
    if caps.publish && !caps.threads {
        let request =
            PublishRequest::new("Sigue", IdempotencyKey::new("conformance-key-thread"), ClientMarker::new("thread"))
                .in_reply_to(RemoteRef::new("conformance-missing"));
        let answer = prepared.platform.publish(&request).await.error().map(Error::kind);
        assert_eq!(answer, Some(ErrorKind::Unsupported), "{check}: threads are not supported");
    }
    Verdict::Passed
}

/// A post that is gone is reported as not found, and not as temporary.
pub async fn not_found(harness: &dyn Harness) -> Verdict {
    let check = Check::NotFound;
    let (_, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().get_post {
        return not_supported(&prepared, "read posts");
    }
    let Some(gone) = prepared.posts.first().cloned() else {
        panic!("{check}: the harness must hand back the reference of the post that is gone");
    };
    let error = expect_error(
        check,
        "get_post() of a post that is gone",
        prepared.platform.get_post(&gone.id).await,
        ErrorKind::NotFound,
    );
    assert!(!error.is_temporary(), "{check}: not found is not temporary");
    Verdict::Passed
}

/// A refused token is reported as unauthenticated, and not as temporary.
pub async fn unauthenticated(harness: &dyn Harness) -> Verdict {
    let check = Check::Unauthenticated;
    let (_, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().account {
        return not_supported(&prepared, "read the account");
    }
    let error = expect_error(
        check,
        "account() with a refused token",
        prepared.platform.account().await,
        ErrorKind::Unauthenticated,
    );
    assert!(!error.is_temporary(), "{check}: reconnecting is needed, waiting will not help");
    Verdict::Passed
}

/// A rate limit is reported as rate limited, temporary, with the platform's retry-after.
pub async fn rate_limited(harness: &dyn Harness) -> Verdict {
    let check = Check::RateLimited;
    let (scenario, prepared) = prepare!(harness, check);
    if prepared.platform.capabilities().interactions.is_empty() {
        return not_supported(&prepared, "list interactions");
    }
    let Some(crate::Fault::Fail { retry_after: Some(expected), .. }) = scenario.fault else {
        panic!("{check}: the scenario has no retry-after");
    };
    let error = expect_error(
        check,
        "list_interactions() over the limit",
        prepared.platform.list_interactions(&InteractionQuery::default()).await,
        ErrorKind::RateLimited,
    );
    assert!(error.is_temporary(), "{check}: a rate limit is temporary");
    let Some(after) = error.retry_after() else {
        panic!("{check}: the error must say when to retry: {error}");
    };
    let difference = after.abs_diff(expected);
    assert!(difference <= Duration::from_secs(1), "{check}: retry after {after:?}, expected {expected:?}");
    Verdict::Passed
}

/// A temporary server failure is reported as unavailable and temporary.
pub async fn temporary_failure(harness: &dyn Harness) -> Verdict {
    let check = Check::TemporaryFailure;
    let (_, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().account {
        return not_supported(&prepared, "read the account");
    }
    let error = expect_error(
        check,
        "account() while the server fails",
        prepared.platform.account().await,
        ErrorKind::Unavailable,
    );
    assert!(error.is_temporary(), "{check}: a server failure is temporary");
    Verdict::Passed
}
