//! Fault injection: make the next calls of an operation fail, or lose a publish's answer.

use std::time::Duration;

use tertulia_core::{Error, ErrorKind, Operation, PlatformKind};

/// A failure to inject: the next `times` calls of `operation` answer an error of `kind`.
///
/// The failure happens before the network does anything, so a failed publish has not
/// posted (use [`MemoryPlatform::lose_next_outcome`](crate::MemoryPlatform::lose_next_outcome)
/// for a publish that posted but whose answer was lost).
///
/// ```
/// use std::time::Duration;
/// use tertulia_core::{ErrorKind, Operation};
/// use tertulia_memory::Fault;
/// let fault = Fault::new(Operation::Publish, ErrorKind::RateLimited).times(2).retry_after(Duration::from_secs(30));
/// assert_eq!(fault.times, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The operation that fails.
    pub operation: Operation,
    /// How it fails.
    pub kind: ErrorKind,
    /// How many calls in a row fail.
    pub times: u32,
    /// The retry-after the error carries (rate limits, maintenance).
    pub retry_after: Option<Duration>,
    /// The HTTP status the error carries, as a real adapter would report it.
    pub status: Option<u16>,
}

impl Fault {
    /// The next call of `operation` fails with `kind`; the status is the one a real
    /// platform would send for that kind.
    pub fn new(operation: Operation, kind: ErrorKind) -> Self {
        Fault { operation, kind, times: 1, retry_after: None, status: status_for(kind) }
    }

    /// Fails the next `times` calls instead of one.
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Sets the retry-after.
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }

    /// Sets the HTTP status the error carries.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn error(&self, platform: &PlatformKind) -> Error {
        let message = format!("injected {} failure", self.kind);
        let mut error = Error::new(self.kind, platform.clone(), self.operation, message);
        if let Some(status) = self.status {
            error = error.with_status(status);
        }
        if let Some(after) = self.retry_after {
            error = error.with_retry_after(after);
        }
        error
    }
}

fn status_for(kind: ErrorKind) -> Option<u16> {
    Some(match kind {
        ErrorKind::NotFound => 404,
        ErrorKind::Unauthenticated => 401,
        ErrorKind::PermissionDenied => 403,
        ErrorKind::RateLimited => 429,
        ErrorKind::InvalidInput => 422,
        ErrorKind::Rejected => 403,
        ErrorKind::Conflict => 409,
        ErrorKind::Unavailable => 503,
        _ => return None,
    })
}

/// The faults waiting to happen.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Vec<Fault>,
    lost_outcomes: Vec<Operation>,
}

impl Faults {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    /// Takes one failure for `operation`, if one is waiting.
    pub(crate) fn take(&mut self, operation: Operation) -> Option<Fault> {
        let index = self.pending.iter().position(|fault| fault.operation == operation)?;
        let fault = self.pending[index].clone();
        self.pending[index].times -= 1;
        if self.pending[index].times == 0 {
            self.pending.remove(index);
        }
        Some(fault)
    }

    pub(crate) fn lose_next(&mut self, operation: Operation) {
        self.lost_outcomes.push(operation);
    }

    /// Whether the answer of this call of `operation` is to be lost.
    pub(crate) fn take_lost(&mut self, operation: Operation) -> bool {
        match self.lost_outcomes.iter().position(|op| *op == operation) {
            Some(index) => {
                self.lost_outcomes.remove(index);
                true
            }
            None => false,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.pending.clear();
        self.lost_outcomes.clear();
    }
}
