//! Seal and signature structures (`document::ofd::parse_signed_value`, `parse_seal`): V4/V1
//! `SES_Signature` and `SESeal`, SignedData and bare SM2 values; then the document-free
//! checks (`verify_ses`, `verify_seal`) and the JSON rendering.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::crypto::AlgorithmPolicy;
use sigbridge::document::ofd::{self, SignedValue, VerifyOptions};
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    match ofd::parse_signed_value(data, &limits) {
        Ok(SignedValue::Ses(ses)) => {
            let _ = serde_json::to_string(&*ses);
            let _ = ofd::verify_ses(&ses, &VerifyOptions::new());
        }
        Ok(other) => {
            let _ = other.format();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match ofd::parse_seal(data, &limits) {
        Ok(seal) => {
            let _ = serde_json::to_string(&seal);
            let _ = ofd::verify_seal(&seal, &AlgorithmPolicy::default());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
