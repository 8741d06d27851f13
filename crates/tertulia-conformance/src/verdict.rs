//! What a check concludes, and how a skip is made loud.

use std::io::Write;

/// What a check concluded. A failing check panics with its reason instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The behaviour holds.
    Passed,
    /// The check did not run, for this reason (the capabilities rule it out, or the harness
    /// cannot set the scenario up).
    Skipped(String),
}

/// The environment variable that turns every skip into a failure.
pub const STRICT_VARIABLE: &str = "TERTULIA_CONFORMANCE_STRICT";

/// Reports a check's verdict: a skip is written straight to the process's standard error
/// (past the test harness's capture, so it shows in every run) and, when
/// `TERTULIA_CONFORMANCE_STRICT` is set, fails the test.
pub fn report(check: &str, verdict: Verdict) {
    if let Verdict::Skipped(reason) = verdict {
        let line = format!("conformance check {check} SKIPPED: {reason}");
        // Written to the real stderr handle, which test output capture does not intercept, on
        // a line of its own even amid the test runner's progress output.
        let _ = std::io::stderr().write_all(format!("\n{line}\n").as_bytes());
        if std::env::var_os(STRICT_VARIABLE).is_some() {
            panic!("{line}");
        }
    }
}
