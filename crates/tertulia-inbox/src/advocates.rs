//! Advocates: the people who speak well of the brand, again and again, and defend it.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Utc};
use tertulia_core::{Author, Interaction, Member, PlatformKind, RemoteId};

use crate::inbox::AuthorKey;
use crate::{Inbox, Intent, Sentiment, Understanding};

/// One identity of a person on one platform, as last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The platform.
    pub platform: PlatformKind,
    /// The platform's user id.
    pub id: RemoteId,
    /// The handle.
    pub handle: String,
    /// The display name, if any.
    pub display_name: Option<String>,
    /// Their profile page, if known.
    pub url: Option<String>,
    /// Followers, the largest seen.
    pub followers: u64,
}

#[derive(Debug, Clone, Default)]
struct Activity {
    messages: u32,
    positive: u32,
    negative: u32,
    defences: Vec<RemoteId>,
    /// ISO weeks (year·100 + week) with a positive message.
    positive_weeks: BTreeSet<u32>,
    first_positive: Option<DateTime<Utc>>,
    last_positive: Option<DateTime<Utc>>,
}

/// Why two identities may be one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The same handle once the server or domain part is dropped (`ana@mastodon.social`,
    /// `ana.bsky.social`).
    SameHandle(String),
    /// The same display name, ignoring case and accents.
    SameDisplayName(String),
    /// One profile's link names the other's handle.
    ProfileLink(String),
}

/// Two identities that may be one person, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchSuggestion {
    /// One identity.
    pub a: AuthorKey,
    /// The other.
    pub b: AuthorKey,
    /// Why.
    pub evidence: Vec<Evidence>,
}

/// A person's standing as an advocate, with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvocateScore {
    /// Their identities (linked across platforms).
    pub identities: Vec<Profile>,
    /// The score.
    pub score: f32,
    /// Positive messages, all identities together.
    pub positive: u32,
    /// Negative messages.
    pub negative: u32,
    /// Times they answered a critic in a thread, positively.
    pub defences: u32,
    /// Their largest audience.
    pub followers: u64,
    /// Distinct weeks with a positive message.
    pub active_weeks: u32,
    /// What a person reads to trust the score.
    pub evidence: Vec<String>,
}

/// Finds and ranks advocates across platforms.
///
/// Score = `10·ln(1 + positive)` (repeated positive engagement, with diminishing returns)
/// `+ 8·defences` (a positive reply to someone else's complaint)
/// `+ 2·log10(1 + followers)` (reach)
/// `+ 10·consistency`, where consistency is the share of weeks between the first and the
/// last positive message that had one, times `min(weeks, 4)/4` so one busy week is not
/// consistency; all of it scaled by `positive / (positive + negative)`.
///
/// Identities are merged by explicit links ([`Advocates::link`], or a [`Member`]'s
/// identities) and only by them: [`Advocates::suggest_matches`] proposes more, with evidence,
/// for a person to confirm.
#[derive(Debug, Clone, Default)]
pub struct Advocates {
    profiles: Vec<Profile>,
    activity: Vec<Activity>,
    by_key: HashMap<AuthorKey, usize>,
    parent: Vec<usize>,
}

impl Advocates {
    /// Nobody yet.
    pub fn new() -> Self {
        Advocates::default()
    }

    /// Reads every item of an inbox: who wrote what, and who defended the brand by answering
    /// someone else's complaint positively.
    pub fn from_inbox(inbox: &Inbox) -> Self {
        let mut advocates = Advocates::new();
        // A defence is a positive answer to someone else's complaint.
        let mut complaints: HashMap<(&PlatformKind, &RemoteId), &RemoteId> = HashMap::new();
        for item in inbox.items().filter(|i| !i.from_brand) {
            let read = &item.understanding;
            if matches!(read.intent, Intent::Complaint | Intent::Crisis) || read.sentiment == Sentiment::Negative {
                complaints.insert((&item.interaction.platform, &item.interaction.id), &item.interaction.author.id);
            }
        }
        for item in inbox.items().filter(|i| !i.from_brand) {
            let interaction = &item.interaction;
            let defends = item.understanding.sentiment == Sentiment::Positive
                && interaction
                    .in_reply_to
                    .as_ref()
                    .and_then(|parent| complaints.get(&(&interaction.platform, parent)))
                    .is_some_and(|critic| **critic != interaction.author.id);
            advocates.observe(&item.interaction, &item.understanding, defends);
        }
        advocates
    }

