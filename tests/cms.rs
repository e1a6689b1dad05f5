//! CMS / PKCS#7 SignedData against the third-party samples in `corpora/cms/` (see its
//! README for each sample's expected result): signature-level checks only (`verify_signer`),
//! no path validation. S/MIME `.eml` messages are out of scope here (a later task), except
//! that the PKCS#7 part of `pkcs7-empty-digest-set.eml` is cut out to test the empty
//! digestAlgorithms SET.

mod common;

use base64::Engine;
use sigbridge::crypto::{AlgorithmPolicy, DigestAlgorithm, Weakness};
use sigbridge::document::cms::{self, CmsError, SignedData, SignerCheck, SignerId, SignerInputs};
use sigbridge::verdict::{Rule, Status};
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SAMPLE: &[u8] = b"This is some sample content.";

fn dir() -> Option<PathBuf> {
    common::corpora().map(|c| c.join("cms"))
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load(dir: &Path, name: &str) -> SignedData {
    cms::parse(&read(dir, name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn certs(dir: &Path, name: &str) -> Vec<Arc<Certificate>> {
    sigbridge::x509::certificates_from_file(&dir.join(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// Verifies every signer: the certificate from the SignedData or `extra`, the content from
/// the SignedData or `detached`.
fn verify_all(
    sd: &SignedData,
    extra: &[Arc<Certificate>],
    detached: Option<&[u8]>,
    policy: &AlgorithmPolicy,
) -> Vec<SignerCheck> {
    let pool: Vec<Arc<Certificate>> = sd.certificates.iter().chain(extra).cloned().collect();
    let content = sd.content.as_deref().or(detached).expect("content");
    sd.signers
        .iter()
        .map(|signer| {
            let cert = cms::find_signer_certificate(signer, &pool).expect("signer certificate");
            let digest = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid)
                .map(|d| d.digest(content))
                .unwrap_or_default();
            cms::check_signer_with(
                sd,
                signer,
                &cert,
                &digest,
                policy,
                &SignerInputs {
                    detached_content: detached,
                    content_digested: false,
                    inherited_params: None,
                    issuer_candidates: extra,
                },
            )
        })
        .collect()
}

fn assert_all_pass(name: &str, checks: &[SignerCheck]) {
    assert!(!checks.is_empty(), "{name}: no signers");
    for (i, c) in checks.iter().enumerate() {
        assert!(c.passed(), "{name} signer {i}: {:#?}", c.checks);
    }
}

/// The rule with this stable id.
fn rule(id: &str) -> Rule {
    Rule::from_id(id).unwrap_or_else(|| panic!("no rule {id}"))
}

fn status(check: &SignerCheck, id: &str) -> Status {
    check
        .check(rule(id))
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

// ---------------------------------------------------------------- RFC 4134

#[test]
fn rfc4134_data_ber_and_der() {
    let Some(dir) = dir() else { return };
    let limits = Limits::default();
    assert_eq!(
        cms::parse_data(&read(&dir, "rfc4134/3.1.bin"), &limits).expect("3.1"),
        SAMPLE
    );
    assert_eq!(
        cms::parse_data(&read(&dir, "rfc4134/3.2.bin"), &limits).expect("3.2"),
        SAMPLE
    );
    assert_eq!(read(&dir, "rfc4134/ExContent.bin"), SAMPLE);
}

#[test]
fn rfc4134_attached_signatures_verify() {
    let Some(dir) = dir() else { return };
    let policy = AlgorithmPolicy::default();
    for (name, dsa) in [
        ("4.1.bin", true),
        ("4.2.bin", false),
        ("4.4.bin", true),
        ("4.5.bin", false),
        ("4.7.bin", true),
        ("4.10.bin", true),
    ] {
        let sd = load(&dir, &format!("rfc4134/{name}"));
        assert_eq!(sd.content.as_deref(), Some(SAMPLE), "{name}");
        let checks = verify_all(&sd, &[], None, &policy);
        assert_all_pass(name, &checks);
        for c in &checks {
            assert!(c.weaknesses.contains(&Weakness::Sha1), "{name}");
            assert_eq!(c.weaknesses.contains(&Weakness::Dsa), dsa, "{name}");
        }
    }
}

#[test]
fn rfc4134_strict_policy_rejects_sha1_cleanly() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.2.bin");
    let checks = verify_all(&sd, &[], None, &AlgorithmPolicy::strict());
    let c = checks.first().expect("one signer");
    assert!(!c.passed());
    // An algorithm the policy refuses is a crypto constraint, not a bad signature value.
    assert_eq!(status(c, "signature-algorithm"), Status::Failed);
    assert!(c.check(Rule::SignatureValue).is_none());
    assert!(c
        .check(Rule::SignatureAlgorithm)
        .is_some_and(|c| c.message.contains("policy")));
}

#[test]
fn rfc4134_4_3_detached() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.3.bin");
    assert!(sd.content.is_none());
    let content = read(&dir, "rfc4134/ExContent.bin");
    let checks = verify_all(&sd, &[], Some(&content), &AlgorithmPolicy::default());
    assert_all_pass("4.3", &checks);
    // Without the content the signature (no signed attributes) cannot be checked.
    let signer = sd.signers.first().expect("signer");
    let cert = cms::find_signer_certificate(signer, &sd.certificates).expect("cert");
    let digest = DigestAlgorithm::Sha1.digest(&content);
    let c = cms::check_signer(&sd, signer, &cert, &digest, &AlgorithmPolicy::default());
    assert_eq!(status(&c, "content"), Status::Failed);
    // Wrong content: the signature fails.
    let checks = verify_all(
        &sd,
        &[],
        Some(b"other content"),
        &AlgorithmPolicy::default(),
    );
    assert!(!checks.iter().any(SignerCheck::passed));
}

#[test]
fn rfc4134_4_4_signed_attributes_and_counter_signature() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.4.bin");
    assert_eq!(sd.certificates.len(), 3);
    assert_eq!(sd.crls.len(), 1);
    let signer = sd.signers.first().expect("signer");
    let attrs = signer.signed_attrs.as_ref().expect("signed attrs");
    assert_eq!(attrs.der_for_signature.first(), Some(&0x31));
    assert_eq!(attrs.content_type.as_ref(), Some(&sd.content_type));
    assert_eq!(
        attrs.signing_time,
        sigbridge::asn1::parse_time("2003-05-14T15:39:00Z")
    );
    assert_eq!(
        attrs.message_digest.as_deref(),
        Some(&DigestAlgorithm::Sha1.digest(SAMPLE)[..])
    );
    assert_eq!(signer.unsigned_attrs.len(), 2);
    assert_eq!(signer.counter_signatures.len(), 1);

    let checks = verify_all(&sd, &[], None, &AlgorithmPolicy::default());
    assert_all_pass("4.4", &checks);
    let c = checks.first().expect("one");
    assert_eq!(status(c, "message-digest"), Status::Passed);
    assert_eq!(status(c, "content-type"), Status::Passed);

    let counter = signer
        .counter_signatures
        .first()
        .expect("counter-signature");
    let counter_cert =
        cms::find_signer_certificate(counter, &sd.certificates).expect("AliceRSA certificate");
    assert_eq!(
        counter_cert.subject.common_name().as_deref(),
        Some("AliceRSA")
    );
    let cc = cms::check_counter_signature(
        signer,
        counter,
        &counter_cert,
        &AlgorithmPolicy::default(),
        &sd.certificates,
    );
    assert!(cc.passed(), "{:#?}", cc.checks);
    // A counter-signature does not verify as a signature on the content.
    let wrong = cms::check_counter_signature(
        counter,
        counter,
        &counter_cert,
        &AlgorithmPolicy::default(),
        &sd.certificates,
    );
    assert!(!wrong.passed());
}

#[test]
fn rfc4134_4_6_two_signers_and_inherited_dsa_parameters() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.6.bin");
    assert_eq!(sd.signers.len(), 2);
    let carl = certs(&dir, "rfc4134/CarlDSSSelf.cer");
    let checks = verify_all(&sd, &carl, None, &AlgorithmPolicy::default());
    assert_all_pass("4.6", &checks);

    // Without CarlDSS, Diane's key has no parameters to inherit: a clean failure.
    let checks = verify_all(&sd, &[], None, &AlgorithmPolicy::default());
    let failed: Vec<_> = checks.iter().filter(|c| !c.passed()).collect();
    assert_eq!(failed.len(), 1, "only Diane fails");
    let msg = &failed
        .first()
        .and_then(|c| c.check(Rule::SignatureAlgorithm))
        .expect("signature-algorithm check")
        .message;
    assert!(msg.contains("inherit"), "{msg}");
}

#[test]
fn rfc4134_4_7_subject_key_identifier() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.7.bin");
    let signer = sd.signers.first().expect("signer");
    assert_eq!(signer.version, 3);
    assert!(matches!(signer.sid, SignerId::SubjectKeyId(_)));
}

#[test]
fn rfc4134_4_10_keeps_unknown_attributes() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.10.bin");
    let attrs = sd
        .signers
        .first()
        .and_then(|s| s.signed_attrs.as_ref())
        .expect("signed attrs");
    let unknown = sigbridge::asn1::Oid::from_dotted("1.2.5555").expect("oid");
    assert!(attrs.attributes.iter().any(|a| a.oid == unknown));
}

#[test]
fn rfc4134_certs_only_and_other_content_types() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "rfc4134/4.11.bin");
    assert!(sd.signers.is_empty());
    assert_eq!(sd.certificates.len(), 2);
    assert_eq!(sd.crls.len(), 1);
    for name in [
        "rfc4134/5.1.bin",
        "rfc4134/5.2.bin",
        "rfc4134/6.0.bin",
        "rfc4134/7.1.bin",
        "rfc4134/7.2.bin",
        "pyca/enveloped.pem",
    ] {
        match cms::parse(&read(&dir, name), &Limits::default()) {
            Err(CmsError::WrongContentType { .. }) => {}
            other => panic!("{name}: expected WrongContentType, got {other:?}"),
        }
    }
    // And data is not signedData.
    assert!(matches!(
        cms::parse(&read(&dir, "rfc4134/3.1.bin"), &Limits::default()),
        Err(CmsError::WrongContentType { .. })
    ));
}

