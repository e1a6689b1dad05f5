//! The verifier's caches never change an answer: each fuzzed document is verified by a
//! verifier whose caches persist across inputs (so entries made by earlier, possibly hostile,
//! documents are in play) and by one without caches, and the two `sigbridge-report/1`
//! reports (or errors) must be identical. Same trust stores and time as the `verify` target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::trust::TrustStores;
use sigbridge::verify::CacheLimits;
use sigbridge::Limits;
use sigbridge::{DocumentReport, Verifier, VerifyError};
use std::path::Path;
use std::sync::OnceLock;

fn base() -> Verifier {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/trust-stores");
    let stores = TrustStores::load_dir(&dir, &Limits::default())
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", dir.display()));
    // fixtures/expected.json: validation_time 2026-12-01T00:00:00Z
    Verifier::builder()
        .trust_stores(stores)
        .validation_time(Some(1_796_083_200))
        .build()
}

fn cached() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    // Small caches, so eviction is exercised too.
    V.get_or_init(|| {
        base().with_cache_limits(CacheLimits {
            signatures: 64,
            sub_paths: 16,
            certificate_bytes: 64 << 10,
            crl_bytes: 64 << 10,
            evidence_bytes: 64 << 10,
            outcomes: 16,
        })
    })
}

fn uncached() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| base().with_cache_limits(CacheLimits::disabled()))
}

fn render(r: Result<DocumentReport, VerifyError>) -> String {
    match r {
        Ok(report) => serde_json::to_string(&report).unwrap_or_else(|e| format!("json: {e}")),
        Err(e) => format!("error: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let reference = render(uncached().verify(data, None));
    let first = render(cached().verify(data, None));
    assert_eq!(first, reference, "a cached verifier answered differently");
    let again = render(cached().verify(data, None));
    assert_eq!(
        again, reference,
        "a warm cached verifier answered differently"
    );
});
