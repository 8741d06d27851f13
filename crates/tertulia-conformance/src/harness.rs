//! What an adapter's tests implement: a way to prepare a fresh platform for a scenario.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use tertulia_core::{Platform, RemoteId, RemoteRef};

use crate::Scenario;

/// Prepares a fresh platform for each scenario.
///
/// An adapter's test file implements it once: seed what the [`Scenario`] lists (or program
/// a mock server to answer as if it held it), set the clock to [`Scenario::now`], arrange the
/// [`Fault`](crate::Fault), and hand back the platform with the references of what it seeded.
/// A harness that cannot set a scenario up answers [`Skip`], and the check says so loudly.
#[async_trait]
pub trait Harness: Send + Sync {
    /// A platform ready for `scenario`, or why there is none.
    async fn prepare(&self, scenario: &Scenario) -> Result<Prepared, Skip>;
}

/// A platform ready for a scenario, with the references of what was seeded.
pub struct Prepared {
    /// The platform under test.
    pub platform: Arc<dyn Platform>,
    /// The references of [`Scenario::posts`], in the same order.
    pub posts: Vec<RemoteRef>,
    /// The ids of [`Scenario::interactions`], in the same order.
    pub interactions: Vec<RemoteId>,
    keep: Vec<Box<dyn Any + Send>>,
}

impl Prepared {
    /// A prepared platform that seeded nothing.
    pub fn new(platform: Arc<dyn Platform>) -> Self {
        Prepared { platform, posts: Vec::new(), interactions: Vec::new(), keep: Vec::new() }
    }

    /// Sets the references of the seeded posts.
    pub fn posts(mut self, posts: Vec<RemoteRef>) -> Self {
        self.posts = posts;
        self
    }

    /// Sets the ids of the seeded interactions.
    pub fn interactions(mut self, interactions: Vec<RemoteId>) -> Self {
        self.interactions = interactions;
        self
    }

    /// Keeps something alive until the check ends (a mock server, a temporary directory).
    pub fn keep(mut self, value: impl Any + Send) -> Self {
        self.keep.push(Box::new(value));
        self
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("platform", &self.platform)
            .field("posts", &self.posts)
            .field("interactions", &self.interactions)
            .field("kept", &self.keep.len())
            .finish()
    }
}

/// Why a harness cannot prepare a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

impl Skip {
    /// A reason to skip.
    pub fn new(reason: impl Into<String>) -> Self {
        Skip(reason.into())
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
