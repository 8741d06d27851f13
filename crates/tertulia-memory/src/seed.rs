//! One interaction to add to the network, described by what matters to a test.

use chrono::{DateTime, Utc};
use tertulia_core::{
    Author, ConversationId, Error, ErrorKind, Interaction, InteractionKind, Operation, RemoteId, Result,
};

use crate::state::State;
use crate::{IdStyle, NetworkProfile, ids};

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

/// Turns a [`NewInteraction`] into an interaction of this network, checking what it refers to.
pub(crate) fn build_interaction(
    state: &mut State,
    profile: &NetworkProfile,
    now: DateTime<Utc>,
    new: NewInteraction,
    public: bool,
) -> Result<Interaction> {
    let not_found = |what: &RemoteId| {
        let message = format!("no post or interaction {what}");
        Error::new(ErrorKind::NotFound, profile.capabilities.platform.clone(), Operation::ListInteractions, message)
    };
    if let Some(subject) = &new.subject
        && state.post(subject).is_none()
    {
        return Err(not_found(subject));
    }
    let in_reply_to = match (&new.in_reply_to, &new.kind) {
        (Some(item), _) => Some(item.clone()),
        (None, InteractionKind::Comment) => new.subject.clone(),
        _ => None,
    };
    if let Some(item) = &in_reply_to
        && state.post(item).is_none()
        && state.interaction(item).is_none()
    {
        return Err(not_found(item));
    }
    let n = state.next();
    let repo = match &profile.id_style {
        IdStyle::AtUri { .. } => new.author.id.as_str().to_owned(),
        IdStyle::Numeric { .. } => String::new(),
    };
    let id = new.id.unwrap_or_else(|| ids::item_id(profile, n, &repo));
    let conversation = match &new.kind {
        InteractionKind::DirectMessage => Some(ConversationId::new(format!("dm-{}", new.author.id))),
        _ => new.subject.as_ref().or(in_reply_to.as_ref()).map(|root| ConversationId::new(thread_root(state, root))),
    };
    let permalink = match &new.kind {
        InteractionKind::Reaction
        | InteractionKind::Repost
        | InteractionKind::Follow
        | InteractionKind::DirectMessage => None,
        _ => ids::permalink(profile, new.author.handle.as_str(), &id),
    };
    Ok(Interaction {
        id,
        platform: profile.capabilities.platform.clone(),
        account: if public { None } else { profile.account.library_id.clone() },
        kind: new.kind,
        author: new.author,
        text: new.text,
        language: new.language,
        created_at: new.at.unwrap_or(now),
        subject: if public { None } else { new.subject },
        in_reply_to,
        conversation,
        permalink,
    })
}

/// The root of the thread an item belongs to.
fn thread_root(state: &State, item: &RemoteId) -> String {
    let mut current = item.clone();
    for _ in 0..1000 {
        let parent = state
            .post(&current)
            .and_then(|post| post.in_reply_to.clone())
            .or_else(|| state.interaction(&current).and_then(|i| i.in_reply_to.clone()));
        match parent {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current.into_string()
}
