//! PEM bundles: `input::der_blocks` over every label the crate reads, then each block
//! through the certificate and CRL parsers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::x509::{Certificate, Crl};
use sigbridge::Limits;

const LABELS: &[&str] = &[
    "CERTIFICATE",
    "X509 CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "X509 CRL",
    "CRL",
    "PKCS7",
    "CMS",
];

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = sigbridge::input::looks_like_pem(data);
    match sigbridge::input::der_blocks(data, LABELS, "fuzz", &limits) {
        Ok(blocks) => {
            for b in &blocks {
                let _ = Certificate::from_der(b);
                let _ = Crl::from_der(b, limits.max_crl_entries);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
