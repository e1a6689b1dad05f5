//! Profiling aid (benches/README.md, "pdf_verify bench"): makes the 1 MB signed PDF of
//! benches/pdf_verify.rs (needs the `openssl` command line), verifies it once to warm the
//! caches, then N more times (first argument, default 200) through `verify_pdf_source`, with
//! the bench's verifier; with a second argument `cms`, the CMS layer alone instead
//! (`verify_with` of the signature over the ranges).
//!
//! ```sh
//! cargo build --release --example profile_pdf
//! valgrind --tool=callgrind --toggle-collect='*profile_pdf::warm*' target/release/examples/profile_pdf 5
//! ```

#[allow(dead_code)]
#[path = "../benches/support/pdf_gen.rs"]
mod pdf_gen;

use sigbridge::document::pdf::Source;
use sigbridge::{Call, Verifier};
use std::sync::Arc;

const AT: &str = "2026-12-01T00:00:00Z";

fn verifier() -> Verifier {
    let limits = sigbridge::Limits::default();
    let pki = pdf_gen::pki();
    let certs = |f: &str| {
        sigbridge::x509::certificates_from_file(&pki.join(f), &limits)
            .expect("certificates")
            .into_iter()
            .map(Arc::new)
    };
    let crls: Vec<_> = ["hk-root.crl", "hk-ca-15.crl"]
        .iter()
        .flat_map(|p| sigbridge::x509::crls_from_file(&pki.join(p), &limits).expect("CRL"))
        .map(Arc::new)
        .collect();
    Verifier::builder()
        .anchors(certs("hk-root.pem"))
        .crls(crls)
        .revocation(sigbridge::revocation::RevocationMode::Require)
        .validation_time(sigbridge::asn1::parse_time(AT))
        .build()
}

#[inline(never)]
fn warm(v: &Verifier, source: &Arc<dyn Source>, n: usize) -> usize {
    let mut signers = 0;
    for _ in 0..n {
        let r = v
            .verify_pdf_source(Arc::clone(source), Call::new())
            .expect("verifies");
        signers += r.signers.len();
    }
    signers
}

#[inline(never)]
fn warm_cms(v: &Verifier, cms: &[u8], ranges: &[u8], n: usize) -> usize {
    let mut signers = 0;
    for _ in 0..n {
        let r = v
            .verify_with(cms, Call::new().content(&mut &ranges[..]))
            .expect("verifies");
        signers += r.signers.len();
    }
    signers
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let cms_only = args.next().is_some_and(|a| a == "cms");
    let dir = std::env::temp_dir().join(format!("sigbridge-profile-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("signed-1mb.pdf");
    pdf_gen::make_signed(&path, 1).expect("signed PDF");
    let bytes = std::fs::read(&path).expect("read");
    let _ = std::fs::remove_dir_all(&dir);
    let v = verifier();
    let report = v.verify_pdf(&bytes, Call::new()).expect("verifies");
    assert_eq!(report.indication.to_string(), "TOTAL_PASSED");
    let t = std::time::Instant::now();
    if cms_only {
        let doc = sigbridge::document::pdf::PdfDocument::open(bytes.clone(), &Default::default())
            .expect("opens");
        let sig = doc.signatures().expect("signatures").remove(0);
        let cms = sig.cms().expect("cms").to_vec();
        let mut ranges = Vec::new();
        std::io::Read::read_to_end(
            &mut doc.signed_ranges_reader(&sig).expect("ranges"),
            &mut ranges,
        )
        .expect("read ranges");
        assert_eq!(warm_cms(&v, &cms, &ranges, n), n);
    } else {
        let source: Arc<dyn Source> = Arc::new(bytes);
        assert_eq!(warm(&v, &source, n), n);
    }
    eprintln!(
        "{n} warm calls, {:.1} µs each",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
