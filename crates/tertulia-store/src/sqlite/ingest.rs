//! Ingest cursors and the items they brought.

use chrono::{DateTime, Utc};
use sqlx::{Connection, Row, SqliteConnection, SqlitePool};
use tertulia_core::{AccountId, RemoteId};

use super::{SqliteStore, instant, millis};
use crate::{IngestCommit, IngestItem, IngestKey, IngestReceipt, IngestState, IngestedItem, Result, StoreError};

pub(super) async fn state(pool: &SqlitePool, key: &IngestKey) -> Result<IngestState> {
    let row =
        sqlx::query("SELECT cursor, version, updated_at FROM ingest_cursors WHERE account_id = ?1 AND stream = ?2")
            .bind(key.account.as_str())
            .bind(&key.stream)
            .fetch_optional(pool)
            .await?;
    match row {
        None => Ok(IngestState::default()),
        Some(row) => Ok(IngestState {
            cursor: row.try_get("cursor")?,
            version: row.try_get("version")?,
            updated_at: Some(instant(row.try_get("updated_at")?)?),
        }),
    }
}

pub(super) async fn commit(store: &SqliteStore, commit: &IngestCommit) -> Result<IngestReceipt> {
    let key = &commit.key;
    let mut writer = store.writer().await?;
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
    let stored: Option<(Option<String>, i64)> =
        sqlx::query_as("SELECT cursor, version FROM ingest_cursors WHERE account_id = ?1 AND stream = ?2")
            .bind(key.account.as_str())
            .bind(&key.stream)
            .fetch_optional(&mut *tx)
            .await?;
    let (stored_cursor, version) = stored.unwrap_or((None, 0));
    if version != commit.expected_version {
        return Err(StoreError::Conflict(format!(
            "ingest cursor {}/{} is at version {version}, not {}: another poller advanced it",
            key.account, key.stream, commit.expected_version
        )));
    }
    let mut accepted = Vec::new();
    for item in &commit.items {
        let inserted = sqlx::query(
            "INSERT INTO ingest_items (account_id, stream, remote_id, occurred_at, payload, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, remote_id) DO NOTHING",
        )
        .bind(key.account.as_str())
        .bind(&key.stream)
        .bind(item.id.as_str())
        .bind(millis(item.occurred_at))
        .bind(item.payload.as_deref())
        .bind(millis(commit.now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted > 0 {
            accepted.push(item.id.clone());
        }
    }
    let cursor = commit.cursor.clone().or(stored_cursor);
    let next = version + 1;
    sqlx::query(
        "INSERT INTO ingest_cursors (account_id, stream, cursor, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account_id, stream) DO UPDATE SET cursor = ?3, version = ?4, updated_at = ?5",
    )
    .bind(key.account.as_str())
    .bind(&key.stream)
    .bind(cursor)
    .bind(next)
    .bind(millis(commit.now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let duplicates = commit.items.len() - accepted.len();
    Ok(IngestReceipt { version: next, accepted, duplicates })
}

pub(super) async fn seen(pool: &SqlitePool, account: &AccountId, ids: &[RemoteId]) -> Result<Vec<RemoteId>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let placeholders = (2..chunk.len() + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT remote_id FROM ingest_items WHERE account_id = ?1 AND remote_id IN ({placeholders})");
        let mut query = sqlx::query_scalar::<_, String>(&sql).bind(account.as_str());
        for id in chunk {
            query = query.bind(id.as_str());
        }
        let kept: std::collections::HashSet<String> = query.fetch_all(pool).await?.into_iter().collect();
        found.extend(chunk.iter().filter(|id| kept.contains(id.as_str())).cloned());
    }
    Ok(found)
}

pub(super) async fn ingested(
    pool: &SqlitePool,
    account: &AccountId,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<IngestedItem>> {
    let rows = sqlx::query(
        "SELECT seq, stream, remote_id, occurred_at, payload, ingested_at FROM ingest_items
         WHERE account_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )
    .bind(account.as_str())
    .bind(after_seq)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(IngestedItem {
                seq: row.try_get("seq")?,
                key: IngestKey::new(account.clone(), row.try_get::<String, _>("stream")?),
                item: IngestItem {
                    id: RemoteId::new(row.try_get::<String, _>("remote_id")?),
                    occurred_at: instant(row.try_get("occurred_at")?)?,
                    payload: row.try_get("payload")?,
                },
                ingested_at: instant(row.try_get("ingested_at")?)?,
            })
        })
        .collect()
}

pub(super) async fn prune(conn: &mut SqliteConnection, account: &AccountId, before: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM ingest_items WHERE account_id = ?1 AND occurred_at < ?2")
        .bind(account.as_str())
        .bind(millis(before))
        .execute(conn)
        .await?
        .rows_affected())
}
