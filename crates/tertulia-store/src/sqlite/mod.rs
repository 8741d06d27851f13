//! The embedded SQLite store: one file, WAL, migrations run on open.

mod ingest;
mod jobs;
mod posts;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use tertulia_core::{AccountId, Post, PostId, RemoteId};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::{
    Claim, IngestCommit, IngestKey, IngestReceipt, IngestState, IngestedItem, Job, JobId, JobQuery, Lease, Leased,
    NewJob, OutcomeRecord, PostQuery, Release, Result, SentRequest, StepOutcome, Store, StoreError,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The default store: SQLite in one file, in WAL mode, migrated on open.
///
/// Commits survive the process being killed at any moment (WAL with `synchronous =
/// NORMAL` loses nothing on a process crash; only a power cut may lose the last commits).
/// Several processes may share the file: leases keep them from working on the same job.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use tertulia_core::{BrandId, Post, PostContent, PostId};
/// use tertulia_store::{SqliteStore, Store};
/// let store = SqliteStore::temporary().await?;
/// let post = Post::new(PostId::new("p1"), BrandId::new("cafe"), PostContent::text("Hola"));
/// store.save_post(&post).await?;
/// assert_eq!(store.post(&post.id).await?, Some(post));
/// # Ok::<(), tertulia_store::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The one writing connection, held directly (`None` once closed).
    writer: Mutex<Option<SqliteConnection>>,
    path: PathBuf,
    temporary: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::connect(path.as_ref().to_path_buf(), false).await
    }

    /// A store in a new file in the system's temporary directory, deleted when the store is
    /// dropped.
    pub async fn temporary() -> Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let name =
            format!("tertulia-store-{}-{nanos}-{}.sqlite", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        Self::connect(std::env::temp_dir().join(name), true).await
    }

    async fn connect(path: PathBuf, temporary: bool) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(StoreError::from)?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // One connection writes, so writers of this process queue here (in order, on a fair
        // lock) instead of sleeping in SQLite's busy handler; readers use a pool of others
        // (WAL lets them read meanwhile). The writer is held directly, not pooled: a pool
        // pings each connection it takes back, one more hand-off to the connection's thread
        // for every statement, and an embedded connection cannot drop like a network one.
        let mut writer = options.connect().await?;
        MIGRATOR.run(&mut writer).await?;
        let pool = SqlitePoolOptions::new().max_connections(4).test_before_acquire(false).connect_with(options).await?;
        let writer = Mutex::new(Some(writer));
        Ok(SqliteStore { pool, writer, path, temporary })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the connections (waiting for those in use). Dropping the store also closes
    /// them, without waiting.
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(writer) = self.writer.lock().await.take() {
            // Closing only finishes what is queued; there is nothing left to report.
            let _ = writer.close().await;
        }
    }

    /// The connection every write goes through, once the writes queued before are done.
    pub(crate) async fn writer(&self) -> Result<MappedMutexGuard<'_, SqliteConnection>> {
        MutexGuard::try_map(self.writer.lock().await, Option::as_mut)
            .map_err(|_closed| StoreError::from(sqlx::Error::PoolClosed))
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if self.temporary {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = self.path.clone().into_os_string();
                name.push(suffix);
                // The file may already be gone; nothing to report from a destructor.
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
        }
    }
}

/// An instant as stored: Unix milliseconds.
pub(crate) fn millis(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_millis()
}

/// A stored instant.
pub(crate) fn instant(millis: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis).ok_or_else(|| StoreError::Decode(format!("instant {millis} out of range")))
}

/// A duration added to an instant, saturating.
pub(crate) fn after(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(duration)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[async_trait]
impl Store for SqliteStore {
    async fn save_post(&self, post: &Post) -> Result<()> {
        posts::save_on(&mut *self.writer().await?, post).await
    }

    async fn post(&self, id: &PostId) -> Result<Option<Post>> {
        posts::load(&self.pool, id).await
    }

    async fn posts(&self, query: &PostQuery) -> Result<Vec<Post>> {
        posts::list(&self.pool, query).await
    }

    async fn add_jobs(&self, jobs: &[NewJob]) -> Result<usize> {
        jobs::add(self, jobs).await
    }

    async fn job(&self, id: &JobId) -> Result<Option<Job>> {
        jobs::load_one(&self.pool, id).await
    }

    async fn jobs(&self, query: &JobQuery) -> Result<Vec<Job>> {
        jobs::list(&self.pool, query).await
    }

    async fn reschedule_job(&self, id: &JobId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        jobs::reschedule(self, id, due_at, now).await
    }

    async fn requeue_job(&self, id: &JobId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        jobs::requeue(self, id, due_at, now).await
    }

    async fn cancel_job(&self, id: &JobId, now: DateTime<Utc>) -> Result<()> {
        jobs::cancel(self, id, now).await
    }

    async fn claim_jobs(&self, claim: &Claim) -> Result<Vec<Leased>> {
        jobs::claim(self, claim).await
    }

    async fn extend_lease(&self, lease: &Lease, until: DateTime<Utc>) -> Result<Lease> {
        jobs::extend(self, lease, until).await
    }

    async fn start_step(&self, lease: &Lease, step: u32, request: &SentRequest, now: DateTime<Utc>) -> Result<()> {
        jobs::start_step(self, lease, step, request, now).await
    }

    async fn finish_step(&self, lease: &Lease, step: u32, outcome: &StepOutcome, now: DateTime<Utc>) -> Result<()> {
        jobs::finish_step(self, lease, step, outcome, now).await
    }

    async fn release_job(&self, lease: &Lease, release: &Release, now: DateTime<Utc>) -> Result<()> {
        jobs::release(self, lease, release, now).await
    }

    async fn outcomes(&self, job: &JobId) -> Result<Vec<OutcomeRecord>> {
        jobs::outcomes(&self.pool, job).await
    }

    async fn ingest_state(&self, key: &IngestKey) -> Result<IngestState> {
        ingest::state(&self.pool, key).await
    }

    async fn commit_ingest(&self, commit: &IngestCommit) -> Result<IngestReceipt> {
        ingest::commit(self, commit).await
    }

    async fn seen(&self, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>> {
        ingest::seen(&self.pool, account, ids).await
    }

    async fn ingested(&self, account: &AccountId, after_seq: i64, limit: u32) -> Result<Vec<IngestedItem>> {
        ingest::ingested(&self.pool, account, after_seq, limit).await
    }

    async fn prune_ingested(&self, account: &AccountId, before: DateTime<Utc>) -> Result<u64> {
        ingest::prune(&mut *self.writer().await?, account, before).await
    }
}
