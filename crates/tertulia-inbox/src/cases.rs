//! Cases: one customer's problem followed to the end, and how fast the brand answers.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use tertulia_core::{
    BrandId, Case, CaseError, CaseId, CaseStatus, Interaction, MemberId, PlatformKind, Priority, RemoteId,
};

use crate::BusinessCalendar;
use crate::inbox::InteractionKey;

/// A case operation that could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CasesError {
    /// No case has this id.
    #[error("no case {0}")]
    UnknownCase(CaseId),
    /// The interaction already belongs to a case.
    #[error("interaction {interaction} already belongs to case {case}")]
    AlreadyInCase {
        /// The interaction.
        interaction: RemoteId,
        /// Its case.
        case: CaseId,
    },
    /// The case's state machine refused.
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// A brand's cases.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use tertulia_core::{Author, BrandId, CaseStatus, Interaction, InteractionKind, PlatformKind, Priority, RemoteId};
/// use tertulia_inbox::Cases;
/// let at = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
/// let complaint = Interaction {
///     id: RemoteId::new("1"), platform: PlatformKind::X, account: None, kind: InteractionKind::DirectMessage,
///     author: Author::new("7", "ana"), text: Some("My order never arrived".into()), language: None, created_at: at,
///     subject: None, in_reply_to: None, conversation: None, permalink: None,
/// };
/// let mut cases = Cases::new(BrandId::new("cafe"));
/// let id = cases.open(&complaint, Priority::High, at)?;
/// cases.assign(&id, "bruno", at)?;
/// cases.respond(&id, RemoteId::new("r1"), at + Duration::minutes(20))?;
/// cases.resolve(&id, at + Duration::hours(3))?;
/// assert_eq!(cases.get(&id).unwrap().status, CaseStatus::Resolved);
/// # Ok::<(), tertulia_inbox::CasesError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Cases {
    brand: BrandId,
    cases: Vec<Case>,
    by_id: HashMap<CaseId, usize>,
    by_interaction: HashMap<InteractionKey, usize>,
}

impl Cases {
    /// No cases yet.
    pub fn new(brand: BrandId) -> Self {
        Cases { brand, cases: Vec::new(), by_id: HashMap::new(), by_interaction: HashMap::new() }
    }

    /// Opens a case from an interaction; its id is `<brand>-<n>`.
    pub fn open(
        &mut self,
        interaction: &Interaction,
        priority: Priority,
        at: DateTime<Utc>,
    ) -> Result<CaseId, CasesError> {
        let key = (interaction.platform.clone(), interaction.id.clone());
        if let Some(existing) = self.by_interaction.get(&key) {
            return Err(CasesError::AlreadyInCase {
                interaction: interaction.id.clone(),
                case: self.cases[*existing].id.clone(),
            });
        }
        let id = CaseId::new(format!("{}-{}", self.brand, self.cases.len() + 1));
        let case = Case::open(id.clone(), self.brand.clone(), interaction.id.clone(), priority, at);
        self.by_id.insert(id.clone(), self.cases.len());
        self.by_interaction.insert(key, self.cases.len());
        self.cases.push(case);
        Ok(id)
    }

    /// Attaches a follow-up interaction (it reopens a resolved case).
    pub fn attach(&mut self, id: &CaseId, interaction: &Interaction, at: DateTime<Utc>) -> Result<(), CasesError> {
        let key = (interaction.platform.clone(), interaction.id.clone());
        if let Some(existing) = self.by_interaction.get(&key) {
            return Err(CasesError::AlreadyInCase {
                interaction: interaction.id.clone(),
                case: self.cases[*existing].id.clone(),
            });
        }
        let index = self.index(id)?;
        self.cases[index].attach(interaction.id.clone(), at);
        self.by_interaction.insert(key, index);
        Ok(())
    }

    /// Names the member the case is for.
    pub fn set_member(&mut self, id: &CaseId, member: MemberId) -> Result<(), CasesError> {
        let index = self.index(id)?;
        self.cases[index].member = Some(member);
        Ok(())
    }

