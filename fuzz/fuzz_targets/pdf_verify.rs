//! PDF signature verification end to end: `Verifier::verify_pdf` of a fuzzed PDF against the
//! fixture trust lists and demo CRLs (loaded once) at the fixtures' validation time. Every
//! error must render; every report must serialise, give each signer its PDF facts, take the
//! document's indication from the worst signer, and never pass a signature whose dictionary
//! is malformed, whose coverage is partial or whose changes after signing are `other`
//! (no fail-open).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::document::pdf::{CoverageLevel, ModificationLevel};
use sigbridge::trust::TrustStores;
use sigbridge::verify::Verifier;
use sigbridge::{Call, Indication, Limits, Status, Verdict};
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let limits = Limits::default();
        let stores = TrustStores::load_dir(&root.join("trust-stores"), &limits)
            .unwrap_or_else(|e| panic!("trust stores: {e}"));
        let mut crls = Vec::new();
        for e in std::fs::read_dir(root.join("docs/pki")).expect("fixtures/docs/pki") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "crl") {
                crls.extend(
                    sigbridge::x509::crls_from_file(&p, &limits)
                        .expect("CRL")
                        .into_iter()
                        .map(Arc::new),
                );
            }
        }
        // fixtures/expected.json: validation_time 2026-12-01T00:00:00Z
        Verifier::builder()
            .trust_stores(stores)
            .crls(crls)
            .validation_time(Some(1_796_083_200))
            .build()
    })
}

fuzz_target!(|data: &[u8]| {
    let report = match verifier().verify_pdf(data, Call::new()) {
        Ok(r) => r,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let json = serde_json::to_string(&report).expect("the report serialises");
    let back: sigbridge::DocumentReport = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back.signers.len(), report.signers.len());
    assert!(report.pdf.is_some());
    let worst = report
        .signers
        .iter()
        .map(|s| s.verdict())
        .fold(Verdict::PASSED, Verdict::worse);
    if !report.signers.is_empty() {
        assert_eq!(report.verdict(), worst);
    } else {
        assert_ne!(report.indication, Indication::TotalPassed);
    }
    for s in &report.signers {
        let p = s.pdf.as_ref().expect("every PDF signer has its pdf facts");
        if s.indication == Indication::TotalPassed {
            assert!(p.problems.is_empty(), "passed with a malformed dictionary");
            assert_ne!(p.coverage, CoverageLevel::Partial, "passed with partial coverage");
            let m = p.modifications.as_ref().expect("passed without a change analysis");
            assert_ne!(m.level, ModificationLevel::Other, "passed with level other");
            assert!(
                s.checks.iter().all(|c| c.status != Status::Failed),
                "passed with a failed check"
            );
        }
    }
});