// ---------------------------------------------------------------- draft-ireland-examples-cms

#[test]
fn ietf_examples() {
    let Some(dir) = dir() else { return };
    let policy = AlgorithmPolicy::default();
    for name in [
        "signedByAliceRSA.p7m",
        "signedByAliceRSAPSS.p7m",
        "signedByCarlosEd25519.p7m",
    ] {
        let sd = load(&dir, &format!("ietf-examples-cms/{name}"));
        assert_eq!(sd.content.as_deref(), Some(SAMPLE), "{name}");
        let checks = verify_all(&sd, &[], None, &policy);
        assert_all_pass(name, &checks);
        assert!(checks.iter().all(|c| c.weaknesses.is_empty()), "{name}");
    }
    let sd = load(&dir, "ietf-examples-cms/signedByAliceRSAPSS.p7m");
    let c = verify_all(&sd, &[], None, &policy);
    let c = c.first().expect("signer");
    assert_eq!(status(c, "algorithm-protection"), Status::Passed);
    assert!(c.algorithm.as_deref().is_some_and(|a| a.contains("PSS")));
}

#[test]
fn ietf_detached_ed25519_by_ski() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "ietf-examples-cms/signedByCarlosDetached.p7m");
    assert!(sd.content.is_none());
    assert!(matches!(
        sd.signers.first().map(|s| &s.sid),
        Some(SignerId::SubjectKeyId(_))
    ));
    let checks = verify_all(&sd, &[], Some(SAMPLE), &AlgorithmPolicy::default());
    assert_all_pass("signedByCarlosDetached", &checks);
    let checks = verify_all(&sd, &[], Some(b"tampered"), &AlgorithmPolicy::default());
    assert!(!checks.iter().any(SignerCheck::passed));
}