    /// Assigns the case to someone.
    pub fn assign(&mut self, id: &CaseId, assignee: &str, at: DateTime<Utc>) -> Result<(), CasesError> {
        let index = self.index(id)?;
        Ok(self.cases[index].assign(assignee, at)?)
    }

    /// Records the brand's answer.
    pub fn respond(&mut self, id: &CaseId, reply: RemoteId, at: DateTime<Utc>) -> Result<(), CasesError> {
        let index = self.index(id)?;
        Ok(self.cases[index].respond(reply, at)?)
    }

    /// Waits on the customer or a third party.
    pub fn pend(&mut self, id: &CaseId, at: DateTime<Utc>) -> Result<(), CasesError> {
        self.set_status(id, CaseStatus::Pending, at)
    }

    /// Hands the case up to the social media manager.
    pub fn escalate(&mut self, id: &CaseId, at: DateTime<Utc>) -> Result<(), CasesError> {
        self.set_status(id, CaseStatus::Escalated, at)
    }

    /// Resolves the case.
    pub fn resolve(&mut self, id: &CaseId, at: DateTime<Utc>) -> Result<(), CasesError> {
        self.set_status(id, CaseStatus::Resolved, at)
    }

    /// Reopens a resolved case.
    pub fn reopen(&mut self, id: &CaseId, at: DateTime<Utc>) -> Result<(), CasesError> {
        self.set_status(id, CaseStatus::Open, at)
    }

    /// A case by id.
    pub fn get(&self, id: &CaseId) -> Option<&Case> {
        self.by_id.get(id).map(|index| &self.cases[*index])
    }

    /// The case an interaction belongs to.
    pub fn of_interaction(&self, platform: &PlatformKind, id: &RemoteId) -> Option<&Case> {
        self.by_interaction.get(&(platform.clone(), id.clone())).map(|index| &self.cases[*index])
    }

    /// Every case, oldest first.
    pub fn all(&self) -> &[Case] {
        &self.cases
    }

    /// Cases not resolved, most urgent first, then oldest first.
    pub fn unresolved(&self) -> Vec<&Case> {
        let mut open: Vec<&Case> = self.cases.iter().filter(|c| c.status != CaseStatus::Resolved).collect();
        open.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.opened_at.cmp(&b.opened_at)));
        open
    }

    /// First-response and resolution times of every case, in business time of the
    /// calendar's brand.
    pub fn response_times(&self, calendar: &BusinessCalendar) -> ResponseTimes {
        let first: Vec<Duration> = self
            .cases
            .iter()
            .filter_map(|c| c.first_response_at().map(|at| calendar.between(c.opened_at, at)))
            .collect();
        let resolution: Vec<Duration> =
            self.cases.iter().filter_map(|c| c.resolved_at().map(|at| calendar.between(c.opened_at, at))).collect();
        ResponseTimes { first_response: Summary::of(first), resolution: Summary::of(resolution) }
    }

    fn set_status(&mut self, id: &CaseId, to: CaseStatus, at: DateTime<Utc>) -> Result<(), CasesError> {
        let index = self.index(id)?;
        Ok(self.cases[index].set_status(to, at)?)
    }

    fn index(&self, id: &CaseId) -> Result<usize, CasesError> {
        self.by_id.get(id).copied().ok_or_else(|| CasesError::UnknownCase(id.clone()))
    }
}

/// First-response and resolution figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTimes {
    /// From opening to the brand's first answer.
    pub first_response: Summary,
    /// From opening to resolution.
    pub resolution: Summary,
}

/// Mean, median and 90th percentile of some durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// How many durations.
    pub count: usize,
    /// Their mean.
    pub mean: Duration,
    /// Their median (the mean of the two middle ones for an even count).
    pub median: Duration,
    /// Their 90th percentile (nearest rank: the smallest duration with at least 90% of the
    /// durations at or below it).
    pub p90: Duration,
}

