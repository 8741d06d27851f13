//! Jobs, their steps, leases and outcomes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Connection, Row, SqliteConnection, SqlitePool};
use tertulia_core::{AccountId, ClientMarker, IdempotencyKey, PostId, PostStatus, Publication, RemoteRef};

use super::{SqliteStore, after, instant, millis, posts};
use crate::{
    Claim, Job, JobId, JobQuery, JobState, Lease, Leased, NewJob, OutcomeError, OutcomeRecord, Release, Result,
    SentRequest, Step, StepKind, StepOutcome, StepState, StoreError,
};

const BEGIN: &str = "BEGIN IMMEDIATE";

pub(super) async fn add(store: &SqliteStore, jobs: &[NewJob]) -> Result<usize> {
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    let mut added = 0;
    for job in jobs {
        if job.steps.is_empty() {
            return Err(StoreError::InvalidInput(format!("job {} has no steps", job.id)));
        }
        let inserted = sqlx::query(
            "INSERT INTO jobs (id, post_id, account_id, platform, state, due_at, max_attempts, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6, ?5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(job.id.as_str())
        .bind(job.post.as_str())
        .bind(job.account.as_str())
        .bind(job.platform.as_str())
        .bind(millis(job.due_at))
        .bind(i64::from(job.max_attempts))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            continue;
        }
        added += 1;
        let pending = serde_json::to_string(&StepState::Pending)?;
        for (index, kind) in (0u32..).zip(&job.steps) {
            let (key, marker) = Step::identity(&job.id, index);
            sqlx::query(
                "INSERT INTO job_steps (job_id, step, kind, idempotency_key, marker, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(job.id.as_str())
            .bind(i64::from(index))
            .bind(serde_json::to_string(kind)?)
            .bind(key.as_str())
            .bind(marker.as_str())
            .bind(&pending)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

const JOB_COLUMNS: &str = "id, post_id, account_id, platform, state, due_at, attempts, max_attempts, lease_owner, \
                           lease_expires_at, last_error";

fn job_from_row(row: &SqliteRow) -> Result<Job> {
    let state: &str = row.try_get("state")?;
    let platform: &str = row.try_get("platform")?;
    Ok(Job {
        id: JobId::new(row.try_get::<String, _>("id")?),
        post: PostId::new(row.try_get::<String, _>("post_id")?),
        account: AccountId::new(row.try_get::<String, _>("account_id")?),
        platform: platform.parse().unwrap_or_else(|never| match never {}),
        state: JobState::parse(state).ok_or_else(|| StoreError::Decode(format!("job state {state:?}")))?,
        due_at: instant(row.try_get("due_at")?)?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        max_attempts: u32::try_from(row.try_get::<i64, _>("max_attempts")?).unwrap_or(u32::MAX),
        lease_owner: row.try_get("lease_owner")?,
        lease_expires_at: row.try_get::<Option<i64>, _>("lease_expires_at")?.map(instant).transpose()?,
        last_error: row.try_get::<Option<&str>, _>("last_error")?.map(serde_json::from_str).transpose()?,
        steps: Vec::new(),
    })
}

fn step_from_row(row: &SqliteRow) -> Result<(String, Step)> {
    let index: i64 = row.try_get("step")?;
    Ok((
        row.try_get("job_id")?,
        Step {
            index: u32::try_from(index).map_err(|_| StoreError::Decode(format!("step {index}")))?,
            kind: serde_json::from_str(row.try_get("kind")?)?,
            idempotency_key: IdempotencyKey::new(row.try_get::<String, _>("idempotency_key")?),
            marker: ClientMarker::new(row.try_get::<String, _>("marker")?),
            state: serde_json::from_str(row.try_get("state")?)?,
        },
    ))
}

/// Loads jobs matching `filter` (an SQL condition on `jobs`, binding `?1`…) with their steps.
async fn load_where(
    conn: &mut SqliteConnection,
    filter: &str,
    binds: &[Option<String>],
    limit: Option<u32>,
) -> Result<Vec<Job>> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE {filter} ORDER BY due_at, id LIMIT {}",
        limit.map_or(-1, i64::from)
    );
    let mut query = sqlx::query(&sql);
    for bind in binds {
        query = query.bind(bind.clone());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut jobs = rows.iter().map(job_from_row).collect::<Result<Vec<_>>>()?;
    attach_steps(conn, &mut jobs).await?;
    Ok(jobs)
}

async fn attach_steps(conn: &mut SqliteConnection, jobs: &mut [Job]) -> Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(jobs.len());
    for (position, job) in jobs.iter().enumerate() {
        by_id.insert(job.id.as_str().to_owned(), position);
    }
    for chunk in jobs.iter().map(|job| job.id.as_str().to_owned()).collect::<Vec<_>>().chunks(500) {
        let placeholders = (1..=chunk.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT job_id, step, kind, idempotency_key, marker, state FROM job_steps WHERE job_id IN ({placeholders}) ORDER BY job_id, step"
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.as_str());
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut steps = Vec::with_capacity(rows.len());
        for row in &rows {
            steps.push(step_from_row(row)?);
        }
        for (job_id, step) in steps {
            if let Some(&position) = by_id.get(&job_id) {
                jobs[position].steps.push(step);
            }
        }
    }
    Ok(())
}

pub(super) async fn load_one(pool: &SqlitePool, id: &JobId) -> Result<Option<Job>> {
    let mut conn = pool.acquire().await?;
    Ok(load_where(&mut conn, "id = ?1", &[Some(id.as_str().to_owned())], Some(1)).await?.pop())
}

pub(super) async fn list(pool: &SqlitePool, query: &JobQuery) -> Result<Vec<Job>> {
    let mut filter = String::from("(?1 IS NULL OR post_id = ?1) AND (?2 IS NULL OR account_id = ?2)");
    if !query.states.is_empty() {
        let list = query.states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
        filter.push_str(&format!(" AND state IN ({list})"));
    }
    let binds =
        [query.post.as_ref().map(|p| p.as_str().to_owned()), query.account.as_ref().map(|a| a.as_str().to_owned())];
    let mut conn = pool.acquire().await?;
    load_where(&mut conn, &filter, &binds, query.limit).await
}

/// The job's state and whether a live lease is held at `now`, or not found.
async fn job_state(conn: &mut SqliteConnection, id: &JobId, now: DateTime<Utc>) -> Result<(JobState, bool)> {
    let row = sqlx::query("SELECT state, lease_expires_at FROM jobs WHERE id = ?1")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("job {id}") })?;
    let state: &str = row.try_get("state")?;
    let state = JobState::parse(state).ok_or_else(|| StoreError::Decode(format!("job state {state:?}")))?;
    let leased = row.try_get::<Option<i64>, _>("lease_expires_at")?.is_some_and(|until| until > millis(now));
    Ok((state, leased))
}

