//! The one error type of every store.

use std::sync::Arc;

use crate::JobId;

/// What went wrong in a store, grouped by what the caller can do about it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The post, job or step does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for (`"job p1/acct"`).
        what: String,
    },
    /// The lease on a job expired and another worker took it over: stop working on the job.
    #[error("the lease on job {job} was lost (taken over by another worker)")]
    LeaseLost {
        /// The job.
        job: JobId,
    },
    /// The change conflicts with the current state (a job already running, a stale ingest
    /// cursor version).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The arguments are wrong.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Stored data could not be read back.
    #[error("stored data could not be read: {0}")]
    Decode(String),
    /// The database failed (I/O, locked, full, migration).
    #[error("database error: {0}")]
    Database(#[source] Arc<sqlx::Error>),
}

impl StoreError {
    /// Whether trying again later may succeed without changing anything (the database was
    /// busy or briefly unavailable).
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Database(error) => matches!(
                error.as_ref(),
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::Database(_) | sqlx::Error::WorkerCrashed
            ),
            _ => false,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(Arc::new(error))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::Database(Arc::new(sqlx::Error::Migrate(Box::new(error))))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Decode(error.to_string())
    }
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
