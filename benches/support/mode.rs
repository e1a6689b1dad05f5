//! What every benchmark binary sets up the same way: the command line (criterion's test mode
//! and name filter), criterion's settings and the validation time.

use criterion::Criterion;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Criterion with the benches' settings (20 samples of 1 s after 300 ms of warm-up), then
/// the command line's.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args()
}

/// An hour from now: the chains the benches make are valid from the second they are signed,
/// for ten years.
pub fn validation_time() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(now + 3600).expect("time fits i64")
}

/// Criterion options that take a value (so that value is not mistaken for a filter).
const VALUED_OPTIONS: &[&str] = &[
    "--color",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--save-baseline",
    "--baseline",
    "--baseline-lenient",
    "--load-baseline",
    "--profile-time",
    "--format",
    "--plotting-backend",
    "--output-format",
];

/// What the command line asks: test mode (`--test`, `--list`) and a name filter.
pub struct Mode {
    /// Test mode (`cargo test`, `--test`, `--list`): each benchmark once, no measurements.
    pub quick: bool,
    /// The name filter, if any.
    pub filter: Option<String>,
}

impl Mode {
    /// Reads `std::env::args()`.
    pub fn from_args() -> Mode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        // `cargo test` runs a bench target without `--bench`: criterion's test mode.
        let quick = !args.iter().any(|a| a == "--bench")
            || args.iter().any(|a| a == "--test" || a == "--list");
        let mut filter = None;
        let mut skip = false;
        for a in &args {
            if skip {
                skip = false;
            } else if a.starts_with('-') {
                skip = VALUED_OPTIONS.contains(&a.as_str());
            } else if filter.is_none() {
                filter = Some(a.clone());
            }
        }
        Mode { quick, filter }
    }

    /// Whether benchmarks of a group are wanted (criterion's filter is a regex over
    /// `group/function`; substring tests either way are close enough for our own table).
    pub fn wants(&self, group: &str) -> bool {
        self.filter
            .as_deref()
            .is_none_or(|f| group.contains(f) || f.contains(group))
    }
}
