//! Customer-care cases opened from interactions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{BrandId, CaseId, MemberId, RemoteId, Role};

/// A customer-care case: one person's problem, followed to the end.
///
/// ```
/// use chrono::Utc;
/// use tertulia_core::{BrandId, Case, CaseId, CaseStatus, Priority, RemoteId};
/// let now = Utc::now();
/// let mut case = Case::open(CaseId::new("c1"), BrandId::new("cafe"), RemoteId::new("status-9"), Priority::High, now);
/// case.assign("ana", now)?;
/// case.set_status(CaseStatus::Resolved, now)?;
/// assert!(case.set_status(CaseStatus::Pending, now).is_err());
/// # Ok::<(), tertulia_core::CaseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The case's id.
    pub id: CaseId,
    /// The brand.
    pub brand: BrandId,
    /// The member, once known.
    pub member: Option<MemberId>,
    /// The interactions it gathers, the first being the one it was opened from.
    pub interactions: Vec<RemoteId>,
    /// Where it stands.
    pub status: CaseStatus,
    /// Who works on it.
    pub assignee: Option<String>,
    /// The role it is routed to.
    pub role: Option<Role>,
    /// How urgent it is.
    pub priority: Priority,
    /// When it must be resolved by.
    pub due: Option<DateTime<Utc>>,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Everything that happened to it, in order.
    pub history: Vec<CaseEvent>,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Waiting for the brand.
    Open,
    /// Waiting for the customer or a third party.
    Pending,
    /// Handed up to the social media manager.
    Escalated,
    /// Done.
    Resolved,
}

/// How urgent a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The usual.
    Normal,
    /// Before the rest.
    High,
    /// Now.
    Urgent,
}

/// One thing that happened to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: CaseEventKind,
}

/// What happened to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseEventKind {
    /// Opened from an interaction.
    Opened {
        /// The interaction.
        interaction: RemoteId,
    },
    /// A follow-up interaction was attached.
    FollowUp {
        /// The interaction.
        interaction: RemoteId,
    },
    /// The brand answered.
    Responded {
        /// The brand's reply, as published.
        reply: RemoteId,
    },
    /// Assigned to someone.
    Assigned {
        /// Who.
        assignee: String,
    },
    /// The status changed.
    StatusChanged {
        /// From.
        from: CaseStatus,
        /// To.
        to: CaseStatus,
    },
    /// A note by the team.
    Note {
        /// The note.
        text: String,
    },
}

/// A case operation that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The case is resolved; reopen it first.
    #[error("case {0} is resolved; reopen it before changing it")]
    Resolved(CaseId),
    /// The status is already the one asked for.
    #[error("case {case} is already {status:?}")]
    Unchanged {
        /// The case.
        case: CaseId,
        /// Its status.
        status: CaseStatus,
    },
}

impl Case {
    /// Opens a case from an interaction.
    pub fn open(id: CaseId, brand: BrandId, interaction: RemoteId, priority: Priority, at: DateTime<Utc>) -> Self {
        Case {
            id,
            brand,
            member: None,
            interactions: vec![interaction.clone()],
            status: CaseStatus::Open,
            assignee: None,
            role: None,
            priority,
            due: None,
            opened_at: at,
            history: vec![CaseEvent { at, kind: CaseEventKind::Opened { interaction } }],
        }
    }

    fn ensure_open(&self) -> Result<(), CaseError> {
        if self.status == CaseStatus::Resolved { Err(CaseError::Resolved(self.id.clone())) } else { Ok(()) }
    }

    /// Attaches a follow-up interaction (a resolved case is reopened by it).
    pub fn attach(&mut self, interaction: RemoteId, at: DateTime<Utc>) {
        if self.status == CaseStatus::Resolved {
            self.record(at, CaseEventKind::StatusChanged { from: CaseStatus::Resolved, to: CaseStatus::Open });
            self.status = CaseStatus::Open;
        }
        self.interactions.push(interaction.clone());
        self.record(at, CaseEventKind::FollowUp { interaction });
    }

    /// Records the brand's answer.
    pub fn respond(&mut self, reply: RemoteId, at: DateTime<Utc>) -> Result<(), CaseError> {
        self.ensure_open()?;
        self.record(at, CaseEventKind::Responded { reply });
        Ok(())
    }

    /// Assigns the case.
    pub fn assign(&mut self, assignee: impl Into<String>, at: DateTime<Utc>) -> Result<(), CaseError> {
        self.ensure_open()?;
        let assignee = assignee.into();
        self.assignee = Some(assignee.clone());
        self.record(at, CaseEventKind::Assigned { assignee });
        Ok(())
    }

    /// Changes the status: pend, escalate, resolve, or reopen a resolved case with
    /// [`CaseStatus::Open`].
    pub fn set_status(&mut self, to: CaseStatus, at: DateTime<Utc>) -> Result<(), CaseError> {
        if self.status == to {
            return Err(CaseError::Unchanged { case: self.id.clone(), status: to });
        }
        if self.status == CaseStatus::Resolved && to != CaseStatus::Open {
            return Err(CaseError::Resolved(self.id.clone()));
        }
        if to == CaseStatus::Escalated {
            self.role = Some(Role::SocialMediaManager);
        }
        self.record(at, CaseEventKind::StatusChanged { from: self.status, to });
        self.status = to;
        Ok(())
    }

    /// Adds a note.
    pub fn note(&mut self, text: impl Into<String>, at: DateTime<Utc>) {
        self.record(at, CaseEventKind::Note { text: text.into() });
    }

    /// When the brand first answered, if it has.
    pub fn first_response_at(&self) -> Option<DateTime<Utc>> {
        self.history.iter().find(|e| matches!(e.kind, CaseEventKind::Responded { .. })).map(|e| e.at)
    }

    /// When the case was last resolved, if it is resolved.
    pub fn resolved_at(&self) -> Option<DateTime<Utc>> {
        if self.status != CaseStatus::Resolved {
            return None;
        }
        self.history
            .iter()
            .rev()
            .find(|e| matches!(e.kind, CaseEventKind::StatusChanged { to: CaseStatus::Resolved, .. }))
            .map(|e| e.at)
    }

    fn record(&mut self, at: DateTime<Utc>, kind: CaseEventKind) {
        self.history.push(CaseEvent { at, kind });
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_case_keeps_its_history_and_response_times() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let t1 = t0 + chrono::Duration::minutes(20);
        let t2 = t0 + chrono::Duration::hours(3);
        let mut case = Case::open(CaseId::new("c"), BrandId::new("b"), RemoteId::new("i1"), Priority::Normal, t0);
        case.respond(RemoteId::new("r1"), t1).unwrap();
        case.set_status(CaseStatus::Escalated, t1).unwrap();
        assert_eq!(case.role, Some(Role::SocialMediaManager));
        case.set_status(CaseStatus::Resolved, t2).unwrap();
        assert_eq!(case.first_response_at(), Some(t1));
        assert_eq!(case.resolved_at(), Some(t2));
        assert_eq!(case.assign("ana", t2), Err(CaseError::Resolved(CaseId::new("c"))));
        // A follow-up reopens it.
        case.attach(RemoteId::new("i2"), t2);
        assert_eq!(case.status, CaseStatus::Open);
        assert_eq!(case.resolved_at(), None);
        assert_eq!(case.interactions.len(), 2);
    }
}
