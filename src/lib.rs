#![doc = include_str!("../README.md")]

#[doc(inline)]
pub use tertulia_core as core;
#[doc(inline)]
pub use tertulia_core::*;

/// The in-memory platform (feature `memory`).
#[cfg(feature = "memory")]
#[doc(inline)]
pub use tertulia_memory as memory;

/// Durable state: posts, publish jobs with leases, outcomes and ingest cursors (SQLite).
#[cfg(feature = "store")]
#[doc(inline)]
pub use tertulia_store as store;

/// Outbound publishing: calendars, the queue, the best time to post and the publish runner.
#[cfg(feature = "schedule")]
#[doc(inline)]
pub use tertulia_schedule as schedule;
