//! Every input the fuzz targets (fuzz/fuzz_targets/*.rs) ever crashed, hung or ballooned on,
//! replayed through the same entry point. Inputs live in `fuzz/regressions/<target>/`; a file
//! there is a regression test as soon as it is committed.
//!
//! A crash whose library fix is still pending is listed in [`PENDING`] (skipped by the
//! per-target replay) and has its own `#[ignore]`d test below, which fails until the fix
//! lands; then remove it from `PENDING` and drop the `#[ignore]`.

use sigbridge::document::cms;
use sigbridge::document::smime;
use sigbridge::trust::TrustStores;
use sigbridge::verify::Verifier;
use sigbridge::x509::{Certificate, Crl};
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `(target, file name)` of crashes whose fix is pending.
const PENDING: &[(&str, &str)] = &[];

fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| e.expect("read_dir entry").path())
            .filter(|p| p.is_file())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                !name.starts_with("README") && !PENDING.contains(&(target, name.as_str()))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn one(target: &str, name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target)
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// The replays below mirror fuzz/fuzz_targets/<target>.rs.

fn cert_parse(data: &[u8]) {
    if let Ok(certs) = sigbridge::x509::certificates_from_bytes(data, "fuzz", &Limits::default()) {
        for c in &certs {
            let _ = format!("{c:?}");
        }
    }
}

fn crl_parse(data: &[u8]) {
    if let Ok(crls) = sigbridge::x509::crls_from_bytes(data, "fuzz", &Limits::default()) {
        for c in &crls {
            let _ = format!("{c:?}");
        }
    }
}

fn cms_parse(data: &[u8]) {
    match cms::parse(data, &Limits::default()) {
        Ok(sd) => {
            let _ = format!("{sd:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fn smime_parse(data: &[u8]) {
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
}

fn pem(data: &[u8]) {
    const LABELS: &[&str] = &[
        "CERTIFICATE",
        "X509 CERTIFICATE",
        "TRUSTED CERTIFICATE",
        "X509 CRL",
        "CRL",
        "PKCS7",
        "CMS",
    ];
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
}

fn verify(data: &[u8]) {
    static V: OnceLock<Verifier> = OnceLock::new();
    let v = V.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/trust-stores");
        let stores = TrustStores::load_dir(&dir, &Limits::default()).expect("fixture stores");
        // fixtures/expected.json: validation_time 2026-12-01T00:00:00Z
        Verifier::builder()
            .trust_stores(stores)
            .validation_time(Some(1_796_083_200))
            .build()
    });
    match v.verify(data, None) {
        Ok(report) => {
            let _ = format!("{report:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fn pdf_parse(data: &[u8]) {
    use sigbridge::document::pdf::PdfDocument;
    use std::io::Read;
    let Ok(doc) = PdfDocument::open(data.to_vec(), &Limits::default()) else {
        return;
    };
    let _ = doc.page_count(doc.revisions().len() - 1);
    let Ok(sigs) = doc.signatures() else {
        return;
    };
    for s in &sigs {
        let _ = serde_json::to_string(&doc.coverage(s).ok());
        let _ = serde_json::to_string(&doc.modifications(s).map_err(|e| e.to_string()));
        if let Ok(r) = doc.signed_ranges_reader(s) {
            let _ = r.take(1 << 20).read_to_end(&mut Vec::new());
        }
    }
    if let Ok(d) = doc.dss() {
        if let Some(s) = sigs.first() {
            let _ = doc.level_inputs(s, &sigs, &d);
        }
    }
}

fn replay(target: &str, run: fn(&[u8])) {
    for p in regressions(target) {
        let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        eprintln!("{target}: {}", p.display());
        run(&data);
    }
}

#[test]
fn cert_parse_regressions() {
    replay("cert_parse", cert_parse);
}

#[test]
fn crl_parse_regressions() {
    replay("crl_parse", crl_parse);
}

#[test]
fn cms_parse_regressions() {
    replay("cms_parse", cms_parse);
}

#[test]
fn smime_parse_regressions() {
    replay("smime_parse", smime_parse);
}

#[test]
fn pem_regressions() {
    replay("pem", pem);
}

#[test]
fn verify_regressions() {
    replay("verify", verify);
}

#[test]
fn pdf_parse_regressions() {
    replay("pdf_parse", pdf_parse);
}

#[test]
fn pending_list_names_existing_files() {
    for (target, name) in PENDING {
        let _ = one(target, name);
    }
}
