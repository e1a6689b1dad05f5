//! The signed-document fixtures (fixtures/docs, made by fixtures/generate-documents.sh): every
//! document listed in fixtures/expected.json goes through `sigbridge::verify::Verifier` with
//! the anchors, certificates and CRLs the file names, at its fixed validation time, and the
//! document's and each signer's indication and sub-indication are asserted.
//!
//! S/MIME messages (`"smime": true`) go through the same `Verifier::verify`, which detects MIME.
//!
//! Not asserted yet: each signer's `recognition` (HK / GD: domestic, mutual, not_recognised,
//! with the failed condition ids of src/recognition.rs) and the `with_trust_stores` verdicts,
//! which wait for the trust-list mode of `Verifier`; they are only checked to be well-formed,
//! counted and reported on stderr. The demo lists in fixtures/trust-stores/ are loaded with
//! `sigbridge::trust::TrustStores::load_dir`.

mod common;

use serde::Deserialize;
use sigbridge::asn1::parse_time;
use sigbridge::input;
use sigbridge::revocation::RevocationMode;
use sigbridge::trust::TrustStores;
use sigbridge::verdict::Status;
use sigbridge::Limits;
use sigbridge::{DocumentReport, Verifier};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Expectations {
    validation_time: String,
    revocation: String,
    documents: Vec<Document>,
}

#[derive(Deserialize)]
struct Document {
    /// Expected verdicts with the demo trust lists: `default_relying_party`, `default`,
    /// `for_hk`, `for_gd`.
    #[serde(default)]
    with_trust_stores: serde_json::Value,
    file: String,
    scenario: String,
    content: Option<String>,
    anchors: Vec<String>,
    certs: Vec<String>,
    crls: Vec<String>,
    indication: Option<String>,
    sub_indication: Option<String>,
    /// The document cannot be read at all (`Verifier::verify` returns an error; CLI exit 4).
    #[serde(default)]
    error: bool,
    signers: Vec<ExpectedSigner>,
}

#[derive(Deserialize)]
struct ExpectedSigner {
    subject_cn: String,
    indication: String,
    sub_indication: Option<String>,
    /// Recognition per relying party, with the demo trust lists.
    recognition: Recognition,
}

/// Expected recognition of one signer, per relying party.
#[derive(Deserialize)]
struct Recognition {
    hk: RecognitionStatus,
    gd: RecognitionStatus,
}

