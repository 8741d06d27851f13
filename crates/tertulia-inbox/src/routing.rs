//! Routing rules: who answers what, and what goes up to the social media manager.

use serde::{Deserialize, Serialize};
use tertulia_core::{Interaction, PlatformKind, RemoteId, Role};

use crate::text::Tokens;
use crate::{Intent, Language, Sentiment, Understanding};

/// When a rule applies: every field that is not empty must match (any of its values).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Condition {
    /// Words or phrases, any of which the text contains (case and accents ignored).
    pub keywords: Vec<String>,
    /// Languages.
    pub languages: Vec<Language>,
    /// Intents.
    pub intents: Vec<Intent>,
    /// Sentiments.
    pub sentiments: Vec<Sentiment>,
    /// Platforms.
    pub platforms: Vec<PlatformKind>,
    /// Authors, by platform and the platform's user id (a member list).
    pub members: Vec<(PlatformKind, RemoteId)>,
    /// Only urgent messages.
    pub urgent_only: bool,
}

/// A routing rule: if the condition holds, the item goes to a role, and maybe up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// A name a person recognises in the routing's reason.
    pub name: String,
    /// When it applies.
    pub when: Condition,
    /// Who answers.
    pub to: Role,
    /// Whether the social media manager must also know (escalation).
    #[serde(default)]
    pub escalate: bool,
}

/// Where an item goes, and which rule sent it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Who answers.
    pub role: Role,
    /// Set when the social media manager must also know.
    pub escalated_to: Option<Role>,
    /// The rule that matched; `None` for the default.
    pub rule: Option<String>,
}

/// Routing rules, tried in order; the first that matches decides.
///
/// ```
/// use tertulia_core::Role;
/// use tertulia_inbox::{Condition, Router, Rule};
/// let mut router = Router::standard();
/// router.push_front(Rule {
///     name: "allergens".into(),
///     when: Condition { keywords: vec!["alérgeno".into(), "allergen".into()], ..Condition::default() },
///     to: Role::CareAgent,
///     escalate: true,
/// });
/// assert_eq!(router.rules()[0].name, "allergens");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Router {
    rules: Vec<(Rule, Vec<Vec<String>>)>,
    default: Role,
}

impl Router {
    /// No rules: everything goes to `default`.
    pub fn new(default: Role) -> Self {
        Router { rules: Vec::new(), default }
    }

    /// The usual split: crises to care, escalated to the social media manager; urgent
    /// complaints to care, escalated; complaints, questions and purchase intent to care;
    /// the rest (praise, chat) to the brand community manager.
    pub fn standard() -> Self {
        let mut router = Router::new(Role::BrandCommunityManager);
        let rule = |name: &str, intents: Vec<Intent>, urgent_only: bool, to: Role, escalate: bool| Rule {
            name: name.to_owned(),
            when: Condition { intents, urgent_only, ..Condition::default() },
            to,
            escalate,
        };
        router.push(rule("crisis", vec![Intent::Crisis], false, Role::CareAgent, true));
        router.push(rule("urgent complaint", vec![Intent::Complaint], true, Role::CareAgent, true));
        router.push(rule(
            "customer care",
            vec![Intent::Complaint, Intent::Question, Intent::PurchaseIntent],
            false,
            Role::CareAgent,
            false,
        ));
        router
    }

    /// Adds a rule after the others.
    pub fn push(&mut self, rule: Rule) {
        let phrases = phrases(&rule.when.keywords);
        self.rules.push((rule, phrases));
    }

    /// Adds a rule before the others.
    pub fn push_front(&mut self, rule: Rule) {
        let phrases = phrases(&rule.when.keywords);
        self.rules.insert(0, (rule, phrases));
    }

    /// The rules, in order.
    pub fn rules(&self) -> Vec<&Rule> {
        self.rules.iter().map(|(rule, _)| rule).collect()
    }

