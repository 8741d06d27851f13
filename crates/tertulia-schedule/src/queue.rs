//! The queue: posts placed in the next free slot of each account, pinned, reordered,
//! requeued, repeated and recycled, within every account's and the brand's rules.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::{AccountId, PlatformKind, PostId};

use crate::bookings::Bookings;
use crate::{Calendar, CivilCache, Conflict, EvergreenRecord, PostingRules, Recurrence, Recycler};

/// One account's calendar and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountPlan {
    /// The account.
    pub account: AccountId,
    /// Its platform.
    pub platform: PlatformKind,
    /// When it posts.
    pub calendar: Calendar,
    /// How often it may.
    pub rules: PostingRules,
}

/// How a post got its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementKind {
    /// The next free slot of the calendar.
    Slot,
    /// An exact time asked for.
    Pinned,
    /// An occurrence of a recurring post.
    Recurring,
    /// A repeat of an evergreen post.
    Evergreen {
        /// The post repeated.
        origin: PostId,
        /// Which repeat this is (1 for the first).
        repeat: u32,
    },
}

/// A post placed on one account at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// The post.
    pub post: PostId,
    /// The account.
    pub account: AccountId,
    /// When it goes out.
    pub at: DateTime<Utc>,
    /// How it got there.
    pub kind: PlacementKind,
}

/// The occurrences of a recurring post the queue placed, and those it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringPlan {
    /// Placed, in date order.
    pub placed: Vec<Placement>,
    /// Not placed: the date and the rule in the way.
    pub skipped: Vec<(NaiveDate, Conflict)>,
}

/// Why the queue refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// The account has no plan in this queue.
    #[error("account {0} has no calendar in this queue")]
    UnknownAccount(AccountId),
    /// No slot within the horizon fits.
    #[error("no free slot for account {account} within {days} days")]
    NoFreeSlot {
        /// The account.
        account: AccountId,
        /// The horizon searched.
        days: u64,
    },
    /// The exact time asked for breaks a rule.
    #[error("cannot place at {at}: {conflict}")]
    Conflict {
        /// The instant.
        at: DateTime<Utc>,
        /// The rule.
        conflict: Conflict,
    },
    /// The post is not queued on that account.
    #[error("post {post} is not queued on account {account}")]
    NotQueued {
        /// The post.
        post: PostId,
        /// The account.
        account: AccountId,
    },
    /// A new order must name exactly the account's slotted posts.
    #[error("the new order must name each post queued in a slot of the account exactly once")]
    OrderMismatch,
}

/// The queue of one brand.
///
/// ```
/// use std::time::Duration;
/// use chrono::{TimeZone, Utc};
/// use tertulia_core::{AccountId, PlatformKind, PostId};
/// use tertulia_schedule::{AccountPlan, Calendar, PostingRules, Queue};
/// let madrid = chrono_tz::Europe::Madrid;
/// let mut queue = Queue::new(Duration::from_secs(30 * 60));
/// queue.add_account(AccountPlan {
///     account: AccountId::new("masto"),
///     platform: PlatformKind::Mastodon,
///     calendar: Calendar::daily(madrid, [(9, 0), (18, 0)]),
///     rules: PostingRules::for_platform(&PlatformKind::Mastodon),
/// });
/// let now = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(); // 11:00 in Madrid
/// let first = queue.add(PostId::new("p1"), &AccountId::new("masto"), now)?;
/// let second = queue.add(PostId::new("p2"), &AccountId::new("masto"), now)?;
/// assert_eq!(first.at, Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap()); // 18:00 Madrid
/// assert_eq!(second.at, Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()); // 09:00 next day
/// # Ok::<(), tertulia_schedule::QueueError>(())
/// ```
#[derive(Debug)]
pub struct Queue {
    brand_spacing: Duration,
    horizon_days: u64,
    accounts: BTreeMap<AccountId, AccountPlan>,
    entries: Vec<Placement>,
    bookings: Bookings,
    cache: CivilCache,
}

impl Queue {
    /// An empty queue whose posts on different accounts of the brand keep `brand_spacing`
    /// apart. It looks for free slots up to 90 days ahead.
    pub fn new(brand_spacing: Duration) -> Self {
        Queue {
            brand_spacing,
            horizon_days: 90,
            accounts: BTreeMap::new(),
            entries: Vec::new(),
            bookings: Bookings::default(),
            cache: CivilCache::new(),
        }
    }

