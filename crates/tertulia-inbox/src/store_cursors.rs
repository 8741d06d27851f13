//! Ingest cursors kept by `tertulia-store` (feature `store`): durable across processes.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tertulia_core::{AccountId, RemoteId};
use tertulia_store::{IngestCommit, IngestItem, IngestKey, Store, StoreError};

use crate::{CursorStore, IngestError, KeptItem, StreamKey, StreamState};

/// A [`CursorStore`] over a `tertulia_store::Store` (SQLite), so an [`Ingestor`](crate::Ingestor)
/// resumes where it stopped after the process restarts.
#[derive(Debug, Clone)]
pub struct StoreCursors {
    store: Arc<dyn Store>,
}

impl StoreCursors {
    /// Cursors kept in `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        StoreCursors { store }
    }
}

fn error(error: StoreError) -> IngestError {
    match error {
        StoreError::Conflict(what) => IngestError::Conflict(what),
        other => IngestError::Store(other.to_string()),
    }
}

fn key(key: &StreamKey) -> IngestKey {
    IngestKey::new(key.account.clone(), key.stream.clone())
}

#[async_trait]
impl CursorStore for StoreCursors {
    async fn state(&self, stream: &StreamKey) -> Result<StreamState, IngestError> {
        let state = self.store.ingest_state(&key(stream)).await.map_err(error)?;
        Ok(StreamState { cursor: state.cursor, version: state.version })
    }

    async fn commit(
        &self,
        stream: &StreamKey,
        expected_version: i64,
        cursor: Option<String>,
        items: Vec<KeptItem>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RemoteId>, IngestError> {
        let items = items
            .into_iter()
            .map(|item| IngestItem { id: item.id, occurred_at: item.occurred_at, payload: Some(item.payload) })
            .collect();
        let commit = IngestCommit { key: key(stream), expected_version, cursor, items, now };
        Ok(self.store.commit_ingest(&commit).await.map_err(error)?.accepted)
    }

    async fn seen(&self, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>, IngestError> {
        self.store.seen(account, ids).await.map_err(error)
    }

    async fn kept(&self, account: &AccountId, after: i64, limit: u32) -> Result<Vec<(i64, KeptItem)>, IngestError> {
        let items = self.store.ingested(account, after, limit).await.map_err(error)?;
        Ok(items
            .into_iter()
            .filter_map(|kept| {
                let payload = kept.item.payload?;
                Some((kept.seq, KeptItem { id: kept.item.id, occurred_at: kept.item.occurred_at, payload }))
            })
            .collect())
    }
}
