#![doc = include_str!("../README.md")]

#[doc(inline)]
pub use tertulia_core as core;
#[doc(inline)]
pub use tertulia_core::*;

/// The inbox: ingest, understanding, ranking, routing, cases, advocates, crisis, FAQ.
#[cfg(feature = "inbox")]
pub use tertulia_inbox as inbox;
