//! Tests against real certificates (PKITS, Tongsuo SM2, Hongkong Post / GDCA roots, x509-limbo),
//! OpenSSL-made vectors, and keys generated on the fly with aws-lc-rs and the `sm2` crate.
//!
//! Corpora are read from `$SIGBRIDGE_CORPORA`, defaulting to `../shared/corpora` next to the crate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use x509_parser::der_parser::asn1_rs::ToDer;
use x509_parser::prelude::FromDer;

use super::*;
use crate::asn1::Oid;

// ---------------------------------------------------------------------------------------------
// helpers

/// The corpora folder; only called after a test has checked [`have_corpora`].
fn corpora() -> PathBuf {
    crate::test_support::corpora().unwrap_or_default()
}

/// False (after a loud line; a failure under CI) when the corpora are missing.
fn have_corpora() -> bool {
    crate::test_support::corpora().is_some()
}

/// Every certificate in a PEM (one or more blocks) or DER file.
fn load(rel: &str) -> Vec<Vec<u8>> {
    let path = corpora().join(rel);
    let data = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (set SIGBRIDGE_CORPORA)", path.display()));
    if data.starts_with(b"-----BEGIN") || data.windows(11).any(|w| w == b"-----BEGIN ") {
        x509_parser::pem::Pem::iter_from_buffer(&data)
            .map(|p| p.expect("PEM"))
            .filter(|p| p.label == "CERTIFICATE")
            .map(|p| p.contents)
            .collect()
    } else {
        vec![data]
    }
}

fn load_one(rel: &str) -> Vec<u8> {
    load(rel).into_iter().next().expect("one certificate")
}

fn alg_id(a: &x509_parser::x509::AlgorithmIdentifier<'_>) -> AlgorithmIdentifier {
    AlgorithmIdentifier {
        oid: Oid::from_der_content(a.algorithm.as_bytes()).expect("oid"),
        params: a
            .parameters
            .as_ref()
            .map(|p| p.to_der_vec().expect("params")),
    }
}

