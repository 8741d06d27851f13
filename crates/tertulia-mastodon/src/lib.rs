#![doc = include_str!("../README.md")]

mod client;
mod config;
mod convert;
mod cursor;
mod error;
mod html;
mod platform;
mod wire;

pub use config::MastodonConfig;
pub use platform::{Mastodon, MastodonBuilder, StatusContext};
pub use tertulia_http::{RateLimitMode, RetryPolicy, Secret};
