//! Ingest: reading every account's interactions with stored cursors, so that a restart
//! loses nothing and repeats nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, Clock, Cursor, Interaction, InteractionQuery, Platform, RemoteId};

/// Why a poll or a delivery failed. Nothing read in a failed poll is committed, so the next
/// poll reads it again.
#[derive(Debug, Clone, thiserror::Error)]
pub enum IngestError {
    /// The platform failed (see its kind for whether to retry and when).
    #[error("platform: {0}")]
    Platform(#[from] tertulia_core::Error),
    /// The cursor store failed.
    #[error("cursor store: {0}")]
    Store(String),
    /// Another writer committed the stream first; read its state again.
    #[error("the stream {0} was committed by another writer")]
    Conflict(String),
    /// A stored watermark or item could not be read back.
    #[error("stored ingest data could not be read: {0}")]
    Decode(String),
}

/// One stream of one account, as the cursor store names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamKey {
    /// The account.
    pub account: AccountId,
    /// The stream's name (`"interactions"`, `"webhook"`).
    pub stream: String,
}

/// Where a stream stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamState {
    /// The ingestor's watermark (JSON), `None` before the first commit.
    pub cursor: Option<String>,
    /// Increases with every commit; a commit names the version it read.
    pub version: i64,
}

/// An interaction as the cursor store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptItem {
    /// The platform's id: kept once per account.
    pub id: RemoteId,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The interaction as JSON.
    pub payload: String,
}

/// The durable state an [`Ingestor`] needs: per stream a watermark with a version, per
/// account the ids already kept and a log of the items, oldest first.
///
/// Each method is one atomic change. [`MemoryCursorStore`] keeps it in memory; a database
/// implements it for durability across processes.
#[async_trait]
pub trait CursorStore: Send + Sync + std::fmt::Debug {
    /// Where a stream stopped (the default before its first commit).
    async fn state(&self, key: &StreamKey) -> Result<StreamState, IngestError>;

    /// Commits items read and the new watermark (`None` keeps the stored one) together;
    /// items the account already kept are skipped. Fails with [`IngestError::Conflict`]
    /// when the stored version is not `expected_version`. Returns the ids kept now.
    async fn commit(
        &self,
        key: &StreamKey,
        expected_version: i64,
        cursor: Option<String>,
        items: Vec<KeptItem>,
        now: DateTime<Utc>,
    ) -> Result<Vec<RemoteId>, IngestError>;

    /// Which of `ids` the account has kept.
    async fn seen(&self, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>, IngestError>;

    /// The account's kept items after log position `after`, oldest first, with their positions.
    async fn kept(&self, account: &AccountId, after: i64, limit: u32) -> Result<Vec<(i64, KeptItem)>, IngestError>;
}

#[derive(Debug, Default)]
struct MemoryState {
    streams: HashMap<StreamKey, StreamState>,
    ids: HashSet<(AccountId, RemoteId)>,
    log: Vec<(AccountId, KeptItem)>,
}

/// A [`CursorStore`] in memory: it outlives an [`Ingestor`] (share it with `Arc`), not the
/// process.
#[derive(Debug, Default)]
pub struct MemoryCursorStore {
    state: Mutex<MemoryState>,
}

impl MemoryCursorStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryCursorStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl CursorStore for MemoryCursorStore {
    async fn state(&self, key: &StreamKey) -> Result<StreamState, IngestError> {
        Ok(self.lock().streams.get(key).cloned().unwrap_or_default())
    }

    async fn commit(
        &self,
        key: &StreamKey,
        expected_version: i64,
        cursor: Option<String>,
        items: Vec<KeptItem>,
        _now: DateTime<Utc>,
    ) -> Result<Vec<RemoteId>, IngestError> {
        let mut state = self.lock();
        let stream = state.streams.entry(key.clone()).or_default();
        if stream.version != expected_version {
            return Err(IngestError::Conflict(format!("{}/{}", key.account, key.stream)));
        }
        stream.version += 1;
        if cursor.is_some() {
            stream.cursor = cursor;
        }
        let mut accepted = Vec::new();
        for item in items {
            if state.ids.insert((key.account.clone(), item.id.clone())) {
                accepted.push(item.id.clone());
                state.log.push((key.account.clone(), item));
            }
        }
        Ok(accepted)
    }