#[test]
fn ietf_two_signers_certificates_out_of_band() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "ietf-examples-cms/signedByAliceAndCarlosNoCerts.p7m");
    assert!(sd.certificates.is_empty());
    assert_eq!(sd.signers.len(), 2);
    let mut pool = certs(&dir, "ietf-examples-cms/lamps-alice.crt.pem");
    pool.extend(certs(&dir, "ietf-examples-cms/lamps-carlos.crt.pem"));
    let checks = verify_all(&sd, &pool, None, &AlgorithmPolicy::default());
    assert_all_pass("signedByAliceAndCarlosNoCerts", &checks);
    let algs: Vec<_> = checks.iter().filter_map(|c| c.algorithm.clone()).collect();
    assert!(algs.iter().any(|a| a == "Ed25519"), "{algs:?}");

    // With the wrong certificate for a signer, the identifier and signature checks fail.
    let signer = sd.signers.first().expect("signer");
    let right = cms::find_signer_certificate(signer, &pool).expect("cert");
    let wrong = pool
        .iter()
        .find(|c| c.sha256 != right.sha256)
        .expect("the other certificate");
    let digest = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid)
        .expect("digest")
        .digest(SAMPLE);
    let c = cms::check_signer(&sd, signer, wrong, &digest, &AlgorithmPolicy::default());
    assert_eq!(status(&c, "signer-identifier"), Status::Failed);
    assert!(!c.passed());
}

