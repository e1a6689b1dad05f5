//! OFD packages through `Verifier` (issue 14): every fixture of `fixtures/ofd/` with the demo
//! GD trust stores against the `verify` entries of `fixtures/ofd/expected.json` (written by
//! hand from the scenarios): the indication and sub-indication of each signature, its Hong
//! Kong and Guangdong recognition, the seal maker's path, and the OFD report fields; then the
//! CN-tax purpose list (an e-invoice VALID under the tax root and recognised by neither side)
//! and the per-call time semantics.

mod common;

use serde_json::Value;
use sigbridge::asn1::parse_time;
use sigbridge::recognition::RecognitionStatus;
use sigbridge::report::document::Container;
use sigbridge::revocation::RevocationMode;
use sigbridge::trust::{Jurisdiction, PurposeList, TrustStores};
use sigbridge::verdict::{Indication, Rule, Status, SubIndication};
use sigbridge::verify::{Call, VerifierBuilder, VerifierConfig, VerifyError};
use sigbridge::{DocumentReport, Limits, SignerReport, Verifier};
use std::sync::Arc;

const AT: &str = "2026-12-01T00:00:00Z";

fn builder() -> VerifierBuilder {
    let limits = Limits::default();
    let stores = TrustStores::load_dir(&common::fixtures().join("trust-stores"), &limits).unwrap();
    Verifier::builder()
        .trust_stores(stores)
        .certificates(common::fixture_certs(&["docs/pki/gd-sm2-ca.pem".into()]))
        .crls(common::fixture_crls(&[
            "docs/pki/gd-sm2-root.crl".into(),
            "docs/pki/gd-sm2-ca.crl".into(),
            "ofd/tax/tax-root.crl".into(),
        ]))
        .revocation(RevocationMode::Require)
        .validation_time(parse_time(AT))
}

fn tax_list() -> PurposeList {
    PurposeList::load(
        &common::fixtures().join("ofd/tax/trust-list.json"),
        &Limits::default(),
    )
    .unwrap()
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(common::fixtures().join("ofd").join(file)).unwrap()
}

fn expected() -> Value {
    serde_json::from_slice(&read("expected.json")).unwrap()
}

fn indication(s: &str) -> Indication {
    serde_json::from_value(Value::String(s.into())).unwrap()
}

fn sub(v: &Value) -> Option<SubIndication> {
    serde_json::from_value(v.clone()).unwrap()
}

fn recognition(r: &SignerReport, j: Jurisdiction) -> &'static str {
    match r.recognition.as_ref().map(|p| p.get(j).status) {
        Some(RecognitionStatus::Domestic) => "domestic",
        Some(RecognitionStatus::Mutual) => "mutual",
        Some(RecognitionStatus::NotRecognised) => "not_recognised",
        None => "none",
    }
}

/// [indication, sub_indication, hk, gd] against one signer report.
fn assert_signer(at: &str, want: &Value, r: &SignerReport) {
    assert_eq!(
        r.indication,
        indication(want[0].as_str().unwrap()),
        "{at}: {:#?}",
        r.checks
    );
    assert_eq!(r.sub_indication, sub(&want[1]), "{at}: {:#?}", r.checks);
    assert_eq!(recognition(r, Jurisdiction::Hk), want[2], "{at}: HK");
    assert_eq!(recognition(r, Jurisdiction::Gd), want[3], "{at}: GD");
}

fn signer_cert() -> Vec<Arc<sigbridge::x509::Certificate>> {
    common::fixture_certs(&["docs/pki/gd-sm2-personal.pem".into()])
}