    async fn seen(&self, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>, IngestError> {
        let state = self.lock();
        Ok(ids.iter().filter(|id| state.ids.contains(&(account.clone(), (*id).clone()))).cloned().collect())
    }

    async fn kept(&self, account: &AccountId, after: i64, limit: u32) -> Result<Vec<(i64, KeptItem)>, IngestError> {
        let state = self.lock();
        Ok(state
            .log
            .iter()
            .enumerate()
            .map(|(index, entry)| (index as i64 + 1, entry))
            .filter(|(seq, (owner, _))| *seq > after && owner == account)
            .take(limit as usize)
            .map(|(seq, (_, item))| (seq, item.clone()))
            .collect())
    }
}

/// One stream to read: an account's adapter and what to list.
#[derive(Debug, Clone)]
pub struct Source {
    /// The account.
    pub account: AccountId,
    /// Its adapter.
    pub platform: Arc<dyn Platform>,
    /// What to list (kinds, page size); the cursor is managed by the ingestor.
    pub query: InteractionQuery,
    /// The stream's name in the store (`"interactions"` unless one account has several).
    pub stream: String,
}

impl Source {
    /// The `"interactions"` stream of an account, every kind its adapter lists.
    pub fn new(account: AccountId, platform: Arc<dyn Platform>) -> Self {
        Source { account, platform, query: InteractionQuery::default(), stream: "interactions".to_owned() }
    }
}

/// How far a poll reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestSettings {
    /// Pages read per poll at most; the rest of a backlog is read by the next polls.
    pub max_pages: u32,
    /// How far back the first poll of a stream reads (nothing older is ever read).
    pub backfill: Duration,
    /// How far before the newest item already polled each poll reads again, for items the
    /// platform lists late (re-read items are recognised and not kept twice).
    pub overlap: Duration,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings { max_pages: 20, backfill: Duration::days(7), overlap: Duration::minutes(10) }
    }
}

/// What the store keeps per stream, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Watermark {
    /// The newest item this stream has read.
    newest: Option<DateTime<Utc>>,
    /// Where an unfinished backlog continues (older items not yet read)…
    backlog: Option<Cursor>,
    /// …and how far back it goes.
    floor: Option<DateTime<Utc>>,
}

/// The stream name webhook deliveries are committed under.
pub const WEBHOOK_STREAM: &str = "webhook";

/// Reads interactions from every account into a [`CursorStore`] and hands back only the new
/// ones.
///
/// A poll pages from the newest item down to a little before the newest item the stream
/// read last time (or the backfill limit, or the last page), then commits what it read and
/// its watermark in one transaction. A crash before the commit loses nothing: the next poll reads the same items
/// again. A poll that stops at `max_pages` before meeting a kept item records where the
/// backlog continues; the next poll reads on from there, so a large backlog is read in
/// bounded steps, also without gaps. An interaction that arrives both by webhook
/// ([`Ingestor::deliver`]) and by polling is kept once: the store keeps an id once per
/// account, whichever stream brought it.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{AccountId, Author, InteractionKind, ManualClock};
/// use tertulia_inbox::{IngestSettings, Ingestor, MemoryCursorStore, Source};
/// use tertulia_memory::{MemoryPlatform, NetworkProfile, NewInteraction};
///
/// let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()));
/// let network = Arc::new(MemoryPlatform::new(NetworkProfile::mastodon_like(), clock.clone()));
/// network.add(NewInteraction::new(InteractionKind::Mention, Author::new("7", "ana")).text("¿Abrís mañana?")).unwrap();
/// let ingestor = Ingestor::new(Arc::new(MemoryCursorStore::new()), clock, IngestSettings::default());
/// let source = Source::new(AccountId::new("cafe"), network);
/// assert_eq!(ingestor.poll(&source).await.unwrap().len(), 1);
/// assert!(ingestor.poll(&source).await.unwrap().is_empty());
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Ingestor {
    store: Arc<dyn CursorStore>,
    clock: Arc<dyn Clock>,
    settings: IngestSettings,
}

impl Ingestor {
    /// An ingestor over a store, with the caller's clock.
    pub fn new(store: Arc<dyn CursorStore>, clock: Arc<dyn Clock>, settings: IngestSettings) -> Self {
        Ingestor { store, clock, settings }
    }