impl Summary {
    /// The summary of some durations (all zero when there are none).
    ///
    /// ```
    /// use chrono::Duration;
    /// use tertulia_inbox::Summary;
    /// let summary = Summary::of((1..=10).map(Duration::minutes).collect());
    /// assert_eq!(summary.median, Duration::seconds(330));
    /// assert_eq!(summary.p90, Duration::minutes(9));
    /// ```
    pub fn of(mut durations: Vec<Duration>) -> Self {
        if durations.is_empty() {
            return Summary::default();
        }
        durations.sort_unstable();
        let n = durations.len();
        let total: i64 = durations.iter().map(|d| d.num_milliseconds()).sum();
        let median = if n % 2 == 1 {
            durations[n / 2]
        } else {
            Duration::milliseconds((durations[n / 2 - 1].num_milliseconds() + durations[n / 2].num_milliseconds()) / 2)
        };
        let rank = (n * 9).div_ceil(10).max(1);
        Summary { count: n, mean: Duration::milliseconds(total / n as i64), median, p90: durations[rank - 1] }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use tertulia_core::{Author, Brand, InteractionKind};

    use super::*;

    fn interaction(id: &str, at: DateTime<Utc>) -> Interaction {
        Interaction {
            id: RemoteId::new(id),
            platform: PlatformKind::Mastodon,
            account: None,
            kind: InteractionKind::Mention,
            author: Author::new("7", "ana"),
            text: Some("no llega".into()),
            language: None,
            created_at: at,
            subject: None,
            in_reply_to: None,
            conversation: None,
            permalink: None,
        }
    }

    #[test]
    fn response_times_count_business_hours_of_the_brand_zone() {
        let brand = Brand::new(BrandId::new("cafe"), "Café", chrono_tz::Europe::Madrid);
        let calendar = BusinessCalendar::new(
            &brand,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        );
        let mut cases = Cases::new(brand.id.clone());
        // Friday 17:30 Madrid (16:30 UTC); answered Monday 9:30 Madrid: one business hour.
        let friday = Utc.with_ymd_and_hms(2026, 11, 27, 16, 30, 0).unwrap();
        let monday = Utc.with_ymd_and_hms(2026, 11, 30, 8, 30, 0).unwrap();
        let a = cases.open(&interaction("a", friday), Priority::Normal, friday).unwrap();
        cases.respond(&a, RemoteId::new("r"), monday).unwrap();
        cases.pend(&a, monday).unwrap();
        cases.resolve(&a, monday + Duration::hours(2)).unwrap();
        // Monday 10:00 Madrid; answered 10:20, escalated, resolved 14:00.
        let b_at = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        let b = cases.open(&interaction("b", b_at), Priority::High, b_at).unwrap();
        cases.respond(&b, RemoteId::new("r2"), b_at + Duration::minutes(20)).unwrap();
        cases.escalate(&b, b_at + Duration::minutes(30)).unwrap();
        cases.attach(&b, &interaction("b2", b_at), b_at + Duration::minutes(40)).unwrap();
        cases.resolve(&b, b_at + Duration::hours(4)).unwrap();
        // A third, never answered.
        let c = cases.open(&interaction("c", b_at), Priority::Low, b_at).unwrap();
        assert!(matches!(
            cases.open(&interaction("c", b_at), Priority::Low, b_at),
            Err(CasesError::AlreadyInCase { .. })
        ));
        assert!(matches!(cases.attach(&c, &interaction("b2", b_at), b_at), Err(CasesError::AlreadyInCase { .. })));
        assert!(matches!(cases.resolve(&a, b_at), Err(CasesError::Case(CaseError::Unchanged { .. }))));

        let times = cases.response_times(&calendar);
        assert_eq!(times.first_response.count, 2);
        assert_eq!(times.first_response.mean, Duration::minutes(40));
        assert_eq!(times.first_response.median, Duration::minutes(40));
        assert_eq!(times.first_response.p90, Duration::minutes(60));
        assert_eq!(times.resolution.count, 2);
        assert_eq!(times.resolution.mean, Duration::minutes((180 + 240) / 2));
        assert_eq!(cases.unresolved().len(), 1);
        assert_eq!(cases.of_interaction(&PlatformKind::Mastodon, &RemoteId::new("b2")).map(|c| &c.id), Some(&b));
    }
}
