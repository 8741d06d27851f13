//! What the opaque [`Cursor`] holds for each Mastodon listing.

use tertulia_core::{Cursor, Error, ErrorKind, Operation, PlatformKind, Result};

/// Where a listing continues: the listing's name and its own position (`max_id`, or an
/// offset for full-text search), written `name:position`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    Notifications,
    Conversations,
    Tag,
    Search,
}

impl Listing {
    fn name(self) -> &'static str {
        match self {
            Listing::Notifications => "notifications",
            Listing::Conversations => "conversations",
            Listing::Tag => "tag",
            Listing::Search => "search",
        }
    }

    /// A cursor to `position` in this listing.
    pub(crate) fn cursor(self, position: &str) -> Cursor {
        Cursor::new(format!("{}:{position}", self.name()))
    }

    /// The position in a cursor of this listing; an [`ErrorKind::InvalidInput`] error for a
    /// cursor of another listing or platform.
    pub(crate) fn position(self, cursor: &Cursor, operation: Operation) -> Result<String> {
        cursor
            .as_str()
            .strip_prefix(self.name())
            .and_then(|rest| rest.strip_prefix(':'))
            .filter(|position| !position.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidInput,
                    PlatformKind::Mastodon,
                    operation,
                    format!("this cursor does not continue a Mastodon {} listing", self.name()),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_listings() {
        let cursor = Listing::Notifications.cursor("34975535");
        assert_eq!(Listing::Notifications.position(&cursor, Operation::ListInteractions).unwrap(), "34975535");
        let err = Listing::Conversations.position(&cursor, Operation::ListInteractions).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(Listing::Search.position(&Cursor::new("search:"), Operation::Search).is_err());
        assert!(Listing::Search.position(&Cursor::new("searching:3"), Operation::Search).is_err());
    }
}
