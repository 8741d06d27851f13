-- tertulia-store, schema version 1.
-- Instants are Unix milliseconds (INTEGER), written from the caller's clock.

CREATE TABLE posts (
    id           TEXT PRIMARY KEY NOT NULL,
    brand        TEXT NOT NULL,
    status       TEXT NOT NULL,
    scheduled_at INTEGER,
    body         TEXT NOT NULL              -- the Post as JSON
);
CREATE INDEX posts_by_brand_status ON posts (brand, status, scheduled_at);

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY NOT NULL,
    post_id          TEXT NOT NULL,
    account_id       TEXT NOT NULL,
    platform         TEXT NOT NULL,
    state            TEXT NOT NULL,         -- queued | published | failed | unresolved | cancelled
    due_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_token      INTEGER NOT NULL DEFAULT 0,
    lease_expires_at INTEGER,
    last_error       TEXT,                  -- OutcomeError as JSON
    updated_at       INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, due_at);
CREATE INDEX jobs_by_post ON jobs (post_id);
CREATE INDEX jobs_by_account ON jobs (account_id, due_at);

CREATE TABLE job_steps (
    job_id          TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step            INTEGER NOT NULL,
    kind            TEXT NOT NULL,          -- StepKind as JSON
    idempotency_key TEXT NOT NULL,
    marker          TEXT NOT NULL,
    state           TEXT NOT NULL,          -- StepState as JSON
    PRIMARY KEY (job_id, step)
);

CREATE TABLE outcomes (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id          TEXT NOT NULL,
    step            INTEGER NOT NULL,
    owner           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    marker          TEXT NOT NULL,
    status          TEXT NOT NULL,
    reference       TEXT,                   -- RemoteRef as JSON
    error           TEXT,                   -- OutcomeError as JSON
    recorded_at     INTEGER NOT NULL
);
CREATE INDEX outcomes_by_job ON outcomes (job_id, step);

CREATE TABLE ingest_cursors (
    account_id TEXT NOT NULL,
    stream     TEXT NOT NULL,
    cursor     TEXT,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, stream)
);

CREATE TABLE ingest_items (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL,
    stream      TEXT NOT NULL,
    remote_id   TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    payload     TEXT,
    ingested_at INTEGER NOT NULL,
    UNIQUE (account_id, remote_id)
);
CREATE INDEX ingest_items_by_time ON ingest_items (account_id, occurred_at);
