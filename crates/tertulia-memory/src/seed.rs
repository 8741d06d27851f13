//! One interaction to add to the network, described by what matters to a test.

use chrono::{DateTime, Utc};
use tertulia_core::{Author, InteractionKind, RemoteId};

/// An interaction to add with [`MemoryPlatform::add`](crate::MemoryPlatform::add): the
/// network fills in the id, the time (now, unless set), the conversation and the permalink.
///
/// ```
/// use tertulia_core::{Author, InteractionKind, RemoteId};
/// use tertulia_memory::NewInteraction;
/// let comment = NewInteraction::new(InteractionKind::Comment, Author::new("7", "ana"))
///     .text("¿Abrís el domingo?")
///     .language("es")
///     .about(RemoteId::new("113000000000000001"));
/// assert_eq!(comment.subject, Some(RemoteId::new("113000000000000001")));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewInteraction {
    /// What kind it is.
    pub kind: InteractionKind,
    /// Who does it.
    pub author: Author,
    /// What they write.
    pub text: Option<String>,
    /// In which language.
    pub language: Option<String>,
    /// The brand's post it is about.
    pub subject: Option<RemoteId>,
    /// What it answers directly (defaults to the subject for comments).
    pub in_reply_to: Option<RemoteId>,
    /// When it happens (defaults to the clock's now).
    pub at: Option<DateTime<Utc>>,
    /// Its id (defaults to one the network makes up).
    pub id: Option<RemoteId>,
}

impl NewInteraction {
    /// An interaction of `kind` by `author`, with nothing else yet.
    pub fn new(kind: InteractionKind, author: Author) -> Self {
        NewInteraction {
            kind,
            author,
            text: None,
            language: None,
            subject: None,
            in_reply_to: None,
            at: None,
            id: None,
        }
    }

    /// Sets the text.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Sets the language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Makes it about one of the brand's posts.
    pub fn about(mut self, post: RemoteId) -> Self {
        self.subject = Some(post);
        self
    }

    /// Makes it answer an item directly.
    pub fn in_reply_to(mut self, item: RemoteId) -> Self {
        self.in_reply_to = Some(item);
        self
    }

    /// Sets when it happens.
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = Some(at);
        self
    }

    /// Sets its id.
    pub fn id(mut self, id: impl Into<RemoteId>) -> Self {
        self.id = Some(id.into());
        self
    }
}
