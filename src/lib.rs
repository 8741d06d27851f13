#![doc = include_str!("../README.md")]

#[doc(inline)]
pub use tertulia_core as core;
#[doc(inline)]
pub use tertulia_core::*;
