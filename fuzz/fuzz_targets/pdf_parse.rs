//! The PDF reader end to end without the CMS layer: open, revisions, page count,
//! signatures, coverage, modifications (every later revision compared), DSS, and the
//! signed-range reader. Every error must render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigbridge::document::pdf::{PdfDocument, SignatureKind};
use sigbridge::Limits;
use std::io::Read;

fuzz_target!(|data: &[u8]| {
    let doc = match PdfDocument::open(data.to_vec(), &Limits::default()) {
        Ok(d) => d,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let revs = doc.revisions().len();
    assert!(revs > 0);
    for r in doc.revisions() {
        assert!(r.end <= doc.len() + 2, "a revision cannot end past the file");
    }
    let _ = doc.page_count(revs - 1).map_err(|e| e.to_string());
    let sigs = match doc.signatures() {
        Ok(s) => s,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    for s in &sigs {
        let _ = serde_json::to_string(s);
        let _ = s.cms();
        let _ = s.kind == SignatureKind::DocumentTimestamp;
        if let Ok(c) = doc.coverage(s) {
            let _ = serde_json::to_string(&c);
        }
        match doc.modifications(s) {
            Ok(m) => {
                let _ = serde_json::to_string(&m);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
        if let Ok(mut r) = doc.signed_ranges_reader(s) {
            let mut sink = Vec::new();
            let _ = (&mut r).take(1 << 20).read_to_end(&mut sink);
        }
    }
    if let Ok(d) = doc.dss() {
        let _ = serde_json::to_string(&d);
        if let Some(s) = sigs.first() {
            let _ = doc.level_inputs(s, &sigs, &d);
        }
    }
});