fn spki_of(s: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> PublicKeyInfo {
    PublicKeyInfo {
        algorithm: alg_id(&s.algorithm),
        key: s.subject_public_key.data.to_vec(),
        der: s.raw.to_vec(),
        prepared: Default::default(),
    }
}

fn spki_from_der(der: &[u8]) -> PublicKeyInfo {
    let (_, s) = x509_parser::x509::SubjectPublicKeyInfo::from_der(der).expect("spki");
    spki_of(&s)
}

/// The pieces of a certificate that signature verification needs.
#[derive(Clone)]
struct Cert {
    tbs: Vec<u8>,
    sig_alg: AlgorithmIdentifier,
    sig: Vec<u8>,
    spki: PublicKeyInfo,
    subject: Vec<u8>,
    issuer: Vec<u8>,
    name: String,
}

fn cert(der: &[u8]) -> Cert {
    let (_, c) = x509_parser::parse_x509_certificate(der).expect("certificate");
    Cert {
        tbs: c.tbs_certificate.as_ref().to_vec(),
        sig_alg: alg_id(&c.signature_algorithm),
        sig: c.signature_value.data.to_vec(),
        spki: spki_of(&c.tbs_certificate.subject_pki),
        subject: c.tbs_certificate.subject().as_raw().to_vec(),
        issuer: c.tbs_certificate.issuer().as_raw().to_vec(),
        name: c.tbs_certificate.subject().to_string(),
    }
}

fn file(rel: &str) -> Cert {
    cert(&load_one(rel))
}

fn pkits(name: &str) -> Cert {
    file(&format!("pkits/certs/{name}.crt"))
}

/// Verifies `subject`'s signature with `issuer`'s key.
fn check(
    subject: &Cert,
    issuer: &Cert,
    inherited: Option<&[u8]>,
    policy: &AlgorithmPolicy,
) -> Result<VerifiedSignature, SignatureError> {
    verify_signature(
        &subject.sig_alg,
        &issuer.spki,
        inherited,
        &subject.tbs,
        &subject.sig,
        policy,
    )
}

fn default() -> AlgorithmPolicy {
    AlgorithmPolicy::default()
}

fn oid(text: &str) -> Oid {
    Oid::from_dotted(text).expect("oid")
}

fn alg(text: &str, params: Option<&[u8]>) -> AlgorithmIdentifier {
    AlgorithmIdentifier {
        oid: oid(text),
        params: params.map(<[u8]>::to_vec),
    }
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn hash_alg_der(d: DigestAlgorithm) -> Vec<u8> {
    let mut content = der_tlv(0x06, d.oid().as_bytes());
    content.extend_from_slice(&[0x05, 0x00]);
    der_tlv(0x30, &content)
}

/// RSASSA-PSS-params DER, omitting DEFAULT fields as DER requires.
fn pss_params_der(hash: DigestAlgorithm, mgf: DigestAlgorithm, salt: u32) -> Vec<u8> {
    let mut content = Vec::new();
    if hash != DigestAlgorithm::Sha1 {
        content.extend(der_tlv(0xa0, &hash_alg_der(hash)));
    }
    if mgf != DigestAlgorithm::Sha1 {
        let mut m = der_tlv(0x06, &unhex("2a864886f70d010108"));
        m.extend(hash_alg_der(mgf));
        content.extend(der_tlv(0xa1, &der_tlv(0x30, &m)));
    }
    if salt != 20 {
        let mut int = salt.to_be_bytes().to_vec();
        while int.len() > 1 && int[0] == 0 && int[1] & 0x80 == 0 {
            int.remove(0);
        }
        if int[0] & 0x80 != 0 {
            int.insert(0, 0);
        }
        content.extend(der_tlv(0xa2, &der_tlv(0x02, &int)));
    }
    der_tlv(0x30, &content)
}

fn pss_alg(hash: DigestAlgorithm, mgf: DigestAlgorithm, salt: u32) -> AlgorithmIdentifier {
    alg(
        "1.2.840.113549.1.1.10",
        Some(&pss_params_der(hash, mgf, salt)),
    )
}

fn ec_spki(curve_oid: &str, point: &[u8]) -> PublicKeyInfo {
    PublicKeyInfo {
        algorithm: alg(
            "1.2.840.10045.2.1",
            Some(&der_tlv(0x06, oid(curve_oid).as_bytes())),
        ),
        key: point.to_vec(),
        der: Vec::new(),
        prepared: Default::default(),
    }
}

const SM2_CURVE: &str = "1.2.156.10197.1.301";
const SM2_SM3: &str = "1.2.156.10197.1.501";

// ---------------------------------------------------------------------------------------------
// digests

#[test]
fn digests_known_answers_and_streaming() {
    let abc = b"abc";
    assert_eq!(
        hex::encode(DigestAlgorithm::Sha256.digest(abc)),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex::encode(DigestAlgorithm::Sha1.digest(abc)),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(
        hex::encode(DigestAlgorithm::Sha224.digest(abc)),
        "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
    );
    // GB/T 32905-2016 example 1.
    assert_eq!(
        hex::encode(DigestAlgorithm::Sm3.digest(abc)),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    for d in DigestAlgorithm::ALL {
        let mut h = d.hasher();
        h.update(b"hello ");
        h.update(b"world");
        let streamed = h.finish();
        assert_eq!(streamed, d.digest(b"hello world"), "{d}");
        assert_eq!(streamed.len(), d.output_len(), "{d}");
        assert_eq!(DigestAlgorithm::from_oid(&d.oid()), Some(d));
    }
    assert_eq!(
        DigestAlgorithm::Sm3.oid().to_string(),
        "1.2.156.10197.1.401"
    );
    assert_eq!(DigestAlgorithm::from_oid(&oid("1.2.840.113549.2.5")), None); // MD5
}

// ---------------------------------------------------------------------------------------------
// policy

#[test]
fn policy_defaults_strict_and_serde() {
    let p = AlgorithmPolicy::default();
    assert!(p.allow_sha1 && p.allow_dsa && !p.sm2_empty_id_fallback);
    assert_eq!((p.min_rsa_bits, p.weak_rsa_bits), (1024, 2048));
    assert_eq!(p.sm2_signer_id, b"1234567812345678");
    let s = AlgorithmPolicy::strict();
    assert!(!s.allow_sha1 && !s.allow_dsa && s.min_rsa_bits == 2048);
    let from_empty: AlgorithmPolicy = serde_json::from_str("{}").unwrap();
    assert_eq!(from_empty, p);
    let partial: AlgorithmPolicy =
        serde_json::from_str(r#"{"allow_sha1": false, "min_rsa_bits": 2048}"#).unwrap();
    assert!(!partial.allow_sha1 && partial.allow_dsa && partial.min_rsa_bits == 2048);
    let round: AlgorithmPolicy = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(round, s);
    assert!(serde_json::from_str::<AlgorithmPolicy>(r#"{"alow_sha1": false}"#).is_err());
    assert_eq!(
        Weakness::ShortRsaKey { bits: 1024 }.to_string(),
        "the RSA key has only 1024 bits"
    );
    assert!(!Weakness::Sm2EmptyId.to_string().is_empty());
}

// ---------------------------------------------------------------------------------------------
// PKITS: RSA and DSA

#[test]
fn pkits_rsa_good_and_bad() {
    if !have_corpora() {
        return;
    }
    let root = pkits("TrustAnchorRootCertificate");
    let good = pkits("GoodCACert");
    let v = check(&good, &root, None, &default()).unwrap();
    assert_eq!(v.algorithm, "sha256WithRSAEncryption");
    assert!(v.weaknesses.is_empty());
    assert_eq!(key_bits(&root.spki), Some(2048));
    let bad = pkits("BadSignedCACert");
    assert_eq!(
        check(&bad, &root, None, &default()),
        Err(SignatureError::Invalid)
    );
    // Self-signed root.
    assert!(check(&root, &root, None, &AlgorithmPolicy::strict()).is_ok());
    // Wrong issuer key.
    assert_eq!(
        check(&good, &good, None, &default()),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn pkits_dsa_and_parameter_inheritance() {
    if !have_corpora() {
        return;
    }
    let root = pkits("TrustAnchorRootCertificate");
    let dsa_ca = pkits("DSACACert");
    let inherited_ca = pkits("DSAParametersInheritedCACert");
    let ee4 = pkits("ValidDSASignaturesTest4EE");
    let ee5 = pkits("ValidDSAParameterInheritanceTest5EE");
    let bad6 = pkits("InvalidDSASignatureTest6EE");

    assert!(check(&dsa_ca, &root, None, &default()).is_ok());
    assert_eq!(key_bits(&dsa_ca.spki), Some(1024));
    assert!(!needs_inherited_params(&dsa_ca.spki));
    assert!(needs_inherited_params(&inherited_ca.spki));
    assert!(!needs_inherited_params(&root.spki));
    assert!(dsa_params(&root.spki).is_none());
    assert!(dsa_params(&inherited_ca.spki).is_none());
    let params = dsa_params(&dsa_ca.spki).expect("DSA CA has params");

    let v = check(&ee4, &dsa_ca, None, &default()).unwrap();
    assert_eq!(v.algorithm, "dsa-with-SHA1");
    assert_eq!(v.weaknesses, vec![Weakness::Sha1, Weakness::Dsa]);

    assert!(check(&inherited_ca, &dsa_ca, None, &default()).is_ok());
    let v = check(&ee5, &inherited_ca, Some(params), &default()).unwrap();
    assert_eq!(v.algorithm, "dsa-with-SHA1");
    assert_eq!(
        check(&ee5, &inherited_ca, None, &default()),
        Err(SignatureError::MissingInheritedParameters)
    );
    // The key's own params win over inherited ones.
    assert!(check(&ee4, &dsa_ca, Some(b"\x30\x00"), &default()).is_ok());

    assert_eq!(
        check(&bad6, &dsa_ca, None, &default()),
        Err(SignatureError::Invalid)
    );
    let strict = AlgorithmPolicy {
        allow_dsa: false,
        ..default()
    };
    assert!(matches!(
        check(&ee4, &dsa_ca, None, &strict),
        Err(SignatureError::RejectedByPolicy { .. })
    ));
    assert!(matches!(
        check(&ee4, &dsa_ca, None, &AlgorithmPolicy::strict()),
        Err(SignatureError::RejectedByPolicy { .. })
    ));
    // DSA signature with the RSA root key.
    assert!(matches!(
        check(&ee4, &root, None, &default()),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// SM2

const SM2_DIR: &str = "sm2/tongsuo-certs";

#[test]
fn sm2_tongsuo_chains() {
    if !have_corpora() {
        return;
    }
    let root = file(&format!("{SM2_DIR}/sm2-root-cert.pem"));
    let v = check(&root, &root, None, &default()).unwrap();
    assert_eq!(v.algorithm, "SM2-with-SM3");
    assert!(v.weaknesses.is_empty());
    assert_eq!(key_bits(&root.spki), Some(256));
    let first = file(&format!("{SM2_DIR}/sm2-first-crt.pem"));
    assert!(check(&first, &root, None, &default()).is_ok());
    assert_eq!(
        check(&root, &first, None, &default()),
        Err(SignatureError::Invalid)
    );

    // root ca + sub ca, then the sign/enc end entities under sub ca.
    let chain: Vec<Cert> = load(&format!("{SM2_DIR}/sm2_chain-ca.crt"))
        .iter()
        .map(|d| cert(d))
        .collect();
    assert_eq!(chain.len(), 2);
    let (ca, sub) = if chain[0].subject == chain[0].issuer {
        (&chain[0], &chain[1])
    } else {
        (&chain[1], &chain[0])
    };
    assert!(check(ca, ca, None, &default()).is_ok());
    assert!(check(sub, ca, None, &default()).is_ok());
    let mut count = 0;
    for name in [
        "sm2_client_enc",
        "sm2_client_enc_expire",
        "sm2_client_sign",
        "sm2_client_sign_expire",
        "sm2_server_enc",
        "sm2_server_enc_expire",
        "sm2_server_sign",
        "sm2_server_sign_expire",
    ] {
        let ee = file(&format!("{SM2_DIR}/{name}.crt"));
        assert_eq!(ee.issuer, sub.subject, "{name}");
        assert_eq!(
            check(&ee, sub, None, &default()).map(|v| v.algorithm),
            Ok("SM2-with-SM3".into()),
            "{name}"
        );
        count += 1;
    }
    assert_eq!(count, 8);
}

#[test]
fn sm2_every_certificate_in_the_corpus_with_its_issuer() {
    if !have_corpora() {
        return;
    }
    // Pool every certificate; verify each against the certificates named as its issuer.
    let dir = corpora().join(SM2_DIR);
    let mut pool = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".pem") || name.ends_with(".crt") {
            for der in load(&format!("{SM2_DIR}/{name}")) {
                pool.push((name.clone(), cert(&der)));
            }
        }
    }
    let mut verified = 0;
    for (name, c) in &pool {
        let issuers: Vec<_> = pool.iter().filter(|(_, i)| i.subject == c.issuer).collect();
        if issuers.is_empty() {
            continue; // sm2-chain-ca.crt's "www.example.com" issuer is not in the corpus
        }
        let ok = issuers
            .iter()
            .any(|(_, i)| check(c, i, None, &default()).is_ok());
        if name.contains("noza") {
            assert!(!ok, "{name} is signed without Z and must not verify");
        } else {
            assert!(ok, "{name} ({}) did not verify with any issuer", c.name);
            verified += 1;
        }
    }
    assert!(verified >= 15, "verified {verified}");
}

#[test]
fn sm2_signed_without_z_fails_even_with_the_empty_id_fallback() {
    if !have_corpora() {
        return;
    }
    let noza = file(&format!("{SM2_DIR}/sm2-noza-root-cert.pem"));
    assert_eq!(
        check(&noza, &noza, None, &default()),
        Err(SignatureError::Invalid)
    );
    let fallback = AlgorithmPolicy {
        sm2_empty_id_fallback: true,
        ..default()
    };
    assert_eq!(
        check(&noza, &noza, None, &fallback),
        Err(SignatureError::Invalid)
    );
    // What it really is: e = SM3(M) without Z.
    assert!(sm2::verify_without_z(&noza.spki, &noza.tbs, &noza.sig));
    let root = file(&format!("{SM2_DIR}/sm2-root-cert.pem"));
    assert!(!sm2::verify_without_z(&root.spki, &root.tbs, &root.sig));
}

#[test]
fn sm2_own_z_agrees_with_the_sm2_crate() {
    if !have_corpora() {
        return;
    }
    use ::sm2::dsa::signature::Verifier;
    let root = file(&format!("{SM2_DIR}/sm2-root-cert.pem"));
    let vk = ::sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", &root.spki.key).unwrap();
    let sig = ::sm2::dsa::Signature::from_der(&root.sig).unwrap();
    assert!(vk.verify(&root.tbs, &sig).is_ok());
    assert!(check(&root, &root, None, &default()).is_ok());
}

#[test]
fn sm2_z_sm2_sign_oid_and_value_encodings() {
    use ::sm2::dsa::signature::hazmat::PrehashVerifier;
    use ::sm2::dsa::signature::Signer;
    use ::sm2::elliptic_curve::sec1::ToSec1Point;
    use ::sm3::Digest;
    let id = "1234567812345678";
    let sk = ::sm2::dsa::SigningKey::from_slice(id, &[0x3cu8; 32]).unwrap();
    let message = b"Signature.xml";
    let sig: ::sm2::dsa::Signature = sk.sign(message);
    let vk = sk.verifying_key();
    let key = ec_spki(SM2_CURVE, &vk.to_sec1_bytes());
    // The sm2 crate signed e = SM3(Z || M) with its own Z: ours must give the same e.
    let z = sm2_z(id.as_bytes(), &key).unwrap();
    let e: [u8; 32] = ::sm3::Sm3::new_with_prefix(z)
        .chain_update(message)
        .finalize()
        .into();
    assert!(vk.verify_prehash(&e, &sig).is_ok());
    // The compressed form of the key has the same Z; a point not on the curve has none.
    let compressed = ec_spki(SM2_CURVE, vk.to_sec1_point(true).as_bytes());
    assert_eq!(sm2_z(id.as_bytes(), &compressed), Ok(z));
    assert!(sm2_z(id.as_bytes(), &ec_spki(SM2_CURVE, &[4; 65])).is_err());
    assert_ne!(sm2_z(b"", &key).unwrap(), z);
    // DER and raw r || s: told apart by form, both verify, the raw one as a deviation.
    let der = sig.to_der().as_bytes().to_vec();
    let raw = sig.to_bytes().to_vec();
    assert_eq!(sm2_value_encoding(&der), Some(ValueEncoding::Der));
    assert_eq!(sm2_value_encoding(&raw), Some(ValueEncoding::Plain));
    assert_eq!(sm2_value_encoding(&raw[..63]), None);
    assert_eq!(sm2_value_encoding(&der[..der.len() - 1]), None);
    // GM/T 0010 "SM2-1" (1.2.156.10197.1.301.1) is SM2 with SM3.
    let sm2_1 = alg("1.2.156.10197.1.301.1", None);
    let v = verify_signature(&sm2_1, &key, None, message, &der, &default()).unwrap();
    assert_eq!((v.encoding, v.deviations.len()), (ValueEncoding::Der, 0));
    let v = verify_signature(&sm2_1, &key, None, message, &raw, &default()).unwrap();
    assert_eq!(v.encoding, ValueEncoding::Plain);
    assert_eq!(v.deviations, vec![SignatureDeviation::Sm2RawValue]);
    assert_eq!(
        verify_signature(&sm2_1, &key, None, b"other", &der, &default()),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn sm2_generated_ids_and_empty_id_fallback() {
    use ::sm2::dsa::signature::Signer;
    let secret = [0x5au8; 32];
    let message = b"cross-boundary document";
    let sign = |id: &str| -> (PublicKeyInfo, Vec<u8>) {
        let sk = ::sm2::dsa::SigningKey::from_slice(id, &secret).unwrap();
        let sig: ::sm2::dsa::Signature = sk.sign(message);
        (
            ec_spki(SM2_CURVE, &sk.verifying_key().to_sec1_bytes()),
            sig.to_der().as_bytes().to_vec(),
        )
    };
    let sm2_alg = alg(SM2_SM3, None);

    // Signed with the empty ID (OpenSSL < 4.0 style).
    let (key, sig) = sign("");
    assert_eq!(
        verify_signature(&sm2_alg, &key, None, message, &sig, &default()),
        Err(SignatureError::Invalid)
    );
    let fallback = AlgorithmPolicy {
        sm2_empty_id_fallback: true,
        ..default()
    };
    let v = verify_signature(&sm2_alg, &key, None, message, &sig, &fallback).unwrap();
    assert_eq!(v.weaknesses, vec![Weakness::Sm2EmptyId]);

    // Signed with the default ID: no weakness even with the fallback on.
    let (key, sig) = sign("1234567812345678");
    let v = verify_signature(&sm2_alg, &key, None, message, &sig, &fallback).unwrap();
    assert!(v.weaknesses.is_empty());
    // NULL params on the signature algorithm are tolerated.
    assert!(verify_signature(
        &alg(SM2_SM3, Some(&[5, 0])),
        &key,
        None,
        message,
        &sig,
        &default()
    )
    .is_ok());
    // Key algorithm = the SM2 curve OID itself.
    let bare = PublicKeyInfo {
        algorithm: alg(SM2_CURVE, None),
        ..key.clone()
    };
    assert!(verify_signature(&sm2_alg, &bare, None, message, &sig, &default()).is_ok());
    // CMS form: signature algorithm = SM2 curve OID, digest SM3 or none.
    let cms_alg = alg(SM2_CURVE, None);
    assert!(verify_signature_with_digest(
        &cms_alg,
        Some(DigestAlgorithm::Sm3),
        &key,
        None,
        message,
        &sig,
        &default()
    )
    .is_ok());
    assert!(
        verify_signature_with_digest(&cms_alg, None, &key, None, message, &sig, &default()).is_ok()
    );
    assert!(matches!(
        verify_signature_with_digest(
            &cms_alg,
            Some(DigestAlgorithm::Sha256),
            &key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::UnsupportedAlgorithm { .. })
    ));

    // A configured ID.
    let (key, sig) = sign("alice@gd.example");
    let custom = AlgorithmPolicy {
        sm2_signer_id: b"alice@gd.example".to_vec(),
        ..default()
    };
    assert!(verify_signature(&sm2_alg, &key, None, message, &sig, &custom).is_ok());
    assert_eq!(
        verify_signature(&sm2_alg, &key, None, message, &sig, &default()),
        Err(SignatureError::Invalid)
    );
    let huge = AlgorithmPolicy {
        sm2_signer_id: vec![b'x'; 9000],
        ..default()
    };
    assert!(matches!(
        verify_signature(&sm2_alg, &key, None, message, &sig, &huge),
        Err(SignatureError::BadParameters { .. })
    ));

    // Truncated / garbage signatures.
    assert_eq!(
        verify_signature(
            &sm2_alg,
            &key,
            None,
            message,
            &sig[..sig.len() - 1],
            &custom
        ),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verify_signature(&sm2_alg, &key, None, message, &[], &custom),
        Err(SignatureError::Invalid)
    );
}

// ---------------------------------------------------------------------------------------------
// real Hong Kong / Guangdong roots

#[test]
fn real_roots_self_signatures() {
    if !have_corpora() {
        return;
    }
    type Expected = Result<(&'static str, Vec<Weakness>), ()>;
    let expect: &[(&str, Expected)] = &[
        (
            "guangdong/GDCA_ROOT_CA1.pem",
            Ok(("sha256WithRSAEncryption", vec![])),
        ),
        (
            "guangdong/GDCA_Root_CA_legacy_Guangzhou.pem",
            Ok((
                "sha1WithRSAEncryption",
                vec![Weakness::Sha1, Weakness::ShortRsaKey { bits: 1024 }],
            )),
        ),
        (
            "guangdong/GDCA_ShuAnShiDai_R5_Root_CA.pem",
            Ok(("sha256WithRSAEncryption", vec![])),
        ),
        (
            "guangdong/GDCA_TrustAUTH_E5_ROOT.pem",
            Ok(("ecdsa-with-SHA384 (P-384)", vec![])),
        ),
        (
            "guangdong/GDCA_TrustAUTH_R2_ROOT.pem",
            Ok(("sha1WithRSAEncryption", vec![Weakness::Sha1])),
        ),
        (
            "guangdong/GDCA_TrustAUTH_R5_ROOT.pem",
            Ok(("sha256WithRSAEncryption", vec![])),
        ),
        (
            "guangdong/NETCA_Root_ClassA.pem",
            Ok(("sha1WithRSAEncryption", vec![Weakness::Sha1])),
        ),
        (
            "guangdong/SZCA_Shenzhen_Root_2033.pem",
            Ok((
                "sha1WithRSAEncryption",
                vec![Weakness::Sha1, Weakness::ShortRsaKey { bits: 1024 }],
            )),
        ),
        ("guangdong/SZCA_Shenzhen_Root_legacy_2013.pem", Err(())), // md5WithRSAEncryption
        (
            "hongkong-post/Hongkong_Post_Root_CA_1.pem",
            Ok(("sha1WithRSAEncryption", vec![Weakness::Sha1])),
        ),
        (
            "hongkong-post/Hongkong_Post_Root_CA_2.pem",
            Ok(("sha256WithRSAEncryption", vec![])),
        ),
        (
            "hongkong-post/Hongkong_Post_Root_CA_3.pem",
            Ok(("sha256WithRSAEncryption", vec![])),
        ),
        (
            "hongkong-post/historical-issuing/Hongkong_Post_Root_CA_legacy_2000.pem",
            Ok(("sha1WithRSAEncryption", vec![Weakness::Sha1])),
        ),
    ];
    for (path, want) in expect {
        let c = file(&format!("real-roots/{path}"));
        let got = check(&c, &c, None, &default());
        match want {
            Ok((name, weak)) => {
                let v = got.unwrap_or_else(|e| panic!("{path}: {e}"));
                assert_eq!(v.algorithm, *name, "{path}");
                assert_eq!(&v.weaknesses, weak, "{path}");
            }
            Err(()) => assert!(
                matches!(&got, Err(SignatureError::RejectedByPolicy { what }) if what.contains("MD5")),
                "{path}: {got:?}"
            ),
        }
    }
    // Strict policy: RSA-1024 and SHA-1 roots are rejected, modern ones pass.
    let strict = AlgorithmPolicy::strict();
    let old = file("real-roots/guangdong/GDCA_Root_CA_legacy_Guangzhou.pem");
    assert!(matches!(
        check(&old, &old, None, &strict),
        Err(SignatureError::RejectedByPolicy { .. })
    ));
    let no_sha1_only = AlgorithmPolicy {
        allow_sha1: true,
        ..strict.clone()
    };
    assert_eq!(
        check(&old, &old, None, &no_sha1_only),
        Err(SignatureError::RejectedByPolicy {
            what: "RSA-1024 below minimum 2048".into()
        })
    );
    let e5 = file("real-roots/guangdong/GDCA_TrustAUTH_E5_ROOT.pem");
    assert!(check(&e5, &e5, None, &strict).is_ok());
    assert_eq!(key_bits(&e5.spki), Some(384));
    let r5 = file("real-roots/guangdong/GDCA_TrustAUTH_R5_ROOT.pem");
    assert_eq!(key_bits(&r5.spki), Some(4096));
}

#[test]
fn real_hongkong_post_issuing_chains() {
    if !have_corpora() {
        return;
    }
    let dir = "real-roots/hongkong-post";
    let root1 = file(&format!("{dir}/Hongkong_Post_Root_CA_1.pem"));
    let ca1 = file(&format!(
        "{dir}/historical-issuing/Hongkong_Post_e-Cert_CA_1.pem"
    ));
    let ee = file(&format!(
        "{dir}/historical-issuing/EE_app1.hongkongpost.com_e-Cert_Server.pem"
    ));
    let root2000 = file(&format!(
        "{dir}/historical-issuing/Hongkong_Post_Root_CA_legacy_2000.pem"
    ));
    let ca2000 = file(&format!(
        "{dir}/historical-issuing/Hongkong_Post_e-Cert_CA_legacy_2000.pem"
    ));
    assert!(check(&ca1, &root1, None, &default()).is_ok());
    assert!(check(&ee, &ca1, None, &default()).is_ok());
    assert_eq!(key_bits(&ee.spki), Some(1024));
    assert!(check(&ca2000, &root2000, None, &default()).is_ok());
    assert_eq!(
        check(&ca1, &root2000, None, &default()),
        Err(SignatureError::Invalid)
    );
}

// ---------------------------------------------------------------------------------------------
// x509-limbo: ECDSA P-256 / P-384, RSA-2048/4096 SHA-384, DSA-3072, odd sizes, unsupported curves

fn limbo_cases(ids: &[&str]) -> Vec<(String, Vec<Cert>)> {
    let path = corpora().join("x509-limbo/limbo.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for case in json["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !ids.contains(&id) {
            continue;
        }
        let mut pems: Vec<&str> = Vec::new();
        for key in ["trusted_certs", "untrusted_intermediates"] {
            pems.extend(
                case[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap()),
            );
        }
        pems.push(case["peer_certificate"].as_str().unwrap());
        let certs = pems
            .iter()
            .map(|pem| {
                let (_, p) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
                cert(&p.contents)
            })
            .collect();
        out.push((id.to_owned(), certs));
    }
    assert_eq!(out.len(), ids.len(), "some limbo ids not found");
    out
}

/// For each certificate, the outcomes against every certificate named as its issuer.
fn limbo_results(certs: &[Cert]) -> Vec<(String, Vec<Result<VerifiedSignature, SignatureError>>)> {
    certs
        .iter()
        .map(|c| {
            let results = certs
                .iter()
                .filter(|i| i.subject == c.issuer)
                .map(|i| check(c, i, None, &default()))
                .collect();
            (c.name.clone(), results)
        })
        .collect()
}

#[test]
fn limbo_real_world_ecdsa_and_rsa() {
    if !have_corpora() {
        return;
    }
    let cases = limbo_cases(&[
        "online::apple.com",
        "online::cloudflare.com",
        "online::microsoft.com",
        "online::google.com",
        "bettertls::pathbuilding::tc8", // FAILURE for path reasons; its SHA-1 signature is sound
        "webpki::cryptographydotio-chain",
    ]);
    let mut seen = std::collections::BTreeSet::new();
    for (id, certs) in &cases {
        for (name, results) in limbo_results(certs) {
            if results.is_empty() {
                continue;
            }
            let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
            assert!(!ok.is_empty(), "{id}: {name}: {results:?}");
            seen.extend(ok.iter().map(|v| v.algorithm.to_string()));
        }
    }
    for want in [
        "ecdsa-with-SHA384 (P-384)",
        "ecdsa-with-SHA256 (P-256)",
        "ecdsa-with-SHA1 (P-256)",
        "sha384WithRSAEncryption",
        "sha256WithRSAEncryption",
    ] {
        assert!(seen.contains(want), "no {want} in {seen:?}");
    }
}

#[test]
fn limbo_unusual_keys() {
    if !have_corpora() {
        return;
    }
    let cases = limbo_cases(&[
        "webpki::forbidden-dsa-root",
        "webpki::explicit-curve",
        "webpki::forbidden-p192-root",
        "webpki::forbidden-rsa-not-divisible-by-8-in-root",
        "webpki::forbidden-weak-rsa-key-in-root",
    ]);
    for (id, certs) in &cases {
        let root = certs
            .iter()
            .find(|c| c.subject == c.issuer)
            .expect("a self-signed root");
        let got = check(root, root, None, &default());
        match id.as_str() {
            "webpki::forbidden-dsa-root" => {
                let v = got.unwrap();
                assert_eq!(v.algorithm, "dsa-with-SHA256");
                assert_eq!(v.weaknesses, vec![Weakness::Dsa]);
                assert_eq!(key_bits(&root.spki), Some(3072));
            }
            "webpki::explicit-curve" | "webpki::forbidden-p192-root" => {
                assert!(
                    matches!(got, Err(SignatureError::UnsupportedKey { .. })),
                    "{id}: {got:?}"
                )
            }
            "webpki::forbidden-rsa-not-divisible-by-8-in-root" => {
                assert_eq!(key_bits(&root.spki), Some(2052));
                assert!(got.unwrap().weaknesses.is_empty());
            }
            "webpki::forbidden-weak-rsa-key-in-root" => {
                assert_eq!(
                    got.unwrap().weaknesses,
                    vec![Weakness::ShortRsaKey { bits: 1024 }]
                );
                assert!(matches!(
                    check(root, root, None, &AlgorithmPolicy::strict()),
                    Err(SignatureError::RejectedByPolicy { .. })
                ));
            }
            _ => unreachable!(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// OpenSSL-made vectors (combinations aws-lc-rs cannot sign)

mod openssl {
    use super::super::test_vectors as tv;
    use super::*;

    fn message() -> Vec<u8> {
        unhex(tv::MESSAGE)
    }

    fn run(
        sig_alg: &AlgorithmIdentifier,
        spki_hex: &str,
        sig_hex: &str,
    ) -> Result<VerifiedSignature, SignatureError> {
        verify_signature(
            sig_alg,
            &spki_from_der(&unhex(spki_hex)),
            None,
            &message(),
            &unhex(sig_hex),
            &default(),
        )
    }

    #[test]
    fn ecdsa_padded_digest_routes() {
        let v = run(
            &alg("1.2.840.10045.4.3.1", None),
            tv::P256_SPKI,
            tv::P256_SHA224_SIG,
        )
        .unwrap();
        assert_eq!(v.algorithm, "ecdsa-with-SHA224 (P-256)");
        let v = run(
            &alg("1.2.840.10045.4.1", None),
            tv::P384_SPKI,
            tv::P384_SHA1_SIG,
        )
        .unwrap();
        assert_eq!(v.algorithm, "ecdsa-with-SHA1 (P-384)");
        assert_eq!(v.weaknesses, vec![Weakness::Sha1]);
        let v = run(
            &alg("1.2.840.10045.4.3.1", None),
            tv::P384_SPKI,
            tv::P384_SHA224_SIG,
        )
        .unwrap();
        assert_eq!(v.algorithm, "ecdsa-with-SHA224 (P-384)");
        // Cross-wired hashes fail.
        assert_eq!(
            run(
                &alg("1.2.840.10045.4.3.2", None),
                tv::P256_SPKI,
                tv::P256_SHA224_SIG
            ),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            run(
                &alg("1.2.840.10045.4.3.1", None),
                tv::P384_SPKI,
                tv::P384_SHA1_SIG
            ),
            Err(SignatureError::Invalid)
        );
        // Wrong key.
        assert_eq!(
            run(
                &alg("1.2.840.10045.4.3.1", None),
                tv::P256_SPKI,
                tv::P384_SHA224_SIG
            ),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn rsa_pkcs1_fallback_paths() {
        let v = run(
            &alg("1.2.840.113549.1.1.14", Some(&[5, 0])),
            tv::RSA2048_SPKI,
            tv::RSA2048_SHA224_SIG,
        )
        .unwrap();
        assert_eq!(v.algorithm, "sha224WithRSAEncryption");
        let v = run(
            &alg("1.2.840.113549.1.1.12", None),
            tv::RSA1024_SPKI,
            tv::RSA1024_SHA384_SIG,
        )
        .unwrap();
        assert_eq!(v.weaknesses, vec![Weakness::ShortRsaKey { bits: 1024 }]);
        assert_eq!(
            run(
                &alg("1.2.840.113549.1.1.11", None),
                tv::RSA2048_SPKI,
                tv::RSA2048_SHA224_SIG
            ),
            Err(SignatureError::Invalid)
        );
        let mut sig = unhex(tv::RSA2048_SHA224_SIG);
        sig[100] ^= 1;
        assert_eq!(
            run(
                &alg("1.2.840.113549.1.1.14", None),
                tv::RSA2048_SPKI,
                &hex::encode(&sig)
            ),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn rsa_pss_parameter_variants() {
        use DigestAlgorithm::*;
        let cases = [
            (
                pss_alg(Sha256, Sha1, 0),
                tv::RSA2048_SPKI,
                tv::PSS_SHA256_MGF1_SHA1_SALT0_SIG,
                "RSASSA-PSS (SHA-256, MGF1-SHA-1, salt 0)",
            ),
            (
                pss_alg(Sha1, Sha1, 20),
                tv::RSA2048_SPKI,
                tv::PSS_SHA1_DEFAULTS_SIG,
                "RSASSA-PSS (SHA-1, MGF1-SHA-1, salt 20)",
            ),
            (
                pss_alg(Sha512, Sha256, 32),
                tv::RSA2048_SPKI,
                tv::PSS_SHA512_MGF1_SHA256_SALT32_SIG,
                "RSASSA-PSS (SHA-512, MGF1-SHA-256, salt 32)",
            ),
            (
                pss_alg(Sha384, Sha384, 48),
                tv::RSA2048_SPKI,
                tv::PSS_SHA384_STANDARD_SIG,
                "RSASSA-PSS (SHA-384, MGF1-SHA-384, salt 48)",
            ),
            (
                pss_alg(Sha224, Sha224, 28),
                tv::RSA1024_SPKI,
                tv::PSS1024_SHA224_SALT28_SIG,
                "RSASSA-PSS (SHA-224, MGF1-SHA-224, salt 28)",
            ),
            (
                pss_alg(Sha256, Sha256, 32),
                tv::RSA_PSS_KEY_SPKI,
                tv::PSS_KEY_SHA256_SALT32_SIG,
                "RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)",
            ),
        ];
        for (sig_alg, key, sig, name) in &cases {
            let v = run(sig_alg, key, sig).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v.algorithm, *name);
        }
        // The SHA-1 defaults as an empty SEQUENCE.
        assert!(run(
            &alg("1.2.840.113549.1.1.10", Some(&[0x30, 0x00])),
            tv::RSA2048_SPKI,
            tv::PSS_SHA1_DEFAULTS_SIG
        )
        .is_ok());
        // Wrong salt length / MGF hash / message hash.
        assert_eq!(
            run(
                &pss_alg(Sha256, Sha1, 20),
                tv::RSA2048_SPKI,
                tv::PSS_SHA256_MGF1_SHA1_SALT0_SIG
            ),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            run(
                &pss_alg(Sha256, Sha256, 0),
                tv::RSA2048_SPKI,
                tv::PSS_SHA256_MGF1_SHA1_SALT0_SIG
            ),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            run(
                &pss_alg(Sha384, Sha256, 32),
                tv::RSA2048_SPKI,
                tv::PSS_SHA512_MGF1_SHA256_SALT32_SIG
            ),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            run(
                &pss_alg(Sha384, Sha384, 32),
                tv::RSA2048_SPKI,
                tv::PSS_SHA384_STANDARD_SIG
            ),
            Err(SignatureError::Invalid)
        );
        // A PSS signature presented as PKCS#1 v1.5 fails.
        assert_eq!(
            run(
                &alg("1.2.840.113549.1.1.11", None),
                tv::RSA2048_SPKI,
                tv::PSS_SHA256_MGF1_SHA1_SALT0_SIG
            ),
            Err(SignatureError::Invalid)
        );
        // The PSS-restricted key (SHA-256, MGF1-SHA-256, salt >= 32) refuses other parameters.
        assert!(matches!(
            run(
                &pss_alg(Sha256, Sha256, 20),
                tv::RSA_PSS_KEY_SPKI,
                tv::PSS_KEY_SHA256_SALT32_SIG
            ),
            Err(SignatureError::BadParameters { .. })
        ));
        // ... and PKCS#1 v1.5 altogether.
        assert!(matches!(
            run(
                &alg("1.2.840.113549.1.1.11", None),
                tv::RSA_PSS_KEY_SPKI,
                tv::PSS_KEY_SHA256_SALT32_SIG
            ),
            Err(SignatureError::AlgorithmMismatch { .. })
        ));
        // PSS without parameters is malformed for a signature.
        assert!(matches!(
            run(
                &alg("1.2.840.113549.1.1.10", None),
                tv::RSA2048_SPKI,
                tv::PSS_SHA1_DEFAULTS_SIG
            ),
            Err(SignatureError::BadParameters { .. })
        ));
        // SHA-1 PSS under a no-SHA-1 policy.
        let no_sha1 = AlgorithmPolicy {
            allow_sha1: false,
            ..default()
        };
        assert_eq!(
            verify_signature(
                &pss_alg(Sha1, Sha1, 20),
                &spki_from_der(&unhex(tv::RSA2048_SPKI)),
                None,
                &message(),
                &unhex(tv::PSS_SHA1_DEFAULTS_SIG),
                &no_sha1
            ),
            Err(SignatureError::RejectedByPolicy {
                what: "SHA-1 not allowed".into()
            })
        );
    }
}

// ---------------------------------------------------------------------------------------------
// keys generated on the fly with aws-lc-rs

#[test]
fn aws_generated_rsa_pss_standard_parameters() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{
        KeyPair, RsaKeyPair, RSA_PSS_SHA256, RSA_PSS_SHA384, RSA_PSS_SHA512,
    };
    use DigestAlgorithm::*;
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
    let rsa_key = PublicKeyInfo {
        algorithm: alg("1.2.840.113549.1.1.1", Some(&[5, 0])),
        key: pair.public_key().as_ref().to_vec(),
        der: Vec::new(),
        prepared: Default::default(),
    };
    let pss_key = PublicKeyInfo {
        algorithm: alg("1.2.840.113549.1.1.10", None),
        ..rsa_key.clone()
    };
    let message = b"a Guangdong contract, signed in Hong Kong";
    let rng = SystemRandom::new();
    for (encoding, hash) in [
        (&RSA_PSS_SHA256, Sha256),
        (&RSA_PSS_SHA384, Sha384),
        (&RSA_PSS_SHA512, Sha512),
    ] {
        let mut sig = vec![0; pair.public_modulus_len()];
        pair.sign(encoding, &rng, message, &mut sig).unwrap();
        let sig_alg = pss_alg(hash, hash, hash.output_len() as u32);
        for key in [&rsa_key, &pss_key] {
            let v = verify_signature(&sig_alg, key, None, message, &sig, &default()).unwrap();
            assert_eq!(
                v.algorithm,
                format!(
                    "RSASSA-PSS ({0}, MGF1-{0}, salt {1})",
                    hash.name(),
                    hash.output_len()
                )
            );
        }
        // The generic EMSA-PSS code agrees with aws-lc-rs.
        let parsed = rsa::RsaKey::parse(&rsa_key).unwrap();
        let params = rsa::PssParams {
            hash,
            mgf_hash: hash,
            salt_len: hash.output_len() as u32,
        };
        assert_eq!(
            rsa::verify_pss_generic(&parsed, &params, Signed::Message(message), &sig),
            Ok(())
        );
        assert_eq!(
            rsa::verify_pss_generic(&parsed, &params, Signed::Message(b"other"), &sig),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            rsa::verify_pss_generic(
                &parsed,
                &params,
                Signed::Digest(&hash.digest(message)),
                &sig
            ),
            Ok(())
        );
        assert_eq!(
            rsa::verify_pss(
                &parsed,
                &params,
                Signed::Digest(&hash.digest(message)),
                &sig
            ),
            Ok(())
        );
        assert_eq!(
            verify_signature(&sig_alg, &rsa_key, None, b"other", &sig, &default()),
            Err(SignatureError::Invalid)
        );
        // Truncated signature.
        assert_eq!(
            verify_signature(&sig_alg, &rsa_key, None, message, &sig[1..], &default()),
            Err(SignatureError::Invalid)
        );
    }
    // PKCS#1 v1.5: aws-lc-rs and the generic path agree.
    let mut sig = vec![0; pair.public_modulus_len()];
    pair.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &rng,
        message,
        &mut sig,
    )
    .unwrap();
    let parsed = rsa::RsaKey::parse(&rsa_key).unwrap();
    assert_eq!(
        rsa::verify_pkcs1_generic(&parsed, Sha256, Signed::Message(message), &sig),
        Ok(())
    );
    assert_eq!(
        rsa::verify_pkcs1_generic(&parsed, Sha384, Signed::Message(message), &sig),
        Err(SignatureError::Invalid)
    );
    // CMS: rsaEncryption + digest.
    let cms = alg("1.2.840.113549.1.1.1", Some(&[5, 0]));
    let v = verify_signature_with_digest(
        &cms,
        Some(Sha256),
        &rsa_key,
        None,
        message,
        &sig,
        &default(),
    )
    .unwrap();
    assert_eq!(v.algorithm, "sha256WithRSAEncryption");
    assert!(matches!(
        verify_signature_with_digest(&cms, None, &rsa_key, None, message, &sig, &default()),
        Err(SignatureError::BadParameters { .. })
    ));
    assert_eq!(
        verify_signature_with_digest(
            &cms,
            Some(Sha512),
            &rsa_key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::Invalid)
    );
    // The same checks over the digest, as detached content streamed through a hasher gives it.
    let digest = Sha256.digest(message);
    assert!(can_verify_prehashed(&cms, Sha256));
    let v = verify_signature_prehashed(&cms, Sha256, &rsa_key, None, &digest, &sig, &default())
        .unwrap();
    assert_eq!(v.algorithm, "sha256WithRSAEncryption");
    assert_eq!(
        rsa::verify_pkcs1_generic(&parsed, Sha256, Signed::Digest(&digest), &sig),
        Ok(())
    );
    let other = Sha256.digest(b"other");
    assert_eq!(
        verify_signature_prehashed(&cms, Sha256, &rsa_key, None, &other, &sig, &default()),
        Err(SignatureError::Invalid)
    );
    // A digest of the wrong length or algorithm is refused, not truncated or padded.
    assert!(matches!(
        verify_signature_prehashed(&cms, Sha256, &rsa_key, None, &digest[1..], &sig, &default()),
        Err(SignatureError::UnsupportedAlgorithm { .. })
    ));
    assert_eq!(
        verify_signature_prehashed(
            &cms,
            Sha384,
            &rsa_key,
            None,
            &Sha384.digest(message),
            &sig,
            &default()
        ),
        Err(SignatureError::Invalid)
    );
    // SM2 hashes Z before the message and Ed25519 hashes internally: never over a digest.
    assert!(!can_verify_prehashed(
        &alg("1.2.156.10197.1.501", None),
        Sm3
    ));
    assert!(!can_verify_prehashed(&alg("1.3.101.112", None), Sha512));
    let combined = alg("1.2.840.113549.1.1.11", None);
    assert!(verify_signature_with_digest(
        &combined,
        Some(Sha256),
        &rsa_key,
        None,
        message,
        &sig,
        &default()
    )
    .is_ok());
    assert!(matches!(
        verify_signature_with_digest(
            &combined,
            Some(Sha1),
            &rsa_key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));
    // Non-NULL parameters on a PKCS#1 signature algorithm.
    assert!(matches!(
        verify_signature(
            &alg("1.2.840.113549.1.1.11", Some(&[4, 0])),
            &rsa_key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::BadParameters { .. })
    ));
}

#[test]
fn aws_generated_ecdsa_all_curves() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self as s, EcdsaKeyPair, KeyPair};
    use DigestAlgorithm::*;
    let rng = SystemRandom::new();
    let message = b"ECDSA message";
    let cases: [(
        &'static s::EcdsaSigningAlgorithm,
        &str,
        &str,
        DigestAlgorithm,
        &str,
    ); 5] = [
        (
            &s::ECDSA_P256_SHA256_ASN1_SIGNING,
            "1.2.840.10045.3.1.7",
            "1.2.840.10045.4.3.2",
            Sha256,
            "ecdsa-with-SHA256 (P-256)",
        ),
        (
            &s::ECDSA_P384_SHA384_ASN1_SIGNING,
            "1.3.132.0.34",
            "1.2.840.10045.4.3.3",
            Sha384,
            "ecdsa-with-SHA384 (P-384)",
        ),
        (
            &s::ECDSA_P521_SHA512_ASN1_SIGNING,
            "1.3.132.0.35",
            "1.2.840.10045.4.3.4",
            Sha512,
            "ecdsa-with-SHA512 (P-521)",
        ),
        (
            &s::ECDSA_P521_SHA256_ASN1_SIGNING,
            "1.3.132.0.35",
            "1.2.840.10045.4.3.2",
            Sha256,
            "ecdsa-with-SHA256 (P-521)",
        ),
        (
            &s::ECDSA_P521_SHA224_ASN1_SIGNING,
            "1.3.132.0.35",
            "1.2.840.10045.4.3.1",
            Sha224,
            "ecdsa-with-SHA224 (P-521)",
        ),
    ];
    for (signing, curve, sig_oid, hash, name) in cases {
        let pair = EcdsaKeyPair::generate(signing).unwrap();
        let key = ec_spki(curve, pair.public_key().as_ref());
        let sig = pair.sign(&rng, message).unwrap().as_ref().to_vec();
        let sig_alg = alg(sig_oid, None);
        let v = verify_signature(&sig_alg, &key, None, message, &sig, &default()).unwrap();
        assert_eq!(v.algorithm, name);
        assert!(v.weaknesses.is_empty());
        assert_eq!(
            verify_signature(&sig_alg, &key, None, b"tampered", &sig, &default()),
            Err(SignatureError::Invalid)
        );
        // Truncated DER signature.
        assert_eq!(
            verify_signature(
                &sig_alg,
                &key,
                None,
                message,
                &sig[..sig.len() - 2],
                &default()
            ),
            Err(SignatureError::Invalid)
        );
        // NULL parameters are not allowed on ECDSA signature algorithms (RFC 5758).
        assert!(matches!(
            verify_signature(
                &alg(sig_oid, Some(&[5, 0])),
                &key,
                None,
                message,
                &sig,
                &default()
            ),
            Err(SignatureError::BadParameters { .. })
        ));
        // CMS form: id-ecPublicKey + digest.
        let cms = alg("1.2.840.10045.2.1", None);
        assert!(verify_signature_with_digest(
            &cms,
            Some(hash),
            &key,
            None,
            message,
            &sig,
            &default()
        )
        .is_ok());
        assert!(matches!(
            verify_signature_with_digest(&cms, None, &key, None, message, &sig, &default()),
            Err(SignatureError::BadParameters { .. })
        ));
        // SM2 signature algorithm with a NIST key.
        assert!(matches!(
            verify_signature(&alg(SM2_SM3, None), &key, None, message, &sig, &default()),
            Err(SignatureError::AlgorithmMismatch { .. })
        ));
        assert_eq!(key_bits(&key), Some(curve_bits(curve)));
    }
}

fn curve_bits(curve: &str) -> u32 {
    match curve {
        "1.2.840.10045.3.1.7" => 256,
        "1.3.132.0.34" => 384,
        _ => 521,
    }
}

#[test]
fn aws_generated_ed25519() {
    use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
    let pair = Ed25519KeyPair::generate().unwrap();
    let key = PublicKeyInfo {
        algorithm: alg("1.3.101.112", None),
        key: pair.public_key().as_ref().to_vec(),
        der: Vec::new(),
        prepared: Default::default(),
    };
    let message = b"Ed25519 message";
    let sig = pair.sign(message).as_ref().to_vec();
    let ed = alg("1.3.101.112", None);
    let v = verify_signature(&ed, &key, None, message, &sig, &default()).unwrap();
    assert_eq!(v.algorithm, "Ed25519");
    assert_eq!(key_bits(&key), Some(256));
    assert_eq!(
        verify_signature(&ed, &key, None, b"tampered", &sig, &default()),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verify_signature(&ed, &key, None, message, &sig[..63], &default()),
        Err(SignatureError::Invalid)
    );
    assert!(matches!(
        verify_signature(
            &alg("1.3.101.112", Some(&[5, 0])),
            &key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::BadParameters { .. })
    ));
    // In CMS a digest algorithm may accompany Ed25519; it does not change the signature.
    assert!(verify_signature_with_digest(
        &ed,
        Some(DigestAlgorithm::Sha512),
        &key,
        None,
        message,
        &sig,
        &default()
    )
    .is_ok());
    // Ed25519 signature with an ECDSA key and vice versa.
    let p256 = ec_spki("1.2.840.10045.3.1.7", &[4; 65]);
    assert!(matches!(
        verify_signature(&ed, &p256, None, message, &sig, &default()),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));
    assert!(matches!(
        verify_signature(
            &alg("1.2.840.10045.4.3.2", None),
            &key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));

    // The lamps-carlos certificate carries a real Ed25519 key.
    if !have_corpora() {
        return;
    }
    let carlos = file("cms/ietf-examples-cms/lamps-carlos.crt.pem");
    assert_eq!(carlos.spki.algorithm.oid.to_string(), "1.3.101.112");
    assert_eq!(key_bits(&carlos.spki), Some(256));
    assert_eq!(
        verify_signature(&ed, &carlos.spki, None, message, &sig, &default()),
        Err(SignatureError::Invalid)
    );
}

// ---------------------------------------------------------------------------------------------
// negative cases and error classification

#[test]
fn unknown_and_mismatched_algorithms() {
    if !have_corpora() {
        return;
    }
    let root = pkits("TrustAnchorRootCertificate");
    let good = pkits("GoodCACert");
    let run = |sig_alg: &AlgorithmIdentifier, key: &PublicKeyInfo| {
        verify_signature(sig_alg, key, None, &good.tbs, &good.sig, &default())
    };
    assert_eq!(
        run(&alg("1.2.3.4", None), &root.spki),
        Err(SignatureError::UnsupportedAlgorithm {
            oid: "1.2.3.4".into()
        })
    );
    assert!(matches!(
        run(&alg("1.2.840.113549.1.1.4", Some(&[5, 0])), &root.spki),
        Err(SignatureError::RejectedByPolicy { .. })
    ));
    assert!(matches!(
        run(&alg("1.2.840.10045.4.3.2", None), &root.spki),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));
    assert!(matches!(
        run(&alg(SM2_SM3, None), &root.spki),
        Err(SignatureError::AlgorithmMismatch { .. })
    ));
    let unknown_key = PublicKeyInfo {
        algorithm: alg("1.2.3.4.5", None),
        ..root.spki.clone()
    };
    assert_eq!(
        run(&good.sig_alg, &unknown_key),
        Err(SignatureError::UnsupportedKey {
            oid: "1.2.3.4.5".into()
        })
    );
    assert_eq!(key_bits(&unknown_key), None);
    let bad_params_key = PublicKeyInfo {
        algorithm: alg("1.2.840.113549.1.1.1", Some(&[2, 1, 0])),
        ..root.spki.clone()
    };
    assert!(matches!(
        run(&good.sig_alg, &bad_params_key),
        Err(SignatureError::MalformedKey { .. })
    ));
    let garbage_key = PublicKeyInfo {
        key: vec![0x30, 0x03, 0x02, 0x01, 0x03],
        ..root.spki.clone()
    };
    assert!(matches!(
        run(&good.sig_alg, &garbage_key),
        Err(SignatureError::MalformedKey { .. })
    ));
    let truncated_key = PublicKeyInfo {
        key: root.spki.key[..root.spki.key.len() - 1].to_vec(),
        ..root.spki.clone()
    };
    assert!(matches!(
        run(&good.sig_alg, &truncated_key),
        Err(SignatureError::MalformedKey { .. })
    ));
    // EC key without a named curve; SM2 signature with an SM2 key that is not a point.
    let no_curve = PublicKeyInfo {
        algorithm: alg("1.2.840.10045.2.1", None),
        key: vec![4; 65],
        der: Vec::new(),
        prepared: Default::default(),
    };
    assert!(matches!(
        run(&alg("1.2.840.10045.4.3.2", None), &no_curve),
        Err(SignatureError::UnsupportedKey { .. })
    ));
    let not_point = ec_spki(SM2_CURVE, &[4; 65]);
    assert!(matches!(
        run(&alg(SM2_SM3, None), &not_point),
        Err(SignatureError::MalformedKey { .. })
    ));
    let p256_not_point = ec_spki("1.2.840.10045.3.1.7", &[4; 65]);
    assert!(matches!(
        run(&alg("1.2.840.10045.4.3.2", None), &p256_not_point),
        Err(SignatureError::MalformedKey { .. })
    ));
    // Truncated and empty RSA signatures.
    let sig_alg = &good.sig_alg;
    assert_eq!(
        verify_signature(
            sig_alg,
            &root.spki,
            None,
            &good.tbs,
            &good.sig[..255],
            &default()
        ),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verify_signature(sig_alg, &root.spki, None, &good.tbs, &[], &default()),
        Err(SignatureError::Invalid)
    );
    // Policy below the minimum.
    let min4096 = AlgorithmPolicy {
        min_rsa_bits: 4096,
        weak_rsa_bits: 4096,
        ..default()
    };
    assert_eq!(
        check(&good, &root, None, &min4096),
        Err(SignatureError::RejectedByPolicy {
            what: "RSA-2048 below minimum 4096".into()
        })
    );
    let weak3072 = AlgorithmPolicy {
        weak_rsa_bits: 3072,
        ..default()
    };
    assert_eq!(
        check(&good, &root, None, &weak3072).unwrap().weaknesses,
        vec![Weakness::ShortRsaKey { bits: 2048 }]
    );
    // Error messages are readable.
    assert_eq!(
        SignatureError::Invalid.to_string(),
        "the signature is invalid"
    );
}

// ---------------------------------------------------------------------------------------------
// robustness: every parseable certificate of the malformed corpora, self-verified and verified
// with a few unrelated keys, must yield an answer (never a panic)

#[test]
fn malformed_corpora_never_panic() {
    if !have_corpora() {
        return;
    }
    let mut pool = Vec::new();
    for dir in [
        "malformed/openssl-fuzz-corpora/x509",
        "malformed/pyca-x509-custom",
        "malformed/pyca-x509-misc",
    ] {
        let Ok(entries) = std::fs::read_dir(corpora().join(dir)) else {
            panic!("{dir} missing")
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let ders: Vec<Vec<u8>> = if data.windows(11).any(|w| w == b"-----BEGIN ") {
                x509_parser::pem::Pem::iter_from_buffer(&data)
                    .filter_map(Result::ok)
                    .map(|p| p.contents)
                    .collect()
            } else {
                vec![data]
            };
            for der in ders {
                if let Ok((_, c)) = x509_parser::parse_x509_certificate(&der) {
                    let params = c
                        .signature_algorithm
                        .parameters
                        .as_ref()
                        .map(|p| p.to_der_vec());
                    let key_params = c
                        .tbs_certificate
                        .subject_pki
                        .algorithm
                        .parameters
                        .as_ref()
                        .map(|p| p.to_der_vec());
                    if matches!(params, Some(Err(_))) || matches!(key_params, Some(Err(_))) {
                        continue;
                    }
                    if Oid::from_der_content(c.signature_algorithm.algorithm.as_bytes()).is_none()
                        || Oid::from_der_content(
                            c.tbs_certificate.subject_pki.algorithm.algorithm.as_bytes(),
                        )
                        .is_none()
                    {
                        continue;
                    }
                    pool.push(cert(&der));
                }
            }
        }
    }
    assert!(pool.len() > 100, "only {} certificates parsed", pool.len());
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let lax = AlgorithmPolicy {
        min_rsa_bits: 0,
        ..default()
    };
    for (i, c) in pool.iter().enumerate() {
        for other in [c, &pool[(i + 1) % pool.len()], &pool[(i + 7) % pool.len()]] {
            let r = check(c, other, dsa_params(&c.spki), &lax);
            if std::env::var_os("SHOW_MALFORMED").is_some() && std::ptr::eq(c, other) {
                println!("{}: {:?}", c.name, r);
            }
            let _ = key_bits(&other.spki);
            let label = match r {
                Ok(_) => "ok".to_owned(),
                Err(e) => format!("{e:?}")
                    .split([' ', '{', '('])
                    .next()
                    .unwrap()
                    .to_owned(),
            };
            *outcomes.entry(label).or_default() += 1;
        }
    }
    println!("{} certificates: {outcomes:?}", pool.len());
    assert!(
        outcomes.get("ok").copied().unwrap_or(0) > 10,
        "{outcomes:?}"
    );
}

#[test]
fn pyca_custom_self_signed() {
    if !have_corpora() {
        return;
    }
    let dir = "malformed/pyca-x509-custom";
    let run = |name: &str| {
        let c = file(&format!("{dir}/{name}"));
        check(&c, &c, None, &default())
    };
    // DSA with NULL signature parameters (RFC 3279 wants them absent; OpenSSL accepts NULL).
    assert_eq!(
        run("dsa_null_alg_params.pem").map(|v| v.algorithm),
        Ok("dsa-with-SHA256".into())
    );
    // A 2048/160-bit DSA key is not a FIPS 186 size; the `dsa` crate only takes it through its
    // `hazmat` feature, so it is reported as unsupported (OpenSSL verifies it).
    assert!(matches!(
        run("dsa_selfsigned_ca.pem"),
        Err(SignatureError::UnsupportedKey { .. })
    ));
    // ECDSA with NULL parameters is rejected (RFC 5758 §3.2), although OpenSSL accepts it.
    assert!(matches!(
        run("ecdsa_null_alg.pem"),
        Err(SignatureError::BadParameters { .. })
    ));
    assert!(run("valid_signature_cert.pem").is_ok());
    // Despite its name this certificate's self-signature is sound (OpenSSL agrees); pyca uses it
    // with a CRL whose signature is invalid.
    assert!(run("invalid_signature_cert.pem").is_ok());
}

#[test]
fn ecdsa_plain_signatures_bsi_tr_03111() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self as s, EcdsaKeyPair, KeyPair};
    use DigestAlgorithm::*;
    let rng = SystemRandom::new();
    let message = b"plain ECDSA message";
    // (fixed-width signer, curve, plain OID, hash, name, half length)
    let cases: [(
        &'static s::EcdsaSigningAlgorithm,
        &str,
        &str,
        DigestAlgorithm,
        &str,
        usize,
    ); 4] = [
        (
            &s::ECDSA_P256_SHA256_FIXED_SIGNING,
            "1.2.840.10045.3.1.7",
            "0.4.0.127.0.7.1.1.4.1.3",
            Sha256,
            "ecdsa-plain-SHA256 (P-256)",
            32,
        ),
        (
            &s::ECDSA_P384_SHA384_FIXED_SIGNING,
            "1.3.132.0.34",
            "0.4.0.127.0.7.1.1.4.1.4",
            Sha384,
            "ecdsa-plain-SHA384 (P-384)",
            48,
        ),
        (
            &s::ECDSA_P521_SHA512_FIXED_SIGNING,
            "1.3.132.0.35",
            "0.4.0.127.0.7.1.1.4.1.5",
            Sha512,
            "ecdsa-plain-SHA512 (P-521)",
            66,
        ),
        (
            &s::ECDSA_P521_SHA384_FIXED_SIGNING,
            "1.3.132.0.35",
            "0.4.0.127.0.7.1.1.4.1.4",
            Sha384,
            "ecdsa-plain-SHA384 (P-521)",
            66,
        ),
    ];
    for (signing, curve, sig_oid, hash, name, half) in cases {
        let pair = EcdsaKeyPair::generate(signing).unwrap();
        let key = ec_spki(curve, pair.public_key().as_ref());
        let sig = pair.sign(&rng, message).unwrap().as_ref().to_vec();
        assert_eq!(sig.len(), 2 * half);
        let plain = alg(sig_oid, None);
        // As a certificate or CRL signature (the OID names the hash).
        let v = verify_signature(&plain, &key, None, message, &sig, &default()).unwrap();
        assert_eq!(v.algorithm, name);
        assert_eq!(v.encoding, ValueEncoding::Plain);
        assert!(v.deviations.is_empty());
        assert_eq!(
            verify_signature(&plain, &key, None, b"tampered", &sig, &default()),
            Err(SignatureError::Invalid)
        );
        // As a CMS signer: with its digest algorithm, and over a precomputed digest.
        assert!(verify_signature_with_digest(
            &plain,
            Some(hash),
            &key,
            None,
            message,
            &sig,
            &default()
        )
        .is_ok());
        assert!(can_verify_prehashed(&plain, hash));
        assert!(verify_signature_prehashed(
            &plain,
            hash,
            &key,
            None,
            &hash.digest(message),
            &sig,
            &default()
        )
        .is_ok());
        // Not the fixed width: invalid (one byte short, one byte long, the DER form).
        for bad in [
            sig[..sig.len() - 1].to_vec(),
            [sig.as_slice(), &[0]].concat(),
            asn1::encode_two_integers(&sig[..half], &sig[half..]),
        ] {
            assert_eq!(
                verify_signature(&plain, &key, None, message, &bad, &default()),
                Err(SignatureError::Invalid)
            );
        }
        // The DER OID does not read the plain form.
        let der_oid = alg(
            match hash {
                Sha256 => "1.2.840.10045.4.3.2",
                Sha384 => "1.2.840.10045.4.3.3",
                _ => "1.2.840.10045.4.3.4",
            },
            None,
        );
        assert_eq!(
            verify_signature(&der_oid, &key, None, message, &sig, &default()),
            Err(SignatureError::Invalid)
        );
    }
    // SHA-1 and SHA-224 with P-384 (the padded route) in the plain form.
    let pair = EcdsaKeyPair::generate(&s::ECDSA_P384_SHA384_FIXED_SIGNING).unwrap();
    let key = ec_spki("1.3.132.0.34", pair.public_key().as_ref());
    let sig = pair.sign(&rng, message).unwrap().as_ref().to_vec();
    // Signed over SHA-384, so verifying as plain-SHA1 must fail, not panic.
    assert_eq!(
        verify_signature(
            &alg("0.4.0.127.0.7.1.1.4.1.1", None),
            &key,
            None,
            message,
            &sig,
            &default()
        ),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn sm2_signature_values_in_der_or_raw_r_s() {
    use ::sm2::dsa::signature::Signer;
    let sk = ::sm2::dsa::SigningKey::from_slice("1234567812345678", &[0x3c; 32]).unwrap();
    let key = PublicKeyInfo {
        algorithm: alg(
            "1.2.840.10045.2.1",
            Some(&der_tlv(0x06, oid(SM2_CURVE).as_bytes())),
        ),
        key: sk.verifying_key().to_sec1_bytes().to_vec(),
        der: Vec::new(),
        prepared: Default::default(),
    };
    let message = b"GB/T 35275 SignedData without signed attributes";
    let sig: ::sm2::dsa::Signature = sk.sign(message);
    let sig_alg = alg(SM2_SM3, None);
    let der = sig.to_der().as_bytes().to_vec();
    let raw = sig.to_bytes().to_vec();
    assert_eq!(raw.len(), 64);
    let v = verify_signature(&sig_alg, &key, None, message, &der, &default()).unwrap();
    assert_eq!(v.encoding, ValueEncoding::Der);
    assert!(v.deviations.is_empty());
    let v = verify_signature(&sig_alg, &key, None, message, &raw, &default()).unwrap();
    assert_eq!(v.encoding, ValueEncoding::Plain);
    assert_eq!(v.deviations, [SignatureDeviation::Sm2RawValue]);
    assert_eq!(
        v.deviations[0].to_string(),
        "SM2 signature value encoded as raw r‖s, not DER"
    );
    // Raw values still must verify.
    assert_eq!(
        verify_signature(&sig_alg, &key, None, b"other", &raw, &default()),
        Err(SignatureError::Invalid)
    );
    // Neither form: 63 or 65 bytes, DER with trailing data.
    for bad in [
        raw[..63].to_vec(),
        [raw.as_slice(), &[1]].concat(),
        [der.as_slice(), &[0]].concat(),
    ] {
        assert_eq!(
            verify_signature(&sig_alg, &key, None, message, &bad, &default()),
            Err(SignatureError::Invalid)
        );
    }
}
