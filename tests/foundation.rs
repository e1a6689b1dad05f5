//! Regression tests for the correctness defects of issue 9, each of which failed before:
//!
//! * a look-alike CA (named like a trusted CA, not signed by it) is INDETERMINATE /
//!   NO_CERTIFICATE_CHAIN_FOUND naming the certificate whose signature failed, not
//!   TOTAL_FAILED / SIG_CRYPTO_FAILURE;
//! * content given separately for a document that carries its own content must equal it
//!   (CMS attached and S/MIME multipart/signed), else TOTAL_FAILED / HASH_FAILURE;
//! * DSA parameters inherited along the path reach the CMS signer check;
//! * a per-call validation time keeps the sub-path cache (and never answers stale);
//! * an algorithm refused by the policy is CRYPTO_CONSTRAINTS_FAILURE whatever the message.

mod common;

use sigbridge::asn1::{self, parse_time};
use sigbridge::crypto::AlgorithmPolicy;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::{Indication, Rule, Status, SubIndication};
use sigbridge::verify::Call;
use sigbridge::{DocumentReport, Verifier};
use std::path::{Path, PathBuf};

const TIME: &str = "2026-12-01T00:00:00Z";

fn t(s: &str) -> i64 {
    parse_time(s).unwrap()
}

fn docs() -> PathBuf {
    common::fixtures().join("docs")
}

/// The demo PKI's HK verifier: its root as anchor, its CRLs, revocation `require`.
fn hk_verifier() -> Verifier {
    Verifier::builder()
        .anchors(common::fixture_certs(&["docs/pki/hk-root.pem".into()]))
        .crls(common::fixture_crls(&[
            "docs/pki/hk-root.crl".into(),
            "docs/pki/hk-ca-15.crl".into(),
        ]))
        .revocation(RevocationMode::Require)
        .validation_time(Some(t(TIME)))
        .build()
}

fn failed(r: &DocumentReport, rule: Rule) -> Option<&sigbridge::Check> {
    r.signers[0]
        .checks
        .iter()
        .find(|c| c.rule == rule && c.status == Status::Failed)
}

// ------------------------------------------------------------------ look-alike CA

/// A leaf under "Demo e-Cert CA 2 - 15" where that CA is the attacker's: it carries the real
/// CA's name and the real root's name as issuer, but is signed by the attacker's key.
fn look_alike_document(dir: &Path) -> PathBuf {
    let ext = "[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n\
               [leaf]\nbasicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
    std::fs::write(dir.join("ext.cnf"), ext).unwrap();
    let steps: &[&[&str]] = &[
        // A fake root: the real root's name, the attacker's key.
        &[
            "req",
            "-x509",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "fake-root.key",
            "-subj",
            "/C=HK/O=Demo Hongkong Post/CN=Demo Hongkong Post Root CA 2",
            "-days",
            "3650",
            "-out",
            "fake-root.pem",
        ],
        // The look-alike CA, "issued" by the fake root (so its issuer name is the real root's).
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "evil-ca.key",
            "-subj",
            "/C=HK/O=Demo Hongkong Post/CN=Demo e-Cert CA 2 - 15",
            "-out",
            "evil-ca.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "evil-ca.csr",
            "-CA",
            "fake-root.pem",
            "-CAkey",
            "fake-root.key",
            "-set_serial",
            "4242",
            "-days",
            "3650",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "ca",
            "-out",
            "evil-ca.pem",
        ],
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-subj",
            "/C=HK/O=Demo e-Cert (Personal)/CN=CHAN Tai Man",
            "-out",
            "leaf.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "evil-ca.pem",
            "-CAkey",
            "evil-ca.key",
            "-set_serial",
            "77",
            "-days",
            "3650",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "leaf",
            "-out",
            "leaf.pem",
        ],
    ];
    for s in steps {
        common::openssl(dir, s);
    }
    std::fs::write(dir.join("contract.txt"), b"pay the attacker").unwrap();
    common::openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-md",
            "sha256",
            "-signer",
            "leaf.pem",
            "-inkey",
            "leaf.key",
            "-certfile",
            "evil-ca.pem",
            "-in",
            "contract.txt",
            "-outform",
            "DER",
            "-out",
            "look-alike.p7m",
        ],
    );
    dir.join("look-alike.p7m")
}

