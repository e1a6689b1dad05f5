//! Trust-list JSON (`sigbridge-trust-list/1`) parsing and validation (`TrustList::from_json`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::trust::{Jurisdiction, TrustList};
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    for j in [Jurisdiction::Hk, Jurisdiction::Gd] {
        match TrustList::from_json(text, "fuzz.json", j, &limits) {
            Ok(list) => {
                let _ = format!("{list:?}");
            }
            // Errors must render (they name the file and the field).
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
