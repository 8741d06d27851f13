#![doc = include_str!("../README.md")]

mod error;
mod ingest;
mod job;
mod post_query;
mod sqlite;
mod store;

pub use error::{Result, StoreError};
pub use ingest::{IngestCommit, IngestItem, IngestKey, IngestReceipt, IngestState, IngestedItem};
pub use job::{
    Claim, Job, JobId, JobQuery, JobState, Lease, Leased, NewJob, OutcomeError, OutcomeRecord, Release, SentRequest,
    Step, StepKind, StepOutcome, StepState,
};
pub use post_query::PostQuery;
pub use sqlite::SqliteStore;
pub use store::Store;