#[test]
fn a_look_alike_ca_is_no_chain_found_and_names_the_certificate() {
    let dir = common::temp_dir("foundation-look-alike");
    let doc = look_alike_document(&dir);
    let v = Verifier::builder()
        .anchors(common::fixture_certs(&["docs/pki/hk-root.pem".into()]))
        .revocation(RevocationMode::Off)
        .build(); // now: the attacker's certificates were made just now
    let r = v.verify(&std::fs::read(&doc).unwrap(), None).unwrap();
    let json = serde_json::to_string_pretty(&r).unwrap();
    assert_eq!(r.indication, Indication::Indeterminate, "{json}");
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::NoCertificateChainFound),
        "{json}"
    );
    // The document's own signature is fine: SIG_CRYPTO_FAILURE would blame the signer.
    assert!(r.signers[0]
        .checks
        .iter()
        .any(|c| c.rule == Rule::SignatureValue && c.status == Status::Passed));
    let no_path = failed(&r, Rule::NoPath).expect("a no-path failure");
    assert!(no_path.message.contains("Demo e-Cert CA 2 - 15"), "{json}");
    assert!(no_path.message.contains("does not verify"), "{json}");
    let sig = failed(&r, Rule::CertificateSignature).expect("the failed certificate signature");
    assert!(
        sig.subject
            .as_ref()
            .is_some_and(|s| s.label.contains("Demo e-Cert CA 2 - 15")),
        "{json}"
    );
    // The CLI says so too: exit 3, never "SIGNATURE INVALID".
    let out = common::sigbridge()
        .args(["verify", &doc.display().to_string(), "--anchor"])
        .arg(common::fixtures().join("docs/pki/hk-root.pem"))
        .args(["--revocation", "off"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(!stdout.contains("NOT VALID"), "{stdout}");
    assert!(stdout.contains("NO_CERTIFICATE_CHAIN_FOUND"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------ content given twice

#[test]
fn content_given_for_an_attached_signature_must_equal_the_encapsulated_content() {
    let v = hk_verifier();
    let doc = std::fs::read(docs().join("hk-mr-personal.p7m")).unwrap();
    // The same content: passes, and says it compared.
    let mut same = std::fs::File::open(docs().join("contract.txt")).unwrap();
    let r = v.verify_with(&doc, Call::new().content(&mut same)).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed);
    assert!(r.signers[0]
        .checks
        .iter()
        .any(|c| c.rule == Rule::ContentMatch && c.status == Status::Passed));
    // Other content: the answer to "is this file what was signed?" is no.
    let mut other = std::fs::File::open(docs().join("tampered-content")).unwrap();
    let r = v
        .verify_with(&doc, Call::new().content(&mut other))
        .unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure));
    let c = failed(&r, Rule::ContentMatch).expect("content-match failure");
    let tampered_len = std::fs::metadata(docs().join("tampered-content"))
        .unwrap()
        .len();
    assert!(
        c.message.contains(&format!("({tampered_len} bytes")),
        "{}",
        c.message
    );
    // Verifier::verify_cms has the same behaviour.
    let mut other = std::fs::File::open(docs().join("tampered-content")).unwrap();
    let r = v.verify_cms(&doc, Some(&mut other)).unwrap();
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn content_given_for_a_multipart_signed_message_must_equal_its_first_part() {
    let v = hk_verifier();
    let eml = std::fs::read(docs().join("hk-mr-personal.eml")).unwrap();
    assert_eq!(
        v.verify(&eml, None).unwrap().indication,
        Indication::TotalPassed
    );
    let mut other = std::fs::File::open(docs().join("tampered-content")).unwrap();
    let r = v
        .verify_with(&eml, Call::new().content(&mut other))
        .unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    assert_eq!(r.sub_indication, Some(SubIndication::HashFailure));
    assert!(failed(&r, Rule::ContentMatch).is_some());
}

#[test]
fn the_cli_refuses_other_content_for_an_attached_signature() {
    let run = |content: &str| {
        common::sigbridge()
            .arg("verify")
            .arg(docs().join("hk-mr-personal.p7m"))
            .arg("--content")
            .arg(docs().join(content))
            .arg("--anchor")
            .arg(docs().join("pki/hk-root.pem"))
            .args(["--revocation", "off", "--at", TIME])
            .output()
            .unwrap()
    };
    let out = run("tampered-content");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("HASH_FAILURE"), "{stdout}");
    assert!(stdout.contains("content-match"), "{stdout}");
    assert_eq!(run("contract.txt").status.code(), Some(0));
}

// ------------------------------------------------------------------ DSA parameter inheritance

/// The TBS of `cert_der` with the parameters of its SubjectPublicKeyInfo algorithm removed.
fn strip_spki_params(cert_der: &[u8]) -> Vec<u8> {
    let b = asn1::Bounds {
        max_depth: 16,
        max_size: 1 << 20,
    };
    let tlv = |tag: u8, content: &[u8]| {
        let mut out = Vec::new();
        asn1::push_tlv(tag, content, b, &mut out).unwrap();
        out
    };
    let mut outer = asn1::Reader::der(cert_der);
    let mut cert = asn1::Reader::der(outer.content(0x30).unwrap());
    let mut tbs = asn1::Reader::der(cert.content(0x30).unwrap());
    let mut body = Vec::new();
    // version [0], serial, signature, issuer, validity, subject: copied as they are.
    for _ in 0..6 {
        body.extend_from_slice(tbs.read_any().unwrap().raw);
    }
    let mut spki = asn1::Reader::der(tbs.content(0x30).unwrap());
    let mut alg = asn1::Reader::der(spki.content(0x30).unwrap());
    let oid = alg.read_any().unwrap().raw.to_vec();
    let key = spki.read_any().unwrap().raw.to_vec();
    let spki = tlv(0x30, &[tlv(0x30, &oid), key].concat());
    body.extend_from_slice(&spki);
    body.extend_from_slice(tbs.remaining());
    tlv(0x30, &body)
}

/// `cert.pem` re-issued by `issuer.key` with its SPKI parameters stripped.
fn reissue_without_params(dir: &Path, cert: &str, issuer_key: &str, out: &str) {
    let pem = std::fs::read(dir.join(cert)).unwrap();
    let der = pem::parse(pem).unwrap().into_contents();
    let tbs = strip_spki_params(&der);
    std::fs::write(dir.join("tbs.der"), &tbs).unwrap();
    let sig = common::openssl(dir, &["dgst", "-sha256", "-sign", issuer_key, "tbs.der"]);
    let b = asn1::Bounds {
        max_depth: 16,
        max_size: 1 << 20,
    };
    let tlv = |tag: u8, content: &[u8]| {
        let mut out = Vec::new();
        asn1::push_tlv(tag, content, b, &mut out).unwrap();
        out
    };
    // dsa-with-sha256 (2.16.840.1.101.3.4.3.2), no parameters.
    let alg = tlv(0x30, &tlv(0x06, asn1::oid::known::DSA_SHA256.as_bytes()));
    let bits = tlv(0x03, &[&[0u8][..], &sig].concat());
    let cert = tlv(0x30, &[tbs, alg, bits].concat());
    std::fs::write(dir.join(out), cert).unwrap();
}

#[test]
fn dsa_parameters_inherited_along_the_path_reach_the_signer_check() {
    let dir = common::temp_dir("foundation-dsa");
    let ext = "[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n\
               [leaf]\nbasicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
    std::fs::write(dir.join("ext.cnf"), ext).unwrap();
    let steps: &[&[&str]] = &[
        &["dsaparam", "-out", "params.pem", "2048"],
        &["gendsa", "-out", "root.key", "params.pem"],
        &["gendsa", "-out", "ca.key", "params.pem"],
        &["gendsa", "-out", "ee.key", "params.pem"],
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "root.key",
            "-subj",
            "/CN=DSA Root",
            "-days",
            "3650",
            "-sha256",
            "-out",
            "root.pem",
        ],
        &[
            "req",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=DSA Parameters Inherited CA",
            "-out",
            "ca.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "ca.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "2",
            "-days",
            "3650",
            "-sha256",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "ca",
            "-out",
            "ca-params.pem",
        ],
        &[
            "req",
            "-new",
            "-key",
            "ee.key",
            "-subj",
            "/CN=DSA Signer",
            "-out",
            "ee.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "ee.csr",
            "-CA",
            "ca-params.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "3",
            "-days",
            "3650",
            "-sha256",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "leaf",
            "-out",
            "ee-params.pem",
        ],
    ];
    for s in steps {
        common::openssl(&dir, s);
    }
    // The CA and the signer keys carry no parameters: both inherit the root's (RFC 3279).
    reissue_without_params(&dir, "ca-params.pem", "root.key", "ca.der");
    reissue_without_params(&dir, "ee-params.pem", "ca.key", "ee.der");
    std::fs::write(dir.join("content.txt"), b"inherited").unwrap();
    common::openssl(
        &dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-nocerts",
            "-md",
            "sha256",
            "-signer",
            "ee-params.pem",
            "-inkey",
            "ee.key",
            "-in",
            "content.txt",
            "-outform",
            "DER",
            "-out",
            "signed.p7m",
        ],
    );
    let limits = sigbridge::Limits::default();
    let load = |f: &str| {
        std::sync::Arc::new(
            sigbridge::x509::Certificate::from_der(&std::fs::read(dir.join(f)).unwrap()).unwrap(),
        )
    };
    let (ca, ee) = (load("ca.der"), load("ee.der"));
    assert!(ee.public_key.algorithm.params.is_none() && ca.public_key.algorithm.params.is_none());
    let root = sigbridge::x509::certificates_from_file(&dir.join("root.pem"), &limits).unwrap();
    let v = Verifier::builder()
        .anchors(root.into_iter().map(std::sync::Arc::new))
        .certificates([ca, ee])
        .revocation(RevocationMode::Off)
        .build();
    let r = v
        .verify(&std::fs::read(dir.join("signed.p7m")).unwrap(), None)
        .unwrap();
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        serde_json::to_string_pretty(&r).unwrap()
    );
    assert!(r.signers[0]
        .signature_algorithm
        .starts_with("dsa-with-SHA256"));
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------ per-call time

