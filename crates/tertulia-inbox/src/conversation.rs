//! Grouping interactions into conversations.

use std::collections::HashMap;

use tertulia_core::{ConversationId, Interaction, PlatformKind, RemoteId};

/// A conversation on one platform (ids are only unique within a platform).
pub type ConversationKey = (PlatformKind, ConversationId);

/// Which conversation each interaction belongs to.
///
/// A reply joins the conversation of the item it answers when that item is known; a top-level
/// comment under the brand's post starts its own (the post is not a conversation with one
/// person); otherwise the platform's conversation id is used when it gives one, else a reply
/// names the conversation after the item it answers (the name that item takes when it
/// arrives), and an item that answers nothing starts its own, named after itself.
///
/// ```
/// use chrono::Utc;
/// use tertulia_core::{Author, Interaction, InteractionKind, PlatformKind, RemoteId};
/// use tertulia_inbox::Threads;
/// let item = |id: &str, parent: Option<&str>| Interaction {
///     id: RemoteId::new(id), platform: PlatformKind::Mastodon, account: None, kind: InteractionKind::Reply,
///     author: Author::new("1", "ana"), text: Some("hola".into()), language: None, created_at: Utc::now(),
///     subject: None, in_reply_to: parent.map(RemoteId::new), conversation: None, permalink: None,
/// };
/// let mut threads = Threads::default();
/// let child = threads.assign(&item("2", Some("1")));
/// let root = threads.assign(&item("1", None));
/// let grandchild = threads.assign(&item("3", Some("2")));
/// assert_eq!(child, root);
/// assert_eq!(grandchild, root);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Threads {
    of: HashMap<(PlatformKind, RemoteId), ConversationId>,
}

impl Threads {
    /// The conversation of an interaction, remembered for the replies to come.
    pub fn assign(&mut self, interaction: &Interaction) -> ConversationKey {
        let platform = interaction.platform.clone();
        let parent = interaction.in_reply_to.as_ref().filter(|parent| interaction.subject.as_ref() != Some(*parent));
        let known = parent.and_then(|parent| self.of.get(&(platform.clone(), parent.clone())).cloned());
        let conversation = match (known, parent, &interaction.conversation) {
            (Some(known), _, _) => known,
            // A top-level comment under the brand's post is a conversation of its own: the
            // post is not a conversation with one person.
            (None, None, _) if interaction.in_reply_to.is_some() => ConversationId::new(interaction.id.as_str()),
            (None, _, Some(conversation)) => conversation.clone(),
            (None, Some(parent), None) => ConversationId::new(parent.as_str()),
            (None, None, None) => ConversationId::new(interaction.id.as_str()),
        };
        self.of.insert((platform.clone(), interaction.id.clone()), conversation.clone());
        (platform, conversation)
    }

    /// The conversation an interaction was assigned to, if it was.
    pub fn of(&self, platform: &PlatformKind, id: &RemoteId) -> Option<&ConversationId> {
        self.of.get(&(platform.clone(), id.clone()))
    }
}
