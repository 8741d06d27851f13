//! Checks that read (and delete): the account, posts, interactions, metrics, search.

use std::collections::BTreeSet;

use tertulia_core::{ErrorKind, InteractionKind, InteractionQuery, Page, RemoteId, SearchQuery};

use super::{expect_error, not_supported, ok, prepare, setup};
use crate::{Check, Harness, Verdict};

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
