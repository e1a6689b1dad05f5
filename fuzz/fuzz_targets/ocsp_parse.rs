//! OCSP responses (`sigbridge::revocation::ocsp::OcspResponse::from_der`, default `Limits`),
//! then what reports read of a decoded one: the signed bytes, the label, every
//! SingleResponse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::revocation::ocsp::OcspResponse;
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(r) = OcspResponse::from_der(data, &limits) {
        let _ = r.tbs().len();
        let _ = r.label();
        let _ = format!("{r:?}");
    }
});
