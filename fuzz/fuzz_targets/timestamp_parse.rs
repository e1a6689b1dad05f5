//! RFC 3161 TimeStampResp / TimeStampToken (`sigbridge::document::timestamp::TimestampToken::from_der`,
//! default `Limits`), then `check_token` (cheap: no path validation) with the input itself
//! as the stamped data and as a digest, so both imprint comparisons and the token's CMS
//! signer checks run on decoded tokens.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::crypto::AlgorithmPolicy;
use sigbridge::document::timestamp::{check_token, Stamped, TimestampToken};
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(token) = TimestampToken::from_der(data, &limits) {
        let _ = format!("{:?}", token.info);
        let policy = AlgorithmPolicy::default();
        let c = check_token(&token, Stamped::Data(data), &[], &policy);
        let _ = c.checks.len();
        if let Some(alg) = token.imprint_algorithm() {
            let d = alg.digest(data);
            let _ = check_token(&token, Stamped::Digest(alg, &d), &[], &policy);
        }
    }
});