pub(super) async fn reschedule(
    store: &SqliteStore,
    id: &JobId,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    match job_state(&mut tx, id, now).await? {
        (JobState::Queued, false) => {}
        (JobState::Queued, true) => return Err(StoreError::Conflict(format!("job {id} is being published"))),
        (state, _) => return Err(StoreError::Conflict(format!("job {id} is {state}, not queued"))),
    }
    sqlx::query("UPDATE jobs SET due_at = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(id.as_str())
        .bind(millis(due_at))
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
    let post_id: String =
        sqlx::query_scalar("SELECT post_id FROM jobs WHERE id = ?1").bind(id.as_str()).fetch_one(&mut *tx).await?;
    if let Some(mut post) = posts::load_on(&mut tx, &PostId::new(post_id)).await? {
        // The post's time is its earliest job's.
        let earliest: Option<i64> =
            sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE post_id = ?1 AND state = 'queued'")
                .bind(post.id.as_str())
                .fetch_one(&mut *tx)
                .await?;
        post.scheduled_at = earliest.map(instant).transpose()?;
        posts::save_on(&mut tx, &post).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn requeue(store: &SqliteStore, id: &JobId, due_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    let (state, _) = job_state(&mut tx, id, now).await?;
    if state != JobState::Failed {
        return Err(StoreError::Conflict(format!("job {id} is {state}; only a failed job is requeued")));
    }
    sqlx::query(
        "UPDATE jobs SET state = 'queued', due_at = ?2, attempts = 0, lease_expires_at = NULL, updated_at = ?3 WHERE id = ?1",
    )
    .bind(id.as_str())
    .bind(millis(due_at))
    .bind(millis(now))
    .execute(&mut *tx)
    .await?;
    let post_id: String =
        sqlx::query_scalar("SELECT post_id FROM jobs WHERE id = ?1").bind(id.as_str()).fetch_one(&mut *tx).await?;
    if let Some(mut post) = posts::load_on(&mut tx, &PostId::new(post_id)).await? {
        if post.status == PostStatus::Failed {
            posts::advance(&mut post, PostStatus::Scheduled);
        }
        post.scheduled_at = Some(due_at);
        posts::save_on(&mut tx, &post).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn cancel(store: &SqliteStore, id: &JobId, now: DateTime<Utc>) -> Result<()> {
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    match job_state(&mut tx, id, now).await? {
        (JobState::Queued, false) | (JobState::Failed, _) => {}
        (JobState::Queued, true) => return Err(StoreError::Conflict(format!("job {id} is being published"))),
        (state, _) => return Err(StoreError::Conflict(format!("job {id} is {state}; it cannot be cancelled"))),
    }
    sqlx::query("UPDATE jobs SET state = 'cancelled', lease_expires_at = NULL, updated_at = ?2 WHERE id = ?1")
        .bind(id.as_str())
        .bind(millis(now))
        .execute(&mut *tx)
        .await?;
    let post_id: String =
        sqlx::query_scalar("SELECT post_id FROM jobs WHERE id = ?1").bind(id.as_str()).fetch_one(&mut *tx).await?;
    settle_post(&mut tx, &PostId::new(post_id), None).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn claim(store: &SqliteStore, claim: &Claim) -> Result<Vec<Leased>> {
    if claim.limit == 0 {
        return Ok(Vec::new());
    }
    let expires_at = after(claim.now, claim.lease);
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    // One statement picks and leases: the PostgreSQL version of the inner SELECT adds
    // `FOR UPDATE SKIP LOCKED`.
    let rows = sqlx::query(
        "UPDATE jobs SET lease_owner = ?1, lease_token = lease_token + 1, lease_expires_at = ?2, updated_at = ?3
         WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND due_at <= ?3
                      AND (lease_expires_at IS NULL OR lease_expires_at <= ?3)
                      ORDER BY due_at, id LIMIT ?4)
         RETURNING id, lease_token",
    )
    .bind(&claim.owner)
    .bind(millis(expires_at))
    .bind(millis(claim.now))
    .bind(i64::from(claim.limit))
    .fetch_all(&mut *tx)
    .await?;
    let mut tokens = HashMap::with_capacity(rows.len());
    for row in &rows {
        tokens.insert(row.try_get::<String, _>("id")?, row.try_get::<i64, _>("lease_token")?);
    }
    if tokens.is_empty() {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    let placeholders = (1..=tokens.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let binds: Vec<Option<String>> = tokens.keys().map(|id| Some(id.clone())).collect();
    let jobs = load_where(&mut tx, &format!("id IN ({placeholders})"), &binds, None).await?;
    tx.commit().await?;
    Ok(jobs
        .into_iter()
        .filter_map(|job| {
            let token = *tokens.get(job.id.as_str())?;
            let lease = Lease { job: job.id.clone(), owner: claim.owner.clone(), token, expires_at };
            Some(Leased { lease, job })
        })
        .collect())
}

/// Fails with [`StoreError::LeaseLost`] unless `lease` is still the job's current one.
async fn check_lease(conn: &mut SqliteConnection, lease: &Lease) -> Result<()> {
    let held: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM jobs WHERE id = ?1 AND lease_owner = ?2 AND lease_token = ?3 AND state = 'queued'",
    )
    .bind(lease.job.as_str())
    .bind(&lease.owner)
    .bind(lease.token)
    .fetch_optional(&mut *conn)
    .await?;
    match held {
        Some(_) => Ok(()),
        None => Err(StoreError::LeaseLost { job: lease.job.clone() }),
    }
}

pub(super) async fn extend(store: &SqliteStore, lease: &Lease, until: DateTime<Utc>) -> Result<Lease> {
    let changed = sqlx::query(
        "UPDATE jobs SET lease_expires_at = ?4 WHERE id = ?1 AND lease_owner = ?2 AND lease_token = ?3 AND state = 'queued'",
    )
    .bind(lease.job.as_str())
    .bind(&lease.owner)
    .bind(lease.token)
    .bind(millis(until))
    .execute(&mut *store.writer().await?)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(StoreError::LeaseLost { job: lease.job.clone() });
    }
    Ok(Lease { expires_at: until, ..lease.clone() })
}

async fn step_row(conn: &mut SqliteConnection, job: &JobId, step: u32) -> Result<Step> {
    let row = sqlx::query(
        "SELECT job_id, step, kind, idempotency_key, marker, state FROM job_steps WHERE job_id = ?1 AND step = ?2",
    )
    .bind(job.as_str())
    .bind(i64::from(step))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound { what: format!("step {step} of job {job}") })?;
    Ok(step_from_row(&row)?.1)
}

pub(super) async fn start_step(
    store: &SqliteStore,
    lease: &Lease,
    step: u32,
    request: &SentRequest,
    now: DateTime<Utc>,
) -> Result<()> {
    // One statement: the step moves only if it is pending and the lease is current; a
    // trigger moves the post to publishing.
    let in_flight = serde_json::to_string(&StepState::InFlight { sent_at: now, request: request.clone() })?;
    let mut conn = store.writer().await?;
    let changed = sqlx::query(
        "UPDATE job_steps SET state = ?5 WHERE job_id = ?1 AND step = ?2 AND json_extract(state, '$.state') = 'pending'
         AND EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND lease_owner = ?3 AND lease_token = ?4 AND state = 'queued')",
    )
    .bind(lease.job.as_str())
    .bind(i64::from(step))
    .bind(&lease.owner)
    .bind(lease.token)
    .bind(in_flight)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 {
        return Ok(());
    }
    // Why not: say which.
    check_lease(&mut conn, lease).await?;
    match step_row(&mut conn, &lease.job, step).await?.state {
        StepState::InFlight { .. } => Err(StoreError::Conflict(format!(
            "step {step} of job {} is in flight: look it up before sending it again",
            lease.job
        ))),
        StepState::Done { .. } => Err(StoreError::Conflict(format!("step {step} of job {} is already out", lease.job))),
        StepState::Pending => {
            Err(StoreError::Conflict(format!("step {step} of job {} could not be marked", lease.job)))
        }
    }
}

pub(super) async fn finish_step(
    store: &SqliteStore,
    lease: &Lease,
    step: u32,
    outcome: &StepOutcome,
    now: DateTime<Utc>,
) -> Result<()> {
    let (status, reference, error) = match outcome {
        StepOutcome::Published { reference, reconciled, .. } => {
            (if *reconciled { "reconciled_published" } else { "published" }, Some(reference), None)
        }
        StepOutcome::NotSent { error, reconciled } => {
            (if *reconciled { "reconciled_not_sent" } else { "not_sent" }, None, error.as_ref())
        }
        StepOutcome::Unknown { error } => ("unknown", None, Some(error)),
    };
    let mut writer = store.writer().await?;
    // The outcome is kept whoever holds the lease: nothing a platform answered is lost.
    let logged = sqlx::query(
        "INSERT INTO outcomes (job_id, step, owner, idempotency_key, marker, status, reference, error, recorded_at)
         SELECT job_id, step, ?3, idempotency_key, marker, ?4, ?5, ?6, ?7 FROM job_steps WHERE job_id = ?1 AND step = ?2",
    )
    .bind(lease.job.as_str())
    .bind(i64::from(step))
    .bind(&lease.owner)
    .bind(status)
    .bind(reference.map(serde_json::to_string).transpose()?)
    .bind(error.map(serde_json::to_string).transpose()?)
    .bind(millis(now))
    .execute(&mut *writer)
    .await?
    .rows_affected();
    if logged == 0 {
        return Err(StoreError::NotFound { what: format!("step {step} of job {}", lease.job) });
    }
    match outcome {
        // A publication is a fact: recorded even by a worker that lost its lease, so the one
        // that took over finds the step done instead of sending it again.
        StepOutcome::Published { reference, published_at, .. } => {
            let done = StepState::Done { reference: reference.clone(), published_at: *published_at };
            // The lease is checked in the same statement, for the answer only.
            let held: Option<i64> = sqlx::query_scalar(
                "UPDATE job_steps SET state = ?3 WHERE job_id = ?1 AND step = ?2 AND json_extract(state, '$.state') != 'done'
                 RETURNING (SELECT COUNT(*) FROM jobs WHERE id = ?1 AND lease_owner = ?4 AND lease_token = ?5 AND state = 'queued')",
            )
            .bind(lease.job.as_str())
            .bind(i64::from(step))
            .bind(serde_json::to_string(&done)?)
            .bind(&lease.owner)
            .bind(lease.token)
            .fetch_optional(&mut *writer)
            .await?;
            match held {
                Some(1) => return Ok(()),
                Some(_) => return Err(StoreError::LeaseLost { job: lease.job.clone() }),
                None => {}
            }
        }
        // Not out: pending again, only for the lease holder and never over a publication.
        StepOutcome::NotSent { .. } => {
            let changed = sqlx::query(
                "UPDATE job_steps SET state = ?5 WHERE job_id = ?1 AND step = ?2 AND json_extract(state, '$.state') != 'done'
                 AND EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND lease_owner = ?3 AND lease_token = ?4 AND state = 'queued')",
            )
            .bind(lease.job.as_str())
            .bind(i64::from(step))
            .bind(&lease.owner)
            .bind(lease.token)
            .bind(serde_json::to_string(&StepState::Pending)?)
            .execute(&mut *writer)
            .await?
            .rows_affected();
            if changed == 1 {
                return Ok(());
            }
            check_lease(&mut writer, lease).await?;
            return Err(StoreError::Conflict(format!("step {step} of job {} is already out", lease.job)));
        }
        StepOutcome::Unknown { .. } => {}
    }
    check_lease(&mut writer, lease).await
}

pub(super) async fn release(store: &SqliteStore, lease: &Lease, release: &Release, now: DateTime<Utc>) -> Result<()> {
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with(BEGIN).await?;
    let job = lease.job.as_str();
    if let Release::Published = release {
        let rows = sqlx::query(
            "SELECT job_id, step, kind, idempotency_key, marker, state FROM job_steps WHERE job_id = ?1 ORDER BY step",
        )
        .bind(job)
        .fetch_all(&mut *tx)
        .await?;
        let steps = rows.iter().map(|row| Ok(step_from_row(row)?.1)).collect::<Result<Vec<Step>>>()?;
        if let Some(step) = steps.iter().find(|step| !matches!(step.state, StepState::Done { .. })) {
            check_lease(&mut tx, lease).await?;
            return Err(StoreError::Conflict(format!("job {job} still has {} to publish", step.kind)));
        }
        let owner: Option<(String, String)> = sqlx::query_as(
            "UPDATE jobs SET state = 'published', lease_expires_at = NULL, updated_at = ?4
             WHERE id = ?1 AND lease_owner = ?2 AND lease_token = ?3 AND state = 'queued' RETURNING post_id, account_id",
        )
        .bind(job)
        .bind(&lease.owner)
        .bind(lease.token)
        .bind(millis(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((post_id, account)) = owner else {
            return Err(StoreError::LeaseLost { job: lease.job.clone() });
        };
        let publication = publication(&lease.job, &AccountId::new(account), &steps)?;
        settle_post(&mut tx, &PostId::new(post_id), Some(publication)).await?;
        tx.commit().await?;
        return Ok(());
    }
    check_lease(&mut tx, lease).await?;
    match release {
        Release::Retry { at, error } => {
            sqlx::query(
                "UPDATE jobs SET due_at = ?2, attempts = attempts + 1, last_error = ?3, lease_expires_at = NULL,
                 updated_at = ?4 WHERE id = ?1",
            )
            .bind(job)
            .bind(millis(*at))
            .bind(serde_json::to_string(error)?)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
        }
        Release::Defer { at } => {
            sqlx::query("UPDATE jobs SET due_at = ?2, lease_expires_at = NULL, updated_at = ?3 WHERE id = ?1")
                .bind(job)
                .bind(millis(*at))
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
        }
        Release::Failed { error } | Release::Unresolved { error } => {
            let state = if matches!(release, Release::Failed { .. }) { "failed" } else { "unresolved" };
            sqlx::query(
                "UPDATE jobs SET state = ?2, last_error = ?3, lease_expires_at = NULL, updated_at = ?4 WHERE id = ?1",
            )
            .bind(job)
            .bind(state)
            .bind(serde_json::to_string(error)?)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            let post_id: String =
                sqlx::query_scalar("SELECT post_id FROM jobs WHERE id = ?1").bind(job).fetch_one(&mut *tx).await?;
            settle_post(&mut tx, &PostId::new(post_id), None).await?;
        }
        Release::Published => {}
    }
    tx.commit().await?;
    Ok(())
}

fn publication(job: &JobId, account: &AccountId, steps: &[Step]) -> Result<Publication> {
    let mut parts = Vec::new();
    let mut first_comment = None;
    let mut published_at = None;
    for step in steps {
        let StepState::Done { reference, published_at: at } = &step.state else {
            return Err(StoreError::Conflict(format!("job {job} has {} not out", step.kind)));
        };
        match step.kind {
            StepKind::Part(_) => {
                published_at.get_or_insert(*at);
                parts.push(reference.clone());
            }
            StepKind::FirstComment => first_comment = Some(reference.clone()),
        }
    }
    let published_at = published_at.ok_or_else(|| StoreError::Decode(format!("job {job} has no parts")))?;
    Ok(Publication { account: account.clone(), parts, first_comment, published_at })
}

/// Brings `post_id` to the status its jobs together say, adding `publication` if given:
/// nothing while any job is queued; otherwise unknown if one is unresolved, failed if one
/// failed, cancelled if all were cancelled, published when all the others are out.
async fn settle_post(conn: &mut SqliteConnection, post_id: &PostId, publication: Option<Publication>) -> Result<()> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT body, (SELECT group_concat(state) FROM jobs WHERE post_id = ?1) FROM posts WHERE id = ?1",
    )
    .bind(post_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((body, states)) = row else { return Ok(()) };
    let states = states.unwrap_or_default();
    let has = |name: &str| states.split(',').any(|s| s == name);
    let target = if has("queued") {
        None
    } else if has("unresolved") {
        Some(PostStatus::Unknown)
    } else if has("failed") {
        Some(PostStatus::Failed)
    } else if has("published") {
        Some(PostStatus::Published)
    } else {
        Some(PostStatus::Cancelled)
    };
    if target.is_none() && publication.is_none() {
        return Ok(());
    }
    let mut post: tertulia_core::Post = serde_json::from_str(&body)?;
    let mut changed = false;
    if let Some(publication) = publication {
        post.publications.retain(|p| p.account != publication.account);
        post.publications.push(publication);
        changed = true;
    }
    if let Some(target) = target {
        changed |= posts::advance(&mut post, target);
    }
    if changed {
        posts::save_on(conn, &post).await?;
    }
    Ok(())
}

pub(super) async fn outcomes(pool: &SqlitePool, job: &JobId) -> Result<Vec<OutcomeRecord>> {
    let rows = sqlx::query(
        "SELECT seq, job_id, step, owner, idempotency_key, marker, status, reference, error, recorded_at
         FROM outcomes WHERE job_id = ?1 ORDER BY seq",
    )
    .bind(job.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutcomeRecord {
                seq: row.try_get("seq")?,
                job: JobId::new(row.try_get::<String, _>("job_id")?),
                step: u32::try_from(row.try_get::<i64, _>("step")?).unwrap_or(u32::MAX),
                owner: row.try_get("owner")?,
                idempotency_key: IdempotencyKey::new(row.try_get::<String, _>("idempotency_key")?),
                marker: ClientMarker::new(row.try_get::<String, _>("marker")?),
                status: row.try_get("status")?,
                reference: row
                    .try_get::<Option<&str>, _>("reference")?
                    .map(serde_json::from_str::<RemoteRef>)
                    .transpose()?,
                error: row
                    .try_get::<Option<&str>, _>("error")?
                    .map(serde_json::from_str::<OutcomeError>)
                    .transpose()?,
                recorded_at: instant(row.try_get("recorded_at")?)?,
            })
        })
        .collect()
}
