//! Posts: stored whole as JSON, with the columns queries filter on.

use sqlx::{Row, SqliteConnection, SqlitePool};
use tertulia_core::{Post, PostId, PostStatus};

use super::millis;
use crate::{PostQuery, Result, StoreError};

pub(super) fn status_name(status: PostStatus) -> Result<String> {
    match serde_json::to_value(status)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(StoreError::Decode(format!("post status serialised as {other}"))),
    }
}

pub(super) async fn save_on(conn: &mut SqliteConnection, post: &Post) -> Result<()> {
    sqlx::query(
        "INSERT INTO posts (id, brand, status, scheduled_at, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET brand = ?2, status = ?3, scheduled_at = ?4, body = ?5",
    )
    .bind(post.id.as_str())
    .bind(post.brand.as_str())
    .bind(status_name(post.status)?)
    .bind(post.scheduled_at.map(millis))
    .bind(serde_json::to_string(post)?)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn load(pool: &SqlitePool, id: &PostId) -> Result<Option<Post>> {
    let mut conn = pool.acquire().await?;
    load_on(&mut conn, id).await
}

pub(super) async fn load_on(conn: &mut SqliteConnection, id: &PostId) -> Result<Option<Post>> {
    let row = sqlx::query("SELECT body FROM posts WHERE id = ?1").bind(id.as_str()).fetch_optional(conn).await?;
    row.map(|row| Ok(serde_json::from_str(row.try_get::<&str, _>("body")?)?)).transpose()
}

pub(super) async fn list(pool: &SqlitePool, query: &PostQuery) -> Result<Vec<Post>> {
    let mut sql = String::from("SELECT body FROM posts WHERE 1 = 1");
    if query.brand.is_some() {
        sql.push_str(" AND brand = ?1");
    }
    if query.from.is_some() {
        sql.push_str(" AND scheduled_at >= ?2");
    }
    if query.to.is_some() {
        sql.push_str(" AND scheduled_at < ?3");
    }
    let statuses = query.statuses.iter().map(|s| status_name(*s)).collect::<Result<Vec<_>>>()?;
    if !statuses.is_empty() {
        let list = statuses.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        sql.push_str(&format!(" AND status IN ({list})"));
    }
    sql.push_str(" ORDER BY scheduled_at IS NULL, scheduled_at, id LIMIT ?4");
    let rows = sqlx::query(&sql)
        .bind(query.brand.as_ref().map(|b| b.as_str()))
        .bind(query.from.map(millis))
        .bind(query.to.map(millis))
        .bind(query.limit.map_or(-1, i64::from))
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| Ok(serde_json::from_str(row.try_get::<&str, _>("body")?)?)).collect()
}

/// Moves a post towards `target` along allowed lifecycle moves (through publishing when it
/// is still scheduled). Returns whether it moved.
pub(super) fn advance(post: &mut Post, target: PostStatus) -> bool {
    if post.status == target {
        return false;
    }
    if post.status == PostStatus::Scheduled
        && target != PostStatus::Publishing
        && post.status.can_move_to(PostStatus::Publishing)
        && PostStatus::Publishing.can_move_to(target)
    {
        post.status = PostStatus::Publishing;
    }
    match post.transition(target) {
        Ok(()) => true,
        Err(error) => {
            tracing::debug!(post = %post.id, %error, "post status left as it is");
            false
        }
    }
}
