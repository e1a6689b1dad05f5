//! Profiling aid (benches/README.md, "ltv (issue 10)"): verifies
//! fixtures/ltv/docs/valid-timestamped-ocsp.p7m once to warm the caches, then N more times
//! (first argument, default 2000) with the same verifier as benches/ltv.rs builds, so that
//! `valgrind --tool=callgrind --toggle-collect=...` or `perf record` sees the warm call.
//!
//! With `SIGBRIDGE_PROFILE_PER_DOCUMENT_CACHES=off`, the caches that only help when the same
//! objects come back (parsed tokens and OCSP responses, whole path outcomes) are disabled:
//! roughly what a warm verifier spends on a new document from the same signer and TSA.
//!
//! ```sh
//! cargo build --release --example profile_ltv
//! valgrind --tool=callgrind --toggle-collect='*profile_ltv::warm*' target/release/examples/profile_ltv 50
//! ```

use sigbridge::asn1::parse_time;
use sigbridge::revocation::RevocationMode;
use sigbridge::x509::{certificates_from_file, crls_from_file, Certificate};
use sigbridge::{Limits, Verifier};
use std::path::PathBuf;
use std::sync::Arc;

fn ltv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/ltv")
}

fn certs(name: &str) -> Vec<Arc<Certificate>> {
    certificates_from_file(&ltv().join("pki").join(name), &Limits::default())
        .expect("fixture certificate")
        .into_iter()
        .map(Arc::new)
        .collect()
}

#[inline(never)]
fn warm(v: &Verifier, doc: &[u8], n: usize) -> usize {
    let mut passed = 0;
    for _ in 0..n {
        let r = v.verify(std::hint::black_box(doc), None).expect("verifies");
        passed += usize::from(r.indication == sigbridge::verdict::Indication::TotalPassed);
    }
    passed
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let mut crls = Vec::new();
    for f in ["ltv-root.crl", "ltv-ca.crl"] {
        crls.extend(
            crls_from_file(&ltv().join("pki").join(f), &Limits::default())
                .expect("fixture CRL")
                .into_iter()
                .map(Arc::new),
        );
    }
    let v = Verifier::builder()
        .anchors(certs("ltv-root.pem"))
        .certificates(certs("ltv-ca.pem"))
        .certificates(certs("tsa.pem"))
        .crls(crls)
        .revocation(RevocationMode::Require)
        .validation_time(Some(parse_time("2030-06-01T00:00:00Z").expect("time")))
        .build();
    let v = if std::env::var("SIGBRIDGE_PROFILE_PER_DOCUMENT_CACHES").as_deref() == Ok("off") {
        v.with_cache_limits(sigbridge::verify::CacheLimits {
            evidence_bytes: 0,
            outcomes: 0,
            ..Default::default()
        })
    } else {
        v
    };
    let doc = std::fs::read(ltv().join("docs/valid-timestamped-ocsp.p7m")).expect("fixture");
    let first = v.verify(&doc, None).expect("verifies");
    assert_eq!(
        first.indication,
        sigbridge::verdict::Indication::TotalPassed
    );
    let t = std::time::Instant::now();
    let passed = warm(&v, &doc, n);
    assert_eq!(passed, n);
    eprintln!(
        "{n} warm calls, {:.1} µs each; {:?}",
        t.elapsed().as_secs_f64() * 1e6 / n as f64,
        v.cache_stats()
    );
}
