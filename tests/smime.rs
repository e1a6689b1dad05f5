//! S/MIME input layer (`sigbridge::smime`) against real messages: RFC 4134 examples 4.8
//! (multipart/signed, DSA, detached), 4.9 (application/pkcs7-mime signed-data) and 5.3
//! (enveloped-data), OpenSSL's `pkcs7-empty-digest-set.eml` and its S/MIME fuzz seed; then
//! line-ending variants, tampering, every truncation, nesting and the typed errors on
//! synthetic messages built from 4.8.

mod common;

use sigbridge::crypto::{AlgorithmPolicy, DigestAlgorithm};
use sigbridge::document::cms::{self, SignedData, SignerCheck, SignerInputs};
use sigbridge::document::smime::{self, SmimeError, SmimeMessage};
use sigbridge::verdict::{Rule, Status};
use sigbridge::x509::Certificate;
use sigbridge::Limits;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SAMPLE: &[u8] = b"This is some sample content.";

fn corpora() -> Option<PathBuf> {
    common::corpora()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn certs(dir: &Path, name: &str) -> Vec<Arc<Certificate>> {
    sigbridge::x509::certificates_from_file(&dir.join(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn parse(bytes: &[u8]) -> Result<SmimeMessage, SmimeError> {
    smime::parse(bytes, &Limits::default())
}

/// Verifies every signer of the message's SignedData (signature level: no path validation):
/// the content digest is computed with `cms::digest_content` over the detached content or
/// the eContent.
fn verify_message(
    msg: &SmimeMessage,
    extra: &[Arc<Certificate>],
) -> (SignedData, Vec<SignerCheck>) {
    let sd = cms::parse(msg.cms_bytes(), &Limits::default()).expect("CMS parses");
    let detached = msg.detached_content();
    let content = sd.content.as_deref().or(detached).expect("content");
    let pool: Vec<Arc<Certificate>> = sd.certificates.iter().chain(extra).cloned().collect();
    let checks = sd
        .signers
        .iter()
        .map(|signer| {
            let cert = cms::find_signer_certificate(signer, &pool).expect("signer certificate");
            let alg = DigestAlgorithm::from_oid(&signer.digest_algorithm.oid).expect("digest");
            let digest = cms::digest_content(content, &[alg])
                .expect("digest")
                .into_iter()
                .next()
                .map(|(_, d)| d)
                .unwrap_or_default();
            cms::check_signer_with(
                &sd,
                signer,
                &cert,
                &digest,
                &AlgorithmPolicy::default(),
                &SignerInputs {
                    detached_content: detached,
                    content_digested: false,
                    inherited_params: None,
                    issuer_candidates: extra,
                },
            )
        })
        .collect();
    (sd, checks)
}

fn assert_all_pass(name: &str, checks: &[SignerCheck]) {
    assert!(!checks.is_empty(), "{name}: no signers");
    for (i, c) in checks.iter().enumerate() {
        assert!(c.passed(), "{name} signer {i}: {:#?}", c.checks);
    }
}

fn to_crlf(bytes: &[u8]) -> Vec<u8> {
    let lf = to_lf(bytes);
    let mut out = Vec::with_capacity(lf.len() * 2);
    for &b in &lf {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn rfc4134(dir: &Path, name: &str) -> Vec<u8> {
    read(dir, &format!("cms/rfc4134/{name}"))
}

fn carl_dss(dir: &Path) -> Vec<Arc<Certificate>> {
    certs(dir, "cms/rfc4134/CarlDSSSelf.cer")
}

/// The signed first body part of 4.8: an entity with an empty header block.
fn expected_4_8_content() -> Vec<u8> {
    let mut v = b"\r\n".to_vec();
    v.extend_from_slice(SAMPLE);
    v
}

// ---------------------------------------------------------------- RFC 4134

#[test]
fn rfc4134_4_8_multipart_signed_verifies() {
    let Some(dir) = corpora() else { return };
    let bytes = rfc4134(&dir, "4.8.eml");
    assert!(smime::looks_like_mime(&bytes));
    let msg = parse(&bytes).expect("4.8 parses");
    let SmimeMessage::Detached {
        content,
        signature,
        micalg,
    } = &msg
    else {
        panic!("4.8 is multipart/signed: {msg:?}");
    };
    assert_eq!(content, &expected_4_8_content());
    assert_eq!(micalg.as_deref(), Some("sha1"));
    assert_eq!(signature.first(), Some(&0x30));

    let (sd, checks) = verify_message(&msg, &carl_dss(&dir));
    assert!(sd.content.is_none(), "4.8's SignedData is detached");
    assert_all_pass("4.8", &checks);
    assert_eq!(
        checks[0].check(Rule::SignatureValue).unwrap().status,
        Status::Passed
    );
}

#[test]
fn rfc4134_4_8_line_ending_variants_verify() {
    let Some(dir) = corpora() else { return };
    let original = rfc4134(&dir, "4.8.eml");
    let carl = carl_dss(&dir);
    for (label, bytes) in [("CRLF", to_crlf(&original)), ("LF", to_lf(&original))] {
        let msg = parse(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            msg.detached_content(),
            Some(expected_4_8_content().as_slice()),
            "{label}"
        );
        let (_, checks) = verify_message(&msg, &carl);
        assert_all_pass(label, &checks);
    }
}

#[test]
fn rfc4134_4_8_tampered_content_fails() {
    let Some(dir) = corpora() else { return };
    let mut bytes = rfc4134(&dir, "4.8.eml");
    let at = bytes
        .windows(SAMPLE.len())
        .position(|w| w == SAMPLE)
        .expect("sample text");
    bytes[at + 8] ^= 0x20; // "some" → "Some"
    let msg = parse(&bytes).expect("still well-formed MIME");
    let (_, checks) = verify_message(&msg, &carl_dss(&dir));
    let c = &checks[0];
    assert!(!c.passed(), "{:#?}", c.checks);
    // 4.8 has no signed attributes: the signature covers the content itself, so the
    // signature check is the one that fails (messageDigest does not apply).
    assert_eq!(
        c.check(Rule::MessageDigest).unwrap().status,
        Status::Skipped
    );
    assert_eq!(
        c.check(Rule::SignatureValue).unwrap().status,
        Status::Failed
    );
}

#[test]
fn rfc4134_4_8_every_truncation_is_handled() {
    let Some(dir) = corpora() else { return };
    let bytes = rfc4134(&dir, "4.8.eml");
    let close = bytes
        .windows(2)
        .rposition(|w| w == b"--")
        .expect("close delimiter")
        + 2;
    let mut ok = 0;
    for len in 0..=bytes.len() {
        match parse(&bytes[..len]) {
            Ok(msg) => {
                ok += 1;
                assert!(len >= close, "prefix of {len} bytes accepted: {msg:?}");
                assert_eq!(
                    msg.detached_content(),
                    Some(expected_4_8_content().as_slice())
                );
            }
            Err(e) => {
                assert!(len < close, "full close delimiter present at {len}: {e}");
                let _ = e.to_string();
            }
        }
    }
    assert_eq!(ok, bytes.len() + 1 - close);
}

#[test]
fn rfc4134_4_9_opaque_signed_data() {
    let Some(dir) = corpora() else { return };
    let bytes = rfc4134(&dir, "4.9.eml");
    assert!(smime::looks_like_mime(&bytes));
    let msg = parse(&bytes).expect("4.9 parses");
    assert!(matches!(msg, SmimeMessage::Opaque { .. }), "{msg:?}");
    assert_eq!(msg.detached_content(), None);
    let (sd, checks) = verify_message(&msg, &carl_dss(&dir));
    // The eContent is the sample text preceded by a CRLF (an entity with no header fields).
    assert_eq!(
        sd.content.as_deref(),
        Some(expected_4_8_content().as_slice())
    );
    assert_all_pass("4.9", &checks);
}

#[test]
fn rfc4134_5_3_enveloped_data_is_a_typed_error() {
    let Some(dir) = corpora() else { return };
    let bytes = rfc4134(&dir, "5.3.eml");
    assert!(smime::looks_like_mime(&bytes));
    assert_eq!(
        parse(&bytes),
        Err(SmimeError::NotSignedData {
            smime_type: "enveloped-data".to_string()
        })
    );
}

#[test]
fn rfc4134_binary_objects_are_not_mime() {
    let Some(dir) = corpora() else { return };
    for name in ["4.1.bin", "4.3.bin", "CarlDSSSelf.cer", "ExContent.bin"] {
        let bytes = rfc4134(&dir, name);
        assert!(!smime::looks_like_mime(&bytes), "{name}");
        assert!(parse(&bytes).is_err(), "{name}");
    }
}

// ---------------------------------------------------------------- OpenSSL

#[test]
fn openssl_empty_digest_set_message() {
    let Some(dir) = corpora() else { return };
    let bytes = read(&dir, "cms/openssl-tongsuo/pkcs7-empty-digest-set.eml");
    assert!(smime::looks_like_mime(&bytes));
    let msg = parse(&bytes).expect("the MIME layer is well-formed");
    let SmimeMessage::Detached {
        content, micalg, ..
    } = &msg
    else {
        panic!("multipart/signed expected: {msg:?}");
    };
    // The first part has no header block at all; the LF before the delimiter belongs to it.
    assert_eq!(content.as_slice(), b"This is the content to be signed.\r\n");
    assert_eq!(micalg.as_deref(), Some("sha-256"));
    // The SignedData itself must be rejected: either it does not decode, or no signer passes.
    if let Ok(sd) = cms::parse(msg.cms_bytes(), &Limits::default()) {
        assert!(sd.digest_algorithms.is_empty());
        let (_, checks) = verify_message(&msg, &[]);
        assert!(checks.iter().all(|c| !c.passed()), "{checks:#?}");
    }
}

#[test]
fn openssl_smime_fuzz_seed() {
    let Some(dir) = corpora() else { return };
    let seeds = dir.join("malformed/openssl-fuzz-corpora/smime");
    let mut n = 0;
    for entry in std::fs::read_dir(&seeds).expect("smime seeds") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("seed");
        n += 1;
        // Must not panic, whole or truncated anywhere or with any single byte flipped.
        let whole = parse(&bytes);
        for len in 0..bytes.len() {
            let _ = parse(&bytes[..len]);
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = parse(&b);
        }
        // The seed is a complete PKITS message (multipart/signed, RSA/SHA-256).
        let msg = whole.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let content = msg.detached_content().expect("detached");
        assert!(content.starts_with(b"Content-Type: text/plain\r\n\r\n"));
        assert!(content.ends_with(b"This is a sample signed message.\r\n"));
        let sd = cms::parse(msg.cms_bytes(), &Limits::default()).expect("CMS parses");
        assert!(sd.content.is_none());
        assert!(
            !sd.certificates.is_empty(),
            "the signer certificate is embedded"
        );
        let (_, checks) = verify_message(&msg, &[]);
        assert_all_pass("fuzz seed", &checks);
        assert_eq!(
            checks[0].check(Rule::MessageDigest).unwrap().status,
            Status::Passed
        );

        // Tampering one byte of the signed text breaks the messageDigest binding.
        let mut tampered = bytes.clone();
        let at = tampered
            .windows(6)
            .position(|w| w == b"sample")
            .expect("text");
        tampered[at] = b'S';
        let msg = parse(&tampered).expect("tampered parses");
        let (_, checks) = verify_message(&msg, &[]);
        assert_eq!(
            checks[0].check(Rule::MessageDigest).unwrap().status,
            Status::Failed
        );
        assert!(!checks[0].passed());
    }
    assert!(n > 0, "no seeds in {}", seeds.display());
}

// ---------------------------------------------------------------- nesting

fn mixed(inner: &[u8], boundary: &str) -> Vec<u8> {
    let mut v = format!(
        "MIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=\"{boundary}\"\n\npreamble\n--{boundary}\nContent-Type: text/plain\n\nhello\n--{boundary}\n"
    )
    .into_bytes();
    v.extend_from_slice(inner);
    v.extend_from_slice(format!("\n--{boundary}--\nepilogue\n").as_bytes());
    v
}

#[test]
fn nested_signed_entities() {
    let Some(dir) = corpora() else { return };
    let signed = rfc4134(&dir, "4.8.eml");
    let carl = carl_dss(&dir);

    let once = mixed(&signed, "outer-1");
    let msg = parse(&once).expect("inside multipart/mixed");
    assert_eq!(
        msg.detached_content(),
        Some(expected_4_8_content().as_slice())
    );
    assert_all_pass("nested once", &verify_message(&msg, &carl).1);

    let mut rfc822 = b"Content-Type: message/rfc822\n\n".to_vec();
    rfc822.extend_from_slice(&signed);
    let twice = mixed(&rfc822, "outer-2");
    let msg = parse(&twice).expect("inside message/rfc822 inside multipart/mixed");
    assert_all_pass("nested twice", &verify_message(&msg, &carl).1);

    let mut deep = signed.clone();
    for i in 0..5 {
        deep = mixed(&deep, &format!("level-{i}"));
    }
    assert_eq!(parse(&deep), Err(SmimeError::TooDeep { limit: 4 }));
    let generous = Limits {
        max_mime_depth: 5,
        ..Limits::default()
    };
    assert!(smime::parse(&deep, &generous).is_ok());
    let strict = Limits {
        max_mime_depth: 0,
        ..Limits::default()
    };
    assert_eq!(
        smime::parse(&once, &strict),
        Err(SmimeError::TooDeep { limit: 0 })
    );
}

// ---------------------------------------------------------------- typed errors

const SIG_PART: &str =
    "Content-Type: application/pkcs7-signature\nContent-Transfer-Encoding: base64\n\nMIAG\n";

fn signed_message(params: &str, body: &str) -> Vec<u8> {
    format!("MIME-Version: 1.0\nContent-Type: multipart/signed; {params}\n\n{body}").into_bytes()
}

#[test]
fn typed_errors() {
    let p = "protocol=\"application/pkcs7-signature\"; micalg=sha-256";
    let well_formed = format!("--b\n\ntext\n--b\n{SIG_PART}--b--\n");
    let ok = parse(&signed_message(&format!("{p}; boundary=b"), &well_formed)).expect("ok");
    assert_eq!(
        ok,
        SmimeMessage::Detached {
            content: b"\r\ntext".to_vec(),
            signature: vec![0x30, 0x80, 0x06],
            micalg: Some("sha-256".into()),
        }
    );
    // Parameter names and the media type are case-insensitive.
    assert!(parse(&signed_message(
        &format!("{p}; BOUNDARY=\"b\""),
        &well_formed
    ))
    .is_ok());

    assert_eq!(
        parse(&signed_message(p, &well_formed)),
        Err(SmimeError::MissingBoundary {
            content_type: "multipart/signed".into()
        })
    );
    assert!(matches!(
        parse(&signed_message(&format!("{p}; boundary=zz"), &well_formed)),
        Err(SmimeError::BoundaryNotFound { .. })
    ));
    assert!(matches!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            &format!("--b\n\ntext\n--b\n{SIG_PART}")
        )),
        Err(SmimeError::MissingCloseDelimiter { .. })
    ));
    // A delimiter must start a line.
    assert!(matches!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            &format!("--b\n\ntext --b\n{SIG_PART}--b--\n")
        )),
        Err(SmimeError::NoSignaturePart { .. })
    ));
    assert!(matches!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            "--b\n\ntext\n--b\nContent-Type: text/plain\n\nnot a signature\n--b--\n"
        )),
        Err(SmimeError::NoSignaturePart { .. })
    ));
    assert_eq!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            &format!("--b\n\ntext\n--b\n{SIG_PART}--b\n\nextra\n--b--\n")
        )),
        Err(SmimeError::ExtraParts { found: 3 })
    );
    assert!(matches!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            "--b\n\ntext\n--b\nContent-Type: application/pkcs7-signature\nContent-Transfer-Encoding: base64\n\nMI*G\n--b--\n"
        )),
        Err(SmimeError::BadBase64 { part: "signature", .. })
    ));
    assert!(matches!(
        parse(&signed_message(
            &format!("{p}; boundary=b"),
            "--b\n\ntext\n--b\nContent-Type: application/pkcs7-signature\nContent-Transfer-Encoding: quoted-printable\n\nx\n--b--\n"
        )),
        Err(SmimeError::UnsupportedEncoding { .. })
    ));
    assert_eq!(
        parse(&signed_message(
            "protocol=\"application/pgp-signature\"; boundary=b",
            &well_formed
        )),
        Err(SmimeError::UnsupportedProtocol {
            protocol: "application/pgp-signature".into()
        })
    );
    let message = signed_message(&format!("{p}; boundary=b"), &well_formed);
    assert_eq!(
        smime::parse(
            &message,
            &Limits {
                max_file_size: 10,
                ..Limits::default()
            }
        ),
        Err(SmimeError::TooLarge {
            size: message.len(),
            limit: 10
        })
    );
    let many: String = (0..10).map(|i| format!("--b\n\npart {i}\n")).collect();
    assert_eq!(
        smime::parse(
            &signed_message(&format!("{p}; boundary=b"), &format!("{many}--b--\n")),
            &Limits {
                max_mime_parts: 4,
                ..Limits::default()
            }
        ),
        Err(SmimeError::TooManyParts { limit: 4 })
    );
    assert_eq!(parse(b"\x30\x82\x01\x00"), Err(SmimeError::NotMime));
    assert_eq!(
        parse(b"Subject: hi\n\nbody\n"),
        Err(SmimeError::NotSigned {
            content_type: "text/plain".into()
        })
    );
    assert_eq!(
        parse(b"Content-Type: application/pkcs7-mime; smime-type=certs-only\n\nMIAG\n"),
        Err(SmimeError::NotSignedData {
            smime_type: "certs-only".into()
        })
    );
    assert_eq!(
        parse(b"Content-Type: Application/X-PKCS7-MIME\nContent-Transfer-Encoding: Base64\n\nMI\n AG\n"),
        Ok(SmimeMessage::Opaque {
            cms: vec![0x30, 0x80, 0x06]
        })
    );
}

#[test]
fn hostile_inputs_are_bounded() {
    // 10,000 nested multipart/mixed levels: stops at max_depth, no stack overflow.
    let mut deep = Vec::new();
    for i in 0..10_000 {
        deep.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=l{i}\n\n--l{i}\n").as_bytes(),
        );
    }
    for i in (0..10_000).rev() {
        deep.extend_from_slice(format!("\n--l{i}--\n").as_bytes());
    }
    assert_eq!(parse(&deep), Err(SmimeError::TooDeep { limit: 4 }));

    let headers: String = (0..2000).map(|i| format!("X-H{i}: v\n")).collect();
    assert_eq!(
        parse(format!("{headers}Content-Type: text/plain\n\nx").as_bytes()),
        Err(SmimeError::TooManyHeaders { limit: 1000 })
    );

    // A long run of lines that start like the delimiter but are not one.
    let mut body = String::from("--b\n\n");
    for _ in 0..50_000 {
        body.push_str("--bx\n");
    }
    assert!(matches!(
        parse(&signed_message("boundary=b", &body)),
        Err(SmimeError::MissingCloseDelimiter { .. })
    ));
}
