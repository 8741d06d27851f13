//! Checks that publish: posts, media, threads, scheduling, replies, unknown outcomes.

use std::collections::BTreeSet;

use tertulia_core::{
    ClientMarker, ErrorKind, IdempotencyKey, MediaKind, PlatformExt, PublishLookup, PublishRequest, PublishStatus,
    RemoteId, RemoteRef, ReplyRequest,
};

use super::{not_supported, ok, prepare, published, setup};
use crate::{Check, Harness, Verdict};

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