// ---------------------------------------------------------------- RustCrypto

#[test]
fn rustcrypto_der_and_ber_p256() {
    let Some(dir) = dir() else { return };
    let der = load(&dir, "rustcrypto/cms_der.bin");
    let ber = load(&dir, "rustcrypto/cms_ber.bin");
    assert!(der.content.as_ref().is_some_and(|c| !c.is_empty()));
    assert_eq!(der.content, ber.content, "BER content reassembles exactly");
    assert_eq!(der.certificates.len(), ber.certificates.len());
    for (name, sd) in [("cms_der.bin", &der), ("cms_ber.bin", &ber)] {
        let checks = verify_all(sd, &[], None, &AlgorithmPolicy::default());
        assert_all_pass(name, &checks);
        let c = checks.first().expect("signer");
        assert!(
            c.algorithm.as_deref().is_some_and(|a| a.contains("P-256")),
            "{:?}",
            c.algorithm
        );
        assert_eq!(status(c, "algorithm-protection"), Status::Passed);
        assert_eq!(status(c, "signing-certificate"), Status::Passed);
    }
    // The BER message's signed attributes come back as a DER SET OF.
    let attrs = ber
        .signers
        .first()
        .and_then(|s| s.signed_attrs.as_ref())
        .expect("attrs");
    assert_eq!(attrs.der_for_signature.first(), Some(&0x31));
    assert!(attrs.signing_time.is_some());
}

#[test]
fn rustcrypto_rsa_samples() {
    let Some(dir) = dir() else { return };
    for name in ["sd.cms", "scep_der.bin"] {
        let sd = load(&dir, &format!("rustcrypto/{name}"));
        let checks = verify_all(&sd, &[], None, &AlgorithmPolicy::default());
        assert_all_pass(name, &checks);
    }
}

#[test]
fn pkcs7_any_content_samples_parse() {
    let Some(dir) = dir() else { return };
    // PKCS#7-style content (not an OCTET STRING) inside [0]: a PKCS#7-compatible parser
    // takes the content octets of the inner element.
    for name in [
        "rustcrypto/apple_mdm_signature_der.bin",
        "pyca/authenticode.der",
    ] {
        let sd = load(&dir, name);
        assert!(sd.content.as_ref().is_some_and(|c| !c.is_empty()), "{name}");
        assert_eq!(sd.signers.len(), 1, "{name}");
    }
}

