//! Crisis signal: mentions of an account spiking, and turning negative, against its own
//! baseline.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tertulia_core::Interaction;

use crate::inbox::InteractionKey;
use crate::{Intent, Sentiment, Understanding};

/// When a window counts as a spike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrisisSettings {
    /// Width of a window, in minutes.
    pub window_minutes: u32,
    /// How many windows before the current one make the baseline.
    pub baseline_windows: u32,
    /// Messages in a window below which nothing is a spike.
    pub min_volume: u32,
    /// Negative messages in a window below which nothing is a spike.
    pub min_negative: u32,
    /// A spike is at least this many standard deviations above the baseline mean…
    pub sigmas: f32,
    /// …and at least this many times the baseline mean.
    pub factor: f32,
    /// The negative share must rise by at least this much (0.25 = 25 points) over the
    /// baseline's share for a volume spike to be a crisis.
    pub share_rise: f32,
}

impl Default for CrisisSettings {
    fn default() -> Self {
        CrisisSettings {
            window_minutes: 60,
            baseline_windows: 7 * 24,
            min_volume: 10,
            min_negative: 6,
            sigmas: 3.0,
            factor: 3.0,
            share_rise: 0.25,
        }
    }
}

/// A spike, with the messages that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrisisAlert {
    /// The account (or platform, when the interaction named no account).
    pub account: String,
    /// Start of the window.
    pub from: DateTime<Utc>,
    /// End of the window.
    pub to: DateTime<Utc>,
    /// Messages in the window.
    pub volume: u32,
    /// Mean messages per window in the baseline.
    pub baseline_volume: f32,
    /// Share of negative messages in the window.
    pub negative_share: f32,
    /// Share of negative messages in the baseline.
    pub baseline_negative_share: f32,
    /// The negative messages of the window, oldest first.
    pub messages: Vec<InteractionKey>,
    /// Why it is an alert, in words.
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
struct Window {
    volume: u32,
    negative: u32,
    messages: Vec<(DateTime<Utc>, InteractionKey)>,
}

/// Counts mentions per account and window, and raises an alert when a window spikes.
///
/// A window is a spike when its negative messages are at least `min_negative` and above
/// both `mean + sigmas·sd` and `factor·mean` of the baseline's negative counts; or when its
/// volume is at least `min_volume` and above the same bounds of the baseline's volumes while
/// its negative share rose by `share_rise` over the baseline's. Empty windows count in the
/// baseline as zeros.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use tertulia_core::{Author, Interaction, InteractionKind, PlatformKind, RemoteId};
/// use tertulia_inbox::{CrisisMonitor, CrisisSettings, Intent, Language, Sentiment, Understanding};
/// let start = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
/// let mut monitor = CrisisMonitor::new(CrisisSettings::default());
/// let mention = |n: u32, at| Interaction {
///     id: RemoteId::new(n.to_string()), platform: PlatformKind::X, account: None, kind: InteractionKind::Mention,
///     author: Author::new(n.to_string(), "someone"), text: None, language: None, created_at: at,
///     subject: None, in_reply_to: None, conversation: None, permalink: None,
/// };
/// let calm = Understanding { sentiment: Sentiment::Positive, ..Understanding::empty() };
/// let angry = Understanding { sentiment: Sentiment::Negative, intent: Intent::Complaint, ..Understanding::empty() };
/// for hour in 0..24 * 6 {
///     monitor.observe(&mention(hour, start + Duration::hours(i64::from(hour))), &calm);
/// }
/// let now = start + Duration::hours(24 * 6);
/// for n in 0..30 {
///     monitor.observe(&mention(1000 + n, now + Duration::minutes(i64::from(n))), &angry);
/// }
/// let alerts = monitor.alerts(now + Duration::minutes(45));
/// assert_eq!(alerts.len(), 1);
/// assert_eq!(alerts[0].messages.len(), 30);
/// ```
#[derive(Debug, Clone)]
pub struct CrisisMonitor {
    settings: CrisisSettings,
    windows: HashMap<String, BTreeMap<i64, Window>>,
}

impl CrisisMonitor {
    /// A monitor with these settings.
    pub fn new(settings: CrisisSettings) -> Self {
        CrisisMonitor { settings, windows: HashMap::new() }
    }

