#![doc = include_str!("../README.md")]

#[doc(inline)]
pub use tertulia_core as core;
#[doc(inline)]
pub use tertulia_core::*;

/// The inbox: understanding, ranking, routing, cases, advocates, crisis, FAQ, ingest
/// (feature `inbox`).
#[cfg(feature = "inbox")]
#[doc(inline)]
pub use tertulia_inbox as inbox;

/// The in-memory platform (feature `memory`).
#[cfg(feature = "memory")]
#[doc(inline)]
pub use tertulia_memory as memory;

/// Each network's text rules: counting, entities, Bluesky facets, validation, threads.
#[cfg(feature = "text")]
#[doc(inline)]
pub use tertulia_text as text;

/// The Mastodon adapter (feature `mastodon`).
#[cfg(feature = "mastodon")]
#[doc(inline)]
pub use tertulia_mastodon as mastodon;

/// The Bluesky adapter ([`tertulia_bluesky`]).
#[cfg(feature = "bluesky")]
#[doc(inline)]
pub use tertulia_bluesky as bluesky;
/// Durable state: posts, publish jobs with leases, outcomes and ingest cursors (SQLite).
#[cfg(feature = "store")]
#[doc(inline)]
pub use tertulia_store as store;

/// Outbound publishing: calendars, the queue, the best time to post and the publish runner.
#[cfg(feature = "schedule")]
#[doc(inline)]
pub use tertulia_schedule as schedule;
