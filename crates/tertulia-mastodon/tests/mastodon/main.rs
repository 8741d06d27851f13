//! The Mastodon adapter against mock servers serving Mastodon's documented shapes.

mod connect;
mod faults;
mod interactions;
mod lookup;
mod media;
mod publish;
mod read;
mod search;
mod support;
