//! End-to-end `Verifier::verify` of a fuzzed document (S/MIME or CMS, DER/BER/PEM) against
//! the fixture trust stores (`fixtures/trust-stores`, loaded once) at the fixtures'
//! validation time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::trust::TrustStores;
use sigbridge::verify::Verifier;
use sigbridge::Limits;
use std::path::Path;
use std::sync::OnceLock;

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/trust-stores");
        let stores = TrustStores::load_dir(&dir, &Limits::default())
            .unwrap_or_else(|e| panic!("cannot load {}: {e}", dir.display()));
        // fixtures/expected.json: validation_time 2026-12-01T00:00:00Z
        Verifier::builder()
            .trust_stores(stores)
            .validation_time(Some(1_796_083_200))
            .build()
    })
}

fuzz_target!(|data: &[u8]| {
    match verifier().verify(data, None) {
        Ok(report) => {
            let _ = format!("{report:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
