//! Detached content is hashed as a stream and never held whole, even for a signer without
//! signed attributes (whose signature covers the content itself): RSA and ECDSA are checked
//! over the streamed digest. Shown by verifying content larger than `Limits::max_file_size`,
//! which a buffered check would refuse. SM2 hashes `Z` before the content, so a signer without
//! signed attributes needs the content in memory: bounded by the same limit, with a typed error.
//!
//! Signatures are made at run time with the `openssl` command line (RSA from the fixture PKI,
//! P-256 from a throwaway root and leaf) and, for SM2, with the builder the benchmarks and
//! `examples/make_sm2_signed.rs` share.

mod common;

#[path = "../benches/support/sm2_cms.rs"]
#[allow(dead_code)]
mod sm2_cms;

use sigbridge::asn1::parse_time;
use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::{Indication, SubIndication};
use sigbridge::verdict::{Rule, Status};
use sigbridge::Limits;
use sigbridge::{DocumentReport, Verifier, VerifyError};
use sm2::pkcs8::DecodePrivateKey;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TIME: &str = "2026-12-01T00:00:00Z";
/// Content of 3 MiB against a 256 KiB document limit.
const CONTENT_LEN: usize = 3 << 20;
const SMALL_LIMIT: usize = 256 << 10;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Pseudo-random content (xorshift), written to `dir/content.bin`.
fn write_content(dir: &Path) -> PathBuf {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut data = Vec::with_capacity(CONTENT_LEN);
    while data.len() < CONTENT_LEN {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data.extend_from_slice(&x.to_le_bytes());
    }
    let path = dir.join("content.bin");
    std::fs::write(&path, &data).unwrap();
    path
}

/// A verifier anchored at `anchor`, validating at `time` (`None`: now, for certificates made
/// by the test itself, whose notBefore is the moment they were made).
fn verifier_at(anchor: &Path, limit: usize, time: Option<i64>) -> Verifier {
    let limits = Limits {
        max_file_size: limit,
        ..Limits::default()
    };
    let mut b = Verifier::builder()
        .validation_time(time)
        .revocation(RevocationMode::Off)
        .limits(limits.clone());
    for c in sigbridge::x509::certificates_from_file(anchor, &limits).unwrap() {
        b = b.anchor_in_store(Arc::new(c), "test");
    }
    b.build()
}

/// A verifier for the committed fixture PKIs, at the fixtures' validation time.
fn verifier(anchor: &Path, limit: usize) -> Verifier {
    verifier_at(anchor, limit, parse_time(TIME))
}

fn verify(v: &Verifier, sig: &Path, content: &Path) -> Result<DocumentReport, VerifyError> {
    let sig = std::fs::read(sig).unwrap();
    v.verify_detached(&sig, std::fs::File::open(content).unwrap())
}

fn check(report: &DocumentReport, rule: Rule) -> Status {
    report.signers[0]
        .checks
        .iter()
        .find(|c| c.rule == rule)
        .map(|c| c.status)
        .unwrap_or_else(|| panic!("no check {rule}"))
}

/// Flips one byte in the middle of `content` into `dir/tampered.bin`.
fn tampered(dir: &Path, content: &Path) -> PathBuf {
    let mut data = std::fs::read(content).unwrap();
    data[CONTENT_LEN / 2] ^= 1;
    let path = dir.join("tampered.bin");
    std::fs::write(&path, data).unwrap();
    path
}

fn assert_streamed_no_attributes(v: &Verifier, dir: &Path, sig: &Path, content: &Path) {
    let sig_len = std::fs::metadata(sig).unwrap().len() as usize;
    assert!(sig_len < SMALL_LIMIT && CONTENT_LEN > SMALL_LIMIT);
    let r = verify(v, sig, content).unwrap();
    assert!(r.detached);
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        serde_json::to_string_pretty(&r).unwrap()
    );
    assert_eq!(check(&r, Rule::MessageDigest), Status::Skipped); // no signed attributes
    assert_eq!(check(&r, Rule::SignatureValue), Status::Passed);
    let r = verify(v, sig, &tampered(dir, content)).unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    assert_eq!(r.sub_indication, Some(SubIndication::SigCryptoFailure));
}