#[test]
fn a_per_call_now_keeps_the_sub_path_cache() {
    let v = hk_verifier();
    let doc = std::fs::read(docs().join("hk-mr-personal.p7m")).unwrap();
    let start = t(TIME);
    v.verify_with(&doc, Call::new().at(start)).unwrap();
    let before = v.cache_stats().sub_paths;
    for i in 1..=1000 {
        let r = v.verify_with(&doc, Call::new().at(start + i * 37)).unwrap();
        assert_eq!(r.indication, Indication::TotalPassed);
    }
    let after = v.cache_stats().sub_paths;
    let (hits, misses) = (after.hits - before.hits, after.misses - before.misses);
    assert_eq!(hits + misses, 1000);
    assert!(
        hits >= 999,
        "sub-path cache: {hits} hits, {misses} misses over 1000 calls"
    );
}

#[test]
fn a_time_outside_the_cached_window_is_recomputed() {
    // The root's CRL (which clears the issuing CA) is current until 2036-11-01. After that,
    // under `require`, the CA's status is unknown — even though the cached sub-path was
    // validated an hour before.
    let v = hk_verifier();
    let doc = std::fs::read(docs().join("hk-mr-personal.p7m")).unwrap();
    let before = t("2035-12-31T23:00:00Z");
    let after = t("2036-11-02T00:00:00Z");
    assert_eq!(
        v.verify_with(&doc, Call::new().at(before))
            .unwrap()
            .indication,
        Indication::TotalPassed
    );
    let r = v.verify_with(&doc, Call::new().at(after)).unwrap();
    let uncached = v
        .with_cache_limits(sigbridge::verify::CacheLimits::disabled())
        .verify_with(&doc, Call::new().at(after))
        .unwrap();
    assert_ne!(r.indication, Indication::TotalPassed);
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        serde_json::to_string(&uncached).unwrap()
    );
    // And back inside the window: passed again.
    assert_eq!(
        v.verify_with(&doc, Call::new().at(before + 60))
            .unwrap()
            .indication,
        Indication::TotalPassed
    );
}

// ------------------------------------------------------------------ typed verdicts

#[test]
fn an_algorithm_the_policy_refuses_is_a_crypto_constraint() {
    // RSA-2048 everywhere in the demo PKI: a 4096-bit minimum refuses the document's
    // signature and the chain's — INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE, decided by the
    // typed rule (signature-algorithm, algorithm-policy), not by the words of the message.
    let v = Verifier::builder()
        .anchors(common::fixture_certs(&["docs/pki/hk-root.pem".into()]))
        .revocation(RevocationMode::Off)
        .validation_time(Some(t(TIME)))
        .algorithms(AlgorithmPolicy {
            min_rsa_bits: 4096,
            ..AlgorithmPolicy::default()
        })
        .build();
    let r = v
        .verify(
            &std::fs::read(docs().join("hk-mr-personal.p7m")).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::CryptoConstraintsFailure)
    );
    assert!(failed(&r, Rule::SignatureAlgorithm).is_some());
    assert!(failed(&r, Rule::SignatureValue).is_none());
}