#[test]
fn pyca_certs_only() {
    let Some(dir) = dir() else { return };
    for (name, count) in [
        ("pyca/amazon-roots.der", 2),
        ("pyca/amazon-roots.p7b", 2),
        ("pyca/isrg.pem", 1),
    ] {
        let sd = load(&dir, name);
        assert!(sd.signers.is_empty(), "{name}");
        assert_eq!(sd.certificates.len(), count, "{name}");
    }
}

// ---------------------------------------------------------------- OpenSSL negative cases

#[test]
fn openssl_bad_attribute_cases_fail() {
    let Some(dir) = dir() else { return };
    let policy = AlgorithmPolicy::default();
    let cases = [
        ("bad_signtime_attr.cms", "attribute-placement"),
        ("no_ct_attr.cms", "content-type"),
        ("no_md_attr.cms", "message-digest"),
    ];
    for (name, failing) in cases {
        let sd = load(&dir, &format!("openssl-tongsuo/{name}"));
        let checks = verify_all(&sd, &[], None, &policy);
        let c = checks.first().expect("signer");
        assert!(!c.passed(), "{name}");
        assert_eq!(
            status(c, failing),
            Status::Failed,
            "{name}: {:#?}",
            c.checks
        );
    }
    match cms::parse(
        &read(&dir, "openssl-tongsuo/ct_multiple_attr.cms"),
        &Limits::default(),
    ) {
        Err(CmsError::Attribute { attribute, .. }) => assert_eq!(attribute, "contentType"),
        other => panic!("ct_multiple_attr: expected an attribute error, got {other:?}"),
    }
}

#[test]
fn openssl_md4_fails_cleanly() {
    let Some(dir) = dir() else { return };
    let sd = load(&dir, "openssl-tongsuo/pkcs7-md4.pem");
    let signer = sd.signers.first().expect("signer");
    let cert = cms::find_signer_certificate(signer, &sd.certificates).expect("cert");
    let c = cms::check_signer(&sd, signer, &cert, &[], &AlgorithmPolicy::default());
    assert!(!c.passed());
    assert_eq!(status(&c, "digest-algorithm"), Status::Failed);
    // Not verified: MD4 is not supported (a crypto constraint, not a bad signature value).
    assert_eq!(status(&c, "signature-algorithm"), Status::Failed);
}

#[test]
fn openssl_empty_digest_set_fails_cleanly() {
    let Some(dir) = dir() else { return };
    // Cut the base64 PKCS#7 part out of the S/MIME message (no MIME processing here).
    let text =
        String::from_utf8(read(&dir, "openssl-tongsuo/pkcs7-empty-digest-set.eml")).expect("text");
    let start = text.find("filename=\"smime.p7s\"").expect("p7s part");
    let body = text.get(start..).expect("body");
    let body = body
        .get(body.find("\n\n").expect("blank line")..)
        .expect("body");
    let b64: String = body
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .expect("base64");
    let sd = cms::parse(&der, &Limits::default()).expect("parses");
    assert!(sd.digest_algorithms.is_empty());
    let signer = sd.signers.first().expect("signer");
    let cert = cms::find_signer_certificate(signer, &sd.certificates).expect("cert");
    let digest = DigestAlgorithm::Sha256.digest(b"This is the content to be signed.\r\n");
    let c = cms::check_signer(&sd, signer, &cert, &digest, &AlgorithmPolicy::default());
    assert!(!c.passed());
    assert_eq!(status(&c, "digest-algorithm-listed"), Status::Failed);
}

// ---------------------------------------------------------------- synthetic BER and limits

