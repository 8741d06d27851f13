//! tertulia-memory passes the whole conformance suite, on each ready-made network.

use std::sync::Arc;

use async_trait::async_trait;
use tertulia_conformance::{Fault, Harness, Prepared, Scenario, Skip};
use tertulia_core::{Author, ClientMarker, IdempotencyKey, InteractionKind, ManualClock, Platform, PublishRequest};
use tertulia_memory::{MemoryPlatform, NetworkProfile, NewInteraction};

/// Prepares a fresh in-memory network of one profile for each scenario, optionally kept in
/// a snapshot file.
struct MemoryHarness {
    profile: fn() -> NetworkProfile,
    on_disk: bool,
}

/// A directory removed when the check ends.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Scratch(std::env::temp_dir().join(format!("tertulia-memory-conformance-{}-{n}", std::process::id())))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn author(handle: &str) -> Author {
    Author::new(format!("author-{handle}"), handle)
}

#[async_trait]
impl Harness for MemoryHarness {
    async fn prepare(&self, scenario: &Scenario) -> Result<Prepared, Skip> {
        let clock = Arc::new(ManualClock::new(scenario.now));
        let profile =
            (self.profile)().followers(scenario.account.followers).display_name(scenario.account.display_name);
        let scratch = self.on_disk.then(Scratch::new);
        let network = Arc::new(match &scratch {
            Some(dir) => MemoryPlatform::open(dir.0.join("network.json"), profile, clock.clone())
                .map_err(|error| Skip::new(format!("cannot open the snapshot: {error}")))?,
            None => MemoryPlatform::new(profile, clock.clone()),
        });
        let seeding = |error: tertulia_core::Error| Skip::new(format!("seeding failed: {error}"));

        let mut posts = Vec::new();
        for (index, seed) in scenario.posts.iter().enumerate() {
            clock.set(scenario.now - chrono::Duration::from_std(seed.age).unwrap_or_default());
            let key = IdempotencyKey::new(format!("seed-{index}"));
            let request =
                PublishRequest::new(seed.text, key, ClientMarker::new(format!("seed-{index}"))).language(seed.language);
            let outcome = network.publish(&request).await;
            let reference = outcome.published().cloned().ok_or_else(|| Skip::new(format!("seed post: {outcome:?}")))?;
            let e = seed.engagement;
            let kinds = [
                (InteractionKind::Reaction, e.likes),
                (InteractionKind::Repost, e.reposts),
                (InteractionKind::Comment, e.replies),
                (InteractionKind::Quote, e.quotes),
            ];
            for (kind, count) in kinds {
                for n in 0..count {
                    let mut new =
                        NewInteraction::new(kind.clone(), author(&format!("fan{n}"))).about(reference.id.clone());
                    if kind.is_conversational() {
                        new = new.text("¡Qué bien!");
                    }
                    network.add(new).map_err(seeding)?;
                }
            }
            network.add_views(&reference.id, e.impressions).map_err(seeding)?;
            if seed.gone {
                network.delete(&reference.id).await.map_err(seeding)?;
            }
            posts.push(reference);
        }

        let mut interactions = Vec::new();
        for seed in &scenario.interactions {
            let at = scenario.now - chrono::Duration::from_std(seed.age).unwrap_or_default();
            let new = NewInteraction::new(seed.kind.clone(), author(seed.author))
                .text(seed.text)
                .language(seed.language)
                .at(at);
            interactions.push(network.add(new).map_err(seeding)?.id);
        }
        for seed in &scenario.public_posts {
            let at = scenario.now - chrono::Duration::from_std(seed.age).unwrap_or_default();
            let new = NewInteraction::new(seed.kind.clone(), author(seed.author))
                .text(seed.text)
                .language(seed.language)
                .at(at);
            network.add_public_post(new).map_err(seeding)?;
        }

        clock.set(scenario.now);
        match scenario.fault {
            Some(Fault::Fail { operation, kind, retry_after }) => {
                let mut fault = tertulia_memory::Fault::new(operation, kind);
                if let Some(after) = retry_after {
                    fault = fault.retry_after(after);
                }
                network.inject(fault);
            }
            Some(Fault::LoseOutcome { operation }) => network.lose_next_outcome(operation),
            None => {}
        }
        Ok(Prepared::new(network).posts(posts).interactions(interactions).keep(scratch))
    }
}

mod mastodon_like {
    use super::*;
    tertulia_conformance::suite!(MemoryHarness { profile: NetworkProfile::mastodon_like, on_disk: false });
}

mod bluesky_like {
    use super::*;
    tertulia_conformance::suite!(MemoryHarness { profile: NetworkProfile::bluesky_like, on_disk: false });
}

mod x_like {
    use super::*;
    tertulia_conformance::suite!(MemoryHarness { profile: NetworkProfile::x_like, on_disk: false });
}

mod mastodon_like_on_disk {
    //! The same network kept in a snapshot file behaves the same.
    use super::*;
    tertulia_conformance::suite!(MemoryHarness { profile: NetworkProfile::mastodon_like, on_disk: true });
}

mod bare {
    //! A network that can only publish: every other check must skip or see Unsupported.
    use super::*;
    use tertulia_core::{Capabilities, PlatformKind};

    fn publish_only() -> NetworkProfile {
        let caps = Capabilities { publish: true, ..Capabilities::none(PlatformKind::Telegram) };
        NetworkProfile::mastodon_like().capabilities(caps)
    }

    #[tokio::test]
    async fn unsupported_operations() {
        let verdict = tertulia_conformance::checks::unsupported_operations(&MemoryHarness {
            profile: publish_only,
            on_disk: false,
        })
        .await;
        assert_eq!(verdict, tertulia_conformance::Verdict::Passed);
    }

    #[tokio::test]
    async fn a_check_the_capabilities_rule_out_is_skipped_not_passed() {
        let verdict =
            tertulia_conformance::checks::search_public_posts(&MemoryHarness { profile: publish_only, on_disk: false })
                .await;
        assert!(matches!(verdict, tertulia_conformance::Verdict::Skipped(ref reason) if reason.contains("search")));
    }
}
