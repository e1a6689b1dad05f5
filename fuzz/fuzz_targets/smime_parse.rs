//! S/MIME message parsing (`smime::parse`), then the SignedData it carries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::document::cms;
use sigbridge::document::smime;
use sigbridge::Limits;

fuzz_target!(|data: &[u8]| {
    let _ = smime::looks_like_mime(data);
    match smime::parse(data, &Limits::default()) {
        Ok(msg) => {
            let _ = msg.detached_content().map(<[u8]>::len);
            let _ = cms::parse(msg.cms_bytes(), &Limits::default());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
