//! CMS / SignedData decoding (`cms::parse`, DER, BER or PEM).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::document::cms;
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    match cms::parse(data, &Limits::default()) {
        Ok(sd) => {
            let _ = format!("{sd:?}");
        }
        // Errors must render (they name where the input was wrong).
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