    /// Where an interaction goes.
    pub fn route(&self, interaction: &Interaction, understanding: &Understanding) -> Route {
        let mut words: Option<Vec<String>> = None;
        for (rule, phrases) in &self.rules {
            let when = &rule.when;
            let matches = (when.languages.is_empty() || when.languages.contains(&understanding.language))
                && (when.intents.is_empty() || when.intents.contains(&understanding.intent))
                && (when.sentiments.is_empty() || when.sentiments.contains(&understanding.sentiment))
                && (when.platforms.is_empty() || when.platforms.contains(&interaction.platform))
                && (!when.urgent_only || understanding.urgent)
                && (when.members.is_empty()
                    || when.members.iter().any(|(p, id)| *p == interaction.platform && *id == interaction.author.id))
                && (phrases.is_empty() || {
                    let words =
                        words.get_or_insert_with(|| interaction.text.as_deref().map(tokens).unwrap_or_default());
                    phrases.iter().any(|phrase| contains(words, phrase))
                });
            if matches {
                return Route {
                    role: rule.to,
                    escalated_to: rule.escalate.then_some(Role::SocialMediaManager),
                    rule: Some(rule.name.clone()),
                };
            }
        }
        Route { role: self.default, escalated_to: None, rule: None }
    }
}

fn tokens(text: &str) -> Vec<String> {
    let mut read = Tokens::default();
    read.read(text);
    read.tokens.iter().map(|t| read.text(t).to_owned()).collect()
}

fn phrases(keywords: &[String]) -> Vec<Vec<String>> {
    keywords.iter().map(|k| tokens(k)).filter(|p| !p.is_empty()).collect()
}

fn contains(words: &[String], phrase: &[String]) -> bool {
    words.windows(phrase.len()).any(|window| window == phrase)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use tertulia_core::{Author, InteractionKind};

    use super::*;
    use crate::{Classifier, RuleClassifier};

    fn message(platform: PlatformKind, author: &str, text: &str) -> (Interaction, Understanding) {
        let interaction = Interaction {
            id: RemoteId::new("1"),
            platform,
            account: None,
            kind: InteractionKind::Mention,
            author: Author::new(author, author),
            text: Some(text.into()),
            language: None,
            created_at: Utc::now(),
            subject: None,
            in_reply_to: None,
            conversation: None,
            permalink: None,
        };
        let understanding = RuleClassifier::builtin().understand(text, None);
        (interaction, understanding)
    }

    #[test]
    fn rules_match_by_keyword_language_intent_platform_and_member() {
        let mut router = Router::standard();
        router.push_front(Rule {
            name: "press".into(),
            when: Condition {
                members: vec![(PlatformKind::Bluesky, RemoteId::new("did:plc:press"))],
                ..Condition::default()
            },
            to: Role::SocialMediaManager,
            escalate: false,
        });
        router.push_front(Rule {
            name: "wholesale es".into(),
            when: Condition {
                keywords: vec!["al por mayor".into()],
                languages: vec![Language::Spanish],
                platforms: vec![PlatformKind::Mastodon],
                ..Condition::default()
            },
            to: Role::BrandCommunityManager,
            escalate: false,
        });
        let (i, u) = message(PlatformKind::Mastodon, "9", "¿Venden AL POR MAYOR para cafeterías?");
        assert_eq!(router.route(&i, &u).rule.as_deref(), Some("wholesale es"));
        let (i, u) = message(PlatformKind::Bluesky, "9", "¿Venden al por mayor para cafeterías?");
        assert_eq!(router.route(&i, &u).role, Role::CareAgent, "other platform: purchase intent goes to care");
        let (i, u) = message(PlatformKind::Bluesky, "did:plc:press", "Hola, ¿podemos hablar?");
        assert_eq!(router.route(&i, &u).role, Role::SocialMediaManager);
        let (i, u) = message(
            PlatformKind::X,
            "3",
            "Found a cockroach in my latte. Disgusting, reporting you to the health department",
        );
        let route = router.route(&i, &u);
        assert_eq!((route.role, route.escalated_to), (Role::CareAgent, Some(Role::SocialMediaManager)));
        let (i, u) = message(PlatformKind::X, "3", "Love the new mugs 😍");
        assert_eq!(router.route(&i, &u), Route { role: Role::BrandCommunityManager, escalated_to: None, rule: None });
    }
}
