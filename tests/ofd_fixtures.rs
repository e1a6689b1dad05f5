//! The generated OFD fixtures (`fixtures/ofd/`, made by `fixtures/generate-ofd.sh`) against
//! `fixtures/ofd/expected.json`, written by hand from the scenarios: each signature's format,
//! rules, failing references, encodings, signer, seal maker and seal properties, and the
//! files no signature covers.

use serde_json::Value;
use sigbridge::crypto::ValueEncoding;
use sigbridge::document::ofd::{self, OfdPackage, SignatureResult, VerifyOptions};
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cert(path: &str) -> Arc<Certificate> {
    let pem = std::fs::read(root().join(path)).unwrap();
    Arc::new(Certificate::from_der(pem::parse(pem).unwrap().contents()).unwrap())
}

fn enc(e: Option<ValueEncoding>) -> Value {
    match e {
        Some(ValueEncoding::Der) => "der".into(),
        Some(ValueEncoding::Plain) => "raw".into(),
        _ => Value::Null,
    }
}

fn rule_status(r: &SignatureResult, name: &str) -> String {
    let found = r.checks.iter().find(|c| format!("{:?}", c.rule) == name);
    found.map_or("absent".into(), |c| format!("{:?}", c.status))
}

fn check(file: &str, want: &Value, r: &SignatureResult) {
    let at = format!("{file}#{}", want["id"]);
    assert_eq!(Some(r.id.as_str()), want["id"].as_str(), "{at}");
    assert_eq!(
        format!("{:?}", r.kind),
        want["kind"].as_str().unwrap(),
        "{at}: kind"
    );
    assert_eq!(r.format, want["format"].as_str(), "{at}: format");
    assert_eq!(
        r.passed(),
        want["passed"].as_bool().unwrap(),
        "{at}: passed; checks {:#?}",
        r.checks
    );
    let failed: Vec<&str> = r.failed_references();
    let expected: Vec<&str> = want["failed_refs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(failed, expected, "{at}: failed references");
    assert_eq!(
        enc(r.signature_encoding),
        want["encoding"][0],
        "{at}: signer encoding"
    );
    assert_eq!(
        enc(r.seal_signature_encoding),
        want["encoding"][1],
        "{at}: maker encoding"
    );
    let cn = |c: &Option<Arc<Certificate>>| c.as_ref().and_then(|c| c.subject.common_name());
    assert_eq!(
        cn(&r.signer_certificate).as_deref(),
        want["signer"].as_str(),
        "{at}: signer"
    );
    assert_eq!(
        cn(&r.seal_maker_certificate).as_deref(),
        want["maker"].as_str(),
        "{at}: maker"
    );
    for (rule, status) in want["checks"].as_object().unwrap() {
        assert_eq!(
            rule_status(r, rule),
            status.as_str().unwrap(),
            "{at}: {rule}: {:#?}",
            r.checks
        );
    }
    match (&want["seal"], &r.seal) {
        (Value::Null, _) if want.get("seal").is_some() => {
            assert!(r.seal.is_none(), "{at}: no seal expected")
        }
        (Value::Object(s), Some(seal)) => {
            assert_eq!(seal.name, s["name"].as_str().unwrap(), "{at}");
            assert_eq!(seal.es_id, s["es_id"].as_str().unwrap(), "{at}");
            assert_eq!(seal.vid, s["vid"].as_str().unwrap(), "{at}");
            assert_eq!(
                format!("{:?}", seal.version),
                s["version"].as_str().unwrap(),
                "{at}"
            );
            assert_eq!(
                seal.valid_start.text,
                s["valid_start"].as_str().unwrap(),
                "{at}"
            );
            assert_eq!(
                seal.valid_end.text,
                s["valid_end"].as_str().unwrap(),
                "{at}"
            );
            assert_eq!(seal.picture.kind, s["picture"].as_str().unwrap(), "{at}");
            assert_eq!(seal.picture.detected_format, "png", "{at}");
            assert!(seal.picture.size > 8, "{at}");
        }
        (Value::Object(_), None) => panic!("{at}: a seal was expected"),
        _ => {}
    }
}

fn verify(path: &Path, options: &VerifyOptions) -> ofd::OfdVerification {
    let package = OfdPackage::open(std::fs::read(path).unwrap(), &Limits::default()).unwrap();
    ofd::verify_signatures(&package, options).unwrap()
}

#[test]
fn every_fixture_gives_what_expected_json_says() {
    let dir = root().join("fixtures/ofd");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    let files = expected["files"].as_object().unwrap();
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ofd"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = files.keys().cloned().collect();
    listed.sort();
    assert_eq!(on_disk, listed, "fixtures/ofd and expected.json disagree");
    for (file, want) in files {
        let path = dir.join(file);
        let certs: Vec<Arc<Certificate>> = want
            .get("signer_certificates")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|p| cert(p.as_str().unwrap())).collect())
            .unwrap_or_default();
        if let Some(status) = want.get("without_certificates") {
            let v = verify(&path, &VerifyOptions::new());
            assert_eq!(
                rule_status(&v.signatures[0], "Signature"),
                status.as_str().unwrap(),
                "{file} without certificates"
            );
            assert!(
                !v.signatures[0].passed(),
                "{file}: must not pass without a key"
            );
        }
        let v = verify(&path, &VerifyOptions::new().with_signer_certificates(certs));
        let sigs = want["signatures"].as_array().unwrap();
        assert_eq!(v.signatures.len(), sigs.len(), "{file}: signature count");
        for (w, r) in sigs.iter().zip(&v.signatures) {
            check(file, w, r);
        }
        let uncovered: Vec<&str> = want["uncovered"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(v.uncovered_files, uncovered, "{file}: uncovered files");
        // The report serialises.
        serde_json::to_string(&v).unwrap();
    }
}

