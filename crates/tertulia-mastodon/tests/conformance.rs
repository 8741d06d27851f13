//! The Mastodon adapter passes the conformance suite against the fake Mastodon server, one
//! test per check.

mod fake_mastodon;

use std::sync::Arc;

use async_trait::async_trait;
use tertulia_conformance::{Check, Fault, Harness, Prepared, Scenario, Skip};
use tertulia_core::{ErrorKind, InteractionKind, ManualClock, Operation, RemoteId, RemoteRef};
use tertulia_http::SeededJitter;
use tertulia_mastodon::{Mastodon, MastodonConfig};

use fake_mastodon::{FakeMastodon, TOKEN, Trouble};

struct MastodonHarness;

/// Why `reply_to_interaction` cannot pass as written for Mastodon.
const REPLY_READS_BACK_WITH_MENTION: &str = "a Mastodon reply must mention the author it answers \
(an author who is not mentioned is not notified, and a direct reply would reach no one), so the \
adapter sends `@ana ¡Hola Ana! …` and the reply reads back with that mention, not exactly as sent; \
the reply path is tested in tests/mastodon/publish.rs";

/// The endpoint an operation's first call reaches, for a fault to hit.
fn endpoint(operation: Operation) -> Option<(&'static str, &'static str)> {
    Some(match operation {
        Operation::Account | Operation::AccountMetrics => ("GET", "/api/v1/accounts/verify_credentials"),
        Operation::ListInteractions => ("GET", "/api/v1/notifications"),
        Operation::Publish | Operation::Reply => ("POST", "/api/v1/statuses"),
        Operation::GetPost | Operation::PostMetrics => ("GET", "/api/v1/statuses/"),
        Operation::Delete => ("DELETE", "/api/v1/statuses/"),
        Operation::UploadMedia => ("POST", "/api/v2/media"),
        Operation::Search => ("GET", "/api/v2/search"),
        _ => return None,
    })
}

/// What Mastodon answers for an error kind.
fn answer(kind: ErrorKind) -> Option<(u16, &'static str)> {
    Some(match kind {
        ErrorKind::Unauthenticated => (401, r#"{"error":"The access token was revoked"}"#),
        ErrorKind::PermissionDenied => (403, r#"{"error":"This action is outside the authorized scopes"}"#),
        ErrorKind::NotFound => (404, r#"{"error":"Record not found"}"#),
        ErrorKind::InvalidInput => (422, r#"{"error":"Validation failed: Text can't be blank"}"#),
        ErrorKind::RateLimited => (429, r#"{"error":"Too many requests"}"#),
        ErrorKind::Unavailable => (503, r#"{"error":"Service Unavailable"}"#),
        _ => return None,
    })
}

#[async_trait]
impl Harness for MastodonHarness {
    async fn prepare(&self, scenario: &Scenario) -> Result<Prepared, Skip> {
        if scenario.check == Check::ReplyToInteraction {
            return Err(Skip::new(REPLY_READS_BACK_WITH_MENTION));
        }
        let clock = Arc::new(ManualClock::new(scenario.now));
        let fake = FakeMastodon::start(clock.clone(), scenario.account.followers).await;
        let ago = |age: std::time::Duration| scenario.now - chrono::Duration::from_std(age).unwrap_or_default();
        let mut posts = Vec::new();
        for post in &scenario.posts {
            let e = post.engagement;
            let id =
                fake.add_own_status(post.text, post.language, ago(post.age), [e.likes, e.reposts, e.replies, e.quotes]);
            if post.gone {
                fake.remove(&id);
            }
            posts.push(RemoteRef::new(id));
        }
        let mut interactions = Vec::new();
        for interaction in &scenario.interactions {
            if interaction.kind != InteractionKind::Mention {
                return Err(Skip::new(format!("the fake server seeds mentions, not {}", interaction.kind)));
            }
            let id = fake.add_mention(interaction.author, interaction.text, interaction.language, ago(interaction.age));
            interactions.push(RemoteId::new(id));
        }
        for public in &scenario.public_posts {
            fake.add_public(public.author, public.text, public.language, ago(public.age));
        }
        let config = MastodonConfig::new(fake.url().parse().map_err(|e| Skip::new(format!("{e}")))?, TOKEN);
        let mastodon = Mastodon::builder(config)
            .clock(clock.clone())
            .jitter(Arc::new(SeededJitter::new(2026)))
            .connect()
            .await
            .map_err(|e| Skip::new(format!("connecting to the fake server failed: {e}")))?;
        match scenario.fault {
            Some(Fault::Fail { operation, kind, retry_after }) => {
                let (method, path) =
                    endpoint(operation).ok_or_else(|| Skip::new(format!("no endpoint for {operation}")))?;
                let (status, body) =
                    answer(kind).ok_or_else(|| Skip::new(format!("no Mastodon answer means {kind:?}")))?;
                let reset_in_seconds = retry_after.map(|after| after.as_secs() as i64);
                fake.trouble(Trouble::Fail { method, path, status, body, reset_in_seconds });
            }
            Some(Fault::LoseOutcome { operation: Operation::Publish }) => {
                fake.trouble(Trouble::LosePublishAnswers(usize::MAX))
            }
            Some(Fault::LoseOutcome { operation }) => {
                return Err(Skip::new(format!("the fake loses only publishes, not {operation}")));
            }
            None => {}
        }
        Ok(Prepared::new(Arc::new(mastodon)).posts(posts).interactions(interactions).keep(fake))
    }
}

tertulia_conformance::suite!(MastodonHarness);
