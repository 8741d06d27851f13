//! Pages of results and the opaque cursor that continues them.

use serde::{Deserialize, Serialize};

/// Where a listing continues: each platform's own paging token (`max_id`, `cursor`,
/// `next_token`, `after`) hidden behind one opaque type.
///
/// It round-trips through serde, so a poller can store it and resume after a restart.
/// Callers never look inside; adapters build and read it with [`Cursor::new`] and
/// [`Cursor::as_str`].
///
/// ```
/// use tertulia_core::Cursor;
/// let cursor = Cursor::new("109876543210");
/// let stored = serde_json::to_string(&cursor).unwrap();
/// assert_eq!(serde_json::from_str::<Cursor>(&stored).unwrap(), cursor);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(String);

impl Cursor {
    /// Wraps an adapter's paging token.
    pub fn new(token: impl Into<String>) -> Self {
        Cursor(token.into())
    }

    /// The adapter's paging token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One page of a listing, newest first, with the cursor to the next (older) page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page with these items and a next cursor.
    pub fn new(items: Vec<T>, next: Option<Cursor>) -> Self {
        Page { items, next }
    }

    /// An empty, last page.
    pub fn empty() -> Self {
        Page { items: Vec::new(), next: None }
    }

    /// Whether this is the last page.
    pub fn is_last(&self) -> bool {
        self.next.is_none()
    }
}