    /// Records one interaction; `defends` when it answers a critic on the brand's behalf.
    pub fn observe(&mut self, interaction: &Interaction, understanding: &Understanding, defends: bool) {
        let index = self.identity(&interaction.platform, &interaction.author);
        let activity = &mut self.activity[index];
        activity.messages += 1;
        match understanding.sentiment {
            Sentiment::Positive => {
                activity.positive += 1;
                let week = interaction.created_at.iso_week();
                activity.positive_weeks.insert(week.year() as u32 * 100 + week.week());
                let at = interaction.created_at;
                activity.first_positive = Some(activity.first_positive.map_or(at, |f| f.min(at)));
                activity.last_positive = Some(activity.last_positive.map_or(at, |l| l.max(at)));
            }
            Sentiment::Negative => activity.negative += 1,
            Sentiment::Neutral => {}
        }
        if defends {
            activity.defences.push(interaction.id.clone());
        }
    }

    /// Links two identities as one person.
    pub fn link(&mut self, a: &AuthorKey, b: &AuthorKey) {
        let (Some(a), Some(b)) = (self.by_key.get(a).copied(), self.by_key.get(b).copied()) else { return };
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[rb] = ra;
        }
    }

    /// Links the identities a [`Member`] lists (those seen so far).
    pub fn link_member(&mut self, member: &Member) {
        let keys: Vec<AuthorKey> =
            member.identities.iter().map(|i| (i.platform.clone(), i.remote_id.clone())).collect();
        for pair in keys.windows(2) {
            self.link(&pair[0], &pair[1]);
        }
    }

    /// Identities on different platforms, not yet linked, that may be one person.
    pub fn suggest_matches(&self) -> Vec<MatchSuggestion> {
        let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, profile) in self.profiles.iter().enumerate() {
            buckets.entry(format!("h:{}", handle_stem(&profile.handle))).or_default().push(index);
            if let Some(name) = profile.display_name.as_deref().map(normalise_name).filter(|n| n.len() >= 3) {
                buckets.entry(format!("n:{name}")).or_default().push(index);
            }
        }
        let mut pairs = BTreeSet::new();
        for members in buckets.values() {
            for (i, a) in members.iter().enumerate() {
                for b in &members[i + 1..] {
                    pairs.insert((*a.min(b), *a.max(b)));
                }
            }
        }
        let mut suggestions = Vec::new();
        for (a, b) in pairs {
            let (pa, pb) = (&self.profiles[a], &self.profiles[b]);
            if pa.platform == pb.platform || self.root_of(a) == self.root_of(b) {
                continue;
            }
            let mut evidence = Vec::new();
            let stem = handle_stem(&pa.handle);
            if stem.len() >= 3 && stem == handle_stem(&pb.handle) {
                evidence.push(Evidence::SameHandle(stem));
            }
            if let (Some(na), Some(nb)) = (&pa.display_name, &pb.display_name)
                && normalise_name(na).len() >= 3
                && normalise_name(na) == normalise_name(nb)
            {
                evidence.push(Evidence::SameDisplayName(na.clone()));
            }
            for (from, to) in [(pa, pb), (pb, pa)] {
                if let Some(url) = &from.url
                    && url.to_lowercase().contains(&to.handle.to_lowercase())
                {
                    evidence.push(Evidence::ProfileLink(url.clone()));
                }
            }
            if !evidence.is_empty() {
                suggestions.push(MatchSuggestion {
                    a: (pa.platform.clone(), pa.id.clone()),
                    b: (pb.platform.clone(), pb.id.clone()),
                    evidence,
                });
            }
        }
        suggestions.sort_by_key(|s| std::cmp::Reverse(s.evidence.len()));
        suggestions
    }

    /// Everyone with at least two positive messages, best advocate first.
    pub fn ranking(&self) -> Vec<AdvocateScore> {
        let mut people: HashMap<usize, Vec<usize>> = HashMap::new();
        for index in 0..self.profiles.len() {
            people.entry(self.root_of(index)).or_default().push(index);
        }
        let mut ranking: Vec<AdvocateScore> =
            people.into_values().map(|members| self.score(&members)).filter(|s| s.positive >= 2).collect();
        ranking.sort_by(|a, b| b.score.total_cmp(&a.score));
        ranking
    }

    fn score(&self, members: &[usize]) -> AdvocateScore {
        let mut positive = 0;
        let mut negative = 0;
        let mut defences: Vec<&RemoteId> = Vec::new();
        let mut weeks = BTreeSet::new();
        let mut first: Option<DateTime<Utc>> = None;
        let mut last: Option<DateTime<Utc>> = None;
        let mut followers = 0;
        for index in members {
            let activity = &self.activity[*index];
            positive += activity.positive;
            negative += activity.negative;
            defences.extend(activity.defences.iter());
            weeks.extend(activity.positive_weeks.iter().copied());
            first = match (first, activity.first_positive) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            last = match (last, activity.last_positive) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            followers = followers.max(self.profiles[*index].followers);
        }
        let active_weeks = weeks.len() as u32;
        let span_weeks = match (first, last) {
            (Some(f), Some(l)) => ((l - f).num_days() / 7 + 1).max(1) as f32,
            _ => 1.0,
        };
        let consistency = (active_weeks as f32 / span_weeks).min(1.0) * (active_weeks.min(4) as f32 / 4.0);
        let goodwill = if positive + negative == 0 { 0.0 } else { positive as f32 / (positive + negative) as f32 };
        let score = goodwill
            * (10.0 * (1.0 + positive as f32).ln()
                + 8.0 * defences.len() as f32
                + 2.0 * ((followers as f64 + 1.0).log10() as f32)
                + 10.0 * consistency);
        let platforms: BTreeSet<&str> = members.iter().map(|i| self.profiles[*i].platform.display_name()).collect();
        let mut evidence = vec![format!(
            "{positive} positive message{} on {}",
            if positive == 1 { "" } else { "s" },
            platforms.into_iter().collect::<Vec<_>>().join(", ")
        )];
        if !defences.is_empty() {
            evidence.push(format!(
                "defended the brand {} time{}, answering complaints (e.g. {})",
                defences.len(),
                if defences.len() == 1 { "" } else { "s" },
                defences[0]
            ));
        }
        evidence.push(format!("positive in {active_weeks} of {span_weeks:.0} week(s)"));
        if followers > 0 {
            evidence.push(format!("reaches {followers} followers"));
        }
        if negative > 0 {
            evidence.push(format!("{negative} negative message{}", if negative == 1 { "" } else { "s" }));
        }
        if members.len() > 1 {
            let names: Vec<String> = members
                .iter()
                .map(|i| format!("{} on {}", self.profiles[*i].handle, self.profiles[*i].platform.display_name()))
                .collect();
            evidence.push(format!("one person across {}", names.join(", ")));
        }
        AdvocateScore {
            identities: members.iter().map(|i| self.profiles[*i].clone()).collect(),
            score,
            positive,
            negative,
            defences: defences.len() as u32,
            followers,
            active_weeks,
            evidence,
        }
    }

    fn identity(&mut self, platform: &PlatformKind, author: &Author) -> usize {
        let key = (platform.clone(), author.id.clone());
        let index = match self.by_key.get(&key) {
            Some(index) => *index,
            None => {
                let index = self.profiles.len();
                self.profiles.push(Profile {
                    platform: platform.clone(),
                    id: author.id.clone(),
                    handle: author.handle.as_str().to_owned(),
                    display_name: None,
                    url: None,
                    followers: 0,
                });
                self.activity.push(Activity::default());
                self.parent.push(index);
                self.by_key.insert(key, index);
                index
            }
        };
        let profile = &mut self.profiles[index];
        profile.handle = author.handle.as_str().to_owned();
        if author.display_name.is_some() {
            profile.display_name = author.display_name.clone();
        }
        if let Some(url) = &author.url {
            profile.url = Some(url.to_string());
        }
        profile.followers = profile.followers.max(author.followers.unwrap_or(0));
        index
    }

    fn root(&mut self, mut index: usize) -> usize {
        while self.parent[index] != index {
            self.parent[index] = self.parent[self.parent[index]];
            index = self.parent[index];
        }
        index
    }

    fn root_of(&self, mut index: usize) -> usize {
        while self.parent[index] != index {
            index = self.parent[index];
        }
        index
    }
}

