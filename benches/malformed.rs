//! Per-input time of the hostile corpus (issue 4: every file of `malformed/` goes through
//! `inspect` and `verify` in under 100 ms in a release build). Not criterion: each of the
//! ~1,756 inputs is timed on its own (best of `SIGBRIDGE_MALFORMED_RUNS`, default 3, so one
//! scheduling hiccup does not count), with a fresh cache-less verifier view so no input is
//! answered from an earlier one, and the bench prints the distribution and the slowest inputs.
//! It exits non-zero when an input exceeds the bound, so a regression is visible.
//!
//! ```sh
//! cargo bench --bench malformed            # release profile
//! ```

use sigbridge::report::inspect;
use sigbridge::trust::TrustStores;
use sigbridge::verify::CacheLimits;
use sigbridge::verify::Verifier;
use sigbridge::Limits;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const BOUND: Duration = Duration::from_millis(100);

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> Option<Vec<u8>> {
    let raw = std::fs::read(p).ok()?;
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    } else {
        Some(raw)
    }
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo test --benches` runs bench binaries with --test-ish flags; `cargo bench` passes
    // `--bench`. Either way the whole corpus is cheap enough (a few seconds).
    let test_mode = std::env::args().any(|a| a == "--test");
    let corpora = std::env::var_os("SIGBRIDGE_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    let mut all = Vec::new();
    files(&corpora.join("malformed"), &mut all);
    all.sort();
    all.retain(|p| {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !(n.starts_with("README") || n.starts_with("LICENSE") || n.starts_with("NOTICE"))
    });
    if all.is_empty() {
        eprintln!(
            "malformed: no corpus at {} (set SIGBRIDGE_CORPORA)",
            corpora.join("malformed").display()
        );
        std::process::exit(if test_mode { 0 } else { 1 });
    }
    let runs: usize = std::env::var("SIGBRIDGE_MALFORMED_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if test_mode { 1 } else { 3 });
    let limits = Limits::default();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let stores = match TrustStores::load_dir(&root.join("fixtures/trust-stores"), &limits) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("malformed: fixtures/trust-stores: {e}");
            std::process::exit(1);
        }
    };
    let time = sigbridge::asn1::parse_time("2026-12-01T00:00:00Z").unwrap_or_default();
    // No caches: each input is judged from scratch, as the first document a process sees.
    let verifier = Verifier::builder()
        .trust_stores(stores)
        .validation_time(Some(time))
        .build()
        .with_cache_limits(CacheLimits::disabled());
    let mut rows: Vec<(Duration, Duration, PathBuf)> = Vec::new();
    for p in &all {
        let Some(bytes) = read(p) else { continue };
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let i = best_of(runs, || {
            let _ = std::hint::black_box(inspect::inspect(&bytes, &name, &limits));
        });
        let v = best_of(runs, || {
            let _ = std::hint::black_box(verifier.verify(&bytes, None));
        });
        rows.push((i, v, p.clone()));
    }
    let mut inspect: Vec<Duration> = rows.iter().map(|r| r.0).collect();
    let mut verify: Vec<Duration> = rows.iter().map(|r| r.1).collect();
    inspect.sort();
    verify.sort();
    let pct = |v: &[Duration], q: f64| -> Duration {
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v.get(i).copied().unwrap_or_default()
    };
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "malformed corpus: {} inputs, best of {runs} run(s) each, release build",
        rows.len()
    );
    for (label, v) in [("inspect", &inspect), ("verify", &verify)] {
        println!(
            "  {label:8} median {:8.1} µs   p99 {:9.1} µs   max {:9.1} µs   total {:.2} s",
            us(pct(v, 0.5)),
            us(pct(v, 0.99)),
            us(pct(v, 1.0)),
            v.iter().sum::<Duration>().as_secs_f64()
        );
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0.max(r.1)));
    println!("  slowest inputs (inspect µs, verify µs):");
    let base = corpora.join("malformed");
    for (i, v, p) in rows.iter().take(5) {
        println!(
            "    {:9.1} {:9.1}  {}",
            us(*i),
            us(*v),
            p.strip_prefix(&base).unwrap_or(p).display()
        );
    }
    let over = rows.iter().filter(|r| r.0 > BOUND || r.1 > BOUND).count();
    println!(
        "  inputs over {} ms: {over} (target: 0) — {}",
        BOUND.as_millis(),
        if over == 0 { "met" } else { "MISSED" }
    );
    if over > 0 && !test_mode {
        std::process::exit(1);
    }
}