#[test]
fn every_fixture_through_the_verifier() {
    let v = builder().build();
    let exp = expected();
    let files = exp["files"].as_object().unwrap();
    assert!(files.len() >= 12, "{}", files.len());
    for (file, want) in files {
        let w = &want["verify"];
        assert!(w.is_object(), "{file}: no verify entry in expected.json");
        let bytes = read(file);
        let call = match want.get("signer_certificates") {
            Some(_) => Call::new().certificates(signer_cert()),
            None => Call::new(),
        };
        let r = v.verify_with(&bytes, call).unwrap();
        assert_eq!(r.container, Container::Ofd, "{file}");
        assert_eq!(r.content_type, "application/ofd");
        assert_eq!(r.validation_time, AT);
        assert_eq!(
            r.indication,
            indication(w["indication"].as_str().unwrap()),
            "{file}"
        );
        let sigs = w["signatures"].as_array().unwrap();
        assert_eq!(r.signers.len(), sigs.len(), "{file}");
        for (i, (s, r)) in sigs.iter().zip(&r.signers).enumerate() {
            assert_signer(&format!("{file}#{i}"), s, r);
            let ofd = r.ofd.as_ref().unwrap();
            let layer = &want["signatures"][i];
            assert_eq!(Some(ofd.id.as_str()), layer["id"].as_str(), "{file}");
            assert_eq!(
                ofd.kind,
                layer["kind"].as_str().unwrap().to_lowercase(),
                "{file}: {}",
                ofd.id
            );
            assert_eq!(ofd.format.as_deref(), layer["format"].as_str(), "{file}");
            assert!(r.checks.iter().any(|c| c.rule == Rule::OfdSignature));
        }
        let doc = r.ofd.as_ref().unwrap();
        let uncovered: Vec<&str> = want["uncovered"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(doc.uncovered_files, uncovered, "{file}");
        assert_eq!(doc.documents, 1, "{file}");
        if let Some(without) = w.get("without_certificates") {
            let r = v.verify_with(&bytes, Call::new()).unwrap();
            assert_eq!(
                r.indication,
                indication(without[0].as_str().unwrap()),
                "{file}"
            );
            assert_eq!(r.sub_indication, sub(&without[1]), "{file}");
            assert!(r.signers[0].signer.is_none());
        }
        if let Some(tax) = w.get("with_tax_list") {
            let t = builder().purpose_list(tax_list()).build();
            let r = t.verify_with(&bytes, Call::new()).unwrap();
            assert_signer(&format!("{file} with CN-tax"), tax, &r.signers[0]);
        }
    }
}

#[test]
fn a_valid_seal_reports_its_seal_maker_path_and_fields() {
    let r = builder()
        .build()
        .verify(&read("v4-seal.ofd"), None)
        .unwrap();
    assert_eq!(r.relying_party, Some(Jurisdiction::Gd));
    let s = &r.signers[0];
    assert_eq!(s.anchor_store.as_deref(), Some("gd"));
    assert_eq!(s.chain.len(), 3);
    assert_eq!(
        s.claimed_signing_time.as_deref(),
        Some("2026-11-20T12:00:00Z")
    );
    assert_eq!(s.signature_algorithm, "SM2-with-SM3");
    assert_eq!(s.digest_algorithm, "SM3");
    let o = s.ofd.as_ref().unwrap();
    assert_eq!(o.format.as_deref(), Some("V4"));
    assert_eq!(
        o.signature_encoding,
        Some(sigbridge::crypto::ValueEncoding::Der)
    );
    let seal = o.seal.as_ref().unwrap();
    assert_eq!(seal.name, "演示广东电子印章 Demo GD Seal");
    assert_eq!(seal.es_id, "44010000000001");
    assert_eq!(seal.valid_end.time.as_deref(), Some("2031-01-01T00:00:00Z"));
    assert_eq!(seal.picture.format, "png");
    assert!(seal.picture.size > 8);
    let maker = o.seal_maker.as_ref().unwrap();
    assert!(maker.certificate.subject.contains("Demo Seal Maker"));
    assert_eq!(maker.anchor_store.as_deref(), Some("gd"));
    assert_eq!(maker.chain.len(), 3);
    assert_eq!(maker.revocation.len(), 2);
    // The maker's path is reported as a passed certificate-path check about the maker.
    assert!(s.checks.iter().any(|c| c.rule == Rule::CertificatePath
        && c.status == Status::Passed
        && c.subject
            .as_ref()
            .is_some_and(|x| x.label.contains("Demo Seal Maker"))));
    assert!(o.covered_files.contains(&"Doc_0/Document.xml".to_owned()));
    assert!(o.failed_references.is_empty());
    // The raw fixture says plain for both values.
    let raw = builder()
        .build()
        .verify(&read("raw-signature.ofd"), None)
        .unwrap();
    let o = raw.signers[0].ofd.as_ref().unwrap();
    assert_eq!(
        (o.signature_encoding, o.seal_signature_encoding),
        (
            Some(sigbridge::crypto::ValueEncoding::Plain),
            Some(sigbridge::crypto::ValueEncoding::Plain)
        )
    );
    // The report round-trips through JSON.
    let json = serde_json::to_value(&r).unwrap();
    let back: DocumentReport = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
}

#[test]
fn each_failure_is_reported_by_its_ofd_rule() {
    let v = builder().build();
    let failed = |file: &str| -> Vec<Rule> {
        let r = v.verify(&read(file), None).unwrap();
        r.signers[0]
            .checks
            .iter()
            .filter(|c| c.status == Status::Failed)
            .map(|c| c.rule)
            .collect()
    };
    assert_eq!(
        failed("changed-after-sealing.ofd"),
        [Rule::OfdReferenceDigest]
    );
    assert_eq!(
        failed("broken-maker-signature.ofd"),
        [Rule::OfdSealSignature]
    );
    assert_eq!(
        failed("signer-not-in-cert-list.ofd"),
        [Rule::OfdSignerInCertList]
    );
    assert_eq!(failed("expired-seal.ofd"), [Rule::OfdSealValidity]);
    assert!(failed("v4-seal.ofd").is_empty());
}

#[test]
fn an_e_invoice_is_valid_under_the_tax_list_and_recognised_by_neither_side() {
    let bytes = read("e-invoice.ofd");
    // Without the purpose list: no chain.
    let r = builder().build().verify(&bytes, None).unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
    // With it: valid, anchored in CN-tax, for no relying party, not recognised.
    let v = builder().purpose_list(tax_list()).build();
    let r = v.verify(&bytes, None).unwrap();
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{:#?}",
        r.signers[0].checks
    );
    assert_eq!(r.relying_party, None);
    let s = &r.signers[0];
    assert_eq!(s.anchor_store.as_deref(), Some("CN-tax"));
    for j in [Jurisdiction::Hk, Jurisdiction::Gd] {
        let rec = s.recognition.as_ref().unwrap().get(j);
        assert_eq!(rec.status, RecognitionStatus::NotRecognised, "{j}");
        assert!(rec
            .failed_conditions
            .iter()
            .any(|c| c.id == "domestic.anchor"));
    }
    let maker = s.ofd.as_ref().unwrap().seal_maker.as_ref().unwrap();
    assert_eq!(maker.anchor_store.as_deref(), Some("CN-tax"));
    // A Guangdong relying party does not recognise it.
    let r = v
        .verify_with(&bytes, Call::new().relying_party(Jurisdiction::Gd))
        .unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::ChainConstraintsFailure)
    );
    // The same through VerifierConfig (what the CLI builds).
    let mut config = VerifierConfig::default();
    config.trust_stores = Some(common::fixtures().join("trust-stores"));
    config.purpose_lists = vec![common::fixtures().join("ofd/tax/trust-list.json")];
    config.validation_time = Some(AT.into());
    let r = config.build().unwrap().verify(&bytes, None).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed);
    // Beside a purpose list, a GD-sealed package is still anchored in the GD list.
    let gd = builder()
        .purpose_list(tax_list())
        .build()
        .verify(&read("v4-seal.ofd"), None)
        .unwrap();
    assert_eq!(gd.signers[0].anchor_store.as_deref(), Some("gd"));
}

