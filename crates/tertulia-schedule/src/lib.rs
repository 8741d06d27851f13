#![doc = include_str!("../README.md")]

mod backoff;
mod best_time;
mod bookings;
mod calendar;
mod civil;
mod enqueue;
mod evergreen;
mod planner;
mod queue;
mod recurring;
mod rules;
mod runner;
mod validate;

pub use backoff::Backoff;
pub use best_time::{AccountCurve, BestTime, BestTimeModel, Observation, Recommendation, audience_activity};
pub use bookings::Conflict;
pub use calendar::{Calendar, WeeklySlot};
pub use civil::{CivilCache, resolve_local};
pub use enqueue::enqueue;
pub use evergreen::{EvergreenRecord, Recycler};
pub use planner::Planner;
pub use queue::{AccountPlan, Placement, PlacementKind, Queue, QueueError, RecurringPlan};
pub use recurring::{Every, Recurrence, Until};
pub use rules::{PostingRules, known_publish_quotas};
pub use runner::{RunReport, Runner, RunnerConfig, RunnerError};