/// A handle without `@`, server or domain parts, and separators: `ana_garcia@mastodon.social`
/// and `ana-garcia.bsky.social` are both `anagarcia`.
fn handle_stem(handle: &str) -> String {
    let handle = handle.trim_start_matches('@');
    let local = handle.split('@').next().unwrap_or(handle);
    let local = local.split('.').next().unwrap_or(local);
    local.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn normalise_name(name: &str) -> String {
    let mut tokens = crate::text::Tokens::default();
    tokens.read(name);
    tokens
        .tokens
        .iter()
        .map(|t| tokens.text(t))
        .filter(|w| w.chars().all(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use tertulia_core::{Handle, Identity, InteractionKind, MemberId};

    use super::*;
    use crate::Language;

    fn said(
        platform: PlatformKind,
        id: &str,
        handle: &str,
        name: &str,
        days: i64,
        sentiment: Sentiment,
    ) -> (Interaction, Understanding) {
        let mut author = Author::new(id, handle);
        author.display_name = Some(name.into());
        author.followers = Some(1200);
        let at = Utc.with_ymd_and_hms(2026, 9, 1, 10, 0, 0).unwrap() + Duration::days(days);
        let interaction = Interaction {
            id: RemoteId::new(format!("{id}-{days}")),
            platform,
            account: None,
            kind: InteractionKind::Reply,
            author,
            text: Some("…".into()),
            language: None,
            created_at: at,
            subject: None,
            in_reply_to: None,
            conversation: None,
            permalink: None,
        };
        let read = Understanding {
            language: Language::Spanish,
            intent: Intent::Praise,
            sentiment,
            urgent: false,
            polarity: 1.0,
            sarcasm: false,
        };
        (interaction, read)
    }

    #[test]
    fn repeated_consistent_defenders_rank_first_and_identities_merge_by_link() {
        let mut advocates = Advocates::new();
        // ana: positive every week for six weeks on Mastodon, and twice a defender on Bluesky.
        for week in 0..6 {
            let (i, u) = said(
                PlatformKind::Mastodon,
                "m-ana",
                "ana@mastodon.social",
                "Ana García",
                week * 7,
                Sentiment::Positive,
            );
            advocates.observe(&i, &u, false);
        }
        for day in [3, 10] {
            let (i, u) =
                said(PlatformKind::Bluesky, "did:ana", "ana.bsky.social", "Ana Garcia", day, Sentiment::Positive);
            advocates.observe(&i, &u, true);
        }
        // bruno: six positive messages in one day, two negative.
        for n in 0..6 {
            let (i, u) = said(PlatformKind::X, "x-bruno", "bruno", "Bruno", 0, Sentiment::Positive);
            let i = Interaction { id: RemoteId::new(format!("b{n}")), ..i };
            advocates.observe(&i, &u, false);
        }
        for n in 0..2 {
            let (i, u) = said(PlatformKind::X, "x-bruno", "bruno", "Bruno", 1, Sentiment::Negative);
            let i = Interaction { id: RemoteId::new(format!("bn{n}")), ..i };
            advocates.observe(&i, &u, false);
        }

        let suggestions = advocates.suggest_matches();
        assert_eq!(suggestions.len(), 1);
        assert!(suggestions[0].evidence.contains(&Evidence::SameHandle("ana".into())));
        assert!(
            suggestions[0].evidence.contains(&Evidence::SameDisplayName("Ana García".into()))
                || suggestions[0].evidence.contains(&Evidence::SameDisplayName("Ana Garcia".into()))
        );

        let before = advocates.ranking();
        assert_eq!(before.len(), 3, "unlinked, ana is two people");

        let mut member = Member::new(MemberId::new("ana"), "Ana");
        member.identities.push(Identity {
            platform: PlatformKind::Mastodon,
            handle: Handle::new("ana@mastodon.social"),
            remote_id: RemoteId::new("m-ana"),
        });
        member.identities.push(Identity {
            platform: PlatformKind::Bluesky,
            handle: Handle::new("ana.bsky.social"),
            remote_id: RemoteId::new("did:ana"),
        });
        advocates.link_member(&member);
        assert!(advocates.suggest_matches().is_empty());
        let ranking = advocates.ranking();
        assert_eq!(ranking.len(), 2);
        assert_eq!(ranking[0].identities.len(), 2);
        assert_eq!((ranking[0].positive, ranking[0].defences), (8, 2));
        assert!(ranking[0].evidence.iter().any(|e| e.contains("defended the brand 2 times")));
        assert!(ranking[0].score > ranking[1].score);
        assert_eq!(ranking[1].negative, 2);
    }
}
