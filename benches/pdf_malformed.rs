//! Per-input release timing of the generated malformed-PDF set (`tests/common/pdf_gen.rs`):
//! each input goes through the whole PDF layer (open, pages, signatures, coverage,
//! modifications, DSS) in under 100 ms, or the bench exits non-zero. Best of
//! `SIGBRIDGE_MALFORMED_RUNS` (default 3) runs per input.
//!
//! ```sh
//! cargo bench --bench pdf_malformed
//! ```

#[path = "../tests/common/pdf_gen.rs"]
mod pdf_gen;

use sigbridge::document::pdf::{CoverageLevel, PdfDocument, PdfError};
use sigbridge::Limits;
use std::time::{Duration, Instant};

const BOUND: Duration = Duration::from_millis(100);

fn exercise(bytes: Vec<u8>) -> Result<usize, PdfError> {
    let doc = PdfDocument::open(bytes, &Limits::default())?;
    let last = doc.revisions().len() - 1;
    let mut n = doc.page_count(last)?;
    for s in doc.signatures()? {
        let c = doc.coverage(&s)?;
        let m = doc.modifications(&s)?;
        n += m.revisions.len();
        if c.level != CoverageLevel::Partial {
            let _ = doc.signed_ranges_reader(&s)?;
        }
    }
    Ok(n + doc.dss()?.len())
}

fn main() {
    let runs: usize = std::env::var("SIGBRIDGE_MALFORMED_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let set = pdf_gen::malformed();
    let mut worst = Duration::ZERO;
    let mut over = Vec::new();
    println!(
        "{:<26} {:>10} {:>12}  outcome",
        "input", "bytes", "best (ms)"
    );
    for (name, bytes) in set {
        let mut best = Duration::MAX;
        let mut outcome = String::new();
        for _ in 0..runs.max(1) {
            let input = bytes.clone();
            let t = Instant::now();
            let r = exercise(input);
            best = best.min(t.elapsed());
            outcome = match r {
                Ok(n) => format!("ok ({n})"),
                Err(e) => format!(
                    "error: {}",
                    e.to_string().chars().take(70).collect::<String>()
                ),
            };
        }
        println!(
            "{name:<26} {:>10} {:>12.3}  {outcome}",
            bytes.len(),
            best.as_secs_f64() * 1e3
        );
        worst = worst.max(best);
        if best > BOUND {
            over.push(name);
        }
    }
    println!(
        "slowest: {:.3} ms (bound {} ms)",
        worst.as_secs_f64() * 1e3,
        BOUND.as_millis()
    );
    if !over.is_empty() {
        eprintln!("over the bound: {over:?}");
        std::process::exit(1);
    }
}
