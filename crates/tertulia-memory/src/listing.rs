//! Newest-first pages with a cursor that names the last item returned.
//!
//! The cursor holds the last item's time and arrival number, so items that arrive later
//! (newer) never shift the pages already read, and a stored cursor resumes exactly.

use std::cmp::Ordering;

use tertulia_core::{Cursor, Interaction, InteractionKind, Page};

use crate::state::StoredInteraction;

/// How listed items are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// As stored.
    AsIs,
    /// As search results: every item of kind [`InteractionKind::Listening`].
    AsListening,
}

/// Newest first: later time first, then later arrival.
pub(crate) fn newest_first(a: &StoredInteraction, b: &StoredInteraction) -> Ordering {
    (b.interaction.created_at, b.seq).cmp(&(a.interaction.created_at, a.seq))
}

fn key(stored: &StoredInteraction) -> (i64, u64) {
    (stored.interaction.created_at.timestamp_micros(), stored.seq)
}

fn encode(stored: &StoredInteraction) -> Cursor {
    let (micros, seq) = key(stored);
    Cursor::new(format!("{micros}.{seq}"))
}

fn decode(cursor: &Cursor) -> Result<(i64, u64), String> {
    let invalid = || format!("not a cursor of this network: {:?}", cursor.as_str());
    let (micros, seq) = cursor.as_str().split_once('.').ok_or_else(invalid)?;
    Ok((micros.parse().map_err(|_| invalid())?, seq.parse().map_err(|_| invalid())?))
}

/// One page of `items` after `cursor`, newest first, with the cursor to the next page.
pub(crate) fn page<'a>(
    items: impl Iterator<Item = &'a StoredInteraction>,
    cursor: Option<&Cursor>,
    limit: usize,
    listed: Listed,
) -> Result<Page<Interaction>, String> {
    let after = cursor.map(decode).transpose()?;
    let mut items: Vec<&StoredInteraction> =
        items.filter(|stored| after.is_none_or(|after| key(stored) < after)).collect();
    items.sort_by(|a, b| newest_first(a, b));
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more { items.last().map(|last| encode(last)) } else { None };
    let items = items
        .into_iter()
        .map(|stored| {
            let mut interaction = stored.interaction.clone();
            if listed == Listed::AsListening {
                interaction.kind = InteractionKind::Listening;
            }
            interaction
        })
        .collect();
    Ok(Page::new(items, next))
}
