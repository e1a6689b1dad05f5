//! Our own medians for the summary table (criterion's estimates are printed by criterion).

use std::time::{Duration, Instant};

const BATCHES: usize = 15;

/// Median time of one call of `f` (see [`medians`]).
pub fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    medians(budget, &mut [&mut f])[0]
}

/// Median time of one call of each function: warm each up, size its batches to last about
/// `budget / 15`, then run the functions' batches interleaved (so that a burst of load on
/// the machine hits all of them alike) up to 15 rounds (at least 3, stopping after about
/// twice `budget` per function), and take each function's median of per-call batch means.
pub fn medians(budget: Duration, fs: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let mut timed: Vec<Box<dyn FnMut(u32) -> Duration + '_>> = fs
        .iter_mut()
        .map(|f| {
            Box::new(move |n: u32| {
                let t = Instant::now();
                for _ in 0..n {
                    f();
                }
                t.elapsed()
            }) as Box<dyn FnMut(u32) -> Duration>
        })
        .collect();
    let mut refs: Vec<&mut dyn FnMut(u32) -> Duration> =
        timed.iter_mut().map(|f| &mut **f as _).collect();
    medians_custom(budget, &mut refs)
}

/// As [`medians`], for functions that time themselves (like criterion's `iter_custom`):
/// `f(n)` makes `n` calls and returns the time they took, leaving out whatever set-up it
/// does not want measured.
pub fn medians_custom(
    budget: Duration,
    fs: &mut [&mut dyn FnMut(u32) -> Duration],
) -> Vec<Duration> {
    let target = budget / BATCHES as u32;
    let batch: Vec<u32> = fs
        .iter_mut()
        .map(|f| {
            let warm = Instant::now();
            let mut calls = 0u32;
            let mut spent = Duration::ZERO;
            while calls < 3 || warm.elapsed() < budget / 10 {
                spent += f(1);
                calls += 1;
            }
            let per_call = spent / calls;
            u32::try_from(target.as_nanos() / per_call.as_nanos().max(1))
                .unwrap_or(u32::MAX)
                .max(1)
        })
        .collect();
    let deadline = Instant::now() + budget * 2 * fs.len() as u32;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(BATCHES); fs.len()];
    for round in 0..BATCHES {
        for ((f, &n), s) in fs.iter_mut().zip(&batch).zip(&mut samples) {
            s.push(f(n) / n);
        }
        if round >= 2 && Instant::now() > deadline {
            break;
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect()
}

/// Microseconds, for the table.
pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