    /// Counts one mention.
    pub fn observe(&mut self, interaction: &Interaction, understanding: &Understanding) {
        if understanding.intent == Intent::Spam {
            return;
        }
        let account = interaction.account.as_ref().map_or_else(|| interaction.platform.to_string(), |a| a.to_string());
        let window = self.window_of(interaction.created_at);
        let entry = self.windows.entry(account).or_default().entry(window).or_default();
        entry.volume += 1;
        if understanding.sentiment == Sentiment::Negative || understanding.intent == Intent::Crisis {
            entry.negative += 1;
            entry.messages.push((interaction.created_at, (interaction.platform.clone(), interaction.id.clone())));
        }
    }

    /// Alerts for the window holding `now`, one per account that spikes.
    pub fn alerts(&self, now: DateTime<Utc>) -> Vec<CrisisAlert> {
        let current = self.window_of(now);
        let mut alerts: Vec<CrisisAlert> =
            self.windows.iter().filter_map(|(account, windows)| self.check(account, windows, current)).collect();
        alerts.sort_by(|a, b| a.account.cmp(&b.account));
        alerts
    }

    /// Forgets windows older than the baseline needs at `now`.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        let oldest = self.window_of(now) - i64::from(self.settings.baseline_windows);
        for windows in self.windows.values_mut() {
            windows.retain(|window, _| *window >= oldest);
        }
    }

    fn check(&self, account: &str, windows: &BTreeMap<i64, Window>, current: i64) -> Option<CrisisAlert> {
        let settings = &self.settings;
        let window = windows.get(&current)?;
        let n = settings.baseline_windows.max(1);
        let baseline = windows.range(current - i64::from(n)..current).map(|(_, w)| w);
        let (mut volumes, mut negatives) = (Vec::new(), Vec::new());
        for w in baseline {
            volumes.push(f64::from(w.volume));
            negatives.push(f64::from(w.negative));
        }
        let (volume_mean, volume_sd) = stats(&volumes, n);
        let (negative_mean, negative_sd) = stats(&negatives, n);
        let bound =
            |mean: f64, sd: f64| (mean + f64::from(settings.sigmas) * sd).max(f64::from(settings.factor) * mean);
        let baseline_volume: f64 = volumes.iter().sum();
        let baseline_share = if baseline_volume == 0.0 { 0.0 } else { negatives.iter().sum::<f64>() / baseline_volume };
        let share = f64::from(window.negative) / f64::from(window.volume.max(1));

        let negative_spike =
            window.negative >= settings.min_negative && f64::from(window.negative) > bound(negative_mean, negative_sd);
        let volume_spike = window.volume >= settings.min_volume
            && f64::from(window.volume) > bound(volume_mean, volume_sd)
            && share >= baseline_share + f64::from(settings.share_rise);
        if !negative_spike && !volume_spike {
            return None;
        }
        let reason = if negative_spike {
            format!(
                "{} negative mentions in {} min against a usual {:.1}",
                window.negative, settings.window_minutes, negative_mean
            )
        } else {
            format!(
                "{} mentions in {} min against a usual {:.1}, {:.0}% negative against a usual {:.0}%",
                window.volume,
                settings.window_minutes,
                volume_mean,
                share * 100.0,
                baseline_share * 100.0
            )
        };
        let mut messages = window.messages.clone();
        messages.sort_by_key(|(at, _)| *at);
        let from = DateTime::from_timestamp(current * self.width(), 0)?;
        Some(CrisisAlert {
            account: account.to_owned(),
            from,
            to: from + Duration::seconds(self.width()),
            volume: window.volume,
            baseline_volume: volume_mean as f32,
            negative_share: share as f32,
            baseline_negative_share: baseline_share as f32,
            messages: messages.into_iter().map(|(_, key)| key).collect(),
            reason,
        })
    }

    fn width(&self) -> i64 {
        i64::from(self.settings.window_minutes.max(1)) * 60
    }

    fn window_of(&self, at: DateTime<Utc>) -> i64 {
        at.timestamp().div_euclid(self.width())
    }
}

/// Mean and standard deviation of `values` padded with zeros to `n` windows.
fn stats(values: &[f64], n: u32) -> (f64, f64) {
    let n = f64::from(n);
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() + (n - values.len() as f64) * mean * mean;
    (mean, (squares / n).sqrt())
}
