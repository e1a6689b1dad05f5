//! End-to-end document verification (`sigbridge::verify`) on the third-party CMS samples:
//! signature checks plus the signer's path to the sample's own root, with CRLs.

mod common;

use sigbridge::revocation::RevocationMode;
use sigbridge::verdict::{Indication, Rule, Status, SubIndication};
use sigbridge::Limits;
use sigbridge::{DocumentReport, Verifier};
use std::path::Path;
use std::sync::Arc;

fn verifier(dir: &Path, anchor: &str, crls: &[&str], mode: RevocationMode) -> Verifier {
    let limits = Limits::default();
    // RFC 4134 certificates are valid 1999 → 2039.
    let mut b = Verifier::builder()
        .validation_time(sigbridge::asn1::parse_time("2020-01-01T00:00:00Z"))
        .revocation(mode);
    for c in sigbridge::x509::certificates_from_file(&dir.join(anchor), &limits).unwrap() {
        b = b.anchor_in_store(Arc::new(c), "sample");
    }
    for c in crls {
        b = b.crls(
            sigbridge::x509::crls_from_file(&dir.join(c), &limits)
                .unwrap()
                .into_iter()
                .map(Arc::new),
        );
    }
    b.build()
}

fn run(v: &Verifier, dir: &Path, doc: &str, content: Option<&str>) -> DocumentReport {
    let bytes = std::fs::read(dir.join(doc)).unwrap();
    match content {
        Some(c) => {
            let mut f = std::fs::File::open(dir.join(c)).unwrap();
            v.verify(&bytes, Some(&mut f)).unwrap()
        }
        None => v.verify(&bytes, None).unwrap(),
    }
}

#[test]
fn rfc4134_rsa_and_dsa_signers_validate_to_carl() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    let rsa = verifier(&dir, "CarlRSASelf.cer", &[], RevocationMode::Off);
    let r = run(&rsa, &dir, "4.2.bin", None);
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert_eq!(r.signers[0].chain.len(), 2);
    assert!(r.signers[0]
        .weak_algorithms_accepted
        .iter()
        .any(|w| w.contains("SHA-1")));
    let dsa = verifier(
        &dir,
        "CarlDSSSelf.cer",
        &["CarlDSSCRLEmpty.crl"],
        RevocationMode::Require,
    );
    for doc in ["4.1.bin", "4.4.bin", "4.7.bin", "4.10.bin"] {
        let r = run(&dsa, &dir, doc, None);
        assert_eq!(r.indication, Indication::TotalPassed, "{doc}: {r:#?}");
    }
    // Two DSA signers, Diane's key inheriting its parameters from Carl.
    let r = run(&dsa, &dir, "4.6.bin", None);
    assert_eq!(r.signers.len(), 2);
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
}

#[test]
fn rfc4134_revoked_signer_without_poe_is_revoked_no_poe() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    let v = verifier(
        &dir,
        "CarlDSSSelf.cer",
        &["CarlDSSCRLForAll.crl"],
        RevocationMode::Require,
    );
    // Revoked, and nothing proves the signature was made before the revocation
    // (EN 319 102-1): INDETERMINATE / REVOKED_NO_POE.
    let r = run(&v, &dir, "4.1.bin", None);
    assert_eq!(r.indication, Indication::Indeterminate, "{r:#?}");
    assert_eq!(r.sub_indication, Some(SubIndication::RevokedNoPoe));
}

#[test]
fn md5_signed_crl_is_refused_not_trusted() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    // CarlRSA's CRLs are signed with md5WithRSAEncryption: never accepted, so under
    // `require` the status is unknown (and the signature itself is still fine).
    let v = verifier(
        &dir,
        "CarlRSASelf.cer",
        &["CarlRSACRLForAll.crl"],
        RevocationMode::Require,
    );
    let r = run(&v, &dir, "4.2.bin", None);
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(r.sub_indication, Some(SubIndication::TryLater));
    assert!(r.signers[0]
        .checks
        .iter()
        .any(|c| c.message.contains("MD2/MD4/MD5")));
}

#[test]
fn rfc4134_detached_needs_its_content() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    let v = verifier(&dir, "CarlDSSSelf.cer", &[], RevocationMode::Off);
    let r = run(&v, &dir, "4.3.bin", Some("ExContent.bin"));
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert!(r.detached);
    let r = run(&v, &dir, "4.3.bin", None);
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    // Other content: the digest no longer matches.
    let bytes = std::fs::read(dir.join("4.3.bin")).unwrap();
    let mut other: &[u8] = b"This is some other content.";
    let r = v.verify(&bytes, Some(&mut other)).unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    assert!(matches!(
        r.sub_indication,
        Some(SubIndication::HashFailure) | Some(SubIndication::SigCryptoFailure)
    ));
}

#[test]
fn signer_without_a_chain_is_indeterminate() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    // Anchored at the DSA root, an RSA-signed document has no chain.
    let v = verifier(&dir, "CarlDSSSelf.cer", &[], RevocationMode::Off);
    let r = run(&v, &dir, "4.2.bin", None);
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(
        r.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
}

#[test]
fn ecdsa_ber_sample_signature_checks_pass() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rustcrypto");
    // The signer is self-signed "CN=Test"; anchor it directly. Its certificate expired in 2019,
    // so at 2020 the chain is out of bounds while the signature itself verifies.
    let limits = Limits::default();
    let bytes = std::fs::read(dir.join("cms_ber.bin")).unwrap();
    let sd = sigbridge::document::cms::parse(&bytes, &limits).unwrap();
    let mut b =
        Verifier::builder().validation_time(sigbridge::asn1::parse_time("2020-01-01T00:00:00Z"));
    for c in &sd.certificates {
        b = b.anchor_in_store(c.clone(), "sample");
    }
    let v = b.build();
    let r = v.verify(&bytes, None).unwrap();
    let s = &r.signers[0];
    assert!(
        s.checks
            .iter()
            .any(|c| c.rule == Rule::SignatureValue && c.status == Status::Passed),
        "{s:#?}"
    );
    assert_eq!(r.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
fn smime_messages_verify_end_to_end() {
    let Some(corpora) = common::corpora() else {
        return;
    };
    let dir = corpora.join("cms/rfc4134");
    let v = verifier(&dir, "CarlDSSSelf.cer", &[], RevocationMode::Off);
    for eml in ["4.8.eml", "4.9.eml"] {
        let r = run(&v, &dir, eml, None);
        assert_eq!(r.indication, Indication::TotalPassed, "{eml}: {r:#?}");
    }
    // multipart/signed with one byte of the signed text changed.
    let mut bytes = std::fs::read(dir.join("4.8.eml")).unwrap();
    let at = bytes.windows(6).position(|w| w == b"sample").unwrap();
    bytes[at] = b'S';
    let r = v.verify(&bytes, None).unwrap();
    assert_eq!(r.indication, Indication::TotalFailed);
    // EnvelopedData is not a signature.
    assert!(v
        .verify(&std::fs::read(dir.join("5.3.eml")).unwrap(), None)
        .is_err());
}