    /// Sets how many days ahead to look for a free slot.
    pub fn horizon_days(mut self, days: u64) -> Self {
        self.horizon_days = days.max(1);
        self
    }

    /// Adds (or replaces) an account's plan.
    pub fn add_account(&mut self, plan: AccountPlan) {
        self.accounts.insert(plan.account.clone(), plan);
    }

    /// An account's plan.
    pub fn account(&self, account: &AccountId) -> Option<&AccountPlan> {
        self.accounts.get(account)
    }

    /// Every placement, by time.
    pub fn entries(&self) -> &[Placement] {
        &self.entries
    }

    /// The placement of `post` on `account`, if queued.
    pub fn placement(&self, post: &PostId, account: &AccountId) -> Option<&Placement> {
        self.entries.iter().find(|p| &p.post == post && &p.account == account)
    }

    fn plan(&self, account: &AccountId) -> Result<&AccountPlan, QueueError> {
        self.accounts.get(account).ok_or_else(|| QueueError::UnknownAccount(account.clone()))
    }

    fn insert(&mut self, placement: Placement) -> Placement {
        self.bookings.book(&placement.account, placement.at);
        let position = self.entries.partition_point(|p| (p.at, &p.account) <= (placement.at, &placement.account));
        self.entries.insert(position, placement.clone());
        placement
    }

    /// Puts back placements made earlier (read from the store after a restart, say) as they
    /// are, without checking them, so new placements keep their rules around them.
    pub fn restore(&mut self, placements: impl IntoIterator<Item = Placement>) {
        for placement in placements {
            self.insert(placement);
        }
    }

    /// The first slot of `account` at or after `after` where one more post fits.
    pub fn next_free(&mut self, account: &AccountId, after: DateTime<Utc>) -> Result<DateTime<Utc>, QueueError> {
        let plan = self.plan(account)?.clone();
        let mut week_start = after;
        let mut searched = 0;
        let mut slots = Vec::new();
        while searched < self.horizon_days {
            let week_end = week_start.checked_add_days(Days::new(7)).unwrap_or(DateTime::<Utc>::MAX_UTC);
            slots.clear();
            plan.calendar.slots_into(&mut self.cache, week_start, week_end, &mut slots);
            for &slot in &slots {
                let free = self
                    .bookings
                    .check(account, plan.calendar.zone, &plan.rules, self.brand_spacing, slot, true)
                    .is_ok();
                if free {
                    return Ok(slot);
                }
            }
            week_start = week_end;
            searched += 7;
        }
        Err(QueueError::NoFreeSlot { account: account.clone(), days: self.horizon_days })
    }

    /// Places `post` on `account` in the next free slot at or after `after`.
    pub fn add(&mut self, post: PostId, account: &AccountId, after: DateTime<Utc>) -> Result<Placement, QueueError> {
        let at = self.next_free(account, after)?;
        Ok(self.insert(Placement { post, account: account.clone(), at, kind: PlacementKind::Slot }))
    }

    /// Places `post` on `account` at exactly `at`, whatever the calendar says. Blackout
    /// dates, daily caps and quotas still apply (a platform refuses what goes over);
    /// spacing does not (it is asked for on purpose), but later placements keep away from it.
    pub fn pin(&mut self, post: PostId, account: &AccountId, at: DateTime<Utc>) -> Result<Placement, QueueError> {
        self.check_exact(account, at)?;
        Ok(self.insert(Placement { post, account: account.clone(), at, kind: PlacementKind::Pinned }))
    }

    fn check_exact(&self, account: &AccountId, at: DateTime<Utc>) -> Result<(), QueueError> {
        let plan = self.plan(account)?;
        if plan.calendar.is_blacked_out(at) {
            let date = at.with_timezone(&plan.calendar.zone).date_naive();
            return Err(QueueError::Conflict { at, conflict: Conflict::Blackout(date) });
        }
        self.bookings
            .check(account, plan.calendar.zone, &plan.rules, self.brand_spacing, at, false)
            .map_err(|conflict| QueueError::Conflict { at, conflict })
    }

