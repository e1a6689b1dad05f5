//! PDF signature verification, end to end (issue 11's speed targets). Not criterion: a bench
//! binary that prints its figures and exits non-zero when a target is missed.
//!
//! 1. A 1 MB PDF with one RSA-2048 signature (the demo HK key, `openssl cms -sign` over the
//!    byte ranges), warm (the verifier's caches hold the CA sub-path): the whole PDF path
//!    (`Verifier::verify_pdf_source`: open, signatures, coverage, changes, DSS, CMS, path,
//!    recognition, report) against the CMS layer alone on the same signature with the same
//!    bytes as detached content (`verify_with`: CMS verification + SHA-256 over the ranges)
//!    and against SHA-256 of the file at this machine's hashing speed, interleaved
//!    (`support/timing.rs`). Target: PDF ≤ 1.2 × CMS.
//! 2. A 100 MB PDF signed the same way, through `sigbridge verify` (the release binary, the
//!    CLI path), against `sha256sum` on the same file, page cache warm, best of 3; peak RSS of
//!    the verifying process (`support/child.rs`). Targets: ≥ 0.9 × `sha256sum` throughput,
//!    ≤ 64 MiB.
//! 3. pyHanko's `validate_pdf_signature` on both files in the same run (in-process, its
//!    start-up not counted; `support/pyhanko_validate.py`, Python from `PYHANKO_PYTHON`,
//!    skipped when pyHanko cannot be imported). Aim: ≥ 50 × faster per document.
//!
//! ```sh
//! cargo bench --bench pdf_verify
//! PYHANKO_PYTHON=/work/wt/venv-pdf/bin/python cargo bench --bench pdf_verify
//! ```
//!
//! The files are made in a temporary folder and deleted at the end.

mod support;

use sigbridge::document::pdf::Source;
use sigbridge::{Call, Verifier};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use support::child;
use support::pdf_gen::{make_signed, pki};
use support::timing::medians;

const AT: &str = "2026-12-01T00:00:00Z";

fn crls() -> Vec<PathBuf> {
    ["hk-root.crl", "hk-ca-15.crl"]
        .iter()
        .map(|c| pki().join(c))
        .collect()
}

fn verifier() -> Verifier {
    let limits = sigbridge::Limits::default();
    let certs = |f: &str| {
        sigbridge::x509::certificates_from_file(&pki().join(f), &limits)
            .unwrap()
            .into_iter()
            .map(Arc::new)
    };
    let crls: Vec<_> = crls()
        .iter()
        .flat_map(|p| sigbridge::x509::crls_from_file(p, &limits).unwrap())
        .map(Arc::new)
        .collect();
    Verifier::builder()
        .anchors(certs("hk-root.pem"))
        .crls(crls)
        .revocation(sigbridge::revocation::RevocationMode::Require)
        .validation_time(sigbridge::asn1::parse_time(AT))
        .build()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Part 1: returns the PDF path's warm median per document.
fn one_megabyte(path: &Path, test: bool) -> (Duration, bool) {
    let bytes = std::fs::read(path).unwrap();
    let v = verifier();
    let report = v.verify_pdf(&bytes, Call::new()).unwrap();
    assert_eq!(report.indication.to_string(), "TOTAL_PASSED", "{report:#?}");
    let doc =
        sigbridge::document::pdf::PdfDocument::open(bytes.clone(), &Default::default()).unwrap();
    let sig = doc.signatures().unwrap().remove(0);
    let cms = sig.cms().unwrap().to_vec();
    let mut ranges = Vec::new();
    std::io::Read::read_to_end(&mut doc.signed_ranges_reader(&sig).unwrap(), &mut ranges).unwrap();
    let raw = v
        .verify_with(&cms, Call::new().content(&mut ranges.as_slice()))
        .unwrap();
    assert_eq!(raw.indication.to_string(), "TOTAL_PASSED");
    let source: Arc<dyn Source> = Arc::new(bytes.clone());
    let budget = Duration::from_millis(if test { 50 } else { 2500 });
    let m = medians(
        budget,
        &mut [
            &mut || {
                let r = v
                    .verify_pdf_source(Arc::clone(&source), Call::new())
                    .unwrap();
                assert_eq!(r.signers.len(), 1);
            },
            &mut || {
                let r = v.verify_pdf(&bytes, Call::new()).unwrap();
                assert_eq!(r.signers.len(), 1);
            },
            &mut || {
                let r = v
                    .verify_with(&cms, Call::new().content(&mut ranges.as_slice()))
                    .unwrap();
                assert_eq!(r.signers.len(), 1);
            },
            &mut || {
                let d = sigbridge::crypto::DigestAlgorithm::Sha256.digest(&bytes);
                assert_eq!(d.len(), 32);
            },
        ],
    );
    let (pdf, pdf_copy, cms_t, sha) = (m[0], m[1], m[2], m[3]);
    let ratio = pdf.as_secs_f64() / cms_t.as_secs_f64();
    println!(
        "1 MB PDF ({} bytes), one RSA-2048 signature, warm, medians of interleaved batches:",
        bytes.len()
    );
    println!(
        "  sigbridge verify_pdf_source (whole PDF path)     {:>9.1} µs",
        us(pdf)
    );
    println!(
        "  sigbridge verify_pdf (from &[u8], one copy)      {:>9.1} µs",
        us(pdf_copy)
    );
    println!(
        "  CMS layer: verify_with(cms, ranges as content)   {:>9.1} µs",
        us(cms_t)
    );
    println!(
        "  SHA-256 of the file (aws-lc)                     {:>9.1} µs  ({:.0} MB/s)",
        us(sha),
        bytes.len() as f64 / sha.as_secs_f64() / 1e6
    );
    println!(
        "  CMS layer − SHA-256: the CMS verification itself {:>9.1} µs",
        us(cms_t.saturating_sub(sha))
    );
    println!("  ratio PDF / (CMS verification + SHA-256): {ratio:.3} (target ≤ 1.2)");
    (pdf, test || ratio <= 1.2)
}

/// Best of `n` child runs.
fn best(n: usize, mut cmd: impl FnMut() -> Command) -> child::Run {
    (0..n)
        .map(|_| child::run(&mut cmd()).expect("child ran"))
        .min_by_key(|r| r.wall)
        .expect("one run")
}

/// Part 2: returns the CLI's best wall time.
fn hundred_megabytes(path: &Path, mb: usize, test: bool) -> (Duration, bool) {
    let size = std::fs::metadata(path).unwrap().len() as f64;
    let _ = Command::new("sha256sum").arg(path).output(); // page cache warm
    let sigbridge = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_sigbridge"));
        c.arg("verify")
            .arg(path)
            .arg("--anchor")
            .arg(pki().join("hk-root.pem"))
            .arg("--crl")
            .args(crls())
            .args(["--revocation", "require", "--at", AT, "--format", "json"]);
        c
    };
    let check = sigbridge().output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let ours = best(3, sigbridge);
    let sha = best(3, || {
        let mut c = Command::new("sha256sum");
        c.arg(path);
        c
    });
    let floor = child::floor().map(|r| r.max_rss).unwrap_or(0);
    let mbps = |d: Duration| size / d.as_secs_f64() / 1e6;
    let ratio = sha.wall.as_secs_f64() / ours.wall.as_secs_f64();
    let rss_mib = ours.max_rss as f64 / (1 << 20) as f64;
    println!("{mb} MB PDF ({size:.0} bytes), one RSA-2048 signature, page cache warm, best of 3:");
    println!("  sigbridge verify (release CLI, JSON)  {:>8.3} s  {:>6.0} MB/s  peak RSS {rss_mib:.1} MiB (launcher floor {:.1} MiB)", ours.wall.as_secs_f64(), mbps(ours.wall), floor as f64 / (1 << 20) as f64);
    println!(
        "  sha256sum                             {:>8.3} s  {:>6.0} MB/s  peak RSS {:.1} MiB",
        sha.wall.as_secs_f64(),
        mbps(sha.wall),
        sha.max_rss as f64 / (1 << 20) as f64
    );
    println!(
        "  throughput ratio sigbridge / sha256sum: {ratio:.2} (target ≥ 0.9); RSS target ≤ 64 MiB"
    );
    (ours.wall, test || (ratio >= 0.9 && rss_mib <= 64.0))
}

