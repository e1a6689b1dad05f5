//! The service's request parsing (`sigbridge::api`) on arbitrary bodies: the first byte picks
//! the endpoint and Content-Type (JSON, multipart/form-data with a fixed boundary, or a
//! hostile Content-Type taken from the input), the rest is the body. A request that parses
//! is verified by a verifier without anchors, so the mapping to `verify::Call` runs too.
//! Nothing may panic; every refusal must be a 4xx kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::api::{parse_verify, parse_verify_digest};
use std::sync::OnceLock;

fn verifier() -> &'static sigbridge::Verifier {
    static V: OnceLock<sigbridge::Verifier> = OnceLock::new();
    V.get_or_init(|| sigbridge::Verifier::builder().build())
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let hostile_ct;
    let (content_type, body) = match selector % 4 {
        0 | 3 => (Some("application/json"), body),
        1 => (Some("multipart/form-data; boundary=sigbridgeFuzzBoundary"), body),
        _ => {
            // A Content-Type line from the input, then the body.
            let split = body.iter().position(|b| *b == b'\n').unwrap_or(body.len());
            hostile_ct = String::from_utf8_lossy(&body[..split]).into_owned();
            (Some(hostile_ct.as_str()), body.get(split + 1..).unwrap_or_default())
        }
    };
    let parsed = if selector % 4 == 3 {
        parse_verify_digest(content_type, body)
    } else {
        parse_verify(content_type, body)
    };
    match parsed {
        Ok(request) => {
            if let Err(e) = request.verify(verifier()) {
                assert!((400..500).contains(&e.kind.status()), "{e}");
            }
        }
        Err(e) => assert!((400..500).contains(&e.kind.status()), "{e}"),
    }
});