/// RFC 4134 4.2 (RSA, no signed attributes, so the signature covers the content) rewritten
/// with indefinite lengths and the eContent split into nested constructed chunks.
#[test]
fn chunked_econtent_reassembles_and_verifies() {
    let Some(dir) = dir() else { return };
    let b = read(&dir, "rfc4134/4.2.bin");
    assert_eq!(b.get(39..41), Some(&[0x30, 0x2b][..]));
    assert_eq!(b.get(52..56), Some(&[0xa0, 0x1e, 0x04, 0x1c][..]));
    assert_eq!(b.get(56..84), Some(SAMPLE));
    let mut ber = vec![0x30, 0x80];
    ber.extend(&b[4..15]); // contentType
    ber.extend([0xa0, 0x80, 0x30, 0x80]);
    ber.extend(&b[23..39]); // version, digestAlgorithms
    ber.extend([0x30, 0x80]);
    ber.extend(&b[41..52]); // eContentType
    ber.extend([0xa0, 0x80, 0x24, 0x80, 0x04, 0x04]);
    ber.extend(b"This");
    ber.extend([0x24, 0x80, 0x04, 0x0a]);
    ber.extend(b" is some s");
    ber.extend([0x04, 0x00, 0x04, 0x0e]);
    ber.extend(b"ample content.");
    ber.extend([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    ber.extend(&b[84..]); // certificates, signerInfos
    ber.extend([0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let sd = cms::parse(&ber, &Limits::default()).expect("BER parses");
    assert_eq!(sd.content.as_deref(), Some(SAMPLE));
    let checks = verify_all(&sd, &[], None, &AlgorithmPolicy::default());
    assert_all_pass("4.2 as chunked BER", &checks);

    // Truncating anywhere gives an error, never a panic.
    for cut in 0..ber.len() {
        assert!(
            cms::parse(&ber[..cut], &Limits::default()).is_err(),
            "cut {cut}"
        );
    }
}

#[test]
fn deep_nesting_gives_a_limit_error() {
    let mut deep = Vec::new();
    for _ in 0..10_000 {
        deep.extend([0x30, 0x80]);
    }
    deep.extend(std::iter::repeat_n(0u8, 20_000));
    match cms::parse(&deep, &Limits::default()) {
        Err(CmsError::Limit { .. }) => {}
        other => panic!("expected a limit error, got {other:?}"),
    }
    // Definite-length nesting 10,000 deep: the reader only descends as far as the structure.
    let mut nested: Vec<u8> = Vec::new();
    for _ in 0..10_000 {
        let mut outer = vec![0x30, 0x84];
        outer.extend(u32::try_from(nested.len()).expect("len").to_be_bytes());
        outer.extend(nested);
        nested = outer;
    }
    assert!(cms::parse(&nested, &Limits::default()).is_err());
}

#[test]
fn size_and_count_limits_give_typed_errors() {
    let Some(dir) = dir() else { return };
    let bytes = read(&dir, "rfc4134/4.4.bin");
    let small = Limits {
        max_object_size: 100,
        ..Limits::default()
    };
    assert!(matches!(
        cms::parse(&bytes, &small),
        Err(CmsError::TooLarge { .. })
    ));
    let few_certs = Limits {
        max_certificates_per_document: 2,
        ..Limits::default()
    };
    assert!(matches!(
        cms::parse(&bytes, &few_certs),
        Err(CmsError::TooMany {
            what: "certificates",
            ..
        })
    ));
    let few_signers = Limits {
        max_signers: 1,
        ..Limits::default()
    };
    assert!(matches!(
        cms::parse(&bytes, &few_signers),
        Err(CmsError::TooMany { .. })
    ));
    let few_attrs = Limits {
        max_attributes: 2,
        ..Limits::default()
    };
    assert!(matches!(
        cms::parse(&bytes, &few_attrs),
        Err(CmsError::TooMany {
            what: "attributes",
            ..
        })
    ));
}

#[test]
fn digest_content_streams_in_one_pass() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let out = cms::digest_content(
        std::io::Cursor::new(&data),
        &[
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sm3,
            DigestAlgorithm::Sha1,
        ],
    )
    .expect("digest");
    assert_eq!(out.len(), 3);
    for (alg, digest) in out {
        assert_eq!(digest, alg.digest(&data), "{alg}");
    }
}