/// Part 3: pyHanko's per-document times, when it can run.
fn pyhanko(files: &[(&Path, Duration, usize)]) {
    let python = std::env::var("PYHANKO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/support/pyhanko_validate.py");
    for (path, ours, runs) in files {
        let out = Command::new(&python)
            .arg(&script)
            .arg(pki().join("hk-root.pem"))
            .args(crls())
            .arg("--")
            .arg(runs.to_string())
            .arg(path)
            .output();
        let Some(out) = out.ok().filter(|o| o.status.success()) else {
            println!(
                "pyHanko: not run ({python} cannot run {}; set PYHANKO_PYTHON)",
                script.display()
            );
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = text.split_whitespace().collect();
        let (Some(best), Some(median)) = (
            fields.get(1).and_then(|s| s.parse::<f64>().ok()),
            fields.get(2).and_then(|s| s.parse::<f64>().ok()),
        ) else {
            println!("pyHanko: unexpected output {text:?}");
            return;
        };
        println!(
            "pyHanko validate_pdf_signature on {}: best {:.1} ms, median {:.1} ms per document; sigbridge {:.3} ms: {:.0}× faster (median; aim ≥ 50×)",
            path.file_name().unwrap().to_string_lossy(),
            best * 1e3,
            median * 1e3,
            ours.as_secs_f64() * 1e3,
            median / ours.as_secs_f64()
        );
    }
}

fn main() {
    child::serve_if_launcher();
    let test = std::env::args().any(|a| a == "--test");
    let mb: usize = std::env::var("SIGBRIDGE_PDF_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if test { 4 } else { 100 });
    let dir =
        std::env::temp_dir().join(format!("sigbridge-pdf-verify-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("signed-1mb.pdf");
    let big = dir.join(format!("signed-{mb}mb.pdf"));
    make_signed(&small, 1).unwrap();
    make_signed(&big, mb).unwrap();
    let (t1, ok1) = one_megabyte(&small, test);
    let (t100, ok100) = hundred_megabytes(&big, mb, test);
    if !test {
        pyhanko(&[(&small, t1, 20), (&big, t100, 2)]);
    }
    let _ = std::fs::remove_dir_all(&dir);
    if !(ok1 && ok100) {
        println!("a target was missed");
        std::process::exit(1);
    }
}