#[test]
fn the_summary_shows_the_seal() {
    let path = root().join("fixtures/ofd/v4-seal.ofd");
    let package = OfdPackage::open(std::fs::read(path).unwrap(), &Limits::default()).unwrap();
    let s = ofd::OfdSummary::of(&package).unwrap();
    assert_eq!(s.documents.len(), 1);
    assert_eq!(s.documents[0].doc_root, "Doc_0/Document.xml");
    assert_eq!(
        s.documents[0].signatures.as_deref(),
        Some("Doc_0/Signs/Signatures.xml")
    );
    let sig = &s.signatures[0];
    assert_eq!(sig.format, Some("V4"));
    assert_eq!(
        sig.provider.as_ref().and_then(|p| p.name.as_deref()),
        Some("sigbridge-fixtures")
    );
    let seal = sig.seal.as_ref().unwrap();
    assert_eq!(seal.name, "演示广东电子印章 Demo GD Seal");
    assert_eq!(
        seal.maker.as_deref().map(|m| m.contains("Demo Seal Maker")),
        Some(true)
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["signatures"][0]["seal"]["picture"]["detected_format"],
        "png"
    );
    assert_eq!(json["signatures"][0]["seal"]["es_id"], "44010000000001");
}

/// The seal of a package's first signature.
fn first_seal(file: &str) -> ofd::Seal {
    let path = root().join("fixtures/ofd").join(file);
    let package = OfdPackage::open(std::fs::read(path).unwrap(), &Limits::default()).unwrap();
    let listed = package.signatures().unwrap();
    let sig = listed[0].signature.as_ref().unwrap();
    let bytes = package.read(&sig.signed_value).unwrap();
    match ofd::parse_signed_value(&bytes, &Limits::default()).unwrap() {
        ofd::SignedValue::Ses(ses) => ses.seal.clone(),
        _ => panic!("{file}: not an SES_Signature"),
    }
}

#[test]
fn seal_signatures_are_remembered_per_seal_and_policy() {
    use sigbridge::crypto::{AlgorithmPolicy, SignatureCache};
    use sigbridge::document::ofd::checks::OfdStatus;
    let cache = SignatureCache::new(16);
    let policy = AlgorithmPolicy::default();
    let good = first_seal("v4-seal.ofd");
    let broken = first_seal("broken-maker-signature.ofd");
    for _ in 0..2 {
        let c = ofd::verify_seal_cached(&good, &policy, Some(&cache));
        assert_eq!(c.status, OfdStatus::Passed, "{}", c.message);
        let c = ofd::verify_seal_cached(&broken, &policy, Some(&cache));
        assert_eq!(c.status, OfdStatus::Failed, "{}", c.message);
    }
    let s = cache.snapshot();
    assert_eq!((s.misses, s.hits, s.entries), (2, 2, 2));
    // Another policy is another key.
    let strict = AlgorithmPolicy::strict();
    assert_eq!(
        ofd::verify_seal_cached(&good, &strict, Some(&cache)).status,
        OfdStatus::Passed
    );
    assert_eq!(cache.snapshot().misses, 3);
    // Without a cache: the same answers.
    assert_eq!(ofd::verify_seal(&broken, &policy).status, OfdStatus::Failed);
}
