//! Ingest cursors: where an inbox stopped reading each stream of each account, and what it
//! has already seen.
//!
//! An inbox polls a stream newest first until it meets an id it has seen. It then commits,
//! in one transaction, the items it read (each kept once per account, whichever stream
//! brought it) and its new watermark. After a restart it loads the watermark and the seen
//! ids and carries on: nothing committed is read twice, nothing read but not committed is
//! lost, because it will be read again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, RemoteId};

/// One stream of one account (`"notifications"`, `"mentions"`, `"webhook"`, `"search:cafe"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IngestKey {
    /// The account.
    pub account: AccountId,
    /// The stream's name, chosen by the inbox.
    pub stream: String,
}

impl IngestKey {
    /// The key of `stream` on `account`.
    pub fn new(account: AccountId, stream: impl Into<String>) -> Self {
        IngestKey { account, stream: stream.into() }
    }
}

/// Where a stream stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestState {
    /// The inbox's watermark, opaque to the store (a serialised `Cursor`, the newest id
    /// seen, JSON of its own); `None` before the first commit.
    pub cursor: Option<String>,
    /// Increases with every commit; a commit names the version it read, so two pollers of
    /// the same stream cannot both advance it.
    pub version: i64,
    /// When it was last committed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// One item read from a stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestItem {
    /// The platform's id: an item is kept once per account.
    pub id: RemoteId,
    /// When it happened on the platform.
    pub occurred_at: DateTime<Utc>,
    /// The item itself, serialised by the inbox (an `Interaction` as JSON), if it wants the
    /// store to keep it.
    pub payload: Option<String>,
}

/// A commit: items read and the new watermark, applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestCommit {
    /// The stream.
    pub key: IngestKey,
    /// The version read with [`Store::ingest_state`](crate::Store::ingest_state); a
    /// different stored version fails the commit with a conflict.
    pub expected_version: i64,
    /// The new watermark (`None` keeps the stored one).
    pub cursor: Option<String>,
    /// The items read.
    pub items: Vec<IngestItem>,
    /// The committer's clock.
    pub now: DateTime<Utc>,
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestReceipt {
    /// The stream's new version.
    pub version: i64,
    /// The items that were new, in the order given.
    pub accepted: Vec<RemoteId>,
    /// How many were already kept (from this stream or another of the same account).
    pub duplicates: usize,
}

/// An item as kept, in the order it was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestedItem {
    /// Its place in the store's ingest log (increasing; read onwards with
    /// [`Store::ingested`](crate::Store::ingested)).
    pub seq: i64,
    /// The stream that brought it.
    pub key: IngestKey,
    /// The item.
    pub item: IngestItem,
    /// When it was committed.
    pub ingested_at: DateTime<Utc>,
}
