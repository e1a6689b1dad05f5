//! Certificates from DER or PEM bytes (`sigbridge::x509::certificates_from_bytes`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(certs) = sigbridge::x509::certificates_from_bytes(data, "fuzz", &limits) {
        for c in &certs {
            // Touch the parsed value the way reports do.
            let _ = format!("{c:?}");
        }
    }
});