#[test]
fn a_bad_purpose_list_is_refused_naming_the_file_and_field() {
    let text = std::fs::read_to_string(common::fixtures().join("ofd/tax/trust-list.json"))
        .unwrap()
        .replace("\"CN-tax\"", "\"gd\"");
    let e = PurposeList::from_json(&text, "list.json", &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("list.json: purpose"), "{e}");
    // A missing file is named too.
    let missing = common::fixtures().join("ofd/tax/no-such-list.json");
    let e = PurposeList::load(&missing, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no-such-list.json"), "{e}");
}

#[test]
fn times_validation_as_given_signing_time_as_claimed() {
    let v = builder().build();
    let bytes = read("v4-seal.ofd");
    // After the signer's certificate expired (2036-01-01): the path fails at that time,
    // while the seal window is still judged at the claimed signing time (and passes).
    let late = parse_time("2037-01-01T00:00:00Z").unwrap();
    let r = v.verify_with(&bytes, Call::new().at(late)).unwrap();
    assert_eq!(r.validation_time, "2037-01-01T00:00:00Z");
    let s = &r.signers[0];
    assert_eq!(s.indication, Indication::Indeterminate, "{:#?}", s.checks);
    assert_eq!(s.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
    assert_eq!(
        s.claimed_signing_time.as_deref(),
        Some("2026-11-20T12:00:00Z")
    );
    let seal = s
        .checks
        .iter()
        .find(|c| c.rule == Rule::OfdSealValidity)
        .unwrap();
    assert_eq!(seal.status, Status::Passed);
    // A repeated call hits the caches.
    v.verify(&bytes, None).unwrap();
    v.verify(&bytes, None).unwrap();
    assert!(v.cache_stats().sub_paths.hits >= 1);
}

#[test]
fn content_given_with_a_package_and_unreadable_packages_are_errors() {
    let v = builder().build();
    let bytes = read("v4-seal.ofd");
    let mut content: &[u8] = b"x";
    let e = v.verify(&bytes, Some(&mut content)).unwrap_err();
    assert!(matches!(e, VerifyError::ContentNotApplicable), "{e}");
    // A ZIP that is no OFD package: a typed error naming what is missing.
    let mut zip = bytes.clone();
    let n = zip.len();
    zip.truncate(n - 10);
    let e = v.verify(&zip, None).unwrap_err();
    assert!(matches!(e, VerifyError::Ofd(_)), "{e}");
}