    /// Reads what is new on one stream; returns the interactions kept for the first time,
    /// oldest first.
    pub async fn poll(&self, source: &Source) -> Result<Vec<Interaction>, IngestError> {
        let key = StreamKey { account: source.account.clone(), stream: source.stream.clone() };
        let state = self.store.state(&key).await?;
        let watermark: Watermark = match &state.cursor {
            Some(json) => serde_json::from_str(json).map_err(|e| IngestError::Decode(e.to_string()))?,
            None => Watermark::default(),
        };
        let now = self.clock.now();
        let oldest = now - self.settings.backfill;
        // A backlog reads on from where the last poll stopped, down to that poll's floor; a
        // fresh poll reads from the newest item down to a little before the newest it read
        // last time. The floor is a time, not "an id already kept": an item delivered by
        // webhook is kept, yet older items below it may not have been read.
        let (cursor, floor) = match (&watermark.backlog, watermark.floor) {
            (Some(cursor), Some(floor)) => (Some(cursor.clone()), floor),
            _ => (None, watermark.newest.map_or(oldest, |newest| (newest - self.settings.overlap).max(oldest))),
        };
        let mut query = source.query.clone();
        query.cursor = cursor;
        let mut read: Vec<Interaction> = Vec::new();
        let mut ids: HashSet<RemoteId> = HashSet::new();
        let mut backlog = None;
        let pages = self.settings.max_pages.max(1);
        for page_number in 0..pages {
            let page = source.platform.list_interactions(&query).await?;
            let mut reached_floor = false;
            for item in page.items {
                if item.created_at < floor {
                    reached_floor = true;
                } else if ids.insert(item.id.clone()) {
                    read.push(item);
                }
            }
            match page.next {
                Some(next) if !reached_floor => {
                    if page_number + 1 == pages {
                        backlog = Some(next);
                    } else {
                        query.cursor = Some(next);
                    }
                }
                _ => break,
            }
        }
        let newest = read.iter().map(|i| i.created_at).max().into_iter().chain(watermark.newest).max();
        let next = Watermark { newest, floor: backlog.as_ref().map(|_| floor), backlog };
        let cursor = serde_json::to_string(&next).map_err(|e| IngestError::Decode(e.to_string()))?;
        // Items already kept (re-read in the overlap, or delivered by webhook) are left out.
        let read_ids: Vec<RemoteId> = read.iter().map(|i| i.id.clone()).collect();
        let kept: HashSet<RemoteId> = self.store.seen(&source.account, &read_ids).await?.into_iter().collect();
        read.retain(|i| !kept.contains(&i.id));
        self.commit(key, state.version, Some(cursor), read, now).await
    }

    /// Polls every source once, returning everything new, oldest first. A source that fails
    /// does not stop the others; its error is returned beside the account.
    pub async fn poll_all(&self, sources: &[Source]) -> (Vec<Interaction>, Vec<(AccountId, IngestError)>) {
        let mut new = Vec::new();
        let mut errors = Vec::new();
        for source in sources {
            match self.poll(source).await {
                Ok(items) => new.extend(items),
                Err(error) => errors.push((source.account.clone(), error)),
            }
        }
        new.sort_by_key(|i| i.created_at);
        (new, errors)
    }

    /// Keeps an interaction delivered by a webhook; returns it if it is new for the account.
    pub async fn deliver(
        &self,
        account: &AccountId,
        interaction: Interaction,
    ) -> Result<Option<Interaction>, IngestError> {
        let key = StreamKey { account: account.clone(), stream: WEBHOOK_STREAM.to_owned() };
        // Deliveries may race; a version conflict is retried on the fresh version.
        let mut attempts = 0;
        loop {
            let state = self.store.state(&key).await?;
            match self.commit(key.clone(), state.version, None, vec![interaction.clone()], self.clock.now()).await {
                Ok(mut kept) => return Ok(kept.pop()),
                Err(IngestError::Conflict(_)) if attempts < 5 => attempts += 1,
                Err(error) => return Err(error),
            }
        }
    }

    /// Everything kept for an account after log position `after` (0 for all), in the order kept,
    /// with the position to continue from: how an inbox is rebuilt after a restart.
    pub async fn replay(&self, account: &AccountId, after: i64) -> Result<(Vec<Interaction>, i64), IngestError> {
        let mut items = Vec::new();
        let mut position = after;
        loop {
            let batch = self.store.kept(account, position, 500).await?;
            let Some((last, _)) = batch.last() else { break };
            position = *last;
            for (_, kept) in &batch {
                items.push(serde_json::from_str(&kept.payload).map_err(|e| IngestError::Decode(e.to_string()))?);
            }
        }
        Ok((items, position))
    }

    async fn commit(
        &self,
        key: StreamKey,
        version: i64,
        cursor: Option<String>,
        mut read: Vec<Interaction>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Interaction>, IngestError> {
        read.sort_by_key(|i| i.created_at);
        let items = read
            .iter()
            .map(|i| {
                Ok(KeptItem {
                    id: i.id.clone(),
                    occurred_at: i.created_at,
                    payload: serde_json::to_string(i).map_err(|e| IngestError::Decode(e.to_string()))?,
                })
            })
            .collect::<Result<Vec<_>, IngestError>>()?;
        let accepted = self.store.commit(&key, version, cursor, items, now).await?;
        let accepted: HashSet<&RemoteId> = accepted.iter().collect();
        Ok(read.into_iter().filter(|i| accepted.contains(&i.id)).collect())
    }
}