    /// Takes `post` off `account`.
    pub fn remove(&mut self, post: &PostId, account: &AccountId) -> Result<Placement, QueueError> {
        let position = self
            .entries
            .iter()
            .position(|p| &p.post == post && &p.account == account)
            .ok_or_else(|| QueueError::NotQueued { post: post.clone(), account: account.clone() })?;
        let placement = self.entries.remove(position);
        self.bookings.unbook(account, placement.at);
        Ok(placement)
    }

    /// Puts the account's slotted posts in a new order: the same slots, the posts of
    /// `order` placed in them one after the other. Pinned and recurring posts keep their time.
    pub fn reorder(&mut self, account: &AccountId, order: &[PostId]) -> Result<Vec<Placement>, QueueError> {
        self.plan(account)?;
        let slotted: Vec<usize> = (0..self.entries.len())
            .filter(|&i| &self.entries[i].account == account && self.entries[i].kind == PlacementKind::Slot)
            .collect();
        let mut current: Vec<&PostId> = slotted.iter().map(|&i| &self.entries[i].post).collect();
        let mut asked: Vec<&PostId> = order.iter().collect();
        current.sort();
        asked.sort();
        if current != asked {
            return Err(QueueError::OrderMismatch);
        }
        // `slotted` is in time order, so the n-th slot goes to the n-th post of the order.
        for (&index, post) in slotted.iter().zip(order) {
            self.entries[index].post = post.clone();
        }
        Ok(slotted.iter().map(|&i| self.entries[i].clone()).collect())
    }

    /// Places a post whose publish failed again, in the next free slot at or after `after`.
    pub fn requeue(
        &mut self,
        post: &PostId,
        account: &AccountId,
        after: DateTime<Utc>,
    ) -> Result<Placement, QueueError> {
        let previous = self.remove(post, account)?;
        match self.add(post.clone(), account, after) {
            Ok(placement) => Ok(placement),
            Err(error) => {
                self.insert(previous);
                Err(error)
            }
        }
    }

    /// Places every occurrence of a recurring post on `account` at its exact civil time.
    /// Occurrences on blackout dates are skipped; those that break a cap are returned with
    /// the reason, and not placed.
    pub fn add_recurring(&mut self, series: &Recurrence, account: &AccountId) -> Result<RecurringPlan, QueueError> {
        let zone = self.plan(account)?.calendar.zone;
        let mut placed = Vec::new();
        let mut skipped = Vec::new();
        for (n, date) in series.dates().into_iter().enumerate() {
            let at = crate::resolve_local(zone, date.and_time(series.time));
            let post = series.occurrence(n as u32 + 1);
            match self.check_exact(account, at) {
                Ok(()) => placed.push(self.insert(Placement {
                    post,
                    account: account.clone(),
                    at,
                    kind: PlacementKind::Recurring,
                })),
                Err(QueueError::Conflict { conflict, .. }) => skipped.push((date, conflict)),
                Err(other) => return Err(other),
            }
        }
        Ok(RecurringPlan { placed, skipped })
    }

    /// Places up to `count` repeats of the account's best evergreen posts in free slots at
    /// or after `after`: those past their cool-down and under their cap on repeats, best
    /// performers first, and never one that already has a repeat queued.
    pub fn recycle(
        &mut self,
        recycler: &Recycler,
        account: &AccountId,
        history: &[EvergreenRecord],
        after: DateTime<Utc>,
        count: usize,
    ) -> Result<Vec<Placement>, QueueError> {
        self.plan(account)?;
        let mut placed = Vec::new();
        for record in recycler.candidates(history, after) {
            if placed.len() >= count {
                break;
            }
            if &record.account != account {
                continue;
            }
            let queued = self.entries.iter().any(|p| {
                matches!(&p.kind, PlacementKind::Evergreen { origin, .. } if origin == &record.post)
                    && &p.account == account
            });
            if queued {
                continue;
            }
            let earliest = after.max(record.next_allowed(recycler));
            let at = self.next_free(account, earliest)?;
            let repeat = record.repeats + 1;
            placed.push(self.insert(Placement {
                post: PostId::new(format!("{}~{repeat}", record.post)),
                account: account.clone(),
                at,
                kind: PlacementKind::Evergreen { origin: record.post.clone(), repeat },
            }));
        }
        Ok(placed)
    }
}
