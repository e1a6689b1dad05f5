//! OCSP on third-party data (`ltv/` in the corpora): OpenSSL's 29 OCSP cases as certvalidator
//! runs them, pyca's response vectors, certval's real chains with stapled responses and CRLs.
//! Every case with an expected result is asserted; divergences are listed in
//! tests/ltv-exceptions.txt and checked both ways.

mod common;

use serde_json::Value;
use sigbridge::asn1::parse_time;
use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::ocsp::{
    responses_from_bytes, OcspResponse, ResponderId, ResponseStatus, SingleStatus,
};
use sigbridge::revocation::{CertStatus, RevocationMode};
use sigbridge::validate::{validate, Options, Outcome, Sources};
use sigbridge::x509::{certificates_from_file, Certificate, Crl};
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn ltv() -> Option<PathBuf> {
    common::corpora().map(|c| c.join("ltv"))
}

fn certs(path: &Path) -> Vec<Arc<Certificate>> {
    certificates_from_file(path, &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn responses(path: &Path) -> Vec<Arc<OcspResponse>> {
    let bytes = std::fs::read(path).unwrap();
    responses_from_bytes(&bytes, &path.display().to_string(), &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .map(Arc::new)
        .collect()
}

struct Case {
    anchors: AnchorSet,
    pool: CertPool,
    target: Arc<Certificate>,
    ocsp: Vec<Arc<OcspResponse>>,
    crls: Vec<Arc<Crl>>,
    time: i64,
}

impl Case {
    fn run(&self, mode: RevocationMode) -> Outcome {
        let mut options = Options::at(self.time);
        options.revocation = mode;
        let sources = Sources::new(&self.pool, &self.anchors, &self.crls).ocsp(&self.ocsp);
        validate(&self.target, sources, &options)
    }
}

fn status_of(o: &Outcome, index: usize) -> Result<&CertStatus, String> {
    o.revocation
        .iter()
        .find(|e| e.index == index)
        .map(|e| &e.status)
        .ok_or_else(|| {
            format!(
                "no revocation entry {index}: {:?} {:?}",
                o.revocation, o.errors
            )
        })
}

/// What a failing OpenSSL case's name says must be wrong, as words our reasons use (any
/// of them).
fn expected_words(name: &str) -> &'static [&'static str] {
    if name.contains("invalid_response_signature") {
        &["signature does not verify"]
    } else if name.contains("wrong_key_in_signing_cert") {
        // The ResponderID (byKey) names the key the response was signed with, which is not
        // the key of the certificate the response carries.
        &["signature does not verify", "could not be located"]
    } else if name.contains("wrong_responder_id") {
        &["could not be located"]
    } else if name.contains("wrong_issuer_name_hash") {
        &["issuer name hash does not match"]
    } else if name.contains("wrong_issuer_key_hash") {
        &["issuer key hash does not match"]
    } else if name.contains("invalid_signature_on_signing_cert") {
        &["could not be validated"]
    } else if name.contains("stale") {
        &["not recent enough"]
    } else {
        panic!("{name}: no expectation")
    }
}

fn openssl_case(dir: &Path, c: &Value) -> Result<(), String> {
    let name = c["name"].as_str().unwrap();
    let root = certs(&dir.join(c["root"].as_str().unwrap()));
    let mut anchors = AnchorSet::new();
    for r in root {
        anchors.add(r, "test");
    }
    let mut pool = CertPool::new();
    for f in c["other_certs"].as_array().into_iter().flatten() {
        for x in certs(&dir.join(f.as_str().unwrap())) {
            pool.add(x);
        }
    }
    let target = certs(&dir.join(c["cert"].as_str().unwrap())).remove(0);
    let mut ocsp = Vec::new();
    for f in c["ocsps"].as_array().unwrap() {
        ocsp.extend(responses(&dir.join(f.as_str().unwrap())));
    }
    let time = parse_time(&c["moment"].as_str().unwrap().replace("+00:00", "Z")).unwrap();
    let case = Case {
        anchors,
        pool,
        target,
        ocsp,
        crls: Vec::new(),
        time,
    };
    let path_len = c["path_len"].as_u64().unwrap() as usize;
    let prefer = case.run(RevocationMode::Prefer);
    if prefer.path.len() != path_len {
        return Err(format!(
            "path length {} (expected {path_len})",
            prefer.path.len()
        ));
    }
    let ee = path_len - 1;
    if c.get("error").is_none() {
        if !prefer.is_valid() {
            return Err(format!("not valid: {:?}", prefer.errors));
        }
        let mut checked = vec![ee];
        if c["ocsps"].as_array().unwrap().len() == 2 {
            checked.push(1);
        }
        for i in checked {
            match status_of(&prefer, i)? {
                CertStatus::Good { ocsp, .. } if !ocsp.is_empty() => {}
                other => return Err(format!("certificate {i}: {other:?}")),
            }
        }
        return Ok(());
    }
    let failing = if name.ends_with("_intermediate") {
        1
    } else {
        ee
    };
    let require = case.run(RevocationMode::Require);
    if require.is_valid() {
        return Err("valid under require".to_owned());
    }
    match status_of(&prefer, failing)? {
        CertStatus::Undetermined { reasons } => {
            let words = expected_words(name);
            if reasons.iter().any(|r| words.iter().any(|w| r.contains(w))) {
                Ok(())
            } else {
                Err(format!(
                    "certificate {failing}: reasons {reasons:?} lack {words:?}"
                ))
            }
        }
        other => Err(format!("certificate {failing}: {other:?}")),
    }
}

#[test]
fn openssl_ocsp_cases() {
    let Some(ltv) = ltv() else { return };
    let dir = ltv.join("openssl-ocsp");
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("openssl-ocsp.json")).unwrap())
            .unwrap();
    assert_eq!(cases.len(), 29);
    let exceptions = common::exceptions("ltv-exceptions.txt");
    let mut failures = Vec::new();
    for c in &cases {
        let name = c["name"].as_str().unwrap();
        let id = format!("openssl-ocsp/{name}");
        let r = openssl_case(&dir, c);
        match (r, exceptions.contains_key(&id)) {
            (Ok(()), true) => failures.push(format!("{id}: passes but is listed as an exception")),
            (Err(e), false) => failures.push(format!("{id}: {e}")),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn one(path: &Path) -> Result<OcspResponse, String> {
    let bytes = std::fs::read(path).unwrap();
    OcspResponse::from_der(&bytes, &Limits::default()).map_err(|e| e.to_string())
}

fn single(r: &OcspResponse) -> &sigbridge::revocation::ocsp::SingleResponse {
    r.basic.as_ref().unwrap().responses.first().unwrap()
}

/// pyca's vectors: what tests/x509/test_ocsp.py asserts about each (the MANIFEST's
/// `expected`), and the ones its loader refuses.
#[test]
fn pyca_ocsp_vectors() {
    let Some(ltv) = ltv() else { return };
    let d = ltv.join("pyca-ocsp");
    for refused in [
        "resp-invalid-version.der",
        "resp-response-type-unknown-oid.der",
        "resp-successful-no-response-bytes.der",
        "resp-unknown-response-status.der",
    ] {
        assert!(one(&d.join(refused)).is_err(), "{refused} decodes");
    }
    let t = |s: &str| parse_time(s).unwrap();
    let r = one(&d.join("resp-revoked.der")).unwrap();
    assert_eq!(
        single(&r).status,
        SingleStatus::Revoked {
            time: t("2016-09-02T21:28:48Z"),
            reason: None
        }
    );
    let r = one(&d.join("resp-revoked-reason.der")).unwrap();
    assert!(matches!(
        single(&r).status,
        SingleStatus::Revoked {
            reason: Some(4),
            ..
        }
    ));
    let r = one(&d.join("resp-revoked-no-next-update.der")).unwrap();
    assert!(matches!(single(&r).status, SingleStatus::Revoked { .. }));
    assert_eq!(single(&r).next_update, None);
    // A CRL reason as a single extension on a good status: read, and the status stays good.
    let r = one(&d.join("resp-single-extension-reason.der")).unwrap();
    assert_eq!(single(&r).status, SingleStatus::Good);
    assert!(single(&r).unknown_critical.is_empty());
    let r = one(&d.join("resp-delegate-unknown-cert.der")).unwrap();
    assert_eq!(single(&r).status, SingleStatus::Unknown);
    assert_eq!(r.basic.as_ref().unwrap().certs.len(), 1);
    let r = one(&d.join("resp-responder-key-hash.der")).unwrap();
    assert!(matches!(
        r.basic.as_ref().unwrap().responder,
        ResponderId::ByKey(_)
    ));
    let r = one(&d.join("resp-sha256.der")).unwrap();
    assert_eq!(
        r.basic.as_ref().unwrap().signature_algorithm.oid,
        sigbridge::asn1::oid::known::SHA256_WITH_RSA
    );
    let r = one(&d.join("resp-unauthorized.der")).unwrap();
    assert_eq!(r.status, ResponseStatus::Unauthorized);
    assert!(r.basic.is_none());
    // md2WithRSA: decodes, and its signature is refused whatever the key.
    let r = one(&d.join("resp-invalid-signature-oid.der")).unwrap();
    assert_eq!(
        r.basic.as_ref().unwrap().signature_algorithm.oid,
        sigbridge::asn1::oid::known::MD2_WITH_RSA
    );
    // Unknown CertID hash algorithm: decodes; no digest algorithm of ours.
    let r = one(&d.join("resp-unknown-hash-alg.der")).unwrap();
    assert!(
        sigbridge::crypto::DigestAlgorithm::from_oid(&single(&r).cert_id.hash_algorithm.oid)
            .is_none()
    );
    for ok in [
        "resp-sct-extension.der",
        "resp-unknown-extension.der",
        "ocsp-army.deps.mil-resp.der",
    ] {
        let r = one(&d.join(ok)).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert!(
            r.basic.as_ref().unwrap().unknown_critical.is_empty(),
            "{ok}"
        );
    }
    assert_eq!(
        one(&d.join("ocsp-army.deps.mil-resp.der"))
            .unwrap()
            .basic
            .unwrap()
            .responses
            .len(),
        20
    );
}

fn chain_case(dir: &Path, anchor: &str, middle: &str, target: &str, time: i64) -> Case {
    let mut anchors = AnchorSet::new();
    for a in certs(&dir.join(anchor)) {
        anchors.add(a, "test");
    }
    let mut pool = CertPool::new();
    for c in certs(&dir.join(middle)) {
        pool.add(c);
    }
    Case {
        anchors,
        pool,
        target: certs(&dir.join(target)).remove(0),
        ocsp: Vec::new(),
        crls: Vec::new(),
        time,
    }
}

fn crl(path: &Path) -> Arc<Crl> {
    Arc::new(Crl::from_der(&std::fs::read(path).unwrap(), 1_000_000).unwrap())
}

/// certval's stapled_ocsp / stapled_crl / stapled_mix: real chains, revocation required,
/// at 2022-03-06T11:46:49Z.
#[test]
fn certval_stapled_revocation() {
    let Some(ltv) = ltv() else { return };
    let t = 1646567209;
    let amazon = ltv.join("certval-ocsp/amazon.com");
    let mut case = chain_case(&amazon, "0-ta.der", "1.der", "2-target.der", t);
    case.ocsp = [
        responses(&amazon.join("1-ocsp.ocspResp")),
        responses(&amazon.join("2-ocsp.ocspResp")),
    ]
    .concat();
    let o = case.run(RevocationMode::Require);
    assert!(o.is_valid(), "amazon.com OCSP: {:?}", o.errors);
    assert!(o
        .revocation
        .iter()
        .all(|e| matches!(&e.status, CertStatus::Good { ocsp, .. } if !ocsp.is_empty())));
    // Without the responses, the status is not known.
    case.ocsp.clear();
    assert!(!case.run(RevocationMode::Require).is_valid());

    let harvard = ltv.join("certval-ocsp/harvard.edu");
    let crls = vec![
        crl(&harvard.join("1-crl.crl")),
        crl(&harvard.join("2-crl.crl")),
    ];
    let ocsp = [
        responses(&harvard.join("1-ocsp.ocspResp")),
        responses(&harvard.join("2-ocsp.ocspResp")),
    ]
    .concat();
    let mut case = chain_case(&harvard, "0-ta.der", "1.der", "2-target.der", t);
    for (what, c, o) in [
        ("CRLs", crls.clone(), vec![]),
        ("OCSP", vec![], ocsp.clone()),
        ("mix", vec![crls[0].clone()], vec![ocsp[1].clone()]),
    ] {
        case.crls = c;
        case.ocsp = o;
        let out = case.run(RevocationMode::Require);
        assert!(out.is_valid(), "harvard.edu {what}: {:?}", out.errors);
    }
    // A week later the OCSP responses are stale.
    case.time = t + 8 * 86400;
    case.crls.clear();
    case.ocsp = ocsp;
    assert!(!case.run(RevocationMode::Require).is_valid());
}

/// certval's ocsp_direct_ca_signed_response_echoing_ca_cert (accepted at 2026-08-01) and the
/// real DISA response for certificate 47 (at its producedAt), which a delegated responder
/// signed.
#[test]
fn certval_direct_and_delegated_responders() {
    let Some(ltv) = ltv() else { return };
    let d = ltv.join("certval-ocsp/ocsp_direct_ca");
    let mut anchors = AnchorSet::new();
    for a in certs(&d.join("ca.der")) {
        anchors.add(a, "test");
    }
    let case = Case {
        anchors,
        pool: CertPool::new(),
        target: certs(&d.join("ee.der")).remove(0),
        ocsp: responses(&d.join("resp.der")),
        crls: Vec::new(),
        time: parse_time("2026-08-01T00:00:00Z").unwrap(),
    };
    let o = case.run(RevocationMode::Require);
    assert!(o.is_valid(), "direct CA: {:?}", o.errors);

    let d = ltv.join("certval-ocsp/ocsp_dod");
    let resp = responses(&d.join("47-ocsp-resp.der"));
    let produced = resp[0].basic.as_ref().unwrap().produced_at;
    let mut case = chain_case(&d, "root_ca3.der", "ca63.der", "47.der", produced + 3600);
    case.ocsp = resp;
    let o = case.run(RevocationMode::Prefer);
    assert_eq!(o.path.len(), 3, "{:?}", o.errors);
    let target = o
        .revocation
        .iter()
        .find(|e| e.index == 2)
        .map(|e| &e.status);
    assert!(
        matches!(target, Some(CertStatus::Good { ocsp, .. }) if !ocsp.is_empty()),
        "DISA 47: {target:?} {:?}",
        o.warnings
    );
}