#[derive(Deserialize)]
struct RecognitionStatus {
    status: String,
    failed_conditions: Vec<String>,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn expectations() -> Expectations {
    let path = fixtures().join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn verifier(doc: &Document, exp: &Expectations) -> Verifier {
    let revocation = match exp.revocation.as_str() {
        "require" => RevocationMode::Require,
        "prefer" => RevocationMode::Prefer,
        "off" => RevocationMode::Off,
        other => panic!("expected.json: unknown revocation mode {other}"),
    };
    Verifier::builder()
        .anchors(common::fixture_certs(&doc.anchors))
        .certificates(common::fixture_certs(&doc.certs))
        .crls(common::fixture_crls(&doc.crls))
        .revocation(revocation)
        .validation_time(Some(
            parse_time(&exp.validation_time).expect("validation_time"),
        ))
        .build()
}

fn run(doc: &Document, exp: &Expectations) -> Result<DocumentReport, String> {
    let dir = fixtures();
    let bytes = input::read_file(&dir.join(&doc.file), &Limits::default()).unwrap();
    let v = verifier(doc, exp);
    let result = match &doc.content {
        Some(c) => {
            let mut f = std::io::BufReader::new(std::fs::File::open(dir.join(c)).unwrap());
            v.verify(&bytes, Some(&mut f))
        }
        None => v.verify(&bytes, None),
    };
    result.map_err(|e| e.to_string())
}

fn sub(s: Option<sigbridge::verdict::SubIndication>) -> Option<String> {
    s.map(|s| s.to_string())
}

/// Compares one report with its expectation; returns every mismatch.
fn compare(doc: &Document, report: &DocumentReport) -> Vec<String> {
    let mut wrong = Vec::new();
    let got = (report.indication.to_string(), sub(report.sub_indication));
    let want = (
        doc.indication.clone().unwrap_or_default(),
        doc.sub_indication.clone(),
    );
    if got != want {
        wrong.push(format!("document: got {got:?}, expected {want:?}"));
    }
    if report.signers.len() != doc.signers.len() {
        wrong.push(format!(
            "{} signers, expected {}",
            report.signers.len(),
            doc.signers.len()
        ));
    }
    for (i, (s, e)) in report.signers.iter().zip(&doc.signers).enumerate() {
        let got = (s.indication.to_string(), sub(s.sub_indication));
        let want = (e.indication.clone(), e.sub_indication.clone());
        if got != want {
            let failed: Vec<String> = s
                .checks
                .iter()
                .filter(|c| c.status == Status::Failed)
                .map(|c| format!("{}: {}", c.rule, c.message))
                .collect();
            wrong.push(format!(
                "signer {i}: got {got:?}, expected {want:?}; failed checks: {failed:?}"
            ));
        }
        let subject = s.signer.as_ref().map(|id| id.subject.clone());
        let cn = format!("CN={}", e.subject_cn);
        if !subject.as_deref().is_some_and(|x| x.ends_with(&cn)) {
            wrong.push(format!("signer {i}: subject {subject:?}, expected {cn}"));
        }
    }
    wrong
}

#[test]
fn every_fixture_document_gives_its_expected_indication() {
    let exp = expectations();
    assert!(
        exp.documents.len() >= 20,
        "expected.json lists too few documents"
    );
    let mut failures = Vec::new();
    for doc in &exp.documents {
        match (run(doc, &exp), doc.error) {
            (Err(_), true) => {}
            (Ok(r), true) => failures.push(format!(
                "{} ({}): expected an unreadable-input error, got {} {:?}",
                doc.file, doc.scenario, r.indication, r.sub_indication
            )),
            (Err(e), false) => failures.push(format!(
                "{} ({}): cannot be verified: {e}",
                doc.file, doc.scenario
            )),
            (Ok(r), false) => {
                for w in compare(doc, &r) {
                    failures.push(format!("{} ({}): {w}", doc.file, doc.scenario));
                }
            }
        }
    }
    eprintln!(
        "fixtures_documents: {} documents checked",
        exp.documents.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Recognition, with the demo trust lists (fixtures/trust-stores) as the only anchors: each
/// signer's HK and GD status and failed condition ids, and the document's indication for
/// `--for hk`, `--for gd` and the default relying party.
#[test]
fn recognition_with_the_demo_trust_lists() {
    use sigbridge::recognition::RecognitionStatus as Status;
    use sigbridge::trust::Jurisdiction;
    let exp = expectations();
    let limits = Limits::default();
    let stores = TrustStores::load_dir(&fixtures().join("trust-stores"), &limits).unwrap();
    let time = sigbridge::asn1::parse_time(&exp.validation_time).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for doc in exp.documents.iter().filter(|d| !d.error) {
        let with = doc.with_trust_stores.clone();
        for rp in [None, Some(Jurisdiction::Hk), Some(Jurisdiction::Gd)] {
            let v = Verifier::builder()
                .trust_stores(stores.clone())
                .validation_time(Some(time))
                .revocation(RevocationMode::Require)
                .relying_party(rp)
                .certificates(common::fixture_certs(&doc.certs))
                .crls(common::fixture_crls(&doc.crls))
                .build();
            let bytes = std::fs::read(fixtures().join(&doc.file)).unwrap();
            let report = match &doc.content {
                Some(c) => {
                    let mut f = std::fs::File::open(fixtures().join(c)).unwrap();
                    v.verify(&bytes, Some(&mut f)).unwrap()
                }
                None => v.verify(&bytes, None).unwrap(),
            };
            let key = match rp {
                None => "default",
                Some(Jurisdiction::Hk) => "for_hk",
                Some(Jurisdiction::Gd) => "for_gd",
            };
            if let Some(want) = with.get(key) {
                let got = serde_json::to_value(report.indication).unwrap();
                if want["indication"] != got {
                    failures.push(format!(
                        "{} ({key}): indication {got}, expected {}",
                        doc.file, want["indication"]
                    ));
                }
            }
            if rp.is_some() {
                continue;
            }
            if let Some(want) = with.get("default_relying_party").and_then(|x| x.as_str()) {
                let got = report.relying_party.map(|j| j.to_string());
                if got.as_deref() != Some(want) {
                    failures.push(format!(
                        "{}: default relying party {got:?}, expected {want}",
                        doc.file
                    ));
                }
            }
            for (s, signer) in report.signers.iter().zip(&doc.signers) {
                let rec = s.recognition.as_ref().unwrap();
                for (who, got, want) in [
                    ("hk", &rec.hk, &signer.recognition.hk),
                    ("gd", &rec.gd, &signer.recognition.gd),
                ] {
                    checked += 1;
                    let status = match got.status {
                        Status::Domestic => "domestic",
                        Status::Mutual => "mutual",
                        Status::NotRecognised => "not_recognised",
                    };
                    let ids: Vec<&str> = got
                        .failed_conditions
                        .iter()
                        .map(|c| c.id.as_ref())
                        .collect();
                    let missing: Vec<&String> = want
                        .failed_conditions
                        .iter()
                        .filter(|c| !ids.contains(&c.as_str()))
                        .collect();
                    if status != want.status || !missing.is_empty() {
                        failures.push(format!(
                            "{} signer {} ({who}): {status} {ids:?}, expected {} {:?}",
                            doc.file, signer.subject_cn, want.status, want.failed_conditions
                        ));
                    }
                }
            }
        }
    }
    eprintln!("fixtures_documents: {checked} HK/GD recognition verdicts checked");
    assert!(
        checked >= 40,
        "expected the whole fixture set, checked {checked}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The demo trust lists load, name their anchors by the SHA-256 of the bundled certificate
/// files, and every mutual-recognition root is one of the same file's anchors.
#[test]
fn demo_trust_lists_match_their_certificates() {
    let limits = Limits::default();
    if let Err(e) = TrustStores::load_dir(&fixtures().join("trust-stores"), &limits) {
        panic!("fixtures/trust-stores: {e}");
    }
    for j in ["hk", "gd"] {
        let dir = fixtures().join("trust-stores").join(j);
        let path = dir.join("trust-list.json");
        let list: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(list["format"], "sigbridge-trust-list/1");
        let norm = |v: &serde_json::Value| v.as_str().unwrap().replace(':', "").to_lowercase();
        let mut anchors = Vec::new();
        for a in list["anchors"].as_array().unwrap() {
            let file = dir.join(a["certificate"].as_str().unwrap());
            let cert = sigbridge::x509::certificates_from_file(Path::new(&file), &limits)
                .unwrap()
                .remove(0);
            assert_eq!(cert.fingerprint(), norm(&a["sha256"]), "{}", file.display());
            anchors.push(norm(&a["sha256"]));
        }
        let entries = list["mutual_recognition"].as_array().unwrap();
        assert!(!entries.is_empty(), "{}", path.display());
        for e in entries {
            for r in e["roots"].as_array().unwrap() {
                assert!(anchors.contains(&norm(&r["sha256"])), "{}", path.display());
            }
        }
    }
}
