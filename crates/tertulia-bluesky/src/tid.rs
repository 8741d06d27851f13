//! Timestamp identifiers (TIDs), the record keys of posts, and the ones this adapter derives
//! from an idempotency key.
//!
//! A TID is a 64-bit integer (top bit 0, then 53 bits of microseconds since the Unix epoch,
//! then a 10-bit "clock id") written as 13 characters of base32-sortable
//! (`234567abcdefghijklmnopqrstuvwxyz`). The adapter chooses the rkey of every post it
//! creates: the time of the first attempt, and a clock id taken from a hash of the
//! idempotency key. A retried `createRecord` reuses it, so it cannot create a second post:
//! the PDS refuses a record key that already exists.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use tertulia_core::IdempotencyKey;

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
const CLOCK_ID_BITS: u32 = 10;
const CLOCK_ID_MASK: u64 = (1 << CLOCK_ID_BITS) - 1;
const MICROS_MASK: u64 = (1 << 53) - 1;

/// A timestamp identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Tid(u64);

impl Tid {
    /// The TID for `at` with this clock id (only its low 10 bits are kept).
    pub fn new(at: DateTime<Utc>, clock_id: u16) -> Self {
        let micros = u64::try_from(at.timestamp_micros()).unwrap_or(0) & MICROS_MASK;
        Tid((micros << CLOCK_ID_BITS) | (u64::from(clock_id) & CLOCK_ID_MASK))
    }

    /// The TID for a publish sent at `at` with this idempotency key.
    pub fn for_key(at: DateTime<Utc>, key: &IdempotencyKey) -> Self {
        Tid::new(at, clock_id_for(key))
    }

    /// Reads a TID; `None` when the string is not one.
    pub fn parse(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.len() != 13 {
            return None;
        }
        let mut value: u64 = 0;
        for (i, byte) in bytes.iter().enumerate() {
            let digit = ALPHABET.iter().position(|c| c == byte)? as u64;
            // The first character holds only the top 4 bits, whose highest must be 0.
            if i == 0 && digit > 15 {
                return None;
            }
            value = (value << 5) | digit;
        }
        Some(Tid(value))
    }

    /// The 10-bit clock id.
    pub fn clock_id(self) -> u16 {
        (self.0 & CLOCK_ID_MASK) as u16
    }
}

impl std::fmt::Display for Tid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = [0u8; 13];
        for (i, slot) in out.iter_mut().enumerate() {
            let shift = 60 - 5 * i as u32;
            *slot = ALPHABET[((self.0 >> shift) & 31) as usize];
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| std::fmt::Error)?)
    }
}

/// The clock id an idempotency key stands for: the low 10 bits of its SHA-256.
pub(crate) fn clock_id_for(key: &IdempotencyKey) -> u16 {
    let digest = Sha256::digest(key.as_str().as_bytes());
    u16::from_be_bytes([digest[30], digest[31]]) & CLOCK_ID_MASK as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn encodes_as_thirteen_sortable_characters() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let tid = Tid::new(at, 5);
        let text = tid.to_string();
        assert_eq!(text.len(), 13);
        assert!("234567abcdefghij".contains(&text[..1]));
        assert_eq!(Tid::parse(&text), Some(tid));
        let later = Tid::new(at + chrono::Duration::microseconds(1), 0).to_string();
        assert!(later > text, "TIDs sort by time: {later} > {text}");
    }

    #[test]
    fn reads_a_tid_the_server_made() {
        // rkey of a post created by the reference PDS.
        let tid = Tid::parse("3n375qtoor22v").unwrap();
        assert_eq!(tid.to_string(), "3n375qtoor22v");
        assert!(Tid::parse("not-a-tid").is_none());
        assert!(Tid::parse("zzzzzzzzzzzzz").is_none(), "top bit must be 0");
    }

    #[test]
    fn the_same_key_gives_the_same_clock_id() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let key = IdempotencyKey::new("post-42/bluesky/0");
        assert_eq!(Tid::for_key(at, &key), Tid::for_key(at, &key));
        assert_eq!(Tid::for_key(at, &key).clock_id(), clock_id_for(&key));
        let other = IdempotencyKey::new("post-42/bluesky/1");
        assert_ne!(clock_id_for(&key), clock_id_for(&other));
    }
}
