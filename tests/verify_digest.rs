//! `Call::content_digest` / `Verifier::verify_digest`: a detached signature checked from the
//! content's digest alone (the service's `POST /v1/verify-digest`), and what a digest cannot
//! replace. Expected digests are computed here with OpenSSL-independent SHA-2 from the
//! fixture content, never taken from the verifier.

use sigbridge::asn1::parse_time;
use sigbridge::crypto::DigestAlgorithm;
use sigbridge::revocation::RevocationMode;
use sigbridge::trust::TrustStores;
use sigbridge::verdict::{Indication, Rule, Status, SubIndication};
use sigbridge::verify::Call;
use sigbridge::{DocumentReport, Limits, Verifier, VerifyError};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn verifier() -> Verifier {
    let stores =
        TrustStores::load_dir(&fixtures().join("trust-stores"), &Limits::default()).unwrap();
    Verifier::builder()
        .trust_stores(stores)
        .revocation(RevocationMode::Off)
        .validation_time(parse_time("2026-12-01T00:00:00Z"))
        .build()
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("docs").join(name)).unwrap()
}

fn status(r: &DocumentReport, rule: Rule) -> Option<Status> {
    r.signers[0]
        .checks
        .iter()
        .find(|c| c.rule == rule)
        .map(|c| c.status)
}

#[test]
fn the_right_sha256_digest_verifies_a_signer_with_signed_attributes() {
    let sig = read("hk-mr-personal.p7s");
    let digest = DigestAlgorithm::Sha256.digest(&read("contract.txt"));
    let r = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha256, &digest)
        .unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:?}");
    assert_eq!(status(&r, Rule::MessageDigest), Some(Status::Passed));
    assert!(r.detached);
}

#[test]
fn the_digest_of_other_content_is_a_hash_failure() {
    let sig = read("hk-mr-personal.p7s");
    let digest = DigestAlgorithm::Sha256.digest(&read("tampered-content"));
    let r = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha256, &digest)
        .unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn a_digest_of_another_algorithm_says_which_one_the_signer_needs() {
    let sig = read("hk-mr-personal.p7s");
    let digest = DigestAlgorithm::Sha384.digest(&read("contract.txt"));
    let r = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha384, &digest)
        .unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    let c = r.signers[0]
        .checks
        .iter()
        .find(|c| c.rule == Rule::ContentDigest)
        .unwrap();
    assert_eq!(c.status, Status::Failed);
    assert!(
        c.message.contains("SHA-384") && c.message.contains("SHA-256"),
        "{}",
        c.message
    );
}

#[test]
fn a_digest_given_for_an_attached_document_is_compared_with_its_content() {
    let doc = read("hk-mr-personal.p7m");
    let good = DigestAlgorithm::Sm3.digest(&read("contract.txt"));
    let r = verifier()
        .verify_digest(&doc, DigestAlgorithm::Sm3, &good)
        .unwrap();
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(status(&r, Rule::ContentMatch), Some(Status::Passed));
    let bad = DigestAlgorithm::Sm3.digest(b"something else");
    let r = verifier()
        .verify_digest(&doc, DigestAlgorithm::Sm3, &bad)
        .unwrap();
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure));
    assert_eq!(status(&r, Rule::ContentMatch), Some(Status::Failed));
}

#[test]
fn a_digest_of_the_wrong_length_or_with_the_content_is_an_error() {
    let sig = read("hk-mr-personal.p7s");
    let e = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha256, &[0; 20])
        .unwrap_err();
    assert!(
        matches!(
            e,
            VerifyError::DigestLength {
                expected: 32,
                actual: 20,
                ..
            }
        ),
        "{e}"
    );
    let mut content: &[u8] = b"x";
    let call = Call::new()
        .content(&mut content)
        .content_digest(DigestAlgorithm::Sha256, vec![0; 32]);
    let e = verifier().verify_with(&sig, call).unwrap_err();
    assert!(matches!(e, VerifyError::ContentAndDigest), "{e}");
}

#[test]
fn per_call_revocation_overrides_the_verifiers() {
    // The verifier is `off`; the fixture CRLs are not given, so `require` cannot be met.
    let doc = read("hk-mr-personal.p7m");
    let r = verifier().verify_with(&doc, Call::new()).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed);
    let r = verifier()
        .verify_with(&doc, Call::new().revocation(RevocationMode::Require))
        .unwrap();
    assert_eq!(r.indication, Indication::Indeterminate, "{r:?}");
    assert_eq!(r.sub_indication, Some(SubIndication::TryLater));
}

#[test]
fn rsa_without_signed_attributes_verifies_from_the_digest() {
    let dir = std::env::temp_dir().join(format!("sigbridge-digest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let content = dir.join("content.bin");
    std::fs::write(&content, b"a contract signed without signed attributes\n").unwrap();
    let pki = fixtures().join("docs/pki");
    let p = |f: &str| pki.join(f).to_string_lossy().into_owned();
    let sig = dir.join("sig.p7s");
    let out = std::process::Command::new("openssl")
        .args([
            "cms", "-sign", "-binary", "-noattr", "-md", "sha256", "-signer",
        ])
        .arg(p("hk-personal.pem"))
        .arg("-inkey")
        .arg(p("hk-personal.key"))
        .arg("-certfile")
        .arg(p("hk-ca-15.pem"))
        .arg("-in")
        .arg(&content)
        .args(["-outform", "DER", "-out"])
        .arg(&sig)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sig = std::fs::read(&sig).unwrap();
    let digest = DigestAlgorithm::Sha256.digest(&std::fs::read(&content).unwrap());
    let r = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha256, &digest)
        .unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:?}");
    assert_eq!(status(&r, Rule::SignatureValue), Some(Status::Passed));
    let mut wrong = digest.clone();
    wrong[0] ^= 1;
    let r = verifier()
        .verify_digest(&sig, DigestAlgorithm::Sha256, &wrong)
        .unwrap();
    assert_eq!(r.sub_indication, Some(SubIndication::SigCryptoFailure));
    let _ = std::fs::remove_dir_all(&dir);
}
