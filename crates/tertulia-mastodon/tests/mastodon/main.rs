//! The Mastodon adapter against mock servers serving Mastodon's documented shapes.

mod connect;
#[path = "../fake_mastodon/mod.rs"]
mod fake_mastodon;
mod faults;
mod interactions;
mod lookup;
mod media;
mod publish;
mod read;
mod roundtrip;
mod search;
mod support;
