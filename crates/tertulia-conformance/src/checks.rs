//! The checks: one `pub async fn` per behaviour, each preparing its [`Scenario`] through the
//! harness, choosing itself by capability, and panicking with a clear message on failure.

use std::collections::BTreeSet;
use std::time::Duration;

use tertulia_core::{
    ClientMarker, Error, ErrorKind, IdempotencyKey, InteractionKind, InteractionQuery, MediaKind, MediaUpload,
    Operation, Page, PlatformExt, PublishLookup, PublishOutcome, PublishRequest, PublishStatus, RemoteId, RemoteRef,
    ReplyRequest, Result, SearchQuery,
};

use crate::{Check, Harness, Prepared, Scenario, Verdict};

async fn setup(harness: &dyn Harness, check: Check) -> std::result::Result<(Scenario, Prepared), Verdict> {
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

fn not_supported(prepared: &Prepared, what: &str) -> Verdict {
    Verdict::Skipped(format!(
        "{} does not {what}, as its capabilities say (unsupported_operations checks that it answers Unsupported)",
        prepared.platform.capabilities().platform.display_name()
    ))
}

fn published(check: Check, request: &PublishRequest, outcome: &PublishOutcome) -> RemoteRef {
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

fn ok<T>(check: Check, what: &str, result: Result<T>) -> T {
    result.unwrap_or_else(|error| panic!("{check}: {what} failed: {error}"))
}

fn expect_error<T: std::fmt::Debug>(check: Check, what: &str, result: Result<T>, kind: ErrorKind) -> Error {
    match result {
        Ok(value) => panic!("{check}: {what} should fail with {kind:?}, but answered {value:?}"),
        Err(error) => {
            assert_eq!(error.kind(), kind, "{check}: {what} should fail with {kind:?}, got {error}");
            error
        }
    }
}

/// `account` answers the connected account: its handle, and its followers where reported.
pub async fn account_info(harness: &dyn Harness) -> Verdict {
    let check = Check::AccountInfo;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().account {
        return not_supported(&prepared, "read the account");
    }
    let info = ok(check, "account()", prepared.platform.account().await);
    assert!(
        info.handle.as_str().starts_with(scenario.account.handle),
        "{check}: the handle {:?} should begin with {:?}",
        info.handle,
        scenario.account.handle
    );
    assert!(!info.id.as_str().is_empty(), "{check}: the account has an id");
    if let Some(name) = &info.display_name {
        assert_eq!(name, scenario.account.display_name, "{check}: display name");
    }
    if let Some(followers) = info.followers {
        assert_eq!(followers, scenario.account.followers, "{check}: followers");
    }
    Verdict::Passed
}

/// A text post is published, carries the caller's key and marker, and reads back as sent.
pub async fn publish_text(harness: &dyn Harness) -> Verdict {
    let check = Check::PublishText;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().publish {
        return not_supported(&prepared, "publish");
    }
    let request = &scenario.publish[0];
    let outcome = prepared.platform.publish(request).await;
    let reference = published(check, request, &outcome);
    if prepared.platform.capabilities().get_post {
        let post = ok(check, "get_post() after publishing", prepared.platform.get_post(&reference.id).await);
        assert_eq!(post.text, request.text, "{check}: the text reads back as sent");
        assert_eq!(post.in_reply_to, None, "{check}: a post replies to nothing");
    }
    Verdict::Passed
}

/// Media uploaded with alt text keeps it, attaches to a post, and reads back with it.
pub async fn publish_with_media_and_alt_text(harness: &dyn Harness) -> Verdict {
    let check = Check::PublishWithMediaAndAltText;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.publish || !caps.upload_media {
        return not_supported(&prepared, "publish media");
    }
    let Some(upload) = scenario.upload.as_ref() else {
        panic!("{check}: the scenario has no upload");
    };
    let media = ok(check, "upload_media()", prepared.platform.upload_media(upload).await);
    assert_eq!(media.alt_text, upload.alt_text, "{check}: the alt text is kept");
    assert_eq!(media.kind, MediaKind::Image, "{check}: a PNG is an image");
    let request = scenario.publish[0].clone().media([media.id.clone()]);
    let outcome = prepared.platform.publish(&request).await;
    let reference = published(check, &request, &outcome);
    if caps.get_post {
        let post = ok(check, "get_post() after publishing", prepared.platform.get_post(&reference.id).await);
        assert_eq!(post.media.len(), 1, "{check}: one attachment reads back");
        assert_eq!(post.media[0].alt_text, upload.alt_text, "{check}: the attachment keeps its alt text");
    }
    Verdict::Passed
}

/// A thread goes out part by part, each replying to the previous, and reads back in order.
pub async fn publish_thread_in_order(harness: &dyn Harness) -> Verdict {
    let check = Check::PublishThreadInOrder;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.publish || !caps.threads {
        return not_supported(&prepared, "publish threads");
    }
    let outcomes = prepared.platform.publish_thread(&scenario.publish).await;
    assert_eq!(outcomes.len(), scenario.publish.len(), "{check}: every part is tried: {outcomes:?}");
    let references: Vec<RemoteRef> =
        scenario.publish.iter().zip(&outcomes).map(|(request, outcome)| published(check, request, outcome)).collect();
    let distinct: BTreeSet<&RemoteId> = references.iter().map(|reference| &reference.id).collect();
    assert_eq!(distinct.len(), references.len(), "{check}: each part is its own post");
    if caps.get_post {
        for (index, (request, reference)) in scenario.publish.iter().zip(&references).enumerate() {
            let post = ok(check, "get_post() of a part", prepared.platform.get_post(&reference.id).await);
            assert_eq!(post.text, request.text, "{check}: part {index} reads back as sent");
            let previous = index.checked_sub(1).map(|before| references[before].id.clone());
            assert_eq!(post.in_reply_to, previous, "{check}: part {index} replies to the part before it");
        }
    }
    Verdict::Passed
}

/// A post with `schedule_at` is held by the platform and comes back as scheduled for then.
pub async fn publish_scheduled_natively(harness: &dyn Harness) -> Verdict {
    let check = Check::PublishScheduledNatively;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().native_scheduling {
        return not_supported(&prepared, "schedule natively");
    }
    let request = &scenario.publish[0];
    let outcome = prepared.platform.publish(request).await;
    assert_eq!(outcome.marker, request.marker, "{check}: the outcome carries the marker");
    match outcome.status {
        PublishStatus::Scheduled { id, at } => {
            assert!(!id.as_str().is_empty(), "{check}: the scheduled item has an id");
            assert_eq!(Some(at), request.schedule_at, "{check}: it goes out when asked");
        }
        other => panic!("{check}: expected a scheduled outcome, got {other:?}"),
    }
    Verdict::Passed
}

/// A text one unit over the network's limit is refused as invalid input, and nothing is posted.
pub async fn text_over_the_limit(harness: &dyn Harness) -> Verdict {
    let check = Check::TextOverTheLimit;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.publish {
        return not_supported(&prepared, "publish");
    }
    let mut request = scenario.publish[0].clone();
    request.text = "a".repeat(caps.text.max_length as usize + 1);
    let outcome = prepared.platform.publish(&request).await;
    match outcome.status {
        PublishStatus::Failed(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{check}: too long is invalid input: {error}");
            assert!(!error.is_temporary(), "{check}: trying again will not help");
        }
        other => panic!("{check}: a text over the limit must fail, got {other:?}"),
    }
    Verdict::Passed
}

/// A reply to an interaction goes out and answers it.
pub async fn reply_to_interaction(harness: &dyn Harness) -> Verdict {
    let check = Check::ReplyToInteraction;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.reply {
        return not_supported(&prepared, "reply");
    }
    let Some(to) = prepared.interactions.first().cloned() else {
        panic!("{check}: the harness must hand back the id of the seeded interaction");
    };
    let Some(template) = scenario.reply.as_ref() else {
        panic!("{check}: the scenario has no reply");
    };
    let mut request =
        ReplyRequest::new(to.clone(), template.text.clone(), template.idempotency_key.clone(), template.marker.clone());
    request.language = template.language.clone();
    let outcome = prepared.platform.reply(&request).await;
    assert_eq!(outcome.marker, request.marker, "{check}: the outcome carries the marker");
    assert_eq!(outcome.idempotency_key, request.idempotency_key, "{check}: the outcome carries the key");
    let reference = match outcome.status {
        PublishStatus::Published { reference, .. } => reference,
        other => panic!("{check}: expected the reply to be published, got {other:?}"),
    };
    if caps.get_post {
        let post = ok(check, "get_post() of the reply", prepared.platform.get_post(&reference.id).await);
        assert_eq!(post.text, request.text, "{check}: the reply reads back as sent");
        assert_eq!(post.in_reply_to, Some(to), "{check}: the reply answers the interaction");
    }
    Verdict::Passed
}

/// A deleted post is gone: reading it answers not found.
pub async fn delete_post(harness: &dyn Harness) -> Verdict {
    let check = Check::DeletePost;
    let (_, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.delete {
        return not_supported(&prepared, "delete");
    }
    let Some(post) = prepared.posts.first().cloned() else {
        panic!("{check}: the harness must hand back the reference of the seeded post");
    };
    ok(check, "delete()", prepared.platform.delete(&post.id).await);
    if caps.get_post {
        expect_error(check, "get_post() after delete", prepared.platform.get_post(&post.id).await, ErrorKind::NotFound);
    }
    Verdict::Passed
}

/// A post reads back with its id, text, time and no parent.
pub async fn get_post(harness: &dyn Harness) -> Verdict {
    let check = Check::GetPost;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().get_post {
        return not_supported(&prepared, "read posts");
    }
    let Some(reference) = prepared.posts.first().cloned() else {
        panic!("{check}: the harness must hand back the reference of the seeded post");
    };
    let seeded = &scenario.posts[0];
    let post = ok(check, "get_post()", prepared.platform.get_post(&reference.id).await);
    assert_eq!(post.reference.id, reference.id, "{check}: the same post comes back");
    assert_eq!(post.text, seeded.text, "{check}: its text");
    assert_eq!(post.in_reply_to, None, "{check}: it replies to nothing");
    let age = chrono::Duration::from_std(seeded.age).unwrap_or_default();
    assert_eq!(post.created_at, scenario.now - age, "{check}: its creation time");
    Verdict::Passed
}

/// Interactions list newest first across at least three pages; each cursor survives a JSON
/// round trip; nothing is repeated or skipped.
pub async fn list_interactions_pages(harness: &dyn Harness) -> Verdict {
    let check = Check::ListInteractionsPages;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if caps.interactions.is_empty() {
        return not_supported(&prepared, "list interactions");
    }
    if !caps.lists(&InteractionKind::Mention) {
        return Verdict::Skipped(format!(
            "{} does not list mentions, which this scenario pages through",
            caps.platform.display_name()
        ));
    }
    let page_size = scenario.page_size.unwrap_or(3);
    let mut query = InteractionQuery::default().kinds([InteractionKind::Mention]).limit(page_size);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let Page { items, next } = ok(check, "list_interactions()", prepared.platform.list_interactions(&query).await);
        pages += 1;
        assert!(items.len() <= page_size as usize, "{check}: page {pages} has {} items, more than asked", items.len());
        seen.extend(items);
        let Some(cursor) = next else { break };
        let stored = serde_json::to_string(&cursor).unwrap_or_else(|e| panic!("{check}: cursor to JSON: {e}"));
        let restored = serde_json::from_str(&stored).unwrap_or_else(|e| panic!("{check}: cursor from JSON: {e}"));
        assert_eq!(restored, cursor, "{check}: the cursor survives a JSON round trip");
        query.cursor = Some(restored);
        assert!(pages < 50, "{check}: the listing never ends");
    }
    assert!(pages >= 3, "{check}: expected at least three pages of {page_size}, got {pages}");
    let texts: Vec<&str> = seen.iter().map(|i| i.text.as_deref().unwrap_or_default()).collect();
    let expected: Vec<&str> = scenario.interactions.iter().map(|i| i.text).collect();
    assert_eq!(texts, expected, "{check}: every mention once, newest first, no gaps");
    let ids: BTreeSet<&RemoteId> = seen.iter().map(|i| &i.id).collect();
    assert_eq!(ids.len(), seen.len(), "{check}: no interaction is listed twice");
    assert!(seen.windows(2).all(|pair| pair[0].created_at >= pair[1].created_at), "{check}: newest first");
    assert!(seen.iter().all(|i| i.kind == InteractionKind::Mention), "{check}: only the kinds asked for");
    Verdict::Passed
}

/// A post's metrics are the figures the network holds (each figure it reports).
pub async fn post_metrics(harness: &dyn Harness) -> Verdict {
    let check = Check::PostMetrics;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().post_metrics {
        return not_supported(&prepared, "report post metrics");
    }
    let Some(reference) = prepared.posts.first().cloned() else {
        panic!("{check}: the harness must hand back the reference of the seeded post");
    };
    let expected = scenario.posts[0].engagement;
    let metrics = ok(check, "post_metrics()", prepared.platform.post_metrics(&reference.id).await);
    let figures = [
        ("likes", metrics.likes, expected.likes),
        ("reposts", metrics.reposts, expected.reposts),
        ("replies", metrics.replies, expected.replies),
        ("quotes", metrics.quotes, expected.quotes),
        ("impressions", metrics.impressions, expected.impressions),
    ];
    let mut reported = 0;
    for (name, got, want) in figures {
        if let Some(got) = got {
            reported += 1;
            assert_eq!(got, want, "{check}: {name}");
        }
    }
    assert!(reported > 0, "{check}: no figure reported: {metrics:?}");
    Verdict::Passed
}

/// The account's metrics are the figures the network holds (each figure it reports).
pub async fn account_metrics(harness: &dyn Harness) -> Verdict {
    let check = Check::AccountMetrics;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().account_metrics {
        return not_supported(&prepared, "report account metrics");
    }
    let metrics = ok(check, "account_metrics()", prepared.platform.account_metrics().await);
    assert!(metrics.followers.is_some() || metrics.posts.is_some(), "{check}: no figure reported: {metrics:?}");
    if let Some(followers) = metrics.followers {
        assert_eq!(followers, scenario.account.followers, "{check}: followers");
    }
    if let Some(posts) = metrics.posts {
        assert_eq!(posts, scenario.posts.len() as u64, "{check}: posts");
    }
    Verdict::Passed
}

/// Search finds exactly the public posts that match, newest first, as listening results.
pub async fn search_public_posts(harness: &dyn Harness) -> Verdict {
    let check = Check::SearchPublicPosts;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().search {
        return not_supported(&prepared, "search");
    }
    let Some(words) = scenario.search else {
        panic!("{check}: the scenario has no search");
    };
    let page = ok(check, "search()", prepared.platform.search(&SearchQuery::new(words)).await);
    let texts: Vec<&str> = page.items.iter().map(|i| i.text.as_deref().unwrap_or_default()).collect();
    assert_eq!(texts, scenario.search_results(), "{check}: the matching posts, newest first");
    assert!(page.items.iter().all(|i| i.kind == InteractionKind::Listening), "{check}: results are listening");
    Verdict::Passed
}

/// A publish whose answer is lost is reported as unknown, with the caller's key and marker.
pub async fn publish_outcome_unknown(harness: &dyn Harness) -> Verdict {
    let check = Check::PublishOutcomeUnknown;
    let (scenario, prepared) = prepare!(harness, check);
    if !prepared.platform.capabilities().publish {
        return not_supported(&prepared, "publish");
    }
    let request = &scenario.publish[0];
    let outcome = prepared.platform.publish(request).await;
    assert_eq!(outcome.idempotency_key, request.idempotency_key, "{check}: the outcome carries the key");
    assert_eq!(outcome.marker, request.marker, "{check}: the outcome carries the marker");
    assert!(
        matches!(outcome.status, PublishStatus::Unknown(_)),
        "{check}: a lost answer must be reported as unknown (never as failed), got {:?}",
        outcome.status
    );
    Verdict::Passed
}

/// After an unknown outcome, the post is found by its marker; a marker never sent is not.
pub async fn find_by_marker_after_unknown_outcome(harness: &dyn Harness) -> Verdict {
    let check = Check::FindByMarkerAfterUnknownOutcome;
    let (scenario, prepared) = prepare!(harness, check);
    let caps = prepared.platform.capabilities();
    if !caps.publish || !caps.find_by_marker {
        return not_supported(&prepared, "find posts by marker");
    }
    let request = &scenario.publish[0];
    let outcome = prepared.platform.publish(request).await;
    assert!(outcome.is_unknown(), "{check}: the harness must lose the answer, got {:?}", outcome.status);
    let lookup = PublishLookup::for_request(request, scenario.now);
    let found = ok(check, "find_by_marker()", prepared.platform.find_by_marker(&lookup).await);
    let Some(post) = found else {
        panic!("{check}: the post that went out is not found by its marker");
    };
    assert_eq!(post.text, request.text, "{check}: the post found is the one sent");
    let never = PublishRequest::new(
        "Un texto que nunca se publicó",
        IdempotencyKey::new("conformance-key-never"),
        ClientMarker::new("conformance-never"),
    );
    let missing = ok(
        check,
        "find_by_marker() of a marker never sent",
        prepared.platform.find_by_marker(&PublishLookup::for_request(&never, scenario.now)).await,
    );
    assert_eq!(missing, None, "{check}: a marker never sent finds nothing");
    Verdict::Passed
}

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
