#![doc = include_str!("../README.md")]

pub mod checks;
mod harness;
mod scenario;
mod verdict;

pub use harness::{Harness, Prepared, Skip};
pub use scenario::{
    Check, Engagement, Fault, PAGED_MENTIONS, Scenario, SeedAccount, SeedInteraction, SeedPost, scenario_now,
};
pub use verdict::{STRICT_VARIABLE, Verdict, report};

/// Expands to one `#[tokio::test]` per check, named after the check, each running it
/// against a harness built by the given expression (evaluated once per test).
///
/// The calling crate needs `tokio` (with the `macros` and `rt` features) as a
/// dev-dependency. A skipped check prints `SKIPPED` and its reason on standard error; with
/// `TERTULIA_CONFORMANCE_STRICT=1` in the environment a skip fails the test instead.
#[macro_export]
macro_rules! suite {
    ($harness:expr) => {
        $crate::suite!(@checks $harness;
            account_info
            publish_text
            publish_with_media_and_alt_text
            publish_thread_in_order
            publish_scheduled_natively
            text_over_the_limit
            reply_to_interaction
            delete_post
            get_post
            list_interactions_pages
            post_metrics
            account_metrics
            search_public_posts
            publish_outcome_unknown
            find_by_marker_after_unknown_outcome
            unsupported_operations
            not_found
            unauthenticated
            rate_limited
            temporary_failure
        );
    };
    (@checks $harness:expr; $($check:ident)*) => {
        $(
            #[::tokio::test]
            async fn $check() {
                let harness = $harness;
                let verdict = $crate::checks::$check(&harness).await;
                $crate::report(concat!(module_path!(), "::", stringify!($check)), verdict);
            }
        )*
    };
}
