//! CRLs from DER or PEM bytes (`sigbridge::x509::crls_from_bytes`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(crls) = sigbridge::x509::crls_from_bytes(data, "fuzz", &limits) {
        for c in &crls {
            let _ = format!("{c:?}");
        }
    }
});
