//! RFC 3161 timestamps on third-party data (`ltv/tsp`, `ltv/asn1crypto` in the corpora):
//! a local TSA's response over `hello` with its chain, the same TSA's response to another
//! request, a response with attacker certificates injected to spoof the TSA's name (must
//! not pass; OpenSSL 3.0 `ts -verify` accepts it, rfc3161-client refuses it), a real
//! IdenTrust response whose leaf is not the first certificate, and asn1crypto's GeoTrust
//! response (decoded facts). Divergences: tests/ltv-exceptions.txt, checked both ways.

mod common;

use sigbridge::document::timestamp::{Stamped, TimestampToken};
use sigbridge::report::timestamp::TimestampVerification;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::{Indication, Rule, Status};
use sigbridge::verify::{Call, Verifier};
use sigbridge::x509::{certificates_from_file, Certificate};
use sigbridge::Limits;
use std::path::Path;
use std::sync::Arc;

fn chain(path: &Path) -> Vec<Arc<Certificate>> {
    certificates_from_file(path, &Limits::default())
        .unwrap()
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// The verifier for a TSA chain file (leaf first, root last): the root as the anchor, the
/// rest as certificates. These TSAs publish no revocation data in the corpus: `prefer`.
fn verifier(chain_file: &Path) -> Verifier {
    let mut certs = chain(chain_file);
    let root = certs.pop().unwrap();
    Verifier::builder()
        .anchor(root)
        .certificates(certs)
        .revocation(RevocationMode::Prefer)
        .build()
}

fn verify(v: &Verifier, token: &Path, data: &[u8], at: Option<i64>) -> TimestampVerification {
    let bytes = std::fs::read(token).unwrap();
    let t = at.unwrap_or_else(|| {
        TimestampToken::from_der(&bytes, &Limits::default())
            .unwrap()
            .info
            .gen_time
    });
    v.verify_timestamp(&bytes, Stamped::Data(data), Call::new().at(t))
        .unwrap()
}

fn failed(r: &TimestampVerification, rule: Rule) -> bool {
    r.timestamp
        .checks
        .iter()
        .any(|c| c.rule == rule && c.status == Status::Failed)
}

fn outcome(id: &str, ok: bool, why: String, failures: &mut Vec<String>) {
    let exceptions = common::exceptions("ltv-exceptions.txt");
    match (ok, exceptions.contains_key(id)) {
        (true, true) => failures.push(format!("{id}: passes but is listed as an exception")),
        (false, false) => failures.push(format!("{id}: {why}")),
        _ => {}
    }
}

#[test]
fn rfc3161_client_responses() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let d = corpora.join("ltv/tsp/rfc3161-client");
    let tsa = d.join("test_tsa");
    let v = verifier(&tsa.join("ts_chain.pem"));
    let mut failures = Vec::new();

    let r = verify(&v, &tsa.join("response.tsr"), b"hello", None);
    let ok = r.timestamp.indication == Indication::TotalPassed
        && r.timestamp.tsa.as_deref() == Some("O=local, CN=Test TSA Timestamping")
        && r.timestamp.hash_algorithm == "SHA-512"
        && r.timestamp.chain.len() == 3;
    outcome(
        "tsp/test_tsa/response.tsr",
        ok,
        format!("{:#?}", r.timestamp),
        &mut failures,
    );

    // The same valid token over other data: the imprint does not match.
    let r = verify(&v, &tsa.join("response.tsr"), b"hello!", None);
    let ok =
        r.timestamp.indication == Indication::TotalFailed && failed(&r, Rule::TimestampImprint);
    outcome(
        "tsp/test_tsa/response.tsr-other-data",
        ok,
        format!("{:?}", r.timestamp.checks),
        &mut failures,
    );

    // The response to other_request.der (the same imprint, another nonce) was signed by
    // another instance of the test TSA, named alike: its certificate does not verify with the
    // intermediate of ts_chain.pem, so there is no chain (OpenSSL: "unable to get local issuer
    // certificate").
    let r = verify(&v, &tsa.join("other_response.tsr"), b"hello", None);
    let ok = r.timestamp.indication == Indication::Indeterminate
        && r.timestamp.sub_indication
            == Some(sigbridge::verdict::SubIndication::NoCertificateChainFound);
    outcome(
        "tsp/test_tsa/other_response.tsr",
        ok,
        format!("{:?}", r.timestamp.checks),
        &mut failures,
    );

    // Attacker certificates spoofing the TSA's name: refused.
    let r = verify(&v, &tsa.join("response-injected-certs.tsr"), b"hello", None);
    let ok = r.timestamp.indication != Indication::TotalPassed && failed(&r, Rule::TsaIdentity);
    outcome(
        "tsp/test_tsa/response-injected-certs.tsr",
        ok,
        format!("{:?}", r.timestamp.checks),
        &mut failures,
    );

    // IdenTrust: the leaf is not the first embedded certificate; the chain file is DER.
    let idt = d.join("identrust");
    let v = verifier(&idt.join("ts_chain.pem"));
    let bytes = std::fs::read(idt.join("issue-104.tsr")).unwrap();
    let token = TimestampToken::from_der(&bytes, &Limits::default()).unwrap();
    let imprint = token.info.message_imprint.hashed_message.clone();
    let alg = token.imprint_algorithm().unwrap();
    let r = v
        .verify_timestamp(
            &bytes,
            Stamped::Digest(alg, &imprint),
            Call::new().at(token.info.gen_time),
        )
        .unwrap();
    let ok = r.timestamp.indication == Indication::TotalPassed
        && r.timestamp.gen_time.as_deref() == Some("2025-03-11T08:52:08Z");
    outcome(
        "tsp/identrust/issue-104.tsr",
        ok,
        format!("{:#?}", r.timestamp.checks),
        &mut failures,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn asn1crypto_geotrust_response_decodes_to_its_facts() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let bytes = std::fs::read(corpora.join("ltv/asn1crypto/tsp_response")).unwrap();
    let t = TimestampToken::from_der(&bytes, &Limits::default()).unwrap();
    assert_eq!(t.info.policy.to_string(), "1.1.2");
    assert_eq!(
        t.imprint_algorithm(),
        Some(sigbridge::crypto::DigestAlgorithm::Sha1)
    );
    // The MANIFEST abbreviates it as 53c9dbc1...afb; `openssl ts -reply -text` prints it whole.
    assert_eq!(
        hex::encode(&t.info.message_imprint.hashed_message),
        "53c9dbc16ddb343b284eefa6030e02647931affb"
    );
    assert_eq!(
        t.info.gen_time,
        sigbridge::asn1::parse_time("2015-06-01T18:39:55Z").unwrap()
    );
    assert_eq!(t.info.accuracy.map(|a| a.seconds), Some(60));
    assert_eq!(
        t.info.nonce.as_deref(),
        Some(&hex::decode("f79ea48773749b0a").unwrap()[..])
    );
    assert_eq!(t.signed_data.version, 3);
}