#[test]
fn rsa_without_signed_attributes_is_checked_over_the_streamed_digest() {
    let dir = common::temp_dir("streaming-rsa");
    let content = write_content(&dir);
    let pki = fixtures().join("docs/pki");
    let p = |f: &str| pki.join(f).to_string_lossy().into_owned();
    common::openssl(
        &dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-noattr",
            "-md",
            "sha256",
            "-signer",
            &p("hk-personal.pem"),
            "-inkey",
            &p("hk-personal.key"),
            "-certfile",
            &p("hk-ca-15.pem"),
            "-in",
            "content.bin",
            "-outform",
            "DER",
            "-out",
            "sig.p7s",
        ],
    );
    assert_streamed_no_attributes(
        &verifier(&pki.join("hk-root.pem"), SMALL_LIMIT),
        &dir,
        &dir.join("sig.p7s"),
        &content,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ecdsa_without_signed_attributes_is_checked_over_the_streamed_digest() {
    let dir = common::temp_dir("streaming-p256");
    let content = write_content(&dir);
    // The system configuration (for [req]) plus the two extension sections.
    let system = std::fs::read_to_string("/etc/ssl/openssl.cnf").unwrap_or_default();
    std::fs::write(
        dir.join("ext.cnf"),
        format!(
            "{system}\n[stream_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier=hash\n[stream_leaf]\nbasicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\n\
             authorityKeyIdentifier=keyid\n"
        ),
    )
    .unwrap();
    let steps: [&[&str]; 6] = [
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "root.key",
        ],
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "leaf.key",
        ],
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "root.key",
            "-sha256",
            "-subj",
            "/CN=Stream Root",
            "-days",
            "3650",
            "-extensions",
            "stream_ca",
            "-config",
            "ext.cnf",
            "-out",
            "root.pem",
        ],
        &[
            "req",
            "-new",
            "-key",
            "leaf.key",
            "-subj",
            "/CN=Stream Signer",
            "-config",
            "ext.cnf",
            "-out",
            "leaf.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "7",
            "-sha256",
            "-days",
            "3650",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "stream_leaf",
            "-out",
            "leaf.pem",
        ],
        &[
            "cms",
            "-sign",
            "-binary",
            "-noattr",
            "-md",
            "sha256",
            "-signer",
            "leaf.pem",
            "-inkey",
            "leaf.key",
            "-in",
            "content.bin",
            "-outform",
            "DER",
            "-out",
            "sig.p7s",
        ],
    ];
    for args in steps {
        common::openssl(&dir, args);
    }
    // The root and leaf were made just now (notBefore = now): validated at the current time.
    let v = verifier_at(&dir.join("root.pem"), SMALL_LIMIT, None);
    assert_streamed_no_attributes(&v, &dir, &dir.join("sig.p7s"), &content);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sm2_without_signed_attributes_keeps_the_content_within_the_limit() {
    let dir = common::temp_dir("streaming-sm2");
    let content = write_content(&dir);
    let demo = fixtures().join("path-demo");
    let pem_der = |f: &str| {
        let text = std::fs::read(demo.join(f)).unwrap();
        pem::parse(text).unwrap().into_contents()
    };
    let key_pem = std::fs::read_to_string(demo.join("sm2-signer.key")).unwrap();
    let key = sm2::SecretKey::from_pkcs8_pem(&key_pem).unwrap();
    let data = std::fs::read(&content).unwrap();
    let der = sm2_cms::build(&sm2_cms::Request {
        cert: &pem_der("sm2-signer.pem"),
        chain: &[pem_der("sm2-ca.pem")],
        key: &key,
        id: "1234567812345678",
        content: &data,
        detached: true,
        signing_time: "261120120000Z",
        ber_chunk: 0,
        content_types: sm2_cms::ContentTypes::GbT,
        signed_attributes: false,
    })
    .unwrap();
    let sig = dir.join("sig.p7s");
    std::fs::write(&sig, der).unwrap();
    let anchor = demo.join("sm2-root.pem");
    // Within the limit: verified over the content held in memory.
    let v = verifier(&anchor, CONTENT_LEN * 2);
    let r = verify(&v, &sig, &content).unwrap();
    assert_eq!(
        r.indication,
        Indication::TotalPassed,
        "{}",
        serde_json::to_string_pretty(&r).unwrap()
    );
    assert_eq!(check(&r, Rule::SignatureValue), Status::Passed);
    let r = verify(&v, &sig, &tampered(&dir, &content)).unwrap();
    assert_eq!(r.sub_indication, Some(SubIndication::SigCryptoFailure));
    // Beyond it: a typed error naming the limit, not an unbounded read.
    let v = verifier(&anchor, SMALL_LIMIT);
    match verify(&v, &sig, &content) {
        Err(e @ VerifyError::ContentTooLarge { .. }) => {
            assert!(e.to_string().contains("Limits::max_file_size"), "{e}")
        }
        other => panic!("expected ContentTooLarge, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
