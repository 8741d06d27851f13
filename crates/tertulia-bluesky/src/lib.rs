#![doc = include_str!("../README.md")]

mod at_uri;
mod budget;
mod client;
mod config;
mod convert;
mod error;
mod media;
mod session;
mod tid;
mod wire;
mod xrpc;

pub use budget::{BLUESKY_WRITE_LIMITS, Write, WriteLimit};
pub use client::{Bluesky, ThreadView, capabilities, text_rules};
pub use config::{BlueskyConfig, BudgetPolicy};
pub use session::{Session, SessionListener};
