#![doc = include_str!("../README.md")]

mod community;
mod faults;
mod ids;
mod length;
mod limits;
mod listing;
mod platform;
mod profile;
mod seed;
mod snapshot;
mod state;
mod validate;

pub use community::{Community, Person};
pub use faults::Fault;
pub use length::{byte_length, text_length, x_weighted_length};
pub use platform::MemoryPlatform;
pub use profile::{AccountProfile, IdStyle, NetworkProfile, RateLimit};
pub use seed::NewInteraction;
pub use state::StoredPost;
