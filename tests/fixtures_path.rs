//! The bundled demo PKI (fixtures/path-demo, made by fixtures/generate-path-demo.sh):
//! an RSA chain shaped like Hongkong Post's with CRLs and a revoked signer, and an SM2
//! chain signed with the GM/T 0009 signer ID.

use sigbridge::path::{AnchorSet, CertPool};
use sigbridge::revocation::RevocationMode;
use sigbridge::validate::{self, KeyUsageRequirement, Options, Outcome, Sources};
use sigbridge::verdict::{Indication, Rule, SubIndication};
use sigbridge::x509::{Certificate, Crl, Oid};
use sigbridge::Limits;
use std::path::PathBuf;
use std::sync::Arc;

fn file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/path-demo")
        .join(name)
}

fn cert(name: &str) -> Arc<Certificate> {
    Arc::new(
        sigbridge::x509::certificates_from_file(&file(name), &Limits::default())
            .unwrap()
            .remove(0),
    )
}

fn crl(name: &str) -> Arc<Crl> {
    Arc::new(
        sigbridge::x509::crls_from_file(&file(name), &Limits::default())
            .unwrap()
            .remove(0),
    )
}

fn run(target: &str, anchor: &str, pool: &[&str], crls: &[&str], mode: RevocationMode) -> Outcome {
    let mut anchors = AnchorSet::new();
    anchors.add(cert(anchor), "demo");
    let mut p = CertPool::new();
    for c in pool {
        p.add(cert(c));
    }
    let crls: Vec<Arc<Crl>> = crls.iter().map(|c| crl(c)).collect();
    let target = cert(target);
    // Inside every demo certificate's validity.
    let mut options = Options::at(target.not_before + 3600);
    options.revocation = mode;
    options.key_usage = KeyUsageRequirement::document_signer();
    validate::validate(&target, Sources::new(&p, &anchors, &crls), &options)
}

#[test]
fn rsa_signer_is_valid_with_crls_required() {
    let o = run(
        "signer.pem",
        "root.pem",
        &["ca.pem"],
        &["ca.crl", "root.crl"],
        RevocationMode::Require,
    );
    assert!(o.is_valid(), "{:?}", o.errors);
    assert_eq!(o.path.len(), 3);
    assert_eq!(o.path[0].sha256, cert("root.pem").sha256, "anchor first");
    let mr = Oid::from_dotted("2.16.344.8.2.2008.810.2.2018.1.1").unwrap();
    assert_eq!(o.user_constrained_policy_set, vec![mr]);
    assert_eq!(
        o.revocation.len(),
        2,
        "both certificates below the anchor were checked"
    );
}

#[test]
fn revoked_signer_is_total_failed() {
    let o = run(
        "revoked.pem",
        "root.pem",
        &["ca.pem"],
        &["ca.crl", "root.crl"],
        RevocationMode::Require,
    );
    assert_eq!(o.indication, Indication::TotalFailed);
    assert_eq!(o.sub_indication, Some(SubIndication::Revoked));
    assert!(o
        .errors
        .iter()
        .any(|e| e.rule == Rule::Revoked && e.message.contains("keyCompromise")));
}

#[test]
fn missing_crl_is_indeterminate_only_when_required() {
    let o = run(
        "signer.pem",
        "root.pem",
        &["ca.pem"],
        &["root.crl"],
        RevocationMode::Require,
    );
    assert_eq!(o.indication, Indication::Indeterminate);
    assert_eq!(o.sub_indication, Some(SubIndication::TryLater));
    let o = run(
        "signer.pem",
        "root.pem",
        &["ca.pem"],
        &["root.crl"],
        RevocationMode::Prefer,
    );
    assert!(o.is_valid());
    assert!(o.warnings.iter().any(|w| w.rule == Rule::RevocationUnknown));
}

#[test]
fn sm2_chain_with_standard_signer_id_is_valid() {
    let o = run(
        "sm2-signer.pem",
        "sm2-root.pem",
        &["sm2-ca.pem"],
        &[],
        RevocationMode::Off,
    );
    assert!(o.is_valid(), "{:?}", o.errors);
    assert_eq!(o.path.len(), 3);
}

#[test]
fn wrong_anchor_finds_no_chain() {
    let o = run(
        "sm2-signer.pem",
        "root.pem",
        &["sm2-ca.pem", "ca.pem"],
        &[],
        RevocationMode::Off,
    );
    assert_eq!(o.indication, Indication::Indeterminate);
    assert_eq!(
        o.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
}

#[test]
fn expired_at_a_later_time() {
    let target = cert("signer.pem");
    let mut anchors = AnchorSet::new();
    anchors.add(cert("root.pem"), "demo");
    let mut pool = CertPool::new();
    pool.add(cert("ca.pem"));
    let mut options = Options::at(target.not_after + 1);
    options.revocation = RevocationMode::Off;
    let o = validate::validate(&target, Sources::new(&pool, &anchors, &[]), &options);
    assert_eq!(o.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}
