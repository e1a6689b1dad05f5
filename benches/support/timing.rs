//! Our own medians for the summary table (criterion's estimates are printed by criterion).

use std::time::{Duration, Instant};

/// Median time of one call of `f`: warm up, size batches so that each lasts about
/// `budget / 15`, run up to 15 batches (at least 3, stopping after about twice `budget`),
/// and take the median of the per-call batch means.
pub fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let warm = Instant::now();
    let mut calls = 0u32;
    while calls < 3 || warm.elapsed() < budget / 10 {
        f();
        calls += 1;
    }
    let per_call = warm.elapsed() / calls;
    let batch = u32::try_from((budget / 15).as_nanos() / per_call.as_nanos().max(1))
        .unwrap_or(u32::MAX)
        .max(1);
    let deadline = Instant::now() + budget * 2;
    let mut samples = Vec::with_capacity(15);
    while samples.len() < 15 {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        samples.push(t.elapsed() / batch);
        if samples.len() >= 3 && Instant::now() > deadline {
            break;
        }
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Microseconds, for the table.
pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
